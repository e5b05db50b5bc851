package repl

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"
)

// The interactive mode is tested on a pseudo-terminal. Liner reads os.Stdin and writes os.Stdout
// (file descriptors 0 and 1), so the REPL runs in a child process, this test binary re-executed
// with childEnv set, whose stdin, stdout and stderr are the pty's terminal side; the test types
// keystrokes into the pty's master side and reads what the terminal shows.

// childEnv makes the test binary run an interactive REPL instead of the tests.
const childEnv = "RILL_REPL_TEST_CHILD"

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) == "1" {
		os.Exit(Run(Options{In: os.Stdin, Out: os.Stdout, Err: os.Stderr, Terminal: true,
			HistoryFile: os.Getenv("RILL_HISTORY")}))
	}
	os.Exit(m.Run())
}

// expectTimeout bounds every wait for output, so that a broken REPL fails the test instead of
// hanging it; it is not a measure of speed.
const expectTimeout = 10 * time.Second

// ptySession is a REPL child process on a pseudo-terminal.
type ptySession struct {
	t    *testing.T
	cmd  *exec.Cmd
	tty  *os.File // the master side
	mu   sync.Mutex
	out  []byte        // everything the terminal showed so far
	seen int           // out[:seen] has been matched by expect
	more chan struct{} // signalled after each read
	done chan struct{} // closed when the reader stops (the child closed the terminal)
}

// startPTY starts a REPL child with the given history file on a fresh pseudo-terminal and waits
// for its first prompt.
func startPTY(t *testing.T, history string) *ptySession {
	t.Helper()
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), childEnv+"=1", "TERM=xterm", "NO_COLOR=1", "RILL_HISTORY="+history)
	tty, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 40, Cols: 160})
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	s := &ptySession{t: t, cmd: cmd, tty: tty, more: make(chan struct{}, 1), done: make(chan struct{})}
	go s.read()
	t.Cleanup(func() {
		if s.cmd.ProcessState == nil {
			s.cmd.Process.Kill()
			s.cmd.Wait()
		}
		s.tty.Close()
	})
	s.expect(promptMain)
	return s
}

func (s *ptySession) read() {
	defer close(s.done)
	buf := make([]byte, 4096)
	for {
		n, err := s.tty.Read(buf)
		s.mu.Lock()
		s.out = append(s.out, buf[:n]...)
		s.mu.Unlock()
		select {
		case s.more <- struct{}{}:
		default:
		}
		if err != nil {
			return
		}
	}
}

// expect waits until want appears in the output after what earlier expects matched, and returns
// the output up to and including it.
func (s *ptySession) expect(want string) string {
	s.t.Helper()
	deadline := time.NewTimer(expectTimeout)
	defer deadline.Stop()
	for {
		s.mu.Lock()
		rest := s.out[s.seen:]
		if i := bytes.Index(rest, []byte(want)); i >= 0 {
			got := string(rest[:i+len(want)])
			s.seen += i + len(want)
			s.mu.Unlock()
			return got
		}
		s.mu.Unlock()
		select {
		case <-s.more:
		case <-s.done:
			s.mu.Lock()
			if !bytes.Contains(s.out[s.seen:], []byte(want)) {
				s.mu.Unlock()
				s.t.Fatalf("the terminal closed without showing %q; it showed:\n%q", want, s.out[s.seen:])
			}
			s.mu.Unlock()
		case <-deadline.C:
			s.mu.Lock()
			defer s.mu.Unlock()
			s.t.Fatalf("waited in vain for %q; the terminal showed:\n%q\nbefore that:\n%q", want, s.out[s.seen:], s.out[:s.seen])
		}
	}
}

// send types keys into the terminal.
func (s *ptySession) send(keys string) {
	s.t.Helper()
	if _, err := s.tty.Write([]byte(keys)); err != nil {
		s.t.Fatal(err)
	}
}

// wait waits for the child to exit and returns its exit status.
func (s *ptySession) wait() int {
	s.t.Helper()
	exited := make(chan error, 1)
	go func() { exited <- s.cmd.Wait() }()
	select {
	case err := <-exited:
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return ee.ExitCode()
		}
		if err != nil {
			s.t.Fatal(err)
		}
		return 0
	case <-time.After(expectTimeout):
		s.t.Fatal("the REPL did not exit")
		return -1
	}
}

// Keys.
const (
	enter = "\r"
	ctrlC = "\x03"
	ctrlD = "\x04"
	up    = "\x1b[A"
	tab   = "\t"
)

func TestTerminalMultiLineInput(t *testing.T) {
	s := startPTY(t, "")
	s.send("let x = 40 +" + enter)
	s.expect(promptMore)
	s.send("  2" + enter)
	s.expect("\n42\r\n")
	s.expect(promptMain)
	s.send("x" + enter)
	s.expect("\n42\r\n")
	s.expect(promptMain)
	s.send(ctrlD)
	if code := s.wait(); code != 0 {
		t.Errorf("exit status %d", code)
	}
}

func TestTerminalTabCompletion(t *testing.T) {
	s := startPTY(t, "")
	s.send("use std::string;" + enter)
	s.expect(promptMain)
	s.send("string::up" + tab)
	s.expect("string::uppercase")
	s.send(`("ok")` + enter)
	s.expect("\n\"OK\"\r\n")
	s.expect(promptMain)
	s.send(":event {\"alpha\": {\"beta\": 1}}" + enter)
	s.expect(promptMain)
	s.send("event.al" + tab)
	s.expect("event.alpha")
	s.send(".b" + tab)
	s.expect("event.alpha.beta")
	s.send(" + 1" + enter)
	s.expect("\n2\r\n")
	s.expect(promptMain)
	s.send(ctrlD)
	s.wait()
}

func TestTerminalHistoryAcrossSessions(t *testing.T) {
	history := filepath.Join(t.TempDir(), "history")
	s := startPTY(t, history)
	s.send("1 + 1" + enter)
	s.expect("\n2\r\n")
	s.expect(promptMain)
	s.send(":quit" + enter)
	if code := s.wait(); code != 0 {
		t.Fatalf("exit status %d", code)
	}
	b, err := os.ReadFile(history)
	if err != nil || string(b) != "1 + 1\n" {
		t.Fatalf("history file %q, %v", b, err)
	}

	s = startPTY(t, history)
	s.send(up)
	s.expect("1 + 1")
	s.send(enter)
	s.expect("\n2\r\n")
	s.expect(promptMain)
	s.send(ctrlD)
	s.wait()
}

func TestTerminalCtrlCCancelsInput(t *testing.T) {
	s := startPTY(t, "")
	s.send("match event of" + enter)
	s.expect(promptMore)
	s.send("  case 1 => " + enter)
	s.expect(promptMore)
	// Liner prints the prompt before it turns the terminal's interrupt key into a plain key, so
	// Ctrl-C goes only after liner echoed what was typed: then it is reading keys.
	s.send("half typed")
	s.expect("half typed")
	s.send(ctrlC)
	s.expect("^C")
	s.expect(promptMain)
	// The abandoned lines are gone: the next input runs on its own.
	s.send("7" + enter)
	got := s.expect("\n7\r\n")
	if strings.Contains(got, "rror") || strings.Contains(got, "unexpected") {
		t.Errorf("the cancelled input ran: %q", got)
	}
	s.expect(promptMain)
	// Ctrl-D at the continuation prompt runs the input as it stands and reports what is missing.
	s.send("[1," + enter)
	s.expect(promptMore)
	s.send(ctrlD)
	s.expect("unexpected end of input")
	s.expect(promptMain)
	s.send(ctrlD)
	if code := s.wait(); code != 0 {
		t.Errorf("exit status %d", code)
	}
}
