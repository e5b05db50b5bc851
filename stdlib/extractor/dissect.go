package extractor

import (
	"errors"
	"strconv"
	"strings"

	"github.com/rillstream/rill/interp/value"
)

// dissect follows the dissect crate (0.7.3). A rule is literal delimiters and `%{…}` fields:
//
//	%{name}          the text up to the next delimiter (or padding), as a string
//	%{name:int}      …converted: int (i64), float, or string; a failed conversion is no match
//	%{} %{?name}     skipped; a `?name` value is remembered for `&name`
//	%{&name}         stored under the key remembered by `%{?name}`
//	%{+name}         appended to an existing string field with the last padding string between
//	                 (" " until a padding command ran)
//	%{_} %{_(x)}     padding " " / x: all leading repetitions are stripped
//
// Two fields with no delimiter or padding between them are a compile error. Matching runs left to
// right: a delimiter must be a prefix of the rest; a field takes everything up to the first
// occurrence of the following delimiter or padding (none → no match), or the whole rest when it is
// the last command; input left over after the last command is no match.
type dissectExtractor struct{ cmds []dissectCmd }

type dissectCmdKind uint8

const (
	dissectDelim dissectCmdKind = iota
	dissectPad
	dissectField
)

type dissectConv uint8

const (
	convString dissectConv = iota
	convInt
	convFloat
)

type dissectCmd struct {
	kind   dissectCmdKind
	text   string // delimiter or padding text; field name
	ignore bool   // %{?name} (or %{})
	lookup bool   // %{&name}
	add    bool   // %{+name}
	conv   dissectConv
}

func compileDissect(rule string) (Extractor, error) {
	var cmds []dissectCmd
	p := rule
	for p != "" {
		pos := len(rule) - len(p)
		if !strings.HasPrefix(p, "%{") {
			i := strings.Index(p, "%{")
			if i < 0 {
				i = len(p)
			}
			cmds = append(cmds, dissectCmd{kind: dissectDelim, text: p[:i]})
			p = p[i:]
			continue
		}
		end := strings.IndexByte(p, '}')
		if end < 0 {
			return nil, ruleError("dissect", "unterminated field `%s` at %d", p, pos)
		}
		cmd, err := parseDissectField(p[2:end], pos)
		if err != nil {
			return nil, err
		}
		if cmd.kind == dissectField && len(cmds) > 0 && cmds[len(cmds)-1].kind == dissectField {
			return nil, ruleError("dissect", "two fields with no delimiter between at %d", pos)
		}
		cmds = append(cmds, cmd)
		p = p[end+1:]
	}
	return &dissectExtractor{cmds: cmds}, nil
}

// parseDissectField parses the inside of `%{…}`.
func parseDissectField(s string, pos int) (dissectCmd, error) {
	if strings.HasPrefix(s, "_") {
		if s == "_" {
			return dissectCmd{kind: dissectPad, text: " "}, nil
		}
		if len(s) >= 3 && s[1] == '(' && s[len(s)-1] == ')' {
			return dissectCmd{kind: dissectPad, text: s[2 : len(s)-1]}, nil
		}
		return dissectCmd{}, ruleError("dissect", "invalid padding `%%{%s}` at %d", s, pos)
	}
	cmd := dissectCmd{kind: dissectField}
	switch {
	case strings.HasPrefix(s, "?"):
		cmd.ignore, s = true, s[1:]
	case strings.HasPrefix(s, "&"):
		cmd.lookup, s = true, s[1:]
	case strings.HasPrefix(s, "+"):
		cmd.add, s = true, s[1:]
	}
	if name, typ, ok := strings.Cut(s, ":"); ok {
		switch typ {
		case "int":
			cmd.conv = convInt
		case "float":
			cmd.conv = convFloat
		case "string":
			cmd.conv = convString
		default:
			return dissectCmd{}, ruleError("dissect", "invalid type `%s` at %d (int, float or string)", typ, pos)
		}
		s = name
	}
	cmd.text = s
	return cmd, nil
}

func (d *dissectExtractor) Extract(v value.Value, result bool, _ uint64) (value.Value, bool) {
	s, ok := v.AsString()
	if !ok {
		return value.Value{}, false
	}
	rec, ok := d.run(s)
	if !ok {
		return value.Value{}, false
	}
	if !result {
		return matchTrue, true
	}
	return value.NewRecordValue(rec), true
}

func (d *dissectExtractor) run(data string) (*value.Rec, bool) {
	rec := value.NewRec(len(d.cmds)/2 + 1)
	var remembered map[string]string
	lastPad := " "
	for t, cmd := range d.cmds {
		switch cmd.kind {
		case dissectDelim:
			rest, ok := strings.CutPrefix(data, cmd.text)
			if !ok {
				return nil, false
			}
			data = rest
		case dissectPad:
			lastPad = cmd.text
			if cmd.text != "" {
				for strings.HasPrefix(data, cmd.text) {
					data = data[len(cmd.text):]
				}
			}
		case dissectField:
			var field string
			if t+1 == len(d.cmds) {
				field, data = data, ""
			} else {
				i := strings.Index(data, d.cmds[t+1].text)
				if i < 0 {
					return nil, false
				}
				field, data = data[:i], data[i:]
			}
			name := cmd.text
			if cmd.lookup {
				key, ok := remembered[name]
				if !ok {
					return nil, false
				}
				name = key
			}
			if name == "" {
				continue
			}
			switch {
			case cmd.ignore:
				if remembered == nil {
					remembered = make(map[string]string)
				}
				remembered[name] = field
			case cmd.add:
				old, ok := rec.Get(name)
				if !ok {
					rec.Set(name, value.NewString(field))
					continue
				}
				os, isStr := old.AsString()
				if !isStr {
					return nil, false
				}
				rec.Set(name, value.NewString(os+lastPad+field))
			default:
				fv, ok := dissectConvert(field, cmd.conv)
				if !ok {
					return nil, false
				}
				rec.Set(name, fv)
			}
		}
	}
	if data != "" {
		return nil, false
	}
	return rec, true
}

func dissectConvert(s string, conv dissectConv) (value.Value, bool) {
	switch conv {
	case convInt:
		i, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return value.Value{}, false
		}
		return value.NewInt(i), true
	case convFloat:
		f, ok := parseRustFloat(s)
		if !ok {
			return value.Value{}, false
		}
		return value.NewFloat(f), true
	}
	return value.NewString(s), true
}

// parseRustFloat parses a decimal float the way Rust's f64::from_str does: optional sign, digits
// with an optional fraction and exponent (`1.`, `.5`, `1e5`), or inf/infinity/nan in any case; out
// of range values become ±inf or 0 rather than errors. Go-only forms (hex floats, `_`) are refused.
func parseRustFloat(s string) (float64, bool) {
	if s == "" || strings.ContainsAny(s, "_xXpP") {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		if errors.Is(err, strconv.ErrRange) {
			return f, true
		}
		return 0, false
	}
	return f, true
}
