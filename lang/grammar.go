package lang

import (
	"strings"

	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"
	"github.com/rillstream/rill/lang/ast"
)

// The statement layer of trickle and troy as a participle grammar (spec §4.1–4.4, peers.md §1–2,
// Appendix B). Keywords and the order of clauses live in the struct tags below; names, expressions,
// script bodies and comma lists are Parseable nodes backed by the hand-written parser. Each grammar
// struct is lowered to its lang/ast node in lower.go.

// gStmt is one statement of a query, pipeline body or flow body.
type gStmt struct {
	Pos     lexer.Position
	Doc     []string  `parser:"@DocComment*"`
	Define  *gDefine  `parser:"(  'define' @@"`
	Create  *gCreate  `parser:"| 'create' @@"`
	Select  *gSelect  `parser:"| 'select' @@"`
	Use     *useNode  `parser:"| @@"`
	Connect *gConnect `parser:"| 'connect' @@"`
	Deploy  *gDeploy  `parser:"| 'deploy' 'flow' @@ )"`
}

type gDefine struct {
	Window   *gWindow       `parser:"'window' @@"`
	Legacy   *gLegacyWindow `parser:"| @@"`
	Script   *gScript       `parser:"| 'script' @@"`
	Operator *gOperator     `parser:"| 'operator' @@"`
	Pipeline *gPipeline     `parser:"| 'pipeline' @@"`
	Peer     *gPeer         `parser:"| @@"`
	Flow     *gFlow         `parser:"| 'flow' @@"`
}

// gWindow: define window NAME from tumbling [with a = 1, ...] [state e] (script [from tick] body)* end
type gWindow struct {
	Name    *identNode     `parser:"@@"`
	Kind    string         `parser:"'from' @('tumbling' | 'sliding')"`
	With    *withList      `parser:"( 'with' @@ )?"`
	State   *exprNode      `parser:"( 'state' @@ )?"`
	Scripts []*gPortScript `parser:"( 'script' @@ )*"`
	End     lexer.Position `parser:"'end'"`
}

// gLegacyWindow: define tumbling window NAME [with a = 1, ... end]
type gLegacyWindow struct {
	Kind string     `parser:"@('tumbling' | 'sliding') 'window'"`
	Name *identNode `parser:"@@"`
	With *withList  `parser:"( 'with' @@ 'end' )?"`
}

// gScript: define script NAME [args ...] [state e] (script [from port] body)+ end
type gScript struct {
	Name     *identNode     `parser:"@@"`
	Args     *argList       `parser:"( 'args' @@ )?"`
	State    *exprNode      `parser:"( 'state' @@ )?"`
	Sections []*gPortScript `parser:"( 'script' @@ )+"`
	End      lexer.Position `parser:"'end'"`
}

type gPortScript struct {
	Pos  lexer.Position
	Port *identNode  `parser:"( 'from' @@ )?"`
	Body *scriptNode `parser:"@@"`
}

// gOperator: define operator NAME from module::kind [[args ...] with a = 1, ... end] (args only with a
// with block, spec §4.2)
type gOperator struct {
	Name   *identNode `parser:"@@"`
	Module *identNode `parser:"'from' @@ '::'"`
	Kind   *identNode `parser:"@@"`
	Args   *argList   `parser:"( ( 'args' @@ )?"`
	With   *withList  `parser:"'with' @@ 'end' )?"`
}

// gPipeline: define pipeline NAME [from a, b] [into c] [args ...] pipeline stmts end
type gPipeline struct {
	Name *identNode   `parser:"@@"`
	From []*identNode `parser:"( 'from' @@ ( ',' @@ )* )?"`
	Into []*identNode `parser:"( 'into' @@ ( ',' @@ )* )?"`
	Args *argList     `parser:"( 'args' @@ )?"`
	Body *stmtList    `parser:"'pipeline' @@ 'end'"`
}

// gPeer: define peer|connector NAME from type [args ...] [with k = v, ... end]
type gPeer struct {
	Kind string     `parser:"@( 'peer' | 'connector' )"`
	Name *identNode `parser:"@@"`
	Type *modTarget `parser:"'from' @@"`
	Args *argList   `parser:"( 'args' @@ )?"`
	With *withList  `parser:"( 'with' @@ 'end' )?"`
}

// gFlow: define flow NAME [args ...] flow stmts end
type gFlow struct {
	Name *identNode `parser:"@@"`
	Args *argList   `parser:"( 'args' @@ )?"`
	Body *stmtList  `parser:"'flow' @@ 'end'"`
}

type gCreate struct {
	Stream *identNode   `parser:"'stream' @@"`
	Node   *gCreateNode `parser:"| @@"`
}

// gCreateNode: create script|operator|pipeline|peer|connector NAME [from target] [with ... end]
type gCreateNode struct {
	Kind string     `parser:"@( 'script' | 'operator' | 'pipeline' | 'peer' | 'connector' )"`
	Name *identNode `parser:"@@"`
	From *modTarget `parser:"( 'from' @@ )?"`
	With *withList  `parser:"( 'with' @@ 'end' )?"`
}

// gSelect: select e from s[/p][[w, ...]] [where e] [group by g] into s[/p] [having e]
type gSelect struct {
	Target  *exprNode    `parser:"@@"`
	From    *gStreamRef  `parser:"'from' @@"`
	Windows []*modTarget `parser:"( '[' @@ ( ',' @@ )* ']' )?"`
	Where   *exprNode    `parser:"( 'where' @@ )?"`
	GroupBy *groupNode   `parser:"( 'group' 'by' @@ )?"`
	Into    *gStreamRef  `parser:"'into' @@"`
	Having  *exprNode    `parser:"( 'having' @@ )?"`
}

type gStreamRef struct {
	Pos  lexer.Position
	Name *identNode `parser:"@@"`
	Port *identNode `parser:"( '/' @@ )?"`
}

// gConnect: connect /peer/a[/port] to /pipeline/b[/port]
type gConnect struct {
	From *gFlowRef `parser:"@@"`
	To   *gFlowRef `parser:"'to' @@"`
}

type gFlowRef struct {
	Pos  lexer.Position
	Kind string     `parser:"'/' @( 'peer' | 'connector' | 'pipeline' )"`
	Name *identNode `parser:"'/' @@"`
	Port *identNode `parser:"( '/' @@ )?"`
}

// gDeploy: deploy flow NAME [from target] [with ... end]
type gDeploy struct {
	Name *identNode `parser:"@@"`
	From *modTarget `parser:"( 'from' @@ )?"`
	With *withList  `parser:"( 'with' @@ 'end' )?"`
}

var stmtParser *participle.Parser[gStmt]

func init() {
	stmtParser = participle.MustBuild[gStmt](
		participle.Lexer(Definition{}),
		participle.Elide("Comment"),
	)
}

// ---- Parseable nodes backed by the hand-written parser ----

// runParser runs f with a hand-written parser over lex, turning bailouts into errors.
func runParser(lex *lexer.PeekingLexer, f func(p *parser)) (err error) {
	defer catch(&err)
	p := newParser(lex)
	p.defineHook = defineInModule
	f(p)
	return nil
}

type identNode struct{ *ast.Ident }

func (n *identNode) Parse(lex *lexer.PeekingLexer) error {
	if lex.Peek().Type != Ident {
		return participle.NextMatch
	}
	return runParser(lex, func(p *parser) { n.Ident = p.ident("") })
}

// exprNode is a ComplexExprImut.
type exprNode struct{ ast.Expr }

func (n *exprNode) Parse(lex *lexer.PeekingLexer) error {
	return runParser(lex, func(p *parser) { n.Expr = p.expr() })
}

// scriptNode is a script body. An empty body (`script end`) parses, recording its error in
// empty, which lowering reports: failing inside participle's `( 'script' @@ )+` right after one
// token would be swallowed by its lookahead and come out as "expected `script`".
type scriptNode struct {
	*ast.Script
	empty *Diagnostic
}

func (n *scriptNode) Parse(lex *lexer.PeekingLexer) error {
	if t := lex.Peek(); bodyEnd(t) {
		n.Script = &ast.Script{Pos: tokPos(t)}
		if t.Type != EOF { // at the end of input the missing `end` is reported instead
			n.empty = &Diagnostic{Pos: tokPos(t), Msg: "unexpected " + describe(t) + ", expected a statement in the script"}
		}
		return nil
	}
	return runParser(lex, func(p *parser) { n.Script = p.scriptBody("in the script", false) })
}

type useNode struct{ *ast.Use }

func (n *useNode) Parse(lex *lexer.PeekingLexer) error {
	if !isTok(lex.Peek(), "use") {
		return participle.NextMatch
	}
	return runParser(lex, func(p *parser) { n.Use = p.use() })
}

// modTarget is `name` or `mod::name`.
type modTarget struct{ *ast.Target }

func (n *modTarget) Parse(lex *lexer.PeekingLexer) error {
	if t := lex.Peek(); t.Type != Ident && !isTok(t, "null") {
		return participle.NextMatch
	}
	return runParser(lex, func(p *parser) {
		start := p.pos()
		t := &ast.Target{}
		if k := p.peek(); isTok(k, "null") {
			// the `null` peer type (peers.md §1) is spelled like the keyword
			p.next()
			t.Name = &ast.Ident{Pos: tokPos(k), Name: "null"}
		} else {
			t.Name = p.ident("")
		}
		for p.accept("::") {
			t.Module = append(t.Module, t.Name.Name)
			t.Name = p.ident("in the module path")
		}
		t.Pos = p.span(start)
		n.Target = t
	})
}

// withList is `name = value (, name = value)* ,?`, possibly empty.
type withList struct{ Args []*ast.WithArg }

func (n *withList) Parse(lex *lexer.PeekingLexer) error {
	return runParser(lex, func(p *parser) {
		for p.peek().Type == Ident {
			start := p.pos()
			name := p.ident("")
			p.expect("=", "after `"+name.Name+"`")
			v := p.simpleExpr()
			n.Args = append(n.Args, &ast.WithArg{Pos: p.span(start), Name: name, Value: v})
			if !p.accept(",") {
				break
			}
		}
		if t := p.peek(); t.Type == Keyword && t.Value != "end" && t.Value != "state" && t.Value != "script" {
			p.failExpected("a name", "in the `with` list")
		}
	})
}

// argList is `name [= default] (, name [= default])* ,?`.
type argList struct{ Args []*ast.ArgDecl }

func (n *argList) Parse(lex *lexer.PeekingLexer) error {
	return runParser(lex, func(p *parser) {
		for {
			start := p.pos()
			a := &ast.ArgDecl{Name: p.ident("for the argument")}
			if p.accept("=") {
				a.Default = p.simpleExpr()
			}
			a.Pos = p.span(start)
			n.Args = append(n.Args, a)
			if !p.accept(",") || p.peek().Type != Ident {
				break
			}
		}
	})
}

// groupNode is a group-by definition: expr, set(g, ...) or each(expr).
type groupNode struct{ ast.GroupBy }

func (n *groupNode) Parse(lex *lexer.PeekingLexer) error {
	return runParser(lex, func(p *parser) { n.GroupBy = p.groupBy() })
}

func (p *parser) groupBy() ast.GroupBy {
	start := p.pos()
	switch {
	case p.is("set") && isTok(p.peek2(), "("):
		p.next()
		p.next()
		g := &ast.GroupSet{}
		p.commaList(")", func() { g.Items = append(g.Items, p.groupBy()) })
		p.expect(")", "to close `set(`")
		g.Pos = p.span(start)
		return g
	case p.is("each") && isTok(p.peek2(), "("):
		p.next()
		p.next()
		e := p.simpleExpr()
		p.expect(")", "to close `each(`")
		return &ast.GroupEach{Pos: p.span(start), Expr: e}
	}
	e := p.simpleExpr()
	return &ast.GroupExpr{Pos: e.Position(), Expr: e}
}

// stmtList is the body of a pipeline or flow: `#!config` directives, then `stmt (; stmt)* ;?` up to `end`.
type stmtList struct {
	Config []*ast.Config
	Stmts  []ast.Stmt
}

func (n *stmtList) Parse(lex *lexer.PeekingLexer) error {
	var err error
	n.Config, err = parseConfigs(lex)
	if err != nil {
		return err
	}
	for {
		t := lex.Peek()
		if isTok(t, "end") || t.Type == EOF {
			if len(n.Stmts) == 0 {
				return &Diagnostic{Pos: tokPos(t), Msg: "unexpected " + describe(t) + ", expected a statement in the body"}
			}
			return nil
		}
		st, err := parseStmt(lex)
		if err != nil {
			return err
		}
		n.Stmts = append(n.Stmts, st)
		if isTok(lex.Peek(), ";") {
			lex.Next()
			continue
		}
		if t := lex.Peek(); !isTok(t, "end") {
			return &Diagnostic{Pos: tokPos(t), Msg: "unexpected " + describe(t) + ", expected `;` between statements", Hint: hintFor(t, "`;`")}
		}
	}
}

// parseConfigs parses `#!config key = value` directives.
func parseConfigs(lex *lexer.PeekingLexer) (cfgs []*ast.Config, err error) {
	err = runParser(lex, func(p *parser) {
		for p.peek().Type == Config {
			t := p.next()
			c := &ast.Config{}
			if k := p.peek(); isTok(k, "from") || isTok(k, "into") {
				p.next() // the port keys of spec §4.1
				c.Key = &ast.Ident{Pos: tokPos(k), Name: k.Value}
			} else {
				c.Key = p.ident("for the config key")
			}
			p.expect("=", "after the config key")
			c.Value = p.simpleExpr()
			c.Pos = p.span(tokPos(t))
			cfgs = append(cfgs, c)
		}
	})
	return cfgs, err
}

// parseStmt parses one statement with the participle grammar and lowers it.
func parseStmt(lex *lexer.PeekingLexer) (ast.Stmt, error) {
	start := lex.RawCursor()
	first := *lex.Peek()
	g, err := stmtParser.ParseFromLexer(lex, participle.AllowTrailing(true))
	if err != nil {
		d := convertError(err).(*Diagnostic)
		if d.Pos.Offset == first.Pos.Offset && first.Type != DocComment && !strings.Contains(d.Msg, "end of input") {
			if _, mine := err.(*Diagnostic); !mine {
				// Nothing matched: the token cannot start a statement at all.
				d.Msg = "unexpected " + describe(&first) + ", expected a statement (define, create, select, use, connect or deploy)"
				if first.Type == Config {
					d.Hint = "`#!config` directives must come before the first statement"
				}
			}
		}
		return nil, d
	}
	end := 0
	toks := lex.Range(start, lex.RawCursor())
	for i := len(toks) - 1; i >= 0; i-- {
		if toks[i].Type != Comment {
			end = toks[i].Pos.Offset + len(toks[i].Value)
			break
		}
	}
	return lowerStmt(g, end)
}

// defineInModule lets a module file (a script with allowDefine) hold `define` statements.
func defineInModule(p *parser, doc []string) ast.Stmt {
	st, err := parseStmt(p.lex)
	if err != nil {
		if d, ok := err.(*Diagnostic); ok {
			panic(d)
		}
		p.fail(p.peek(), err.Error(), "")
	}
	if end := st.Position().End; end > p.lastEnd {
		p.lastEnd = end
	}
	setDoc(st, doc)
	return st
}

// setDoc attaches doc comment lines to a definition.
func setDoc(st ast.Stmt, doc []string) {
	if doc == nil {
		return
	}
	switch n := st.(type) {
	case *ast.DefineWindow:
		n.Doc = doc
	case *ast.DefineScript:
		n.Doc = doc
	case *ast.DefineOperator:
		n.Doc = doc
	case *ast.DefinePipeline:
		n.Doc = doc
	case *ast.DefinePeer:
		n.Doc = doc
	case *ast.DefineFlow:
		n.Doc = doc
	case *ast.Deploy:
		n.Doc = doc
	}
}
