package extractor

import "github.com/rillstream/rill/interp/value"

// jsonExtractor parses the whole string as one JSON value with the value package's decoder (ints
// stay integers, `1.0` and `1e3` are floats, record key order is kept). Invalid JSON is no match.
type jsonExtractor struct{}

func (jsonExtractor) Extract(v value.Value, result bool, _ uint64) (value.Value, bool) {
	s, ok := v.AsString()
	if !ok {
		return value.Value{}, false
	}
	out, err := value.DecodeJSONString(s)
	if err != nil {
		return value.Value{}, false
	}
	if !result {
		return matchTrue, true
	}
	return out, true
}
