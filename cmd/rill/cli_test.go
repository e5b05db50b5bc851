package main

import (
	"bytes"
	"encoding/json"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestEveryCommandHasHelp: `rill CMD --help` and `rill help CMD` print the command's usage with
// examples to stdout and exit 0.
func TestEveryCommandHasHelp(t *testing.T) {
	for name := range commands {
		for _, args := range [][]string{{name, "--help"}, {name, "-h"}, {"help", name}} {
			var out, errb bytes.Buffer
			code := run(args, &out, &errb)
			if code != 0 || !strings.HasPrefix(out.String(), "Usage: rill "+name) || !strings.Contains(out.String(), "Examples:") || errb.Len() != 0 {
				t.Errorf("rill %v: exit %d, stdout %.60q, stderr %q", args, code, out.String(), errb.String())
			}
		}
	}
}

func TestProgressLine(t *testing.T) {
	var w bytes.Buffer
	p := startProgress(&w, 200)
	r := p.reader(strings.NewReader(strings.Repeat("{\"a\":1}\n", 20)))
	buf := make([]byte, 1000)
	for {
		if _, err := r.Read(buf); err != nil {
			break
		}
	}
	p.draw()
	line := w.String()
	if !strings.Contains(line, "rill run: 20 events") || !strings.Contains(line, "events/s") || !strings.Contains(line, "160 B of 200 B (80%)") {
		t.Fatalf("progress line %q", line)
	}
	p.Write([]byte("an error\n"))
	p.stop()
	if got := w.String()[len(line):]; got != "\r\x1b[Kan error\n" {
		t.Errorf("a message clears the line first: %q", got)
	}
}

// TestRunProgressOnlyOnTerminals: with a terminal on stderr and a file input the progress line
// is drawn and cleared at the end, and the run's output is unchanged; --quiet and a piped input
// never draw it.
func TestRunProgressOnlyOnTerminals(t *testing.T) {
	dir := writeFiles(t, map[string]string{"q.trickle": "select event from in into out;\n",
		"in": strings.Repeat("{\"a\": [1, 2, 3]}\n", 20000)})
	oldTerm, oldPeriod := terminalWriter, progressPeriod
	terminalWriter = func(io.Writer) bool { return true }
	progressPeriod = time.Microsecond
	defer func() { terminalWriter, progressPeriod = oldTerm, oldPeriod }()
	q, in := filepath.Join(dir, "q.trickle"), filepath.Join(dir, "in")
	out, errs, code := runCmd(t, "", "run", q, in)
	if code != 0 || strings.Count(out, "\n") != 20000 {
		t.Fatalf("exit %d, %d output lines", code, strings.Count(out, "\n"))
	}
	if !strings.Contains(errs, "events/s") || !strings.HasSuffix(errs, "\r\x1b[K") {
		t.Errorf("no progress line drawn and cleared on a terminal: %q", errs)
	}
	if _, errs, _ := runCmd(t, "", "run", "--quiet", q, in); errs != "" {
		t.Errorf("--quiet: %q", errs)
	}
	if _, errs, _ := runCmd(t, "{}\n", "run", q); errs != "" {
		t.Errorf("piped input: %q", errs)
	}
}

func TestRunLogFlags(t *testing.T) {
	dir := writeFiles(t, map[string]string{"f.troy": `define flow f
flow
  define peer tick from metronome with config = {"interval": 1} end;
  define peer quit from exit;
  define pipeline p pipeline select {"exit": 0} from in into out; end;
  create peer tick; create peer quit; create pipeline p;
  connect /peer/tick to /pipeline/p;
  connect /pipeline/p to /peer/quit;
end;
deploy flow f;
`})
	_, errs, code := runCmd(t, "", "run", "--log-format", "json", "--log-level", "debug", filepath.Join(dir, "f.troy"))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	lines := strings.Split(strings.TrimSpace(errs), "\n")
	for _, l := range lines {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil || m["msg"] == nil || m["level"] == nil {
			t.Errorf("not a JSON log line: %q", l)
		}
	}
	if _, errs, code := runCmd(t, "", "run", "--log-level", "loud", filepath.Join(dir, "f.troy")); code != 2 || !strings.Contains(errs, "--log-level") {
		t.Errorf("bad level: %d %s", code, errs)
	}
	if _, errs, code := runCmd(t, "", "run", "--quiet", filepath.Join(dir, "f.troy")); code != 0 || strings.Contains(errs, "level=INFO") {
		t.Errorf("--quiet: %d %q", code, errs)
	}
}
