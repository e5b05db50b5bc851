// Package golden holds what the golden test runners of interp (scripts) and runtime (queries)
// share: the result of one case, its readable line diff and its -update rewrite (spec §7).
package golden

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/rillstream/rill/interp/value"
)

// Line is one non-empty line of a golden file with its 1-based line number in the file.
type Line struct {
	No   int
	Text string
}

// ReadLines returns the non-empty lines of a file.
func ReadLines(name string) ([]Line, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []Line
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<26)
	no := 0
	for sc.Scan() {
		no++
		if strings.TrimSpace(sc.Text()) != "" {
			out = append(out, Line{No: no, Text: sc.Text()})
		}
	}
	return out, sc.Err()
}

// Result is the outcome of one golden case.
type Result struct {
	Dir     string
	ErrCase bool // the case has an error.txt
	// Problem, when set, is why the case could not be compared (a parse or compile error, a bad
	// input line, a runtime error in a case without error.txt); the case failed.
	Problem string
	// CompareOut says whether Want and Got are compared (always, except an error case without out).
	CompareOut bool
	Want       []Line   // the expected outputs (canonical JSON when they decode)
	Got        []string // the actual outputs, canonical JSON
	WantErr    string   // error.txt, trimmed
	GotErr     string   // the actual error, trimmed ("" when none)
}

// Failed says whether the case failed.
func (r *Result) Failed() bool {
	if r.Problem != "" {
		return true
	}
	if r.ErrCase && r.GotErr != r.WantErr {
		return true
	}
	return r.outDiffers()
}

func (r *Result) outDiffers() bool {
	if !r.CompareOut {
		return len(r.Got) > 0
	}
	if len(r.Want) != len(r.Got) {
		return true
	}
	for i, w := range r.Want {
		if w.Text != r.Got[i] {
			return true
		}
	}
	return false
}

// Report describes a failure: the problem, or line diffs of error.txt and out (expected lines
// prefixed "-" with their line number in the file, actual ones "+" with their output number).
func (r *Result) Report() string {
	var b strings.Builder
	if r.Problem != "" {
		b.WriteString(strings.TrimRight(r.Problem, "\n"))
		b.WriteByte('\n')
	}
	if r.ErrCase && r.Problem == "" && r.GotErr != r.WantErr {
		if r.GotErr == "" {
			b.WriteString("no error; error.txt wants:\n")
		} else {
			b.WriteString("error differs (- error.txt, + got):\n")
		}
		want := numbered(splitLines(r.WantErr))
		b.WriteString(Diff(want, splitLines(r.GotErr)))
	}
	if r.outDiffers() {
		if len(r.Want) == 0 && !r.CompareOut {
			b.WriteString("unexpected outputs (no out file):\n")
		} else {
			b.WriteString("outputs differ (- out, + got):\n")
		}
		b.WriteString(Diff(r.Want, r.Got))
	}
	return b.String()
}

// Update rewrites error.txt (error cases) and out from the actual results. A case with a
// Problem can not be updated.
func (r *Result) Update() error {
	if r.Problem != "" {
		return fmt.Errorf("can not update: %s", strings.TrimRight(r.Problem, "\n"))
	}
	if r.ErrCase {
		if r.GotErr == "" {
			return fmt.Errorf("can not update error.txt: the case raises no error")
		}
		if err := os.WriteFile(filepath.Join(r.Dir, "error.txt"), []byte(r.GotErr+"\n"), 0o644); err != nil {
			return err
		}
		if !r.CompareOut && len(r.Got) == 0 {
			return nil
		}
	}
	var b strings.Builder
	for _, g := range r.Got {
		b.WriteString(g)
		b.WriteByte('\n')
	}
	return os.WriteFile(filepath.Join(r.Dir, "out"), []byte(b.String()), 0o644)
}

func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

func numbered(lines []string) []Line {
	out := make([]Line, len(lines))
	for i, l := range lines {
		out[i] = Line{No: i + 1, Text: l}
	}
	return out
}

// Diff is a line diff of want against got: removed lines as "-N: text" (N the line number of
// want), added ones as "+N: text" (N the 1-based index in got), in order. Equal lines are left out.
func Diff(want []Line, got []string) string {
	n, m := len(want), len(got)
	var b strings.Builder
	if n*m > 4_000_000 { // too big for the LCS table: compare position by position
		for i := 0; i < n || i < m; i++ {
			switch {
			case i >= m:
				fmt.Fprintf(&b, "-%d: %s\n", want[i].No, want[i].Text)
			case i >= n:
				fmt.Fprintf(&b, "+%d: %s\n", i+1, got[i])
			case want[i].Text != got[i]:
				fmt.Fprintf(&b, "-%d: %s\n+%d: %s\n", want[i].No, want[i].Text, i+1, got[i])
			}
		}
		return b.String()
	}
	// lcs[i][j] is the length of the longest common subsequence of want[i:] and got[j:].
	lcs := make([][]int32, n+1)
	for i := range lcs {
		lcs[i] = make([]int32, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if want[i].Text == got[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	i, j := 0, 0
	for i < n || j < m {
		switch {
		case i < n && j < m && want[i].Text == got[j]:
			i++
			j++
		case i < n && (j == m || lcs[i+1][j] >= lcs[i][j+1]):
			fmt.Fprintf(&b, "-%d: %s\n", want[i].No, want[i].Text)
			i++
		default:
			fmt.Fprintf(&b, "+%d: %s\n", j+1, got[j])
			j++
		}
	}
	return b.String()
}

// ReadOut reads an out file: its non-empty lines, each in canonical form (value.EncodeSorted)
// when it is valid JSON, as written otherwise (so that it shows in the diff and fails).
func ReadOut(name string) ([]Line, error) {
	lines, err := ReadLines(name)
	if err != nil {
		return nil, err
	}
	for i, l := range lines {
		if v, err := value.DecodeJSONString(l.Text); err == nil {
			lines[i].Text = value.EncodeSorted(v)
		}
	}
	return lines, nil
}
