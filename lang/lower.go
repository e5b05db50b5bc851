package lang

import (
	"errors"
	"strings"

	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"
	"github.com/rillstream/rill/lang/ast"
)

// Lowering of the participle grammar structs (grammar.go) into lang/ast nodes, with the structural
// checks the grammar cannot express (section order of define script, tick-only window scripts).

func posOf(p lexer.Position, end int) ast.Pos {
	return ast.Pos{File: p.Filename, Line: p.Line, Col: p.Column, Offset: p.Offset, End: end}
}

func stripDocPrefix(raw []string) []string {
	if raw == nil {
		return nil
	}
	out := make([]string, len(raw))
	for i, r := range raw {
		out[i] = commentBody(r, "##")
	}
	return out
}

func idents(ns []*identNode) []*ast.Ident {
	if ns == nil {
		return nil
	}
	out := make([]*ast.Ident, len(ns))
	for i, n := range ns {
		out[i] = n.Ident
	}
	return out
}

func optExpr(n *exprNode) ast.Expr {
	if n == nil {
		return nil
	}
	return n.Expr
}

func optIdent(n *identNode) *ast.Ident {
	if n == nil {
		return nil
	}
	return n.Ident
}

func optTarget(n *modTarget) *ast.Target {
	if n == nil {
		return nil
	}
	return n.Target
}

func withArgs(w *withList) ([]*ast.WithArg, bool) {
	if w == nil {
		return nil, false
	}
	return w.Args, true
}

func argDecls(a *argList) []*ast.ArgDecl {
	if a == nil {
		return nil
	}
	return a.Args
}

// lowerStmt converts one parsed statement; end is the offset just past its last token.
func lowerStmt(g *gStmt, end int) (ast.Stmt, error) {
	pos := posOf(g.Pos, end)
	doc := stripDocPrefix(g.Doc)
	if doc != nil && g.Define == nil && g.Deploy == nil {
		return nil, &Diagnostic{Pos: pos, Msg: "a `##` doc comment must stand directly before `define` or `deploy`", Hint: "use `#` for a plain comment"}
	}
	switch {
	case g.Use != nil:
		return g.Use.Use, nil
	case g.Select != nil:
		s := g.Select
		sel := &ast.Select{Pos: pos, Target: s.Target.Expr, From: lowerStreamRef(s.From), Where: optExpr(s.Where),
			Into: lowerStreamRef(s.Into), Having: optExpr(s.Having)}
		for _, w := range s.Windows {
			sel.Windows = append(sel.Windows, &ast.WindowRef{Pos: w.Pos, Module: w.Module, Name: w.Name})
		}
		if s.GroupBy != nil {
			sel.GroupBy = s.GroupBy.GroupBy
		}
		return sel, nil
	case g.Create != nil:
		if g.Create.Stream != nil {
			return &ast.CreateStream{Pos: pos, Name: g.Create.Stream.Ident}, nil
		}
		c := g.Create.Node
		with, has := withArgs(c.With)
		return &ast.Create{Pos: pos, Kind: c.Kind, Name: c.Name.Ident, From: optTarget(c.From), With: with, HasWith: has}, nil
	case g.Connect != nil:
		return &ast.Connect{Pos: pos, From: lowerFlowRef(g.Connect.From), To: lowerFlowRef(g.Connect.To)}, nil
	case g.Deploy != nil:
		d := g.Deploy
		with, has := withArgs(d.With)
		return &ast.Deploy{Pos: pos, Doc: doc, Name: d.Name.Ident, From: optTarget(d.From), With: with, HasWith: has}, nil
	case g.Define != nil:
		return lowerDefine(g.Define, pos, doc)
	}
	return nil, &Diagnostic{Pos: pos, Msg: "expected a statement"}
}

func lowerStreamRef(r *gStreamRef) *ast.StreamRef {
	ref := &ast.StreamRef{Name: r.Name.Ident, Port: optIdent(r.Port)}
	ref.Pos = r.Name.Pos
	if ref.Port != nil {
		ref.Pos = ref.Pos.To(ref.Port.Pos)
	}
	return ref
}

func lowerFlowRef(r *gFlowRef) *ast.FlowRef {
	ref := &ast.FlowRef{Kind: r.Kind, Name: r.Name.Ident, Port: optIdent(r.Port)}
	ref.Pos = posOf(r.Pos, r.Name.Pos.End)
	if ref.Port != nil {
		ref.Pos = ref.Pos.To(ref.Port.Pos)
	}
	return ref
}

func lowerDefine(d *gDefine, pos ast.Pos, doc []string) (ast.Stmt, error) {
	switch {
	case d.Window != nil:
		w := d.Window
		dw := &ast.DefineWindow{Pos: pos, Doc: doc, Name: w.Name.Ident, Kind: w.Kind, State: optExpr(w.State)}
		if w.With != nil {
			dw.With = w.With.Args
		}
		for _, s := range w.Scripts {
			if s.Body.empty != nil {
				return nil, s.Body.empty
			}
			if s.Port != nil {
				if s.Port.Name != "tick" {
					return nil, &Diagnostic{Pos: s.Port.Pos, Msg: "Only `tick` scripts are supported by windows"}
				}
				if dw.Tick != nil {
					return nil, &Diagnostic{Pos: s.Port.Pos, Msg: "the window already has a `script from tick`"}
				}
				if dw.Script != nil {
					return nil, &Diagnostic{Pos: s.Port.Pos, Msg: "`script from tick` must come before the window's `script`"}
				}
				dw.Tick = s.Body.Script
				continue
			}
			if dw.Script != nil {
				return nil, &Diagnostic{Pos: s.Body.Pos, Msg: "the window already has a `script`"}
			}
			dw.Script = s.Body.Script
		}
		return dw, nil
	case d.Legacy != nil:
		w := d.Legacy
		dw := &ast.DefineWindow{Pos: pos, Doc: doc, Name: w.Name.Ident, Kind: w.Kind, Legacy: true}
		if w.With != nil {
			dw.With = w.With.Args
		}
		return dw, nil
	case d.Script != nil:
		s := d.Script
		ds := &ast.DefineScript{Pos: pos, Doc: doc, Name: s.Name.Ident, Args: argDecls(s.Args), State: optExpr(s.State)}
		seen := map[string]bool{}
		for i, sec := range s.Sections {
			if sec.Body.empty != nil {
				return nil, sec.Body.empty
			}
			if sec.Port == nil {
				if i != len(s.Sections)-1 {
					return nil, &Diagnostic{Pos: s.Sections[i+1].Body.Pos, Msg: "the main `script` section must come last; `script from PORT` sections go before it"}
				}
				ds.Script = sec.Body.Script
				continue
			}
			if sec.Port.Name == "in" {
				return nil, &Diagnostic{Pos: sec.Port.Pos, Msg: "port `in` is reserved for the `script` section"}
			}
			if seen[sec.Port.Name] {
				return nil, &Diagnostic{Pos: sec.Port.Pos, Msg: "script port already defined"}
			}
			seen[sec.Port.Name] = true
			ds.Ports = append(ds.Ports, &ast.PortScript{Pos: sec.Port.Pos.To(sec.Body.Pos), Port: sec.Port.Ident, Script: sec.Body.Script})
		}
		if ds.Script == nil {
			return nil, &Diagnostic{Pos: pos, Msg: "the script `" + ds.Name.Name + "` has no main `script` section", Hint: "add `script` followed by the body before `end`"}
		}
		return ds, nil
	case d.Operator != nil:
		o := d.Operator
		with, has := withArgs(o.With)
		return &ast.DefineOperator{Pos: pos, Doc: doc, Name: o.Name.Ident, Module: o.Module.Ident, Kind: o.Kind.Ident,
			Args: argDecls(o.Args), With: with, HasWith: has}, nil
	case d.Pipeline != nil:
		pl := d.Pipeline
		return &ast.DefinePipeline{Pos: pos, Doc: doc, Name: pl.Name.Ident, From: idents(pl.From), Into: idents(pl.Into),
			Args: argDecls(pl.Args), Config: pl.Body.Config, Body: pl.Body.Stmts}, nil
	case d.Peer != nil:
		pe := d.Peer
		with, has := withArgs(pe.With)
		return &ast.DefinePeer{Pos: pos, Doc: doc, Name: pe.Name.Ident, Connector: pe.Kind == "connector",
			Type: pe.Type.Target, Args: argDecls(pe.Args), With: with, HasWith: has}, nil
	case d.Flow != nil:
		f := d.Flow
		return &ast.DefineFlow{Pos: pos, Doc: doc, Name: f.Name.Ident, Args: argDecls(f.Args), Body: f.Body.Stmts}, nil
	}
	return nil, &Diagnostic{Pos: pos, Msg: "expected a definition"}
}

// convertError turns a participle error into a Diagnostic with a readable message.
func convertError(err error) error {
	var d *Diagnostic
	if errors.As(err, &d) {
		return d
	}
	var ute *participle.UnexpectedTokenError
	if errors.As(err, &ute) {
		t := ute.Unexpected
		want := expectedFrom(ute.Message())
		msg := "unexpected " + describe(&t)
		if t.Type == EOF {
			msg = "unexpected end of input"
		}
		if want != "" {
			msg += ", expected " + want
		}
		return &Diagnostic{Pos: tokPos(&t), Msg: msg, Hint: grammarHint(&t, want)}
	}
	var pe participle.Error
	if errors.As(err, &pe) {
		p := pe.Position()
		return &Diagnostic{Pos: ast.Pos{File: p.Filename, Line: p.Line, Col: p.Column, Offset: p.Offset, End: p.Offset + 1}, Msg: pe.Message()}
	}
	return &Diagnostic{Msg: err.Error()}
}

// grammarNames says what a grammar node stands for in messages.
var grammarNames = map[string]string{
	"identNode": "a name", "GStreamRef": "a stream name", "GFlowRef": "a `/peer/name` or `/pipeline/name` reference",
	"modTarget": "a name", "exprNode": "an expression", "scriptNode": "a script body", "withList": "`name = value`",
	"argList": "an argument name", "groupNode": "a group-by expression", "stmtList": "a statement",
	"GScript": "a name", "GWindow": "a name", "GOperator": "a name", "GPipeline": "a name", "GFlow": "a name",
	"GDeploy": "a name", "GCreateNode": "script, operator, pipeline, peer or connector",
	"GDefine": "window, script, operator, pipeline, peer, connector or flow",
	"GPeer":   "peer or connector", "GLegacyWindow": "tumbling or sliding",
	"GCreate": "stream, script, operator, pipeline, peer or connector", "GPortScript": "a script body",
}

// expectedFrom turns participle's `unexpected token "x" (expected "from" GStreamRef ...)` into the
// first thing the grammar wanted: "`from`", "a name", "`tumbling` or `sliding`".
func expectedFrom(msg string) string {
	i := strings.Index(msg, "(expected ")
	if i < 0 {
		return ""
	}
	rest := msg[i+len("(expected "):]
	if strings.HasPrefix(rest, "(") {
		// an alternative group: ("tumbling" | "sliding") ...
		j := strings.Index(rest, ")")
		if j < 0 {
			return ""
		}
		var alts []string
		for _, a := range strings.Split(rest[1:j], "|") {
			if e := expectedFrom("(expected " + strings.TrimSpace(a) + ")"); e != "" {
				alts = append(alts, e)
			}
		}
		return strings.Join(alts, " or ")
	}
	word := rest
	if j := strings.IndexAny(rest, " )"); j >= 0 {
		word = rest[:j]
	}
	if strings.HasPrefix(word, `"`) {
		return "`" + strings.Trim(word, `"`) + "`"
	}
	return grammarNames[word]
}

func grammarHint(t *lexer.Token, want string) string {
	switch {
	case isTok(t, "having") && strings.Contains(want, "into"):
		return "`having` comes after `into`: select ... into out having ..."
	case isTok(t, "fn") || isTok(t, "let") || isTok(t, "const"):
		return "`" + t.Value + "` belongs in a script body (`define script ... script ... end`) or a module, not at the top level of a query"
	}
	return hintFor(t, want)
}
