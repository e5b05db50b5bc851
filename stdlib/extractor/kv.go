package extractor

import (
	"slices"
	"strings"

	"github.com/rillstream/rill/interp/value"
)

// kv follows tremor-kv. The rule is a sequence of `%{key}SEP%{val}` pairs; the text between
// `%{key}` and `%{val}` is a key separator, any other text a field separator (escapes `\\`, `\n`,
// `\t`, `\r` allowed in both). With no separator of a kind given the defaults are " " between
// fields and ":" between key and value. A field separator may not contain a key separator nor the
// other way round.
//
// Matching splits the input by every field separator in turn, then each field by every key
// separator; a field that splits into exactly two parts becomes key → value (string), a later
// duplicate key overwriting the earlier value in place. Input without any pair is no match.
type kvExtractor struct {
	fieldSeps []string
	keySeps   []string
}

func compileKV(rule string) (Extractor, error) {
	var fieldSeps, keySeps []string
	for p := rule; ; {
		if rest, ok := strings.CutPrefix(p, "%{key}"); ok {
			i := strings.Index(rest, "%{val}")
			if i < 0 {
				return nil, ruleError("kv", "`%%{key}` without a following `%%{val}` at %d", len(rule)-len(p))
			}
			if i > 0 {
				sep, err := kvEscapes(rest[:i])
				if err != nil {
					return nil, err
				}
				keySeps = append(keySeps, sep)
			}
			p = rest[i+len("%{val}"):]
		} else if i := strings.Index(p, "%{key}"); i >= 0 {
			if i > 0 {
				sep, err := kvEscapes(p[:i])
				if err != nil {
					return nil, err
				}
				fieldSeps = append(fieldSeps, sep)
			}
			p = p[i:]
		} else if p == "" {
			break
		} else {
			sep, err := kvEscapes(p)
			if err != nil {
				return nil, err
			}
			fieldSeps = append(fieldSeps, sep)
			break
		}
	}
	if len(fieldSeps) == 0 {
		fieldSeps = []string{" "}
	}
	if len(keySeps) == 0 {
		keySeps = []string{":"}
	}
	slices.Sort(fieldSeps)
	slices.Sort(keySeps)
	fieldSeps = slices.Compact(fieldSeps)
	keySeps = slices.Compact(keySeps)
	for _, fs := range fieldSeps {
		for _, ks := range keySeps {
			if strings.Contains(fs, ks) || strings.Contains(ks, fs) {
				return nil, ruleError("kv", "the field separator %q and the key separator %q overlap", fs, ks)
			}
		}
	}
	return &kvExtractor{fieldSeps: fieldSeps, keySeps: keySeps}, nil
}

// kvEscapes resolves the escapes a kv separator may contain.
func kvEscapes(s string) (string, error) {
	if !strings.ContainsRune(s, '\\') {
		return s, nil
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' {
			b.WriteByte(s[i])
			continue
		}
		if i+1 >= len(s) {
			return "", ruleError("kv", "unterminated escape at the end of a separator")
		}
		i++
		switch s[i] {
		case '\\':
			b.WriteByte('\\')
		case 'n':
			b.WriteByte('\n')
		case 't':
			b.WriteByte('\t')
		case 'r':
			b.WriteByte('\r')
		default:
			return "", ruleError("kv", "invalid escape `\\%c` in a separator", s[i])
		}
	}
	return b.String(), nil
}

// multiSplit splits s by each separator in turn.
func multiSplit(s string, seps []string) []string {
	parts := []string{s}
	for _, sep := range seps {
		var next []string
		for _, p := range parts {
			next = append(next, strings.Split(p, sep)...)
		}
		parts = next
	}
	return parts
}

func (k *kvExtractor) Extract(v value.Value, result bool, _ uint64) (value.Value, bool) {
	s, ok := v.AsString()
	if !ok {
		return value.Value{}, false
	}
	var rec *value.Rec
	for _, field := range multiSplit(s, k.fieldSeps) {
		kv := multiSplit(field, k.keySeps)
		if len(kv) != 2 {
			continue
		}
		if !result {
			return matchTrue, true
		}
		if rec == nil {
			rec = value.NewRec(4)
		}
		rec.Set(kv[0], value.NewString(kv[1]))
	}
	if rec == nil {
		return value.Value{}, false
	}
	return value.NewRecordValue(rec), true
}
