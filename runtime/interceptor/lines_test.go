package interceptor

import (
	"bytes"
	"runtime"
	"strings"
	"testing"
)

func TestLinesSplitsAndKeepsPartialLines(t *testing.T) {
	cases := []struct {
		name   string
		chunks [][]byte
		want   []string
	}{
		{"one chunk", one("a\nbb\nccc\n"), []string{"a", "bb", "ccc"}},
		{"separator first in the next chunk", chunks("abc", "\ndef", "\n"), []string{"abc", "def"}},
		{"separator last in a chunk", chunks("abc\n", "def\n"), []string{"abc", "def"}},
		{"line over many chunks", chunks("a", "b", "c", "", "d\ne", "f", "\n"), []string{"abcd", "ef"}},
		{"empty lines are passed", one("a\n\n\nb\n"), []string{"a", "", "", "b"}},
		{"empty line first", one("\na\n"), []string{"", "a"}},
		{"finish returns the unterminated rest", chunks("a\nb", "c"), []string{"a", "bc"}},
		{"no trailing empty line", one("a\n"), []string{"a"}},
		{"empty chunks", chunks("", "", "x", ""), []string{"x"}},
		{"CR is kept", one("a\r\nb\r\n"), []string{"a\r", "b\r"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := feed(newPre(t, "lines", ""), c.chunks)
			noErrs(t, c.name, r)
			eqFrames(t, c.name, r.frames, c.want)
		})
	}
}

// A frame handed out from the partial line must survive the rest of the chunk starting the next
// partial line (regression: the first version reused one buffer for both).
func TestLinesFrameFromPartialSurvivesTheNextPartial(t *testing.T) {
	p := newPre(t, "lines", "")
	var ingest uint64
	if f, _ := p.Process([]byte("ab"), &ingest); len(f) != 0 {
		t.Fatalf("frames before a separator: %q", f)
	}
	f, err := p.Process([]byte("c\ndefgh"), &ingest)
	if err != nil || len(f) != 1 || string(f[0]) != "abc" {
		t.Fatalf("got %q, %v", f, err)
	}
	f, _ = p.Process([]byte("i\nxy"), &ingest)
	if len(f) != 1 || string(f[0]) != "defghi" {
		t.Fatalf("got %q", f)
	}
	f, _ = p.Process([]byte("z\n"), &ingest)
	if len(f) != 1 || string(f[0]) != "xyz" {
		t.Fatalf("got %q", f)
	}
}

func TestLinesSeparatorAndAlias(t *testing.T) {
	r := feed(newPre(t, "separate", `{"separator": "|"}`), chunks("a|b", "|c\n|"))
	noErrs(t, "separate", r)
	eqFrames(t, "separator |", r.frames, []string{"a", "b", "c\n"})
	out := post(t, newPost(t, "separate", `{"separator": "|"}`), []string{"x", "", "y"})
	if string(out) != "x||y|" {
		t.Fatalf("post wrote %q", out)
	}
	for _, bad := range []string{`{"separator": ""}`, `{"separator": "ab"}`, `{"max_length": -1}`, `{"separator": 1}`} {
		if _, err := Builtin().Compile([]Ref{{Name: "lines", Config: mustJSON(bad)}}, "both"); err == nil {
			t.Errorf("config %s was accepted", bad)
		}
	}
}

func TestLinesUnbuffered(t *testing.T) {
	r := feed(newPre(t, "lines", `{"buffered": false}`), chunks("a\nb", "c", "d\n", "\n", "e\n\nf"))
	noErrs(t, "unbuffered", r)
	eqFrames(t, "unbuffered", r.frames, []string{"a", "b", "c", "d", "", "e", "", "f"})
	r = feed(newPre(t, "lines", `{"buffered": false, "max_length": 3}`), chunks("abcd\nok", "abc"))
	eqFrames(t, "unbuffered max", r.frames, []string{"ok", "abc"})
	if len(r.errs) != 1 {
		t.Fatalf("errors %q", r.errs)
	}
}

func TestLinesTooLongIsReportedOnceAndSkipped(t *testing.T) {
	cases := []struct {
		name   string
		chunks [][]byte
		want   []string
		errs   int
	}{
		{"in one chunk", one("ok\n0123456789\nfine\n"), []string{"ok", "fine"}, 1},
		{"two in one chunk", one("0123456789\nok\n0123456789\n"), []string{"ok"}, 1},
		{"over many chunks", chunks("ok\n0123", "4567", "89", "01234", "5\nfine\n"), []string{"ok", "fine"}, 1},
		{"crosses in the separator's chunk", chunks("0123", "45\nfine\n"), []string{"fine"}, 1},
		{"exactly max_length", one("01234\n"), []string{"01234"}, 0},
		{"partial exactly max_length", chunks("01234", "\nx\n"), []string{"01234", "x"}, 0},
		{"one byte over in the separator's chunk", chunks("01234", "5\nx\n"), []string{"x"}, 1},
		{"unterminated at the end", chunks("ok\n0123", "456789"), []string{"ok"}, 1},
		{"bytewise", bytewise([]byte("0123456789\nfine\n0123456\n")), []string{"fine"}, 2},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := feed(newPre(t, "lines", `{"max_length": 5}`), c.chunks)
			eqFrames(t, c.name, r.frames, c.want)
			if len(r.errs) != c.errs {
				t.Fatalf("errors %q, want %d", r.errs, c.errs)
			}
			for _, e := range r.errs {
				if !strings.Contains(e, "longer than max_length (5 bytes)") {
					t.Errorf("error %q", e)
				}
			}
		})
	}
	r := feed(newPre(t, "lines", `{"max_length": 5}`), one("0123456789\nok\n0123456789\n"))
	if r.errs[0] != "2 lines longer than max_length (5 bytes) were discarded" {
		t.Errorf("error %q", r.errs[0])
	}
	r = feed(newPre(t, "lines", `{"max_length": 0}`), one(strings.Repeat("x", 5<<20)+"\n"))
	noErrs(t, "no limit", r)
	if len(r.frames) != 1 || len(r.frames[0]) != 5<<20 {
		t.Fatal("max_length 0 did not accept a long line")
	}
}

// A 100 MB line fed in chunks keeps at most max_length bytes and allocates about that much,
// and the lines after it come through.
func TestLinesHugeLineStaysBounded(t *testing.T) {
	const max = 1 << 20
	p := newPre(t, "lines", "").(*linesPre)
	chunk := bytes.Repeat([]byte("x"), 64<<10)
	var ingest uint64
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	errs := 0
	for i := 0; i < 100<<20/len(chunk); i++ {
		f, err := p.Process(chunk, &ingest)
		if len(f) != 0 {
			t.Fatal("a frame came out of a line without separator")
		}
		if err != nil {
			errs++
		}
		if cap(p.part.cur) > max {
			t.Fatalf("the partial line holds %d bytes, max_length is %d", cap(p.part.cur), max)
		}
	}
	f, err := p.Process([]byte("tail\nnext\n"), &ingest)
	runtime.ReadMemStats(&after)
	if errs != 1 || err != nil || len(f) != 1 || string(f[0]) != "next" {
		t.Fatalf("errors %d, last %v, frames %q", errs, err, f)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 4*max {
		t.Fatalf("a 100 MB line allocated %d bytes", alloc)
	}
}

func TestLinesRoundTripChunked(t *testing.T) {
	frames := []string{"hello", "", "world with spaces", binaryFrame(3000, 1, '\n'), `{"a":1}`, ""}
	data := post(t, newPost(t, "lines", ""), frames)
	for name, cs := range map[string][][]byte{
		"whole":    {data},
		"bytewise": bytewise(data),
		"random 1": randomSplit(data, 1, 16),
		"random 2": randomSplit(data, 2, 700),
		"random 3": randomSplit(data, 3, 5000),
	} {
		r := feed(newPre(t, "lines", ""), cs)
		noErrs(t, name, r)
		eqFrames(t, name, r.frames, frames)
	}
}

func TestLinesStreamsAreIsolated(t *testing.T) {
	a, b := newPre(t, "lines", ""), newPre(t, "lines", "")
	var ingest uint64
	var got []string
	for _, step := range []struct {
		p    Pre
		data string
	}{{a, "a1"}, {b, "b1"}, {a, "a2\na"}, {b, "b2\n"}, {a, "3\n"}} {
		f, _ := step.p.Process([]byte(step.data), &ingest)
		for _, x := range f {
			got = append(got, string(x))
		}
	}
	eqFrames(t, "isolation", got, []string{"a1a2", "b1b2", "a3"})
}

// Regression: the first version joined a partial line with the rest of it before checking the
// length, so an over-long line ending in a big chunk was copied whole.
func TestLinesOverlongTailIsNotJoinedBeforeTheCheck(t *testing.T) {
	p := newPre(t, "lines", `{"max_length": 1024}`)
	var ingest uint64
	p.Process([]byte("start of a line"), &ingest)
	big := append(bytes.Repeat([]byte("y"), 10<<20), "\nok\n"...)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f, err := p.Process(big, &ingest)
	runtime.ReadMemStats(&after)
	if err == nil || len(f) != 1 || string(f[0]) != "ok" {
		t.Fatalf("%q, %v", f, err)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 1<<20 {
		t.Fatalf("%d bytes allocated to discard a line", alloc)
	}
}
