package codec

import (
	"fmt"

	"github.com/rillstream/rill/interp/value"
	"github.com/rillstream/rill/runtime/config"
)

func init() {
	register(&Spec{
		Name: "binary",
		Doc:  "a frame is a bytes value; bytes and strings are written raw",
		New:  func(config.Values) (Codec, error) { return binaryCodec{}, nil },
	})
}

// binaryCodec passes raw bytes.
type binaryCodec struct{}

func (binaryCodec) Decode(data []byte, _ uint64) (value.Value, error) {
	return value.NewBytes(data), nil
}

func (binaryCodec) Encode(dst []byte, v value.Value) ([]byte, error) {
	if b, ok := v.AsBytes(); ok {
		return append(dst, b...), nil
	}
	if s, ok := v.AsString(); ok {
		return append(dst, s...), nil
	}
	return nil, fmt.Errorf("binary: expected bytes or a string to write, not %s", v.TypeName())
}
