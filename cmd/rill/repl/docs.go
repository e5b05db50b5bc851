package repl

import (
	"fmt"
	"strings"

	"github.com/rillstream/rill/stdlib"
)

// doc prints the documentation of the standard library the way `rill doc` does (cmd/rill/doc.go),
// from the registry's specs: without a name, the list of modules; with a module (`string`,
// `aggr::stats`), its functions with their signatures and docs; with a function (`string::format`,
// `aggr::stats::sum`, `source_id`), its signature, doc and how to make it available.
func (r *repl) doc(name string) {
	reg := r.reg
	if name == "" {
		var mods []string
		for _, m := range reg.Modules() {
			if m != "" {
				mods = append(mods, m)
			}
		}
		var global []string
		for _, s := range reg.Functions("") {
			global = append(global, s.Name)
		}
		r.println("modules: " + strings.Join(mods, ", "))
		r.println("global functions: " + strings.Join(global, ", "))
		r.println("aggregates: aggr::MODULE::NAME (see :doc aggr::stats, :doc aggr::win)")
		r.println("Run :doc MODULE for its functions, :doc MODULE::FUNCTION for one of them.")
		return
	}
	mod := strings.TrimPrefix(name, "aggr::")
	for _, m := range reg.Modules() {
		if m == mod && m != "" {
			// A module shows its functions; one that holds only aggregates (stats) shows those.
			var b strings.Builder
			if !docModule(&b, reg, m, strings.HasPrefix(name, "aggr::")) {
				docModule(&b, reg, m, true)
			}
			r.out.Write([]byte(b.String()))
			return
		}
	}
	for _, s := range reg.All() {
		if s.Path() == name || s.Qualified() == name {
			var b strings.Builder
			fmt.Fprintf(&b, "%s\n    %s\n", s.Signature(), s.Doc)
			switch {
			case s.Aggregate:
				b.WriteString("    aggregate: only in the target or having of a select with windows\n")
			case s.Legacy:
				b.WriteString("    always available (no `use` needed)\n")
			case s.Module != "":
				fmt.Fprintf(&b, "    needs `use %s::%s;`\n", moduleRoot(s.Module), s.Module)
			}
			r.out.Write([]byte(b.String()))
			return
		}
	}
	r.errorf("no module or function `%s`\n  = hint: :doc without a name lists the modules", name)
}

// docModule writes a module heading and its functions, or its aggregates when aggr is set; it
// reports whether there was anything to write.
func docModule(b *strings.Builder, reg *stdlib.Registry, m string, aggr bool) bool {
	var specs []*stdlib.FnSpec
	for _, s := range reg.Functions(m) {
		if s.Aggregate == aggr {
			specs = append(specs, s)
		}
	}
	if len(specs) == 0 {
		return false
	}
	if aggr {
		fmt.Fprintf(b, "aggr::%s:\n", m)
	} else {
		fmt.Fprintf(b, "%s:\n", m)
	}
	for _, s := range specs {
		fmt.Fprintf(b, "  %-44s %s\n", s.Signature(), s.Doc)
	}
	return true
}
