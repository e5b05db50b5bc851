package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

// isTerminal reports whether f is a terminal (a character device).
func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// terminalWriter reports whether w writes to a terminal; tests replace it.
var terminalWriter = func(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && isTerminal(f)
}

// progress draws one status line on a terminal while `rill run` reads a file: events/s, bytes
// read of the total, elapsed time. It redraws every period; Write (its io.Writer side, given to
// everything else that writes to the terminal) clears the line first, so messages are not
// mixed into it.
type progress struct {
	w      io.Writer
	total  int64 // input size in bytes; 0: unknown
	start  time.Time
	bytes  atomic.Int64
	lines  atomic.Int64
	mu     sync.Mutex
	drawn  bool
	stopCh chan struct{}
	done   chan struct{}
}

// progressPeriod is how often the line is redrawn (tests shorten it).
var progressPeriod = 250 * time.Millisecond

// startProgress starts drawing on w for an input of total bytes (0: unknown).
func startProgress(w io.Writer, total int64) *progress {
	p := &progress{w: w, total: total, start: time.Now(), stopCh: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(p.done)
		t := time.NewTicker(progressPeriod)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				p.draw()
			case <-p.stopCh:
				return
			}
		}
	}()
	return p
}

// reader counts what r reads (bytes, and lines as events).
func (p *progress) reader(r io.Reader) io.Reader { return &countingReader{r: r, p: p} }

type countingReader struct {
	r io.Reader
	p *progress
}

func (c *countingReader) Read(b []byte) (int, error) {
	n, err := c.r.Read(b)
	c.p.bytes.Add(int64(n))
	c.p.lines.Add(int64(bytes.Count(b[:n], []byte{'\n'})))
	return n, err
}

// line renders the status line.
func (p *progress) line() string {
	el := time.Since(p.start)
	n := p.lines.Load()
	rate := float64(n) / max(el.Seconds(), 1e-3)
	read := humanBytes(p.bytes.Load())
	if p.total > 0 {
		read += fmt.Sprintf(" of %s (%d%%)", humanBytes(p.total), p.bytes.Load()*100/p.total)
	}
	return fmt.Sprintf("rill run: %d events, %s events/s, %s read, %s", n, humanCount(rate), read, el.Truncate(100*time.Millisecond))
}

func (p *progress) draw() {
	p.mu.Lock()
	defer p.mu.Unlock()
	fmt.Fprintf(p.w, "\r\x1b[K%s", p.line())
	p.drawn = true
}

// Write clears the status line and writes b (the next tick redraws the line).
func (p *progress) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.drawn {
		io.WriteString(p.w, "\r\x1b[K")
		p.drawn = false
	}
	return p.w.Write(b)
}

// stop ends the drawing and clears the line.
func (p *progress) stop() {
	close(p.stopCh)
	<-p.done
	p.mu.Lock()
	if p.drawn {
		io.WriteString(p.w, "\r\x1b[K")
	}
	p.mu.Unlock()
}

func humanBytes(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

func humanCount(f float64) string {
	switch {
	case f >= 1e6:
		return fmt.Sprintf("%.2fM", f/1e6)
	case f >= 1e3:
		return fmt.Sprintf("%.1fK", f/1e3)
	}
	return fmt.Sprintf("%.0f", f)
}
