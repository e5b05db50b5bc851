package extractor

import (
	"encoding/base64"
	"strings"
	"unicode/utf8"

	"github.com/rillstream/rill/interp/value"
)

// base64Extractor decodes standard-alphabet base64 as tremor-common does (the base64 crate's
// STANDARD engine with indifferent padding): `=` padding may be present, partial or absent, but
// never more than the input needs; line breaks are not skipped; non-zero trailing bits are an error.
// The result is the decoded text; bytes that are not valid UTF-8 are no match.
type base64Extractor struct{}

func (base64Extractor) Extract(v value.Value, result bool, _ uint64) (value.Value, bool) {
	s, ok := v.AsString()
	if !ok {
		return value.Value{}, false
	}
	decoded, ok := decodeBase64(s)
	if !ok || !utf8.Valid(decoded) {
		return value.Value{}, false
	}
	if !result {
		return matchTrue, true
	}
	return value.NewString(string(decoded)), true
}

// decodeBase64 decodes s with optional padding.
func decodeBase64(s string) ([]byte, bool) {
	body := strings.TrimRight(s, "=")
	pad := len(s) - len(body)
	if strings.ContainsAny(body, "=\r\n") {
		return nil, false
	}
	if pad > 0 && pad > (4-len(body)%4)%4 {
		return nil, false
	}
	out, err := base64.RawStdEncoding.Strict().DecodeString(body)
	if err != nil {
		return nil, false
	}
	return out, true
}
