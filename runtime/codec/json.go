package codec

import (
	"github.com/rillstream/rill/interp/value"
	"github.com/rillstream/rill/runtime/config"
)

func init() {
	register(&Spec{
		Name: "json",
		Doc:  "one JSON value per frame; integers stay integers, record key order is kept",
		Config: []config.Key{
			{Name: "mode", Type: config.String, Default: value.NewString("compact"), Enum: []string{"compact", "sorted", "pretty"},
				Doc: "how values are encoded: insertion order, keys sorted, or indented"},
		},
		New: func(cfg config.Values) (Codec, error) {
			return &jsonCodec{mode: cfg.String("mode")}, nil
		},
	})
}

// jsonCodec uses the value package's decoder and encoders.
type jsonCodec struct{ mode string }

func (c *jsonCodec) Decode(data []byte, _ uint64) (value.Value, error) { return value.DecodeJSON(data) }

func (c *jsonCodec) Encode(dst []byte, v value.Value) ([]byte, error) {
	switch c.mode {
	case "sorted":
		return value.AppendEncodeSorted(dst, v), nil
	case "pretty":
		return append(dst, value.EncodePretty(v)...), nil
	}
	return value.AppendEncode(dst, v), nil
}
