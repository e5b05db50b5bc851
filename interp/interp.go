package interp

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"runtime/debug"
	"sync"

	"github.com/rillstream/rill/interp/value"
	"github.com/rillstream/rill/lang/ast"
	"github.com/rillstream/rill/stdlib"
)

// Env is the compile environment: the function registry, the module search path and how module
// files are read. One Env may serve many compilations (also concurrently); it caches the modules it
// compiled, by file. An Env must not be copied after its first use.
type Env struct {
	// Registry holds the registry functions; nil means stdlib.NewRegistry().
	Registry *stdlib.Registry
	// Path lists the module directories searched after the standard library and before the
	// directory of the compiled file (spec §2.12).
	Path []string
	// Lib is the standard library module tree; nil means stdlib.Lib().
	Lib fs.FS
	// ReadFile reads module files; nil means os.ReadFile.
	ReadFile func(name string) ([]byte, error)

	once    sync.Once
	mu      sync.Mutex
	modules map[string]*module // compiled modules by file name
}

func (e *Env) init() {
	e.once.Do(func() {
		if e.Registry == nil {
			e.Registry = stdlib.NewRegistry()
		}
		if e.Lib == nil {
			e.Lib = stdlib.Lib()
		}
		if e.ReadFile == nil {
			e.ReadFile = os.ReadFile
		}
		e.modules = map[string]*module{}
	})
}

// BodyOptions configures CompileBody.
type BodyOptions struct {
	// Args is the record every `args` of the body stands for (spec §4.3: a created script's args
	// inlined as a literal); nil leaves `args` reading as null (a top-level select).
	Args *value.Value
	// Dir is the directory of the query, searched for modules after Env.Path.
	Dir string
}

// ResultKind says what a run produced.
type ResultKind uint8

const (
	// Emit: Value is the emitted value (the last statement's value or `emit expr`).
	Emit ResultKind = iota
	// EmitEvent: the event itself (`emit`, `emit event`, a final bare `event`); Value holds it.
	EmitEvent
	// Drop: nothing is emitted.
	Drop
)

func (k ResultKind) String() string {
	switch k {
	case Emit:
		return "emit"
	case EmitEvent:
		return "emit event"
	case Drop:
		return "drop"
	}
	return "?"
}

// DefaultPort is the port of an emit without `=> "port"`.
const DefaultPort = "out"

// Result is the outcome of one run.
type Result struct {
	Kind  ResultKind
	Value value.Value // Emit: the value; EmitEvent: the (possibly changed) event; Drop: null
	Port  string      // Emit, EmitEvent: the port ("out" unless `emit … => "port"`)
}

// Program is a compiled script body: immutable, safe to run from many goroutines, each with its own
// Frame.
type Program struct {
	src     *source
	stmts   []evalFn // statements run for their effects (non-final pure statements are skipped)
	last    evalFn   // the final statement: its value is the result; nil: emit the event
	lastEvt bool     // the final statement is a bare `event`: emit the event
	nslots  int      // local slots of the body
}

// Frame is the mutable state of runs on one goroutine: the event, meta and state a run reads and
// changes, the host context, and the local slots. Reuse a Frame across events; Run resets locals.
type Frame struct {
	// Event, Meta and State point at what `event`, `$` and `state` read; assignments replace the
	// values they point at (`let event.a = 1` stores a new record in *Event, never changing the old
	// one in place). nil reads as null. The caller owns State and keeps it across runs.
	Event *value.Value
	Meta  *value.Value
	State *value.Value
	// Ctx is what registry functions read of the event: ingest time, origin, ids (nil: none).
	Ctx stdlib.Context
	// Group and Window are what `group` and `window` read in selects and windows (null in scripts).
	Group, Window value.Value

	prog   *Program
	locals []slot // the slots of the body or function running now
	stack  []slot // backing store of function slots
	sp     int    // first free slot of stack
	fnArgs value.Value

	result Result
	owned  []*value.Rec // records created by path copying in this run that nobody else can reach

	scratch  [3]value.Value // event/meta/state of a frame whose pointers are nil
	argStack []value.Value  // arguments of registry calls
}

// slot is one local: unset until assigned.
type slot struct {
	v   value.Value
	set bool
}

// evalFn is a compiled node.
type evalFn func(f *Frame) (value.Value, error)

// Sentinel errors that unwind the closures: emit/drop (the result is in Frame.result) and a recur in
// tail position (restart the function).
var (
	errHalt  = errors.New("interp: halt")
	errRecur = errors.New("interp: recur")
)

// NewFrame returns a frame for p with room for its locals. The caller sets Event, Meta, State and Ctx.
func (p *Program) NewFrame() *Frame {
	return &Frame{prog: p, locals: make([]slot, p.nslots)}
}

// Run runs the program once against the frame's event, meta and state. A runtime error aborts the
// run (changes to event, meta and state made before it stay visible through the frame's pointers).
func (p *Program) Run(f *Frame) (res Result, err error) {
	if f.prog != p || len(f.locals) != p.nslots {
		f.prog = p
		f.locals = make([]slot, p.nslots)
	} else if len(f.locals) > 0 {
		clear(f.locals)
	}
	f.sp = 0
	f.owned = f.owned[:0]
	f.fnArgs = value.NullValue
	var nils uint8
	if f.Event == nil {
		f.scratch[0] = value.NullValue
		f.Event, nils = &f.scratch[0], nils|1
	}
	if f.Meta == nil {
		f.scratch[1] = value.NullValue
		f.Meta, nils = &f.scratch[1], nils|2
	}
	if f.State == nil {
		f.scratch[2] = value.NullValue
		f.State, nils = &f.scratch[2], nils|4
	}
	res, err = p.runSafe(f)
	if nils != 0 {
		if nils&1 != 0 {
			f.Event = nil
		}
		if nils&2 != 0 {
			f.Meta = nil
		}
		if nils&4 != 0 {
			f.State = nil
		}
	}
	return res, err
}

// runSafe runs the statements; a panic (a bug) becomes an error instead of taking the host down.
func (p *Program) runSafe(f *Frame) (res Result, err error) {
	defer func() {
		if r := recover(); r != nil {
			res = Result{}
			err = &Error{Msg: fmt.Sprintf("internal error in the interpreter: %v\n%s", r, debug.Stack())}
		}
	}()
	return p.run(f)
}

func (p *Program) run(f *Frame) (Result, error) {
	for _, s := range p.stmts {
		if _, err := s(f); err != nil {
			return p.halt(f, err)
		}
	}
	if p.last == nil || p.lastEvt {
		if p.last != nil {
			if _, err := p.last(f); err != nil {
				return p.halt(f, err)
			}
		}
		return Result{Kind: EmitEvent, Value: *f.Event, Port: DefaultPort}, nil
	}
	v, err := p.last(f)
	if err != nil {
		return p.halt(f, err)
	}
	return Result{Kind: Emit, Value: v, Port: DefaultPort}, nil
}

// halt turns the error that stopped a run into its result.
func (p *Program) halt(f *Frame, err error) (Result, error) {
	if err == errHalt {
		r := f.result
		f.result = Result{}
		if r.Kind == EmitEvent {
			r.Value = *f.Event
		}
		return r, nil
	}
	if err == errRecur {
		return Result{}, &Error{Msg: "Can not recur from this location"}
	}
	return Result{}, err
}

// Compile compiles a script file (all its items) into a Program. src is the file's source (for
// error rendering); module files are found through env (spec §2.12). f should have passed lang.Check;
// anything Check would reject is a compile error here too (never a panic).
func Compile(f *ast.File, src string, env *Env) (prog *Program, err error) {
	if env == nil {
		env = &Env{}
	}
	env.init()
	if f == nil {
		return nil, &Error{Msg: "nothing to compile"}
	}
	name := f.Name
	if name == "" {
		name = f.Pos.File
	}
	c := newCompiler(env, &source{file: name, text: src}, dirOf(name))
	if name != "" {
		c.loading = []string{moduleKey(name)}
	}
	env.mu.Lock()
	defer env.mu.Unlock()
	defer c.recoverPanic(&err)
	return c.compileProgram(f.Stmts, nil)
}

// CompileBody compiles a script body of a query (`define script`, a port script, a window script)
// with `args` inlined as opts.Args (spec §4.3). src is the source of the whole query, which the
// body's positions point into.
func CompileBody(body *ast.Script, src string, env *Env, opts BodyOptions) (prog *Program, err error) {
	if env == nil {
		env = &Env{}
	}
	env.init()
	if body == nil {
		return nil, &Error{Msg: "nothing to compile"}
	}
	c := newCompiler(env, &source{file: body.Pos.File, text: src}, opts.Dir)
	env.mu.Lock()
	defer env.mu.Unlock()
	defer c.recoverPanic(&err)
	args := value.NullValue
	if opts.Args != nil {
		args = *opts.Args
	}
	return c.compileProgram(body.Items, &args)
}

// CompileExpr compiles one expression of a query (a select target, a where or having clause, a group
// by expression) as a program whose result is the expression's value (Result.Kind Emit), with `args`
// inlined as opts.Args. src is the source of the whole query.
func CompileExpr(e ast.Expr, src string, env *Env, opts BodyOptions) (prog *Program, err error) {
	if e == nil {
		return nil, &Error{Msg: "nothing to compile"}
	}
	pos := e.Position()
	return CompileBody(&ast.Script{Pos: pos, Items: []ast.Stmt{&ast.ExprStmt{Pos: pos, Expr: e}}}, src, env, opts)
}
