package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rillstream/rill/interp/value"
)

// writeFiles creates files (name → content) in a temporary directory and returns it.
func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func runCmd(t *testing.T, input string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	old := stdin
	stdin = strings.NewReader(input)
	defer func() { stdin = old }()
	var out, errb bytes.Buffer
	code = run(args, &out, &errb)
	return out.String(), errb.String(), code
}

const portsScript = `let state = match state of case null => 1 case _ => state + 1 end;
match event of
  case %{ d == true } => drop
  case %{ e == true } => emit "bad" => "err"
  case %{ p == true } => emit event => "p"
  case _ => null
end;
{"n": state, "x": event.x}
`

func TestRunScript(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"s.tremor": portsScript,
		"in":       "{\"x\":1}\n{\"d\":true}\n\nnot json\n{\"e\":true}\n{\"p\":true}\n{\"y\":2}\n{\"x\":\"last\"}\n",
	})
	out, errs, code := runCmd(t, "", "run", filepath.Join(dir, "s.tremor"), filepath.Join(dir, "in"))
	if code != 1 {
		t.Errorf("exit %d, want 1 (malformed line and runtime error)", code)
	}
	if want := "{\"n\":1,\"x\":1}\n{\"n\":6,\"x\":\"last\"}\n"; out != want {
		t.Errorf("stdout:\n%s\nwant:\n%s", out, want)
	}
	for _, want := range []string{
		"rill run: input line 4: ",
		"\"bad\"\n",
		"port p: {\"p\":true}\n",
		"Error: \n    8 | {\"n\": state, \"x\": event.x}\n      |                         ^ Trying to access a non existing event key `x`\n",
	} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errs)
		}
	}
}

func TestRunStdin(t *testing.T) {
	dir := writeFiles(t, map[string]string{"s.tremor": "use std::string;\nstring::uppercase(event)\n"})
	out, errs, code := runCmd(t, "\"a\"\n\"b\"", "run", filepath.Join(dir, "s.tremor"))
	if code != 0 || errs != "" {
		t.Fatalf("exit %d, stderr %s", code, errs)
	}
	if out != "\"A\"\n\"B\"\n" {
		t.Errorf("stdout %q", out)
	}
}

func TestRunGolden(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"s.tremor": portsScript + "\n",
		"g.tremor": "use tremor::system;\nuse tremor::origin;\n{\"i\": system::ingest_ns(), \"o\": origin::as_uri_string(), \"m\": $, \"z\": 1, \"a\": 2}\n",
	})
	in := "{\"x\":1}\n{\"d\":true}\n{\"e\":true}\n{\"p\":true}\n{\"y\":2}\n"
	out, errs, code := runCmd(t, in, "run", "--golden", filepath.Join(dir, "s.tremor"))
	if code != 0 || errs != "" {
		t.Fatalf("exit %d, stderr %s", code, errs)
	}
	want := "out\t{\"n\":1,\"x\":1}\nerr\t\"bad\"\np\t{\"p\":true}\n!error\t\"Trying to access a non existing event key `x`\"\n"
	if out != want {
		t.Errorf("stdout:\n%s\nwant:\n%s", out, want)
	}
	out, _, _ = runCmd(t, "{}\n{}\n", "run", "--golden", filepath.Join(dir, "g.tremor"))
	want = "out\t{\"a\":2,\"i\":0,\"m\":{},\"o\":\"snot://test:23/snot\",\"z\":1}\nout\t{\"a\":2,\"i\":1,\"m\":{},\"o\":\"snot://test:23/snot\",\"z\":1}\n"
	if out != want {
		t.Errorf("stdout:\n%s\nwant:\n%s", out, want)
	}
}

func TestRunCompileErrors(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"check.tremor": "nope(1)\n",
		"fold.tremor":  "let x = 1 / 0;\nx\n",
		"parse.tremor": "let = 1\n",
	})
	_, errs, code := runCmd(t, "{}\n", "run", "--golden", filepath.Join(dir, "check.tremor"))
	if code != 1 || !strings.Contains(errs, "check.tremor:1:1: Call to undefined function nope") {
		t.Errorf("checker error: exit %d\n%s", code, errs)
	}
	_, errs, code = runCmd(t, "{}\n", "run", filepath.Join(dir, "fold.tremor"))
	if want := "Error: \n    1 | let x = 1 / 0;\n      |         ^^^^^ The binary operation `/` must have a non zero RHS\n"; code != 1 || !strings.Contains(errs, want) {
		t.Errorf("compile error: exit %d\n%s", code, errs)
	}
	_, errs, code = runCmd(t, "{}\n", "run", filepath.Join(dir, "parse.tremor"))
	if code != 1 || !strings.Contains(errs, "parse.tremor:1:") {
		t.Errorf("parse error: exit %d\n%s", code, errs)
	}
}

func TestRunModulesAndUsage(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"lib/m.tremor": "fn twice(x) with x * 2 end;\n",
		"s.tremor":     "use m;\nm::twice(event)\n",
		"q.trickle":    "select event from in into out;\n",
	})
	out, errs, code := runCmd(t, "21\n", "run", "--path", filepath.Join(dir, "lib"), filepath.Join(dir, "s.tremor"))
	if code != 0 || out != "42\n" {
		t.Errorf("exit %d out %q err %s", code, out, errs)
	}
	out, errs, code = runCmd(t, "7\n", "run", filepath.Join(dir, "q.trickle"))
	if code != 0 || out != "7\n" || errs != "" {
		t.Errorf("query: exit %d out %q err %s", code, out, errs)
	}
	if _, _, code := runCmd(t, "", "run"); code != 2 {
		t.Errorf("no file: exit %d", code)
	}
	out, _, code = runCmd(t, "", "help", "run")
	if code != 0 || !strings.Contains(out, "SIGTERM") && strings.Contains(out, "--metrics") {
		t.Errorf("help: %d %s", code, out)
	}
}

// TestRunGoldenUsesScriptHarnessContext guards against --golden running scripts with the
// query harness's origin (tremor://localhost/test) and an empty peer: for scripts the golden
// harness (spec §7, interp/golden_test.go) uses origin snot://test:23/snot and peer "test", so
// `rill run --golden` over a testdata/scripts case must print exactly that case's `out`
// (one PORT<TAB>value line per output, the values in canonical form).
func TestRunGoldenUsesScriptHarnessContext(t *testing.T) {
	for _, name := range []string{"std_origin", "origin_and_ingest", "rill_event_ids", "state_counter", "emit_drop", "lang_emit_ports", "modules_user"} {
		t.Run(name, func(t *testing.T) {
			dir := filepath.Join("..", "..", "testdata", "scripts", name)
			out, errs, code := runCmd(t, "", "run", "--golden", filepath.Join(dir, "script.tremor"), filepath.Join(dir, "in"))
			if code != 0 || errs != "" {
				t.Fatalf("exit %d, stderr:\n%s", code, errs)
			}
			want, err := os.ReadFile(filepath.Join(dir, "out"))
			if err != nil {
				t.Fatal(err)
			}
			var wantLines []string
			for _, line := range strings.Split(string(want), "\n") {
				if strings.TrimSpace(line) == "" {
					continue
				}
				v, err := value.DecodeJSONString(line)
				if err != nil {
					t.Fatalf("out line %q: %v", line, err)
				}
				wantLines = append(wantLines, value.EncodeSorted(v))
			}
			var gotLines []string
			for _, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
				port, v, ok := strings.Cut(line, "\t")
				if !ok || port == "!error" {
					t.Fatalf("unexpected --golden line %q", line)
				}
				gotLines = append(gotLines, v)
			}
			if strings.Join(gotLines, "\n") != strings.Join(wantLines, "\n") {
				t.Errorf("--golden prints\n%s\nwant (testdata out)\n%s", strings.Join(gotLines, "\n"), strings.Join(wantLines, "\n"))
			}
		})
	}
}
