package codec

import "github.com/rillstream/rill/interp/value"

var binaryCases = codecCases{
	name:      "binary",
	roundTrip: []value.Value{value.NewBytes([]byte{0, 0xff, 'a'}), value.NewBytes(nil)},
	decode:    []decodeCase{{"\x00a", value.NewBytes([]byte{0, 'a'})}},
	encode:    []encodeCase{{value.NewString("text"), "text"}, {value.NewBytes([]byte{1, 2}), "\x01\x02"}},
	encodeErr: []encodeErrCase{{j(`1`), "binary: expected bytes or a string to write, not int"}},
}
