package interp

import (
	"sort"
	"strconv"

	"github.com/rillstream/rill/interp/value"
	"github.com/rillstream/rill/lang"
	"github.com/rillstream/rill/lang/ast"
)

// Session evaluates script snippets one after another against one frame, as a REPL does: locals,
// functions, consts and `use` aliases of earlier snippets stay visible to later ones, and so do the
// frame's event, meta and state. A Session belongs to one goroutine.
type Session struct {
	c     *compiler
	n     int
	Frame *Frame // what snippets run against; set Event, Meta, State and Ctx as needed
}

// NewSession starts a session with an empty namespace; `args` reads as the empty record.
func NewSession(env *Env) *Session {
	if env == nil {
		env = &Env{}
	}
	env.init()
	c := newCompiler(env, &source{file: "<repl>"}, ".")
	c.args = value.NewRecordValue(value.NewRec(0))
	c.ns = newNamespace(c.src)
	c.body = newBody(nil)
	ev, meta, state := value.NullValue, value.NewRecordValue(value.NewRec(0)), value.NullValue
	return &Session{c: c, Frame: &Frame{Event: &ev, Meta: &meta, State: &state}}
}

// Eval parses, compiles and runs one snippet (script items separated by `;`) and returns its result:
// the value of its last statement, the event for a bare `event` or a snippet without statements,
// or what `emit`/`drop` decided. Errors render against the snippet's own source.
func (s *Session) Eval(src string) (Result, error) {
	s.n++
	name := "<repl:" + strconv.Itoa(s.n) + ">"
	f, err := lang.ParseScript(name, src)
	if err != nil {
		return Result{}, err
	}
	c := s.c
	c.src = &source{file: name, text: src}
	c.ns.src = c.src
	prog, err := s.compile(f.Stmts)
	if err != nil {
		return Result{}, err
	}
	fr := s.Frame
	if len(fr.locals) < prog.nslots {
		fr.locals = append(fr.locals, make([]slot, prog.nslots-len(fr.locals))...)
	}
	fr.prog = prog
	for _, p := range []**value.Value{&fr.Event, &fr.Meta, &fr.State} {
		if *p == nil {
			*p = new(value.Value)
		}
	}
	fr.sp, fr.owned = 0, fr.owned[:0]
	return prog.runSafe(fr)
}

func (s *Session) compile(items []ast.Stmt) (prog *Program, err error) {
	s.c.env.mu.Lock()
	defer s.c.env.mu.Unlock()
	defer s.c.recoverPanic(&err)
	return s.c.compileItems(items), nil
}

// Names returns the names a later snippet can use, sorted: the session's locals (`let`),
// functions, consts and `use` aliases.
func (s *Session) Names() []string {
	seen := map[string]bool{}
	var out []string
	add := func(n string) {
		if !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	for n := range s.c.body.names {
		add(n)
	}
	for n := range s.c.ns.fns {
		add(n)
	}
	for n := range s.c.ns.consts {
		add(n)
	}
	for n := range s.c.ns.uses {
		add(n)
	}
	sort.Strings(out)
	return out
}
