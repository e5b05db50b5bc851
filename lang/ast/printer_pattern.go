package ast

// Printing of match patterns (spec §2.7).

func (p *printer) patterns(ps []Pattern) {
	for i, pt := range ps {
		if i > 0 {
			p.write(", ")
		}
		p.pattern(pt)
	}
}

func (p *printer) pattern(pt Pattern) {
	switch n := pt.(type) {
	case *DefaultPattern:
		p.write("_")
	case *ExprPattern:
		p.expr(n.Expr, cComplex)
	case *ExtractPattern:
		p.write("~ ")
		p.extractor(n.Extractor)
	case *RecordPattern:
		if len(n.Fields) == 0 {
			p.write("%{}")
			return
		}
		p.write("%{ ")
		for i, f := range n.Fields {
			if i > 0 {
				p.write(", ")
			}
			p.fieldPattern(f)
		}
		p.write(" }")
	case *ArrayPattern:
		p.write("%[")
		p.patterns(n.Items)
		p.write("]")
	case *TuplePattern:
		p.write("%(")
		p.patterns(n.Items)
		if n.Open {
			if len(n.Items) > 0 {
				p.write(", ")
			}
			p.write("...")
		}
		p.write(")")
	case *AssignPattern:
		p.ident(n.Name)
		p.write(" = ")
		p.pattern(n.Pattern)
	}
}

func (p *printer) fieldPattern(f *FieldPattern) {
	if f == nil {
		return
	}
	switch f.Test {
	case FieldPresent:
		p.write("present ")
		p.ident(f.Key)
	case FieldAbsent:
		p.write("absent ")
		p.ident(f.Key)
	case FieldCompare:
		p.ident(f.Key)
		p.write(" " + f.Op + " ")
		p.expr(f.Value, cComplex)
	case FieldExtract:
		if f.Alias != nil {
			p.ident(f.Alias)
			p.write(" = ")
		}
		p.ident(f.Key)
		p.write(" ~= ")
		p.extractor(f.Extractor)
	case FieldSubPattern:
		p.ident(f.Key)
		p.write(" ~= ")
		p.pattern(f.Sub)
	}
}

// ---------------------------------------------------------------------------------------------------
