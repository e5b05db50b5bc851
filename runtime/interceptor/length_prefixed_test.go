package interceptor

import (
	"encoding/binary"
	"runtime"
	"strings"
	"testing"
)

// header is a length-prefixed header for n bytes.
func header(n uint64) string { return string(binary.BigEndian.AppendUint64(nil, n)) }

var framingFrames = []string{"hello", "", "world with spaces\n", binaryFrame(3000, 1, -1), `{"a":1}`, "", "x"}

func TestLengthPrefixedWireFormat(t *testing.T) {
	out := post(t, newPost(t, "length-prefixed", ""), []string{"abc", ""})
	if want := "\x00\x00\x00\x00\x00\x00\x00\x03abc\x00\x00\x00\x00\x00\x00\x00\x00"; string(out) != want {
		t.Fatalf("post wrote %q", out)
	}
	out = post(t, newPost(t, "textual-length-prefixed", ""), []string{"abc", "", "0123456789"})
	if want := "3 abc0 10 0123456789"; string(out) != want {
		t.Fatalf("post wrote %q", out)
	}
}

func TestFramingRoundTripChunked(t *testing.T) {
	for _, name := range []string{"length-prefixed", "textual-length-prefixed"} {
		t.Run(name, func(t *testing.T) {
			data := post(t, newPost(t, name, ""), framingFrames)
			for split, cs := range map[string][][]byte{
				"whole":    {data},
				"bytewise": bytewise(data),
				"random 1": randomSplit(data, 1, 3),
				"random 2": randomSplit(data, 2, 700),
				"random 3": randomSplit(data, 3, 5000),
			} {
				r := feed(newPre(t, name, ""), cs)
				noErrs(t, split, r)
				eqFrames(t, split, r.frames, framingFrames)
			}
		})
	}
}

func TestFramingStreamsAreIsolated(t *testing.T) {
	for _, name := range []string{"length-prefixed", "textual-length-prefixed"} {
		a, b := newPre(t, name, ""), newPre(t, name, "")
		da := post(t, newPost(t, name, ""), []string{"first of a", "second of a"})
		db := post(t, newPost(t, name, ""), []string{"only b"})
		var ingest uint64
		got := map[Pre][]string{}
		steps := []struct {
			p    Pre
			data []byte
		}{{a, da[:5]}, {b, db[:3]}, {a, da[5:14]}, {b, db[3:]}, {a, da[14:]}}
		for _, s := range steps {
			f, err := s.p.Process(s.data, &ingest)
			if err != nil {
				t.Fatal(err)
			}
			for _, x := range f {
				got[s.p] = append(got[s.p], string(x))
			}
		}
		eqFrames(t, name+" a", got[a], []string{"first of a", "second of a"})
		eqFrames(t, name+" b", got[b], []string{"only b"})
	}
}

// A frame completed from the partial buffer must survive the rest of the chunk starting the
// next partial frame.
func TestLengthPrefixedFrameFromPartialSurvivesTheNextPartial(t *testing.T) {
	p := newPre(t, "length-prefixed", "")
	var ingest uint64
	p.Process([]byte(header(3)+"a"), &ingest)
	f, err := p.Process([]byte("bc"+header(4)+"de"), &ingest)
	if err != nil || len(f) != 1 || string(f[0]) != "abc" {
		t.Fatalf("got %q, %v", f, err)
	}
	f, _ = p.Process([]byte("fg"), &ingest)
	if len(f) != 1 || string(f[0]) != "defg" {
		t.Fatalf("got %q", f)
	}
}

func TestLengthPrefixedTooLongResetsTheStream(t *testing.T) {
	p := newPre(t, "length-prefixed", `{"max_length": 10}`)
	r := feed(p, chunks(header(4)+"ok", "ok"+header(11)+"01234567890", header(2)+"hi"))
	eqFrames(t, "after reset", r.frames, []string{"okok", "hi"})
	if len(r.errs) != 1 || !strings.Contains(r.errs[0], "a frame of 11 bytes is longer than max_length (10 bytes)") {
		t.Fatalf("errors %q", r.errs)
	}
	// A length that does not fit an int64.
	r = feed(newPre(t, "length-prefixed", ""), chunks(header(1<<63+5), header(1)+"x"))
	eqFrames(t, "huge", r.frames, []string{"x"})
	if len(r.errs) != 1 {
		t.Fatalf("errors %q", r.errs)
	}
}

func TestTextualLengthPrefixedBadHeaders(t *testing.T) {
	cases := []struct {
		name, chunk, err string
	}{
		{"letters", "abc", `found 'a'`},
		{"no digits", " abc", `found ' '`},
		{"sign", "-1 a", `found '-'`},
		{"over max_length", "11 01234567890", "over max_length (10 bytes)"},
		{"over int64", "99999999999999999999999999 x", "over max_length (10 bytes)"},
		{"newline", "1\na", `found '\n'`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := feed(newPre(t, "textual-length-prefixed", `{"max_length": 10}`), chunks(c.chunk, "2 ok", "010 0123456789"))
			eqFrames(t, c.name, r.frames, []string{"ok", "0123456789"})
			if len(r.errs) != 1 || !strings.Contains(r.errs[0], c.err) || !strings.Contains(r.errs[0], "framing was reset") {
				t.Fatalf("errors %q, want one with %q", r.errs, c.err)
			}
		})
	}
}

func TestFramingFinishInsideAFrame(t *testing.T) {
	cases := []struct{ name, data, err string }{
		{"length-prefixed", header(5) + "abc", "ended inside a frame: 3 of 5 bytes"},
		{"length-prefixed", header(5)[:3], "ended inside a frame header: 3 of 8 bytes"},
		{"textual-length-prefixed", "5 abc", "ended inside a frame: 3 of 5 bytes"},
		{"textual-length-prefixed", "12", "ended inside a frame header"},
	}
	for _, c := range cases {
		r := feed(newPre(t, c.name, ""), one(c.data))
		if len(r.frames) != 0 || len(r.errs) != 1 || !strings.Contains(r.errs[0], c.err) {
			t.Errorf("%s %q: frames %q, errors %q", c.name, c.data, r.frames, r.errs)
		}
	}
}

// A declared length (up to max_length) is never allocated ahead: the buffer grows with the bytes
// that arrive, and never beyond the frame.
func TestLengthPrefixedDoesNotAllocateTheDeclaredLength(t *testing.T) {
	p := newPre(t, "length-prefixed", "").(*lengthPrefixedPre)
	var ingest uint64
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for i := 0; i < 1000; i++ {
		q := newPre(t, "length-prefixed", "").(*lengthPrefixedPre)
		q.Process([]byte(header(60<<20)+"abc"), &ingest)
	}
	p.Process([]byte(header(60<<20)+"abc"), &ingest)
	runtime.ReadMemStats(&after)
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 8<<20 {
		t.Fatalf("1000 streams announcing 60 MiB allocated %d bytes", alloc)
	}
	chunk := make([]byte, 100<<10)
	total := 3
	for total < 1<<20 {
		p.Process(chunk, &ingest)
		total += len(chunk)
		if c := cap(p.part.cur); c > 2*total+512 {
			t.Fatalf("%d bytes received, buffer of %d", total, c)
		}
	}
	q := newPre(t, "length-prefixed", "").(*lengthPrefixedPre)
	q.Process([]byte(header(1000)), &ingest)
	for range 100 {
		q.Process(chunk[:10], &ingest)
	}
	if c := cap(q.part.cur); c > 1000 {
		t.Fatalf("a frame of 1000 bytes has a buffer of %d", c)
	}
}
