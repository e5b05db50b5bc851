package stdlib

import (
	"io/fs"
	"path"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
)

func TestSpecsValid(t *testing.T) {
	r := NewRegistry()
	seen := map[string]bool{}
	for _, s := range r.All() {
		if err := s.Validate(); err != nil {
			t.Error(err)
		}
		if strings.TrimSpace(s.Doc) == "" {
			t.Errorf("%s: empty doc", s.Path())
		}
		if s.MaxArity != -1 && s.MinArity > s.MaxArity {
			t.Errorf("%s: MinArity %d > MaxArity %d", s.Path(), s.MinArity, s.MaxArity)
		}
		if seen[s.Path()] {
			t.Errorf("%s: duplicate", s.Path())
		}
		seen[s.Path()] = true
		if s.Aggregate && (s.Pure || s.Legacy) {
			t.Errorf("%s: aggregates are neither pure nor legacy", s.Path())
		}
	}
	for _, group := range specGroups() {
		for _, s := range group {
			if s.Impl != nil {
				t.Errorf("%s: Impl set in the declarative table", s.Path())
			}
		}
	}
}

// TestSpecArities pins the arities the language spec (§3.2, §3.3, peers.md §4) gives.
func TestSpecArities(t *testing.T) {
	r := NewRegistry()
	cases := []struct {
		path     string
		min, max int
	}{
		{"string::format", 1, -1},
		{"string::substr", 3, 3},
		{"array::contains", 2, 2},
		{"chash::jump_with_keys", 4, 4},
		{"datetime::with_timezone", 2, 2},
		{"datetime::subsecond_nanos", 1, 1},
		{"datetime::with_seconds", 1, 1},
		{"random::integer", 0, 2},
		{"random::float", 0, 2},
		{"random::string", 1, 1},
		{"path::try_default", 3, 3},
		{"win::cardinality", 0, 0},
		{"origin::as_uri_record", 0, 0},
		{"peer_id", 0, 0},
		{"tremor::event_id", 0, 0},
		{"aggr::stats::count", 0, 0},
		{"aggr::stats::stdev", 1, 1},
		{"aggr::stats::hdr", 1, 2},
		{"aggr::stats::dds", 1, 2},
		{"aggr::win::collect_flattened", 0, 1},
		{"aggr::win::collect_nested", 1, 1},
	}
	byPath := map[string]*FnSpec{}
	for _, s := range r.All() {
		byPath[s.Path()] = s
	}
	for _, c := range cases {
		s, ok := byPath[c.path]
		if !ok {
			t.Errorf("%s: missing", c.path)
			continue
		}
		if s.MinArity != c.min || s.MaxArity != c.max {
			t.Errorf("%s: arity %d..%d, want %d..%d", c.path, s.MinArity, s.MaxArity, c.min, c.max)
		}
	}
}

// TestModuleInventory checks every module of spec §3.2/§3.3 is present with its full function list.
func TestModuleInventory(t *testing.T) {
	r := NewRegistry()
	want := map[string]string{
		"array":    "coalesce concatenate contains flatten is_empty join len push reverse sort unzip zip",
		"base64":   "decode encode",
		"binary":   "from_bytes into_bytes len",
		"chash":    "jump jump_with_keys sorted_serialize",
		"datetime": "day_of_month day_of_year format hour iso_week minute month parse rfc2822 rfc3339 second subsecond_micros subsecond_millis subsecond_nanos with_days with_hours with_microseconds with_milliseconds with_minutes with_nanoseconds with_seconds with_timezone year",
		"float":    "is_finite is_infinite is_nan parse",
		"integer":  "parse",
		"json":     "decode encode encode_pretty",
		"math":     "ceil floor max min round trunc",
		"origin":   "as_uri_record as_uri_string host path port scheme",
		"path":     "try_default",
		"random":   "bool float integer string",
		"range":    "range",
		"re":       "is_match replace replace_all split",
		"record":   "combine contains extract from_array is_empty keys len rename to_array values",
		"string":   "bytes capitalize contains format from_utf8_lossy into_binary is_empty len lowercase replace reverse split substr trim trim_end trim_start uppercase",
		"system":   "hostname ingest_ns instance nanotime version",
		"test":     "assert",
		"type":     "as_string is_array is_binary is_bool is_float is_integer is_null is_number is_record is_string",
		"url":      "decode encode",
		"win":      "cardinality collect_flattened collect_nested first last",
		"stats":    "count dds hdr max mean min stdev sum var",
		"":         "event_id peer_id source_id stream_id",
		"tremor":   "event_id peer_id source_id stream_id",
	}
	var mods []string
	for m := range want {
		mods = append(mods, m)
	}
	sort.Strings(mods)
	if got := r.Modules(); !slices.Equal(got, mods) {
		t.Errorf("Modules() = %q\nwant %q", got, mods)
	}
	for m, names := range want {
		var got []string
		for _, s := range r.Functions(m) {
			got = append(got, s.Name)
		}
		if strings.Join(got, " ") != names {
			t.Errorf("Functions(%q) = %s\nwant %s", m, strings.Join(got, " "), names)
		}
	}
}

func TestLookup(t *testing.T) {
	r := NewRegistry()
	s, ok := r.Lookup("string", "format")
	if !ok || s.Name != "format" || s.Module != "string" || !s.Variadic() || !s.Pure || s.Aggregate {
		t.Fatalf("Lookup(string, format) = %+v, %v", s, ok)
	}
	if !s.Accepts(1) || !s.Accepts(7) || s.Accepts(0) {
		t.Error("string::format must accept 1 or more arguments")
	}
	if got := s.Signature(); got != "string::format(fmt, args...)" {
		t.Errorf("Signature = %q", got)
	}
	if _, ok := r.Lookup("string", "nope"); ok {
		t.Error("Lookup found string::nope")
	}
	if _, ok := r.Lookup("stats", "sum"); ok {
		t.Error("Lookup must not find aggregates")
	}
	if _, ok := r.Lookup("win", "first"); ok {
		t.Error("Lookup must not find aggregate win::first")
	}
	if s, ok := r.Lookup("win", "cardinality"); !ok || s.Aggregate || s.Pure {
		t.Errorf("Lookup(win, cardinality) = %+v, %v", s, ok)
	}
	if s, ok := r.Lookup("", "peer_id"); !ok || !s.Legacy || s.Path() != "peer_id" {
		t.Errorf("Lookup(\"\", peer_id) = %+v, %v", s, ok)
	}
	if s, ok := r.Lookup("tremor", "source_id"); !ok || !s.Legacy || s.Pure {
		t.Errorf("Lookup(tremor, source_id) = %+v, %v", s, ok)
	}
	if s, ok := r.Lookup("datetime", "with_seconds"); !ok || !s.Legacy || !s.Pure {
		t.Errorf("Lookup(datetime, with_seconds) = %+v, %v", s, ok)
	}
	if s, ok := r.Lookup("random", "integer"); !ok || s.Pure || s.Signature() != "random::integer(low?, high?)" {
		t.Errorf("Lookup(random, integer) = %+v, %v", s, ok)
	}
}

func TestAggregate(t *testing.T) {
	r := NewRegistry()
	s, ok := r.Aggregate("stats", "sum")
	if !ok || !s.Aggregate || s.Arity() != "1..=1" || s.Qualified() != "stats::sum" || s.Path() != "aggr::stats::sum" {
		t.Fatalf("Aggregate(stats, sum) = %+v, %v", s, ok)
	}
	if s, ok := r.Aggregate("win", "collect_flattened"); !ok || !s.Accepts(0) || !s.Accepts(1) || s.Accepts(2) {
		t.Errorf("Aggregate(win, collect_flattened) = %+v, %v", s, ok)
	}
	if _, ok := r.Aggregate("win", "cardinality"); ok {
		t.Error("Aggregate must not find the registry function win::cardinality")
	}
	if _, ok := r.Aggregate("string", "format"); ok {
		t.Error("Aggregate found string::format")
	}
}

func TestFunctionsSortedAndCopied(t *testing.T) {
	r := NewRegistry()
	for _, m := range r.Modules() {
		fns := r.Functions(m)
		if len(fns) == 0 {
			t.Errorf("module %q listed without functions", m)
		}
		if !sort.SliceIsSorted(fns, func(i, j int) bool { return fns[i].Name < fns[j].Name }) {
			t.Errorf("Functions(%q) not sorted", m)
		}
	}
	fns := r.Functions("math")
	fns[0] = nil
	if r.Functions("math")[0] == nil {
		t.Error("Functions returned the registry's own slice")
	}
	if r.Functions("nope") != nil {
		t.Error("Functions of an unknown module must be empty")
	}
}

func TestRegistriesAreIndependent(t *testing.T) {
	a, b := NewRegistry(), NewRegistry()
	s, _ := a.Lookup("string", "len")
	s.Impl = nil
	if t2, _ := b.Lookup("string", "len"); t2.Impl == nil {
		t.Error("setting Impl in one registry leaked into another")
	}
}

func TestRegisterRejects(t *testing.T) {
	r := NewRegistry()
	if err := r.Register(pure("string", "len", "Dup.", "input")); err == nil {
		t.Error("duplicate string::len accepted")
	}
	// The same name may exist once per namespace.
	agg := FnSpec{Module: "string", Name: "len", Params: []string{"x"}, MinArity: 1, MaxArity: 1, Doc: "Aggregate.", Aggregate: true}
	if err := r.Register(agg); err != nil {
		t.Errorf("aggregate string::len rejected: %v", err)
	}
	bad := []FnSpec{
		{Module: "m", Name: "f", MinArity: 0, MaxArity: 0},                                           // no doc
		{Module: "m", Name: "f", Doc: "Two\nlines."},                                                 // multi-line doc
		{Module: "m", Name: "f", Doc: "D.", MinArity: 2, MaxArity: 1, Params: []string{"a"}},         // min > max
		{Module: "m", Name: "f", Doc: "D.", MinArity: 1, MaxArity: 1},                                // params missing
		{Module: "m", Name: "f", Doc: "D.", MinArity: 1, MaxArity: 1, Params: []string{"end"}},       // keyword
		{Module: "m", Name: "f", Doc: "D.", MinArity: 1, MaxArity: 2, Params: []string{"a", "b..."}}, // ... without variadic
		{Module: "m", Name: "f", Doc: "D.", MinArity: 1, MaxArity: -1, Params: []string{"a"}},        // variadic without ...
		{Module: "m", Name: "", Doc: "D."},                                                           // no name
		{Module: "m", Name: "f", Doc: "D.", MinArity: 1, MaxArity: 1, Params: []string{"_a"}},        // not an ident
	}
	for i, s := range bad {
		if err := new(Registry).Register(s); err == nil {
			t.Errorf("bad spec %d accepted: %+v", i, s)
		}
	}
	var empty Registry
	if err := empty.Register(pure("m", "f", "D.", "a")); err != nil {
		t.Fatal(err)
	}
	if _, ok := empty.Lookup("m", "f"); !ok || !slices.Equal(empty.Modules(), []string{"m"}) {
		t.Error("zero Registry does not work after Register")
	}
}

// libDecl is one `intrinsic fn NAME(PARAMS) as MODULE::FN;` line of a lib file.
type libDecl struct {
	file, name, params, module, fn, doc string
}

var (
	intrinsicRe = regexp.MustCompile(`^intrinsic\s+fn\s+(\w+)\s*\(([^)]*)\)\s*as\s+(\w+)::(\w+)\s*;\s*$`)
	useRe       = regexp.MustCompile(`^use\s+([\w:]+)\s*;\s*$`)
	docTargetRe = regexp.MustCompile(`^(##|fn |const |intrinsic )`)
)

func libFiles(t *testing.T) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := fs.WalkDir(Lib(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(Lib(), p)
		files[p] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func libDecls(t *testing.T, files map[string]string) []libDecl {
	t.Helper()
	var out []libDecl
	for f, src := range files {
		lines := strings.Split(src, "\n")
		for i, l := range lines {
			l = strings.TrimSpace(l)
			if !strings.HasPrefix(l, "intrinsic") {
				continue
			}
			m := intrinsicRe.FindStringSubmatch(l)
			if m == nil {
				t.Errorf("%s:%d: malformed intrinsic: %s", f, i+1, l)
				continue
			}
			d := libDecl{file: f, name: m[1], params: strings.TrimSpace(m[2]), module: m[3], fn: m[4]}
			if i > 0 && strings.HasPrefix(lines[i-1], "## ") {
				d.doc = strings.TrimPrefix(lines[i-1], "## ")
			}
			out = append(out, d)
		}
	}
	return out
}

func TestLibIntrinsicsMatchRegistry(t *testing.T) {
	r := NewRegistry()
	decls := libDecls(t, libFiles(t))
	declared := map[string][]string{}
	for _, d := range decls {
		s, ok := r.Lookup(d.module, d.fn)
		if !ok {
			t.Errorf("%s: intrinsic %s binds unknown registry function %s::%s", d.file, d.name, d.module, d.fn)
			continue
		}
		declared[s.Path()] = append(declared[s.Path()], d.file)
		if s.Legacy {
			t.Errorf("%s: legacy %s must not be declared in lib", d.file, s.Path())
		}
		if d.name != s.Name {
			t.Errorf("%s: intrinsic %s binds %s under another name", d.file, d.name, s.Path())
		}
		if d.doc != s.Doc {
			t.Errorf("%s: doc of %s is %q, spec says %q", d.file, s.Path(), d.doc, s.Doc)
		}
		want := s.Params
		if s.MinArity != s.MaxArity {
			want = append(append([]string{}, s.Params[:s.MinArity]...), "...")
		}
		if got := strings.Join(want, ", "); d.params != got {
			t.Errorf("%s: %s declared with (%s), want (%s)", d.file, s.Path(), d.params, got)
		}
		// std::<m> / tremor::<m> file per module
		if base := strings.TrimSuffix(path.Base(d.file), ".tremor"); base != d.module {
			t.Errorf("%s: %s declared outside its module file", d.file, s.Path())
		}
	}
	for _, s := range r.All() {
		if s.Aggregate || s.Legacy {
			continue
		}
		if n := len(declared[s.Path()]); n != 1 {
			t.Errorf("%s declared in %d lib files %v, want exactly 1", s.Path(), n, declared[s.Path()])
		}
	}
}

func TestLibLayout(t *testing.T) {
	files := libFiles(t)
	for _, want := range []string{
		"std.tremor", "std/string.tremor", "std/array.tremor", "std/record.tremor", "std/math.tremor",
		"std/json.tremor", "std/re.tremor", "std/base64.tremor", "std/binary.tremor", "std/datetime.tremor",
		"std/float.tremor", "std/integer.tremor", "std/integer/signed.tremor", "std/integer/unsigned.tremor",
		"std/path.tremor", "std/random.tremor", "std/range.tremor", "std/test.tremor", "std/type.tremor",
		"std/url.tremor", "std/win.tremor", "std/size.tremor", "std/time.tremor", "std/time/nanos.tremor",
		"std/datetime/formats.tremor", "std/datetime/timezones.tremor", "tremor.tremor",
		"tremor/system.tremor", "tremor/origin.tremor", "tremor/chash.tremor", "tremor/windows.tremor",
		"http/status.tremor", "http/methods.tremor", "http/headers.tremor", "http/content_types.tremor",
	} {
		if _, ok := files[want]; !ok {
			t.Errorf("lib/%s missing", want)
		}
	}
	for f, src := range files {
		if !strings.HasPrefix(src, "### ") {
			t.Errorf("%s: does not start with a ### module comment", f)
		}
		lines := strings.Split(src, "\n")
		for i, l := range lines {
			// `##` only directly before fn/const/intrinsic (spec §1); `###` only in the leading block.
			if strings.HasPrefix(l, "###") {
				if i > 0 && !strings.HasPrefix(lines[i-1], "###") {
					t.Errorf("%s:%d: ### comment after the start of the file", f, i+1)
				}
			} else if strings.HasPrefix(l, "##") {
				next := ""
				if i+1 < len(lines) {
					next = lines[i+1]
				}
				if !docTargetRe.MatchString(next) {
					t.Errorf("%s:%d: ## doc comment not followed by fn, const or intrinsic", f, i+1)
				}
			}
			// every `use` names an existing module file
			if m := useRe.FindStringSubmatch(strings.TrimSpace(l)); m != nil {
				target := strings.ReplaceAll(m[1], "::", "/") + ".tremor"
				if _, ok := files[target]; !ok {
					t.Errorf("%s:%d: use %s: no lib/%s", f, i+1, m[1], target)
				}
			}
		}
	}
	// std.tremor and tremor.tremor bring in every direct submodule.
	for _, root := range []string{"std", "tremor"} {
		for f := range files {
			if path.Dir(f) != root {
				continue
			}
			use := "use " + root + "::" + strings.TrimSuffix(path.Base(f), ".tremor") + ";"
			if !strings.Contains(files[root+".tremor"], use) {
				t.Errorf("%s.tremor lacks %q", root, use)
			}
		}
	}
}
