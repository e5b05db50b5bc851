package peertest

import (
	"fmt"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"
)

// MainCheckingLeaks is a TestMain for a peer package: it runs the tests and then fails the
// package when a goroutine with a frame of that package (pkg, e.g. "runtime/peer/httppeer")
// is still running 2 s after the last test: Stop must wait for every goroutine of its peer.
func MainCheckingLeaks(m *testing.M, pkg string) {
	code := m.Run()
	if code == 0 {
		if leak := Leaked(pkg, 2*time.Second); leak != "" {
			fmt.Fprintf(os.Stderr, "goroutines of %s left running:\n%s\n", pkg, leak)
			code = 1
		}
	}
	os.Exit(code)
}

// Leaked waits up to d for the goroutines with a frame of package pkg (other than its TestMain)
// to end and returns the stacks of those still running ("" when none are).
func Leaked(pkg string, d time.Duration) string {
	deadline := time.Now().Add(d)
	for {
		buf := make([]byte, 1<<20)
		buf = buf[:runtime.Stack(buf, true)]
		var bad []string
		for _, g := range strings.Split(string(buf), "\n\n") {
			if strings.Contains(g, pkg+".") && !strings.Contains(g, pkg+".TestMain") && !strings.Contains(g, "peertest.Leaked") {
				bad = append(bad, g)
			}
		}
		if len(bad) == 0 || time.Now().After(deadline) {
			return strings.Join(bad, "\n\n")
		}
		time.Sleep(20 * time.Millisecond)
	}
}
