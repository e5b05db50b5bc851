package codec

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/rillstream/rill/interp/value"
	"github.com/rillstream/rill/runtime/config"
	"go.yaml.in/yaml/v3"
)

func init() {
	register(&Spec{
		Name: "yaml",
		Doc:  "a frame is one YAML document; mapping key order is kept, integers stay integers, !!binary is bytes",
		New:  func(config.Values) (Codec, error) { return yamlCodec{}, nil },
	})
}

// yamlCodec reads and writes YAML with go.yaml.in/yaml/v3, through yaml.Node so that mapping key
// order is kept.
//
// Decoding: a frame holds one document; a second document (after `---`) is an error, as in
// Tremor's serde_yaml, and an empty frame is null. Scalars by their tag (explicit or resolved by
// the YAML 1.2 core schema as yaml.v3 extends it): !!null → null; !!bool → bool; !!int → an Int
// (decimal, 0x, 0o, 0b, `_` separators), or a Uint beyond the i64 range, and an error beyond u64;
// !!float → a float (.inf, -.inf and .nan included); !!binary → bytes (base64); every other tag
// (!!str, !!timestamp, custom `!tags`) → the scalar's text as a string. Sequences are arrays and
// mappings records in document order; a mapping key must be a scalar (its text is the key), a
// repeated key keeps its first position and takes the later value, and `<<` merge keys (a mapping
// or a sequence of mappings) add the keys the mapping does not set itself. Aliases are resolved;
// to refuse "billion laughs" documents, a frame may expand to at most 64 values per input byte
// (and at least 10000), and nesting is limited to value.MaxDepth.
//
// Encoding builds a yaml.Node in the value's key order and writes it with 2-space indentation and
// no trailing line break: records as block mappings ({} when empty), arrays as block sequences
// ([] when empty), strings as plain scalars where that reads back as the same string (quoted
// otherwise; strings with line breaks double-quoted), integers in decimal, floats in their shortest
// round-trip form (.inf, -.inf, .nan), bytes as !!binary base64, null as null.
type yamlCodec struct{}

// yamlValuesPerByte bounds alias expansion: a frame may produce this many values per input byte.
const (
	yamlValuesPerByte = 64
	yamlMinValues     = 10000
)

// yamlDecoder converts one document.
type yamlDecoder struct {
	budget int                 // values that may still be produced
	active map[*yaml.Node]bool // alias targets being expanded (a cycle guard)
}

func (yamlCodec) Decode(data []byte, _ uint64) (value.Value, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return value.NullValue, nil
		}
		return value.NullValue, yamlError(err)
	}
	var next yaml.Node
	if err := dec.Decode(&next); !errors.Is(err, io.EOF) {
		return value.NullValue, errors.New("yaml: the frame holds more than one document (one frame is one document)")
	}
	d := yamlDecoder{budget: max(yamlMinValues, yamlValuesPerByte*len(data))}
	return d.value(&doc, 0)
}

// yamlError gives a yaml.v3 error the "yaml: " prefix once.
func yamlError(err error) error {
	msg := err.Error()
	if strings.HasPrefix(msg, "yaml: ") {
		return errors.New(msg)
	}
	return errors.New("yaml: " + msg)
}

func (d *yamlDecoder) errorf(n *yaml.Node, format string, args ...any) error {
	return fmt.Errorf("yaml: line %d: "+format, append([]any{n.Line}, args...)...)
}

func (d *yamlDecoder) value(n *yaml.Node, depth int) (value.Value, error) {
	if d.budget--; d.budget < 0 {
		return value.NullValue, d.errorf(n, "the document expands to too many values through aliases")
	}
	if depth > value.MaxDepth {
		return value.NullValue, d.errorf(n, "nesting deeper than %d", value.MaxDepth)
	}
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return value.NullValue, nil
		}
		return d.value(n.Content[0], depth)
	case yaml.AliasNode:
		if n.Alias == nil {
			return value.NullValue, d.errorf(n, "unknown alias *%s", n.Value)
		}
		if d.active[n.Alias] {
			return value.NullValue, d.errorf(n, "the alias *%s refers to a value that contains it", n.Value)
		}
		if d.active == nil {
			d.active = map[*yaml.Node]bool{}
		}
		d.active[n.Alias] = true
		v, err := d.value(n.Alias, depth+1)
		delete(d.active, n.Alias)
		return v, err
	case yaml.ScalarNode:
		return d.scalar(n)
	case yaml.SequenceNode:
		items := make([]value.Value, len(n.Content))
		for i, c := range n.Content {
			v, err := d.value(c, depth+1)
			if err != nil {
				return value.NullValue, err
			}
			items[i] = v
		}
		return value.NewArray(items), nil
	case yaml.MappingNode:
		return d.mapping(n, depth)
	}
	return value.NullValue, d.errorf(n, "unexpected YAML node kind %d", n.Kind)
}

// target follows aliases to the node they name.
func target(n *yaml.Node) *yaml.Node {
	for i := 0; n.Kind == yaml.AliasNode && n.Alias != nil && i < 100; i++ {
		n = n.Alias
	}
	return n
}

func (d *yamlDecoder) mapping(n *yaml.Node, depth int) (value.Value, error) {
	rec := value.NewRec(len(n.Content) / 2)
	var own map[string]bool // keys the mapping sets itself (computed when it merges)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := target(n.Content[i])
		if k.Kind == yaml.ScalarNode && k.ShortTag() == "!!merge" {
			if own == nil {
				own = map[string]bool{}
				for j := 0; j+1 < len(n.Content); j += 2 {
					if kj := target(n.Content[j]); kj.Kind == yaml.ScalarNode && kj.ShortTag() != "!!merge" {
						own[kj.Value] = true
					}
				}
			}
			if err := d.merge(rec, own, n.Content[i+1], depth); err != nil {
				return value.NullValue, err
			}
			continue
		}
		if k.Kind != yaml.ScalarNode {
			return value.NullValue, d.errorf(k, "a mapping key must be a scalar, not a %s", yamlKindName(k.Kind))
		}
		v, err := d.value(n.Content[i+1], depth+1)
		if err != nil {
			return value.NullValue, err
		}
		rec.Set(k.Value, v)
	}
	return value.NewRecordValue(rec), nil
}

// merge adds the entries of a `<<` value (a mapping, or a sequence of them; earlier ones win)
// whose keys the mapping does not set itself and no earlier merge added.
func (d *yamlDecoder) merge(rec *value.Rec, own map[string]bool, v *yaml.Node, depth int) error {
	t := target(v)
	var sources []*yaml.Node
	switch t.Kind {
	case yaml.MappingNode:
		sources = []*yaml.Node{v}
	case yaml.SequenceNode:
		sources = t.Content
	default:
		return d.errorf(v, "a `<<` merge needs a mapping or a sequence of mappings, not a %s", yamlKindName(t.Kind))
	}
	for _, s := range sources {
		if target(s).Kind != yaml.MappingNode {
			return d.errorf(s, "a `<<` merge needs a mapping or a sequence of mappings, it holds a %s", yamlKindName(target(s).Kind))
		}
		mv, err := d.value(s, depth+1)
		if err != nil {
			return err
		}
		m, _ := mv.AsRecord()
		for j := 0; j < m.Len(); j++ {
			key, x := m.At(j)
			if own[key] {
				continue
			}
			if _, ok := rec.Get(key); ok {
				continue
			}
			rec.Set(key, x)
		}
	}
	return nil
}

func yamlKindName(k yaml.Kind) string {
	switch k {
	case yaml.DocumentNode:
		return "document"
	case yaml.SequenceNode:
		return "sequence"
	case yaml.MappingNode:
		return "mapping"
	case yaml.ScalarNode:
		return "scalar"
	case yaml.AliasNode:
		return "alias"
	}
	return "node"
}

func (d *yamlDecoder) scalar(n *yaml.Node) (value.Value, error) {
	s := n.Value
	switch n.ShortTag() {
	case "!!null":
		return value.NullValue, nil
	case "!!bool":
		switch s {
		case "true", "True", "TRUE":
			return value.NewBool(true), nil
		case "false", "False", "FALSE":
			return value.NewBool(false), nil
		}
		var b bool
		if err := n.Decode(&b); err != nil {
			return value.NullValue, d.errorf(n, "cannot read %q as a !!bool", s)
		}
		return value.NewBool(b), nil
	case "!!int":
		plain := strings.ReplaceAll(s, "_", "")
		if i, err := strconv.ParseInt(plain, 0, 64); err == nil {
			return value.NewInt(i), nil
		}
		if u, err := strconv.ParseUint(plain, 0, 64); err == nil {
			return value.NewUint(u), nil
		}
		return value.NullValue, d.errorf(n, "cannot read %q as a 64-bit !!int", s)
	case "!!float":
		switch strings.ToLower(s) {
		case ".inf", "+.inf":
			return value.NewFloat(math.Inf(1)), nil
		case "-.inf":
			return value.NewFloat(math.Inf(-1)), nil
		case ".nan":
			return value.NewFloat(math.NaN()), nil
		}
		f, err := strconv.ParseFloat(strings.ReplaceAll(s, "_", ""), 64)
		if err != nil {
			return value.NullValue, d.errorf(n, "cannot read %q as a !!float", s)
		}
		return value.NewFloat(f), nil
	case "!!binary":
		clean := strings.Map(func(r rune) rune {
			if r == ' ' || r == '\n' || r == '\r' || r == '\t' {
				return -1
			}
			return r
		}, s)
		b, err := base64.StdEncoding.DecodeString(clean)
		if err != nil {
			return value.NullValue, d.errorf(n, "invalid base64 in !!binary: %v", err)
		}
		return value.NewBytes(b), nil
	}
	return value.NewString(s), nil
}

// Encoding.

func (yamlCodec) Encode(dst []byte, v value.Value) ([]byte, error) {
	n, err := yamlNode(v, 0)
	if err != nil {
		return nil, err
	}
	buf := bytes.NewBuffer(dst)
	enc := yaml.NewEncoder(buf)
	enc.SetIndent(2)
	if err := enc.Encode(n); err != nil {
		return nil, yamlError(err)
	}
	if err := enc.Close(); err != nil {
		return nil, yamlError(err)
	}
	out := buf.Bytes()
	if len(out) > len(dst) && out[len(out)-1] == '\n' {
		out = out[:len(out)-1]
	}
	return out, nil
}

// yamlNode builds the node of v.
func yamlNode(v value.Value, depth int) (*yaml.Node, error) {
	if depth > value.MaxDepth {
		return nil, fmt.Errorf("yaml: nesting deeper than %d", value.MaxDepth)
	}
	scalar := func(tag, s string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: s} }
	switch v.Kind() {
	case value.Null:
		return scalar("!!null", "null"), nil
	case value.Bool:
		b, _ := v.AsBool()
		return scalar("!!bool", strconv.FormatBool(b)), nil
	case value.Int, value.Uint:
		return scalar("!!int", v.String()), nil
	case value.Float:
		f, _ := v.AsF64()
		switch {
		case math.IsNaN(f):
			return scalar("!!float", ".nan"), nil
		case math.IsInf(f, 1):
			return scalar("!!float", ".inf"), nil
		case math.IsInf(f, -1):
			return scalar("!!float", "-.inf"), nil
		}
		return scalar("!!float", value.FormatFloat(f)), nil
	case value.String:
		s, _ := v.AsString()
		n := scalar("!!str", s)
		if strings.ContainsAny(s, "\n\r") {
			n.Style = yaml.DoubleQuotedStyle
		}
		return n, nil
	case value.Bytes:
		b, _ := v.AsBytes()
		return scalar("!!binary", base64.StdEncoding.EncodeToString([]byte(b))), nil
	case value.Array:
		items, _ := v.AsArray()
		n := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Content: make([]*yaml.Node, len(items))}
		for i, it := range items {
			c, err := yamlNode(it, depth+1)
			if err != nil {
				return nil, err
			}
			n.Content[i] = c
		}
		return n, nil
	case value.Record:
		rec, _ := v.AsRecord()
		n := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Content: make([]*yaml.Node, 0, 2*rec.Len())}
		for i := 0; i < rec.Len(); i++ {
			k, x := rec.At(i)
			key := scalar("!!str", k)
			if strings.ContainsAny(k, "\n\r") {
				key.Style = yaml.DoubleQuotedStyle
			}
			c, err := yamlNode(x, depth+1)
			if err != nil {
				return nil, err
			}
			n.Content = append(n.Content, key, c)
		}
		return n, nil
	}
	return nil, fmt.Errorf("yaml: cannot encode %s", v.TypeName())
}
