package lang_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rillstream/rill/lang"
	"github.com/rillstream/rill/lang/ast"
)

// corpus returns every program under testdata/ that must parse: the parser corpus, the module files,
// the examples and every golden query and script.
func corpus(t testing.TB) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir("../testdata", func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "errors" || d.Name() == "fuzz") {
			return filepath.SkipDir
		}
		switch filepath.Ext(path) {
		case ".trickle", ".tremor", ".troy":
			files = append(files, path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no programs found under ../testdata")
	}
	return files
}

// TestCorpusParses parses every program of the corpus.
func TestCorpusParses(t *testing.T) {
	for _, path := range corpus(t) {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := parse(path, string(src)); err != nil {
			t.Errorf("%s:\n%s", path, renderErr(err, string(src)))
		}
	}
}

// TestFormatRoundTrip checks that formatting never changes meaning and is idempotent:
// parse(fmt(x)) equals parse(x), and fmt(fmt(x)) == fmt(x), for every program of the corpus.
func TestFormatRoundTrip(t *testing.T) {
	for _, path := range corpus(t) {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		f1, err := parse(path, string(src))
		if err != nil {
			continue // reported by TestCorpusParses
		}
		out1 := lang.FormatSource(f1, src)
		f2, err := parse(path, out1)
		if err != nil {
			t.Errorf("%s: formatted output does not parse:\n%s\n--- formatted:\n%s", path, renderErr(err, out1), out1)
			continue
		}
		if !ast.Equal(f1, f2) {
			t.Errorf("%s: formatting changed the program\n--- formatted:\n%s", path, out1)
			continue
		}
		if out2 := lang.FormatSource(f2, []byte(out1)); out2 != out1 {
			t.Errorf("%s: formatting is not idempotent\n--- first:\n%s\n--- second:\n%s", path, out1, out2)
		}
	}
}

// parse reads files under a modules/ directory as modules, others by their extension.
func parse(path, src string) (*ast.File, error) {
	if strings.Contains(filepath.ToSlash(path), "/modules/") {
		return lang.ParseModule(path, src)
	}
	return lang.Parse(path, src)
}

func renderErr(err error, src string) string {
	ds, ok := err.(lang.Diagnostics)
	if !ok {
		return err.Error()
	}
	var b strings.Builder
	for _, d := range ds {
		b.WriteString(d.Render(src))
	}
	return b.String()
}
