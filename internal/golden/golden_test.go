package golden

import (
	"os"
	"path/filepath"
	"testing"
)

func lines(ss ...string) []Line {
	out := make([]Line, len(ss))
	for i, s := range ss {
		out[i] = Line{No: i + 1, Text: s}
	}
	return out
}

func TestDiff(t *testing.T) {
	for _, c := range []struct {
		want []Line
		got  []string
		diff string
	}{
		{lines("a", "b"), []string{"a", "b"}, ""},
		{lines("a", "b", "c"), []string{"a", "x", "c"}, "-2: b\n+2: x\n"},
		{lines("a", "b"), []string{"a", "b", "c"}, "+3: c\n"},
		{lines("a", "b", "c"), []string{"b", "c"}, "-1: a\n"},
		{[]Line{{No: 4, Text: "a"}}, nil, "-4: a\n"},
	} {
		if d := Diff(c.want, c.got); d != c.diff {
			t.Errorf("Diff(%v, %q) = %q, want %q", c.want, c.got, d, c.diff)
		}
	}
}

func TestReadOutAndUpdate(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "out"), []byte("{\"b\":1, \"a\":2}\n\nnot json\n"), 0o644)
	want, err := ReadOut(filepath.Join(dir, "out"))
	if err != nil {
		t.Fatal(err)
	}
	if len(want) != 2 || want[0] != (Line{1, `{"a":2,"b":1}`}) || want[1] != (Line{3, "not json"}) {
		t.Fatalf("ReadOut = %v", want)
	}
	r := &Result{Dir: dir, CompareOut: true, Want: want, Got: []string{`{"a":2,"b":1}`}}
	if !r.Failed() || r.Report() != "outputs differ (- out, + got):\n-3: not json\n" {
		t.Errorf("report %q", r.Report())
	}
	if err := r.Update(); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "out")); string(b) != "{\"a\":2,\"b\":1}\n" {
		t.Errorf("out = %q", b)
	}
	r = &Result{Dir: dir, Problem: "compile error"}
	if r.Update() == nil || !r.Failed() {
		t.Error("a case with a problem updated")
	}
}
