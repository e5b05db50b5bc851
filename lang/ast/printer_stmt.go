package ast

// Printing of items and statements: script bodies, trickle and troy statements, sections.

// items prints the items of a list, one per line at the current indentation, starting on the current
// (fresh) line. sep returns the separator written after item i ("", ";" or ","). The decorator's lines
// are added around the items.
func (p *printer) items(items []Node, sep func(i int) string, one func(n Node)) {
	dec := p.dec
	if p.flat {
		dec = nil
	}
	for i, it := range items {
		if i > 0 {
			p.nl()
		}
		if dec != nil {
			opened := i == 0
			for _, l := range dec.Leading(it) {
				if l == "" {
					if !opened {
						p.nl()
						opened = true
					}
					continue
				}
				p.write(l)
				p.nl()
				opened = false
			}
		}
		one(it)
		p.write(sep(i))
		if dec != nil {
			if t := dec.Trailing(it); t != "" {
				p.write(" " + t)
			}
		}
	}
	if dec != nil && len(items) > 0 {
		for _, l := range dec.Closing(items[len(items)-1]) {
			p.nl()
			p.write(l) // "" leaves the line empty
		}
	}
}

// has reports whether the decorator placed comments inside n.
func (p *printer) has(n Node) bool {
	return p.dec != nil && !p.flat && p.dec.Has(n)
}

// between returns a separator function writing s after every item but the last of n items.
func between(s string, n int) func(int) string {
	return func(i int) string {
		if i < n-1 {
			return s
		}
		return ""
	}
}

func none(int) string { return "" }

func nodes[T Node](xs []T) []Node {
	out := make([]Node, len(xs))
	for i, x := range xs {
		out[i] = x
	}
	return out
}

// isQuery reports whether s is a trickle or troy statement (always followed by `;` in a file).
func isQuery(s Stmt) bool {
	switch s.(type) {
	case *DefineWindow, *DefineScript, *DefineOperator, *DefinePipeline, *CreateStream, *Create, *Select,
		*DefinePeer, *DefineFlow, *Connect, *Deploy:
		return true
	}
	return false
}

func (p *printer) file(f *File) {
	for _, d := range f.ModDoc {
		p.write("###" + d)
		p.nl()
	}
	query := false
	for _, s := range f.Stmts {
		if isQuery(s) {
			query = true
		}
	}
	items := make([]Node, 0, len(f.Config)+len(f.Stmts))
	for _, c := range f.Config {
		items = append(items, c)
	}
	for _, s := range f.Stmts {
		items = append(items, s)
	}
	p.items(items, func(i int) string {
		if i >= len(f.Config) && (query || i < len(items)-1) {
			return ";"
		}
		return ""
	}, p.node)
	if len(items) > 0 {
		p.nl()
	}
}

// scriptItems prints the items of a script body at the current indentation, `;`-separated.
func (p *printer) scriptItems(s *Script) {
	if s == nil {
		return
	}
	items := make([]Node, len(s.Items))
	for i, it := range s.Items {
		items[i] = it
	}
	p.items(items, between(";", len(items)), p.node)
}

// section prints keyword and, indented on the next lines, the body.
func (p *printer) section(keyword string, body func()) {
	p.nl()
	p.write(keyword)
	p.in()
	p.nl()
	body()
	p.out()
}

func (p *printer) scriptSection(keyword string, s *Script) {
	if s == nil || len(s.Items) == 0 {
		p.nl()
		p.write(keyword)
		return
	}
	p.section(keyword, func() { p.scriptItems(s) })
}

func (p *printer) portScript(n *PortScript) {
	p.write("script from ")
	p.ident(n.Port)
	if n.Script != nil && len(n.Script.Items) > 0 {
		p.in()
		p.nl()
		p.scriptItems(n.Script)
		p.out()
	}
}

func (p *printer) argDecl(a *ArgDecl) {
	if a == nil {
		return
	}
	p.ident(a.Name)
	if a.Default != nil {
		p.write(" = ")
		p.expr(a.Default, cImut)
	}
}

func (p *printer) withArg(a *WithArg) {
	if a == nil {
		return
	}
	p.ident(a.Name)
	p.write(" = ")
	p.expr(a.Value, cImut)
}

// argsSection prints `args` and one declaration per line.
func (p *printer) argsSection(args []*ArgDecl) {
	if len(args) == 0 {
		return
	}
	p.section("args", func() {
		p.items(nodes(args), between(",", len(args)), func(a Node) { p.argDecl(a.(*ArgDecl)) })
	})
}

// withSection prints `with` and one argument per line (without the closing `end`).
func (p *printer) withSection(with []*WithArg) {
	p.nl()
	p.write("with")
	if len(with) == 0 {
		return
	}
	p.in()
	p.nl()
	p.items(nodes(with), between(",", len(with)), func(a Node) { p.withArg(a.(*WithArg)) })
	p.out()
}

// inlineWith writes ` with a = 1, b = 2 end` (flat).
func inlineWith(q *printer, with []*WithArg) {
	q.write(" with")
	for i, a := range with {
		if i > 0 {
			q.write(",")
		}
		q.write(" ")
		q.withArg(a)
	}
	q.write(" end")
}

// withEnd prints a create or deploy (n) with its `with ... end` block: inline when the whole line fits,
// else one argument per line.
func (p *printer) withEnd(n Node, head func(q *printer), with []*WithArg, hasWith bool) {
	hasWith = hasWith || len(with) > 0
	if !p.has(n) && p.tryFlat(selectWidth, func(q *printer) {
		head(q)
		if hasWith {
			inlineWith(q, with)
		}
	}) {
		return
	}
	head(p)
	if hasWith {
		p.withSection(with)
		p.nl()
		p.write("end")
	}
}

func (p *printer) config(c *Config) {
	if c == nil {
		return
	}
	p.write("#!config ")
	p.ident(c.Key)
	p.write(" = ")
	flat := p.flat
	p.flat = true
	p.expr(c.Value, cImut)
	p.flat = flat
}

func (p *printer) target(t *Target) {
	if t == nil {
		return
	}
	p.modPath(t.Module)
	p.ident(t.Name)
}

func (p *printer) streamRef(s *StreamRef) {
	if s == nil {
		return
	}
	p.ident(s.Name)
	if s.Port != nil {
		p.write("/")
		p.ident(s.Port)
	}
}

func (p *printer) windowRef(w *WindowRef) {
	if w == nil {
		return
	}
	p.modPath(w.Module)
	p.ident(w.Name)
}

func (p *printer) flowRef(f *FlowRef) {
	if f == nil {
		return
	}
	p.write("/" + f.Kind + "/")
	p.ident(f.Name)
	if f.Port != nil {
		p.write("/")
		p.ident(f.Port)
	}
}

func (p *printer) groupBy(g GroupBy) {
	switch g := g.(type) {
	case *GroupExpr:
		p.expr(g.Expr, cImut)
	case *GroupSet:
		p.write("set(")
		for i, it := range g.Items {
			if i > 0 {
				p.write(", ")
			}
			p.groupBy(it)
		}
		p.write(")")
	case *GroupEach:
		p.write("each(")
		p.expr(g.Expr, cImut)
		p.write(")")
	}
}

func (p *printer) params(params []*Ident, variadic bool) {
	p.write("(")
	p.idents(params)
	if variadic {
		if len(params) > 0 {
			p.write(", ")
		}
		p.write("...")
	}
	p.write(")")
}

func (p *printer) stmt(s Stmt) {
	switch n := s.(type) {
	case *ExprStmt:
		p.expr(n.Expr, cStmt)
	case *Use:
		p.write("use ")
		p.use(n)
	case *Const:
		p.docs(n.Doc)
		p.write("const ")
		p.ident(n.Name)
		p.write(" = ")
		p.expr(n.Value, cComplex)
	case *FnDef:
		p.fnDef(n)
	case *Intrinsic:
		p.docs(n.Doc)
		p.write("intrinsic fn ")
		p.ident(n.Name)
		p.params(n.Params, n.Variadic)
		p.write(" as ")
		p.modPath(n.Module)
		p.ident(n.Target)
	case *DefineWindow:
		p.defineWindow(n)
	case *DefineScript:
		p.defineScript(n)
	case *DefineOperator:
		p.defineOperator(n)
	case *DefinePipeline:
		p.definePipeline(n)
	case *CreateStream:
		p.write("create stream ")
		p.ident(n.Name)
	case *Create:
		p.withEnd(n, func(q *printer) {
			q.write("create " + n.Kind + " ")
			q.ident(n.Name)
			if n.From != nil {
				q.write(" from ")
				q.target(n.From)
			}
		}, n.With, n.HasWith)
	case *Select:
		p.selectStmt(n)
	case *DefinePeer:
		p.definePeer(n)
	case *DefineFlow:
		p.defineFlow(n)
	case *Connect:
		p.write("connect ")
		p.flowRef(n.From)
		p.write(" to ")
		p.flowRef(n.To)
	case *Deploy:
		p.docs(n.Doc)
		p.withEnd(n, func(q *printer) {
			q.write("deploy flow ")
			q.ident(n.Name)
			if n.From != nil {
				q.write(" from ")
				q.target(n.From)
			}
		}, n.With, n.HasWith)
	}
}

func (p *printer) use(u *Use) {
	for i, s := range u.Path {
		if i > 0 {
			p.write("::")
		}
		p.write(IdentText(s))
	}
	if len(u.Group) > 0 {
		if len(u.Path) > 0 {
			p.write("::")
		}
		p.write("{")
		for i, m := range u.Group {
			if i > 0 {
				p.write(", ")
			}
			p.use(m)
		}
		p.write("}")
	}
	if u.Alias != nil {
		p.write(" as ")
		p.ident(u.Alias)
	}
}

func (p *printer) fnDef(n *FnDef) {
	p.docs(n.Doc)
	p.write("fn ")
	p.ident(n.Name)
	p.params(n.Params, n.Variadic)
	if len(n.Cases) > 0 {
		p.write(" of")
		p.in()
		p.nl()
		p.items(nodes(n.Cases), none, func(c Node) { p.clause(c.(*Clause), false, true) })
		p.out()
	} else {
		p.write(" with")
		if len(n.Body) > 0 {
			p.in()
			p.nl()
			p.items(nodes(n.Body), between(";", len(n.Body)), func(it Node) { p.expr(it.(Expr), cStmt) })
			p.out()
		}
	}
	p.nl()
	p.write("end")
}

func (p *printer) defineWindow(n *DefineWindow) {
	p.docs(n.Doc)
	if n.Legacy {
		p.write("define " + n.Kind + " window ")
		p.ident(n.Name)
	} else {
		p.write("define window ")
		p.ident(n.Name)
		p.write(" from " + n.Kind)
	}
	if n.Legacy || len(n.With) > 0 {
		p.withSection(n.With)
	}
	if n.State != nil {
		p.section("state", func() { p.expr(n.State, cImut) })
	}
	if n.Tick != nil {
		p.scriptSection("script from tick", n.Tick)
	}
	if n.Script != nil {
		p.scriptSection("script", n.Script)
	}
	p.nl()
	p.write("end")
}

func (p *printer) defineScript(n *DefineScript) {
	p.docs(n.Doc)
	p.write("define script ")
	p.ident(n.Name)
	p.argsSection(n.Args)
	if n.State != nil {
		p.section("state", func() { p.expr(n.State, cImut) })
	}
	for _, ps := range n.Ports {
		if ps == nil {
			continue
		}
		p.nl()
		p.portScript(ps)
	}
	p.scriptSection("script", n.Script)
	p.nl()
	p.write("end")
}

func (p *printer) defineOperator(n *DefineOperator) {
	p.docs(n.Doc)
	p.write("define operator ")
	p.ident(n.Name)
	p.write(" from ")
	p.ident(n.Module)
	p.write("::")
	p.ident(n.Kind)
	p.argsSection(n.Args)
	if n.HasWith || len(n.With) > 0 || len(n.Args) > 0 {
		p.withSection(n.With)
		p.nl()
		p.write("end")
	}
}

func (p *printer) definePipeline(n *DefinePipeline) {
	p.docs(n.Doc)
	p.write("define pipeline ")
	p.ident(n.Name)
	if len(n.From) > 0 {
		p.nl()
		p.write("from ")
		p.idents(n.From)
	}
	if len(n.Into) > 0 {
		p.nl()
		p.write("into ")
		p.idents(n.Into)
	}
	p.argsSection(n.Args)
	p.nl()
	p.write("pipeline")
	items := make([]Node, 0, len(n.Config)+len(n.Body))
	for _, c := range n.Config {
		items = append(items, c)
	}
	for _, s := range n.Body {
		items = append(items, s)
	}
	if len(items) > 0 {
		p.in()
		p.nl()
		p.items(items, func(i int) string {
			if i >= len(n.Config) {
				return ";"
			}
			return ""
		}, p.node)
		p.out()
	}
	p.nl()
	p.write("end")
}

func (p *printer) definePeer(n *DefinePeer) {
	p.docs(n.Doc)
	if n.Connector {
		p.write("define connector ")
	} else {
		p.write("define peer ")
	}
	p.ident(n.Name)
	p.write(" from ")
	p.target(n.Type)
	p.argsSection(n.Args)
	if n.HasWith || len(n.With) > 0 {
		p.withSection(n.With)
		p.nl()
		p.write("end")
	}
}

func (p *printer) defineFlow(n *DefineFlow) {
	p.docs(n.Doc)
	p.write("define flow ")
	p.ident(n.Name)
	p.argsSection(n.Args)
	p.nl()
	p.write("flow")
	if len(n.Body) > 0 {
		p.in()
		p.nl()
		p.items(nodes(n.Body), func(int) string { return ";" }, p.node)
		p.out()
	}
	p.nl()
	p.write("end")
}

// selectStmt prints a select on one line when it fits, else one clause per line.
func (p *printer) selectStmt(n *Select) {
	if !p.has(n) && p.tryFlat(selectWidth, func(q *printer) { q.selectClauses(n, " ") }) {
		return
	}
	p.selectClauses(n, "\n")
}

func (p *printer) selectClauses(n *Select, sep string) {
	next := func(s string) {
		if sep == "\n" {
			p.nl()
			p.write(s)
		} else {
			p.write(" " + s)
		}
	}
	p.write("select ")
	p.expr(n.Target, cComplex)
	next("from ")
	p.streamRef(n.From)
	if len(n.Windows) > 0 {
		p.write("[")
		for i, w := range n.Windows {
			if i > 0 {
				p.write(", ")
			}
			p.windowRef(w)
		}
		p.write("]")
	}
	if n.Where != nil {
		next("where ")
		p.expr(n.Where, cComplex)
	}
	if n.GroupBy != nil {
		next("group by ")
		p.groupBy(n.GroupBy)
	}
	next("into ")
	p.streamRef(n.Into)
	if n.Having != nil {
		next("having ")
		p.expr(n.Having, cComplex)
	}
}

// ---------------------------------------------------------------------------------------------------
