package codec

import (
	"fmt"
	"unicode/utf8"

	"github.com/rillstream/rill/interp/value"
	"github.com/rillstream/rill/runtime/config"
)

func init() {
	register(&Spec{
		Name: "string",
		Doc:  "a frame is a UTF-8 string; a string value is written as is, any other value as JSON",
		New:  func(config.Values) (Codec, error) { return stringCodec{}, nil },
	})
}

// stringCodec decodes UTF-8 text.
type stringCodec struct{}

func (stringCodec) Decode(data []byte, _ uint64) (value.Value, error) {
	if !utf8.Valid(data) {
		return value.NullValue, fmt.Errorf("string: invalid UTF-8 at byte %d", invalidUTF8At(data))
	}
	return value.NewString(string(data)), nil
}

func (stringCodec) Encode(dst []byte, v value.Value) ([]byte, error) {
	if s, ok := v.AsString(); ok {
		return append(dst, s...), nil
	}
	if b, ok := v.AsBytes(); ok {
		return append(dst, b...), nil
	}
	return value.AppendEncode(dst, v), nil
}
