package lang

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/rillstream/rill/lang/ast"
)

// The static checker (`rill check`): name resolution, definitions and creations, the select graph,
// windows, module loading and the compile-time rules of tremor-script (spec §2.12, §4, peers.md §2).
//
// Check walks a parsed file once, in source order, the way Tremor compiles it: `use`, `define`, `fn`
// and `const` affect only what follows them. The world outside the source (registry functions,
// aggregates, operator kinds, the embedded standard library) comes in through Env, so this package
// imports nothing but lang/ast. Module files named by `use` are read, parsed and checked once each;
// their diagnostics point into the module file (Diagnostic.Pos.File) and their sources are returned
// so a caller can render them.
//
// Files: check.go (API, diagnostics), modules.go (module loading and name scopes), check_query.go
// (queries, pipelines, flows, definitions), check_script.go (script bodies and expressions).

// Env tells the checker about functions, operators and modules outside the source.
type Env interface {
	// Func finds a registry function (module "" = global like source_id). ok=false if unknown.
	Func(module, name string) (FuncInfo, bool)
	// Aggregate finds aggr::module::name.
	Aggregate(module, name string) (FuncInfo, bool)
	// Operator reports whether module::kind is a built-in operator (generic::counter, ...).
	Operator(module, kind string) bool
	// StdModule opens the embedded standard library module at path (["std","string"] →
	// "std/string.tremor"); ok=false when it is not a built-in module. filename is what the module's
	// positions and diagnostics carry.
	StdModule(path []string) (filename, src string, ok bool)
}

// FuncInfo describes a registry function or aggregate for the checker.
type FuncInfo struct {
	MinArity, MaxArity int  // accepted argument counts; MaxArity -1 = variadic
	Legacy             bool // resolves without `use` (`datetime::with_seconds`, `tremor::source_id`)
}

// CheckOptions configures Check.
type CheckOptions struct {
	Env Env // functions, aggregates, operators and the standard library; nil = none known
	// Path lists module search directories (from --path and RILL_PATH). They are tried after the
	// standard library and before the directory of the checked file.
	Path []string
	// ReadFile reads module files; nil means os.ReadFile.
	ReadFile func(name string) ([]byte, error)
}

// Check runs the static checks on a parsed file and returns every diagnostic found, sorted by file
// (the checked file first, then modules in load order) and position; nil when the file is clean.
//
// The second result maps the file name of every module loaded (standard library modules included,
// under the name Env.StdModule gave them) to its source, so diagnostics that point into modules
// can be rendered. It never holds the checked file itself (Check sees only its tree); the map is
// never nil, so callers may add that source to it.
//
// f is the result of Parse (possibly partial after parse errors); a .tremor file is checked as a
// script or module, anything else as a query or deployment.
func Check(f *ast.File, opts CheckOptions) (diags Diagnostics, sources map[string]string) {
	c := newChecker(f, opts)
	defer func() {
		if r := recover(); r != nil {
			// The checker must never take the caller down; a bug here becomes a diagnostic.
			c.diags = append(c.diags, &Diagnostic{Pos: c.rootPos, Msg: fmt.Sprintf("internal error in the checker: %v", r),
				Hint: "please report this as a bug together with the program"})
		}
		diags, sources = c.result(), c.sources
	}()
	if f == nil {
		return nil, c.sources
	}
	c.checkFile(f)
	return
}

// checker holds the state of one Check run.
type checker struct {
	env      Env
	path     []string
	readFile func(string) ([]byte, error)
	rootDir  string
	rootPos  ast.Pos

	diags   Diagnostics
	sources map[string]string

	modules   map[string]*loadedModule // loaded modules by cleaned file name
	fileOrder map[string]int           // diagnostic sort order of files
	loading   []string                 // the chain of files being loaded, for cycle detection
}

func newChecker(f *ast.File, opts CheckOptions) *checker {
	c := &checker{
		env:       opts.Env,
		path:      opts.Path,
		readFile:  opts.ReadFile,
		sources:   map[string]string{},
		modules:   map[string]*loadedModule{},
		fileOrder: map[string]int{},
	}
	if c.env == nil {
		c.env = noEnv{}
	}
	if c.readFile == nil {
		c.readFile = os.ReadFile
	}
	if f != nil {
		c.rootPos = f.Pos
		if c.rootPos.File == "" {
			c.rootPos.File = f.Name
		}
		c.rootDir = filepath.Dir(f.Name)
		c.fileOrder[f.Name] = 0
		if f.Pos.File != "" {
			c.fileOrder[f.Pos.File] = 0
		}
	}
	return c
}

// noEnv is the empty environment: no functions, operators or standard library.
type noEnv struct{}

func (noEnv) Func(string, string) (FuncInfo, bool)      { return FuncInfo{}, false }
func (noEnv) Aggregate(string, string) (FuncInfo, bool) { return FuncInfo{}, false }
func (noEnv) Operator(string, string) bool              { return false }
func (noEnv) StdModule([]string) (string, string, bool) { return "", "", false }

// errorf records a diagnostic at pos.
func (c *checker) errorf(pos ast.Pos, hint, format string, args ...any) {
	msg := format
	if len(args) > 0 {
		msg = fmt.Sprintf(format, args...)
	}
	if !pos.IsValid() {
		pos = c.rootPos
	}
	c.diags = append(c.diags, &Diagnostic{Pos: pos, Msg: msg, Hint: hint})
}

// result sorts and de-duplicates the diagnostics.
func (c *checker) result() Diagnostics {
	if len(c.diags) == 0 {
		return nil
	}
	rank := func(file string) int {
		if r, ok := c.fileOrder[file]; ok {
			return r
		}
		return len(c.fileOrder) + 1
	}
	sort.SliceStable(c.diags, func(i, j int) bool {
		a, b := c.diags[i].Pos, c.diags[j].Pos
		if ra, rb := rank(a.File), rank(b.File); ra != rb {
			return ra < rb
		}
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Col != b.Col {
			return a.Col < b.Col
		}
		return a.Offset < b.Offset
	})
	out := c.diags[:0]
	seen := map[string]bool{}
	for _, d := range c.diags {
		k := d.Pos.File + "\x00" + strconv.Itoa(d.Pos.Offset) + "\x00" + strconv.Itoa(d.Pos.Line) + "\x00" + d.Msg
		if seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, d)
	}
	return out
}

// checkFile checks the root file as a script/module or as a query/deployment.
func (c *checker) checkFile(f *ast.File) {
	sc := newNameScope(nil, f.Name)
	c.loading = append(c.loading, filepath.Clean(f.Name))
	defer func() { c.loading = c.loading[:len(c.loading)-1] }()
	if isScriptAST(f) {
		c.checkScriptItems(f.Stmts, sc, exprCtx{sc: sc}, itemsRootScript)
		return
	}
	c.checkQueryFile(f, sc)
}

// isScriptAST reports whether f is a tremor-script script or module rather than a query.
func isScriptAST(f *ast.File) bool {
	if KindOf(f.Name) == KindScript {
		return true
	}
	for _, st := range f.Stmts {
		switch st.(type) {
		case *ast.ExprStmt, *ast.Const, *ast.FnDef, *ast.Intrinsic:
			return true
		}
	}
	return false
}

// ---- small helpers ----

// identText returns the name of id, or "" for nil.
func identText(id *ast.Ident) string {
	if id == nil {
		return ""
	}
	return id.Name
}

// identPosOr returns the position of id, or fallback for nil.
func identPosOr(id *ast.Ident, fallback ast.Pos) ast.Pos {
	if id == nil || !id.Pos.IsValid() {
		return fallback
	}
	return id.Pos
}

// wholeStmtPos locates a statement as a whole: its first token, or its name when `##` doc comments
// precede it (the statement's span then starts at the comment).
func wholeStmtPos(pos ast.Pos, doc []string, name *ast.Ident) ast.Pos {
	if len(doc) > 0 && name != nil && name.Pos.IsValid() {
		return name.Pos
	}
	return pos
}

// qualifiedName renders mod::name.
func qualifiedName(mod []string, name string) string {
	if len(mod) == 0 {
		return name
	}
	return strings.Join(mod, "::") + "::" + name
}

// backtickList renders names as `a`, `b`.
func backtickList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = "`" + n + "`"
	}
	return strings.Join(q, ", ")
}

// arityString renders an arity range as Tremor does: 1..=1, 0..=2; variadic as 1..
func arityString(fi FuncInfo) string {
	if fi.MaxArity < 0 {
		return strconv.Itoa(fi.MinArity) + ".."
	}
	return strconv.Itoa(fi.MinArity) + "..=" + strconv.Itoa(fi.MaxArity)
}

// arityFits reports whether n arguments fit fi.
func arityFits(fi FuncInfo, n int) bool {
	return n >= fi.MinArity && (fi.MaxArity < 0 || n <= fi.MaxArity)
}

// nearestName returns the candidate nearest to name by edit distance (at most 2, and less than the
// name's length), or "" when none is close; ties go to the smallest name.
func nearestName(name string, candidates []string) string {
	best, bestD := "", 3
	for _, cand := range candidates {
		if cand == name || cand == "" {
			continue
		}
		d := nameDistance(name, cand)
		if d < bestD || (d == bestD && best != "" && cand < best) {
			if d < len([]rune(name)) {
				best, bestD = cand, d
			}
		}
	}
	return best
}

// suggestName renders a suggestion hint, or "" when nothing is close.
func suggestName(name string, candidates []string) string {
	if s := nearestName(name, candidates); s != "" {
		return "did you mean `" + s + "`?"
	}
	return ""
}

// nameDistance is the Levenshtein distance between a and b (in runes), capped for long inputs.
func nameDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	if len(ra) > 64 || len(rb) > 64 {
		if a == b {
			return 0
		}
		return 64
	}
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// sortedNames returns the keys of a set-like map, sorted.
func sortedNames[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
