package lang_test

import (
	"os"
	"testing"

	"github.com/rillstream/rill/lang"
	"github.com/rillstream/rill/lang/ast"
)

// FuzzParse feeds arbitrary source to the lexer and parser (as a query and as a script). Nothing may
// panic or hang; whatever parses must format to source that parses back to an equal tree.
func FuzzParse(f *testing.F) {
	for _, path := range corpus(f) {
		src, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(src), path[len(path)-len(".tremor"):] == ".tremor")
	}
	f.Add("select event from in into out;", false)
	f.Add("let a = \"#{ {\"b\": [1, 2][0]} }\"; a", true)
	f.Fuzz(func(t *testing.T, src string, script bool) {
		name := "fuzz.trickle"
		if script {
			name = "fuzz.tremor"
		}
		file, err := lang.Parse(name, src)
		if err != nil {
			for _, d := range err.(lang.Diagnostics) {
				_ = d.Render(src)
			}
			return
		}
		out := lang.Format(file)
		again, err := lang.Parse(name, out)
		if err != nil {
			t.Fatalf("formatted output does not parse: %v\n--- input:\n%q\n--- formatted:\n%s", err, src, out)
		}
		if !ast.Equal(file, again) {
			t.Fatalf("formatting changed the program\n--- input:\n%q\n--- formatted:\n%s", src, out)
		}
	})
}
