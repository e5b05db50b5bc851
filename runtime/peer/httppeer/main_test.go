package httppeer

import (
	"fmt"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"
)

// TestMain fails the package when a goroutine running this package's code outlives the tests:
// Stop must wait for every handler and request of its peer.
func TestMain(m *testing.M) {
	code := m.Run()
	if code == 0 {
		if leak := leaked(2 * time.Second); leak != "" {
			fmt.Fprintf(os.Stderr, "goroutines of httppeer left running:\n%s\n", leak)
			code = 1
		}
	}
	os.Exit(code)
}

// leaked waits up to d for goroutines with a frame of this package (other than this check) to
// end and returns the stacks of those still running.
func leaked(d time.Duration) string {
	deadline := time.Now().Add(d)
	for {
		buf := make([]byte, 1<<20)
		buf = buf[:runtime.Stack(buf, true)]
		var bad []string
		for _, g := range strings.Split(string(buf), "\n\n") {
			if strings.Contains(g, "runtime/peer/httppeer.") && !strings.Contains(g, "httppeer.leaked") &&
				!strings.Contains(g, "httppeer.TestMain") {
				bad = append(bad, g)
			}
		}
		if len(bad) == 0 || time.Now().After(deadline) {
			return strings.Join(bad, "\n\n")
		}
		time.Sleep(20 * time.Millisecond)
	}
}
