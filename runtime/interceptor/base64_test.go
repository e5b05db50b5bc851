package interceptor

import (
	"strings"
	"testing"
)

func TestBase64(t *testing.T) {
	frames := []string{"hello", "", "a", "ab", "abc", binaryFrame(1000, 3, -1)}
	enc, dec := newPost(t, "base64", ""), newPre(t, "base64", "")
	var ingest uint64
	for _, f := range frames {
		c, err := enc.Process([]byte(f), 0)
		if err != nil || len(c) != 1 {
			t.Fatal(c, err)
		}
		if f == "hello" && string(c[0]) != "aGVsbG8=" {
			t.Fatalf("encoded %q", c[0])
		}
		d, err := dec.Process(c[0], &ingest)
		if err != nil || len(d) != 1 || string(d[0]) != f {
			t.Fatalf("%q decoded to %q, %v", short([]string{f}), d, err)
		}
	}
	// Invalid frames are errors of their own; the stream goes on.
	r := feed(newPre(t, "base64", ""), chunks("aGk=", "!!!!", "aGk", "aGVsbG8=\r\n", "aGk=aGk="))
	eqFrames(t, "after errors", r.frames, []string{"hi", "hello"})
	if len(r.errs) != 3 || !strings.HasPrefix(r.errs[0], "invalid base64: illegal base64 data at input byte 0") {
		t.Fatalf("errors %q", r.errs)
	}
}

func TestRemoveEmpty(t *testing.T) {
	r := feed(newPre(t, "remove-empty", ""), chunks("a", "", "b", ""))
	noErrs(t, "remove-empty", r)
	eqFrames(t, "remove-empty", r.frames, []string{"a", "b"})
	if out := post(t, newPost(t, "remove-empty", ""), []string{"", "x", "", "y"}); string(out) != "xy" {
		t.Fatalf("post wrote %q", out)
	}
	p := newPost(t, "remove-empty", "")
	if c, err := p.Process(nil, 0); len(c) != 0 || err != nil {
		t.Fatalf("an empty frame gave %q, %v", c, err)
	}
}

func TestIngestNs(t *testing.T) {
	enc, dec := newPost(t, "ingest-ns", ""), newPre(t, "ingest-ns", "")
	for i, f := range []string{"payload", "", "x"} {
		ts := uint64(1_700_000_000_000_000_000 + i)
		c, err := enc.Process([]byte(f), ts)
		if err != nil || len(c) != 1 || string(c[0][:8]) != header(ts) {
			t.Fatalf("post: %q, %v", c, err)
		}
		var ingest uint64 = 1
		d, err := dec.Process(c[0], &ingest)
		if err != nil || len(d) != 1 || string(d[0]) != f || ingest != ts {
			t.Fatalf("pre: %q, %v, ingest %d", d, err, ingest)
		}
	}
	var ingest uint64 = 5
	if d, err := dec.Process([]byte("1234567"), &ingest); err == nil || len(d) != 0 || ingest != 5 {
		t.Fatalf("a 7-byte frame gave %q, %v, ingest %d", d, err, ingest)
	} else if err.Error() != "expected a frame of at least 8 bytes starting with its ingest time, got 7 bytes" {
		t.Fatal(err)
	}
	if d, err := dec.Process([]byte(header(9)+"ok"), &ingest); err != nil || string(d[0]) != "ok" || ingest != 9 {
		t.Fatalf("after an error: %q, %v, %d", d, err, ingest)
	}
}
