package codec

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/rillstream/rill/interp/value"
	"github.com/rillstream/rill/runtime/config"
)

func init() {
	register(&Spec{
		Name: "csv",
		Doc:  "a frame is one CSV record (RFC 4180 quoting), decoded as an array of strings",
		Config: []config.Key{
			{Name: "separator", Type: config.String, Default: value.NewString(","),
				Doc: "the field separator: one ASCII character other than `\"`, CR and LF"},
		},
		New: func(cfg config.Values) (Codec, error) {
			sep := cfg.String("separator")
			if len(sep) != 1 || sep[0] >= utf8.RuneSelf || sep[0] == '"' || sep[0] == '\r' || sep[0] == '\n' {
				return nil, fmt.Errorf("csv: `separator` must be one ASCII character other than `\"`, CR and LF, not %q", sep)
			}
			return &csvCodec{sep: sep[0]}, nil
		},
	})
}

// csvCodec reads and writes one CSV record per frame, as Tremor's csv codec does (RFC 4180, with
// the leniency of Rust's csv crate when reading).
//
// Decoding: the frame must be valid UTF-8. Fields are split at the separator; a field that starts
// with `"` is quoted: it runs to the next `"` that is not doubled (`""` is one `"`), may hold
// separators and line breaks, and must be followed by a separator or the end of the record. A `"`
// inside an unquoted field is an ordinary character. One line break (LF, CRLF or CR) may end the
// frame; a line break outside quotes anywhere else means a second record, which is an error. An
// empty frame is one empty field ([""]), as RFC 4180 reads an empty line. The result is an array
// of strings.
//
// Encoding: the value must be a non-empty array. Strings are written as they are, every other
// value as its compact JSON text (null, 1, 1.5, true, [1,2], a bytes value as its base64 JSON
// string). A field is quoted when it holds the separator, `"`, CR or LF, and when it is the only
// field and empty (so the record is not a blank line); quotes inside are doubled. No line break is
// appended.
type csvCodec struct {
	sep byte
	buf []byte // scratch for unquoting
}

func (c *csvCodec) Decode(data []byte, _ uint64) (value.Value, error) {
	if !utf8.Valid(data) {
		return value.NullValue, fmt.Errorf("csv: invalid UTF-8 at byte %d", invalidUTF8At(data))
	}
	s := string(data) // one copy; the fields are substrings of it
	var fields []value.Value
	i := 0
	for {
		// At the start of a field.
		if i < len(s) && s[i] == '"' {
			open := i
			c.buf = c.buf[:0]
			i++
			for {
				j := strings.IndexByte(s[i:], '"')
				if j < 0 {
					return value.NullValue, fmt.Errorf("csv: line has an unterminated quote (the quoted field %d opens at byte %d)", len(fields)+1, open)
				}
				c.buf = append(c.buf, s[i:i+j]...)
				i += j + 1
				if i < len(s) && s[i] == '"' { // "" is one quote
					c.buf = append(c.buf, '"')
					i++
					continue
				}
				break
			}
			fields = append(fields, value.NewString(string(c.buf)))
			if i < len(s) && s[i] != c.sep && s[i] != '\n' && s[i] != '\r' {
				return value.NullValue, fmt.Errorf("csv: unexpected %q after the closing quote of field %d at byte %d (expected the separator %q or the end of the record)",
					s[i], len(fields), i, c.sep)
			}
		} else {
			j := i
			for j < len(s) && s[j] != c.sep && s[j] != '\n' && s[j] != '\r' {
				j++
			}
			fields = append(fields, value.NewString(s[i:j]))
			i = j
		}
		// After a field: a separator, a line break or the end.
		if i == len(s) {
			break
		}
		if s[i] == c.sep {
			i++
			continue
		}
		end := i // a line break: it must end the frame
		if s[i] == '\r' && i+1 < len(s) && s[i+1] == '\n' {
			i++
		}
		i++
		if i != len(s) {
			return value.NullValue, fmt.Errorf("csv: the frame holds more than one record (a line break outside quotes at byte %d)", end)
		}
		break
	}
	return value.NewArray(fields), nil
}

// invalidUTF8At returns the offset of the first invalid UTF-8 sequence in data (len(data) if none).
func invalidUTF8At(data []byte) int {
	for i := 0; i < len(data); {
		r, n := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return len(data)
}

func (c *csvCodec) Encode(dst []byte, v value.Value) ([]byte, error) {
	items, ok := v.AsArray()
	if !ok {
		return nil, fmt.Errorf("csv: expected an array of field values to write as one record, not %s", v.TypeName())
	}
	if len(items) == 0 {
		return nil, errors.New("csv: a record needs at least one field, the array is empty")
	}
	for i, it := range items {
		if i > 0 {
			dst = append(dst, c.sep)
		}
		s, ok := it.AsString()
		if !ok {
			c.buf = value.AppendEncode(c.buf[:0], it)
			s = string(c.buf)
		}
		quote := s == "" && len(items) == 1
		for k := 0; k < len(s) && !quote; k++ {
			switch s[k] {
			case c.sep, '"', '\r', '\n':
				quote = true
			}
		}
		if !quote {
			dst = append(dst, s...)
			continue
		}
		dst = append(dst, '"')
		for {
			k := strings.IndexByte(s, '"')
			if k < 0 {
				break
			}
			dst = append(dst, s[:k+1]...)
			dst = append(dst, '"')
			s = s[k+1:]
		}
		dst = append(dst, s...)
		dst = append(dst, '"')
	}
	return dst, nil
}
