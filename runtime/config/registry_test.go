package config

import (
	"slices"
	"testing"

	"github.com/rillstream/rill/interp/value"
)

type testSpec struct {
	name    string
	aliases []string
}

func TestRegistryNamesAliasesAndOrder(t *testing.T) {
	r := NewRegistry(func(s *testSpec) string { return s.name }, func(s *testSpec) []string { return s.aliases })
	lines := &testSpec{name: "lines", aliases: []string{"separate"}}
	gzip := &testSpec{name: "gzip"}
	r.Register(lines)
	r.Register(gzip)
	if s, ok := r.Lookup("separate"); !ok || s != lines {
		t.Errorf("Lookup(separate) = %v, %v", s, ok)
	}
	if _, ok := r.Lookup("zlib"); ok {
		t.Error("Lookup(zlib) found a spec")
	}
	if got := r.Specs(); !slices.Equal(got, []*testSpec{gzip, lines}) {
		t.Errorf("Specs() = %v: want each spec once, sorted by name", got)
	}
	if got := r.Names(); !slices.Equal(got, []string{"gzip", "lines", "separate"}) {
		t.Errorf("Names() = %v", got)
	}
	plain := NewRegistry(func(s *testSpec) string { return s.name }, nil)
	plain.Register(lines)
	if got := plain.Names(); !slices.Equal(got, []string{"lines"}) {
		t.Errorf("without aliases, Names() = %v", got)
	}
}

func TestParseRef(t *testing.T) {
	rec := func(kv ...any) value.Value {
		r := value.NewRec(len(kv) / 2)
		for i := 0; i < len(kv); i += 2 {
			r.Set(kv[i].(string), kv[i+1].(value.Value))
		}
		return value.NewRecordValue(r)
	}
	cfg := rec("max_length", value.NewInt(8))
	ref, err := ParseRef("an interceptor", rec("name", value.NewString("lines"), "config", cfg))
	if err != nil || ref.Name != "lines" || !value.Equal(ref.Config, cfg) {
		t.Errorf("record: %+v, %v", ref, err)
	}
	if ref, err := ParseRef("a codec", value.NewString("json")); err != nil || ref.Name != "json" || !ref.Config.IsNull() {
		t.Errorf("name: %+v, %v", ref, err)
	}
	for _, c := range []struct {
		v    value.Value
		want string
	}{
		{value.NewInt(1), "a codec is a name or a record {\"name\": ..., \"config\": {...}}, not integer"},
		{rec("name", value.NewInt(1)), "the name of a codec must be a string, not integer"},
		{rec("name", value.NewString("json"), "cfg", value.NullValue), "unknown key `cfg` in a codec record: it takes `name` and `config`"},
		{rec("config", cfg), "a codec record needs a `name`"},
	} {
		if _, err := ParseRef("a codec", c.v); err == nil || err.Error() != c.want {
			t.Errorf("%s: error %v, want %q", value.Encode(c.v), err, c.want)
		}
	}
}
