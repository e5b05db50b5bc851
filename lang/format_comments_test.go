package lang_test

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/rillstream/rill/lang"
	"github.com/rillstream/rill/lang/ast"
)

// commentTexts lists a file's comments, sorted.
func commentTexts(f *ast.File) []string {
	var out []string
	for _, c := range f.Comments {
		out = append(out, strings.TrimRight(c.Text, " \t\r"))
	}
	sort.Strings(out)
	return out
}

// checkVariant formats src and checks the tree, the comments and idempotence; it reports whether
// src parsed at all.
func checkVariant(t *testing.T, name, src string, useSrc bool) bool {
	f1, err := lang.Parse(name, src)
	if err != nil {
		return false
	}
	fm := func(f *ast.File, s string) string {
		if useSrc {
			return lang.FormatSource(f, []byte(s))
		}
		return lang.Format(f)
	}
	out := fm(f1, src)
	f2, err := lang.Parse(name, out)
	if err != nil {
		t.Errorf("%s: reparse: %v\n--- src:\n%s\n--- out:\n%s", name, err, src, out)
		return true
	}
	if fmt.Sprint(commentTexts(f1)) != fmt.Sprint(commentTexts(f2)) {
		t.Errorf("%s: comments changed\n--- src:\n%s\n--- out:\n%s", name, src, out)
		return true
	}
	a, b := *f1, *f2
	a.Comments, b.Comments = nil, nil
	if !ast.Equal(&a, &b) {
		t.Errorf("%s: tree changed\n--- src:\n%s\n--- out:\n%s", name, src, out)
		return true
	}
	if out2 := fm(f2, out); out2 != out {
		t.Errorf("%s: not idempotent\n--- src:\n%s\n--- 1:\n%s\n--- 2:\n%s", name, src, out, out2)
	}
	return true
}

// TestFormatKeepsInjectedComments adds a trailing comment to each line, and an own-line comment before
// each line, of every corpus program: whatever still parses must format to an equal tree with the same
// comments, idempotently, with and without the source at hand.
func TestFormatKeepsInjectedComments(t *testing.T) {
	n, ok := 0, 0
	filepath.WalkDir("../testdata", func(path string, d os.DirEntry, err error) error {
		switch filepath.Ext(path) {
		case ".trickle", ".tremor", ".troy":
		default:
			return nil
		}
		b, _ := os.ReadFile(path)
		src := string(b)
		lines := strings.Split(src, "\n")
		all := make([]string, len(lines))
		for i := range lines {
			// trailing comment on line i
			v := append([]string{}, lines...)
			v[i] += " # t" + fmt.Sprint(i)
			n++
			if checkVariant(t, path, strings.Join(v, "\n"), i%2 == 0) {
				ok++
			}
			// own-line comment before line i
			v = append([]string{}, lines[:i]...)
			v = append(v, "   # own"+fmt.Sprint(i))
			v = append(v, lines[i:]...)
			n++
			if checkVariant(t, path, strings.Join(v, "\n"), i%2 == 1) {
				ok++
			}
			all[i] = lines[i] + " # a" + fmt.Sprint(i)
		}
		checkVariant(t, path, strings.Join(all, "\n"), false)
		checkVariant(t, path, strings.Join(all, "\n"), true)
		return nil
	})
	if ok < n/2 {
		t.Errorf("only %d of %d variants parsed", ok, n)
	}
}
