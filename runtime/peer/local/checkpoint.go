package local

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/bits"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rillstream/rill/runtime"
)

// checkpointInterval is the shortest time between two checkpoint writes while the file is read.
const checkpointInterval = 100 * time.Millisecond

// fingerprintSpan is how many bytes of the file, at its start and just before the checkpoint's
// offset, identify it.
const fingerprintSpan = 4096

// checkpointFile is what a checkpoint file holds (JSON): the offset up to which every line of
// the file was processed, and the fingerprint of the file's content before that offset. Path is
// for people reading it; the fingerprint decides whether the checkpoint is still valid.
type checkpointFile struct {
	Version     int    `json:"version"`
	Path        string `json:"path"`
	Offset      int64  `json:"offset"`
	Fingerprint string `json:"fingerprint"`
}

// fingerprint identifies the first offset bytes of f: a SHA-256 of the offset, of the file's
// first bytes and of the bytes just before offset (fingerprintSpan each). A file replaced by
// another, or rewritten in place, has another fingerprint at the same offset (unless the bytes
// hashed are the same); a file that only grew after offset keeps it, so reading resumes on a
// file that is appended to. Reading f at an offset does not move its read position.
func fingerprint(f *os.File, offset int64) (string, error) {
	h := sha256.New()
	fmt.Fprintf(h, "rill-file-checkpoint %d\n", offset)
	head := min(offset, fingerprintSpan)
	if _, err := io.Copy(h, io.NewSectionReader(f, 0, head)); err != nil {
		return "", err
	}
	tail := max(head, offset-fingerprintSpan)
	if _, err := io.Copy(h, io.NewSectionReader(f, tail, offset-tail)); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// loadCheckpoint returns the offset at which reading f resumes: the checkpoint's offset when the
// checkpoint file at path exists, is valid and matches f (f is at least that long and has the
// same fingerprint there), else 0. why says why it is 0 when a checkpoint was found ("" when
// there was none or it applies). Only a checkpoint that can not be read at all is an error.
func loadCheckpoint(path string, f *os.File) (offset int64, why string, err error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return 0, "", nil
	}
	if err != nil {
		return 0, "", err
	}
	var c checkpointFile
	if err := json.Unmarshal(b, &c); err != nil || c.Version != 1 || c.Offset < 0 {
		return 0, "the checkpoint file is not a valid checkpoint (expected a JSON record with version 1)", nil
	}
	fi, err := f.Stat()
	if err != nil {
		return 0, "", err
	}
	if fi.Size() < c.Offset {
		return 0, fmt.Sprintf("the file holds %d bytes, fewer than the checkpoint's offset %d: it was truncated or replaced", fi.Size(), c.Offset), nil
	}
	fp, err := fingerprint(f, c.Offset)
	if err != nil {
		return 0, "", err
	}
	if fp != c.Fingerprint {
		return 0, "the file's content before the checkpoint's offset changed: it was replaced or rewritten", nil
	}
	return c.Offset, "", nil
}

// storeCheckpoint writes the checkpoint atomically: into a temporary file next to path, synced,
// then renamed over path, so a crash leaves either the old or the new checkpoint.
func storeCheckpoint(path string, c checkpointFile) error {
	b, err := json.Marshal(c)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	_, err = tmp.Write(append(b, '\n'))
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		os.Remove(tmp.Name())
	}
	return err
}

// progress tracks which parts of the file being read were processed, so the checkpoint only
// passes lines whose events were all answered (at-least-once).
//
// The file is handed to the host in pieces, one per Receive call. A piece's end is the offset
// just after the last newline read so far (through this piece): with line framing, the events
// of every line that ends within a piece are delivered by its Receive call (the lines
// interceptor keeps a line begun in earlier pieces and emits it when its newline arrives), and
// a line that is not complete yet belongs to a later piece. The host numbers a stream's events
// consecutively, so a piece's events are the sequence numbers lo, lo+1, ..., lo+n-1.
//
// An event is settled by its first answer. A piece is done once it was received and each of
// its events was acked or is an `err` event (bad data never blocks progress). The committed
// offset is the end of the longest prefix of done pieces; those pieces are then forgotten, so
// the pieces kept are those with an event not answered yet and the pieces after them.
//
// A failed event blocks its piece for the rest of the run: the committed offset never passes
// it, so the next start reads the file again from there (duplicates, but nothing lost). Since
// nothing after a failed piece can be committed any more, the pieces after it are dropped and no
// new ones are tracked (frozen): memory stays bounded.
type progress struct {
	uid    uint64        // the peer's uid
	stream atomic.Uint64 // the file's stream; set before its first event

	mu        sync.Mutex
	pieces    []*piece // pending pieces, in file order
	nextSeq   uint64   // the sequence number of the stream's next event
	committed int64    // every line before this offset was processed
	frozen    bool     // an event failed: pieces after it are not tracked
	kick      chan struct{}

	cur *piece // the piece being received (the read goroutine's; nil: untracked)
}

// piece is one Receive call's share of the file.
type piece struct {
	end    int64    // the committed offset once this piece and all before it are done
	lo     uint64   // the sequence number of its first event
	n      uint64   // its events
	done   []uint64 // bit i: event lo+i is settled (acked, failed or an err event)
	left   int      // events not settled yet
	open   bool     // its Receive call is still delivering
	failed bool     // one of its events failed
}

func newProgress(uid uint64, offset int64) *progress {
	return &progress{uid: uid, committed: offset, kick: make(chan struct{}, 1)}
}

// begin starts the piece of the next Receive call, ending (once done) at end.
func (p *progress) begin(end int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.frozen {
		p.cur = nil
		return
	}
	p.cur = &piece{end: end, lo: p.nextSeq, open: true}
	p.pieces = append(p.pieces, p.cur)
}

// delivered records an event the current Receive call delivered (the Incoming.Delivered hook).
func (p *progress) delivered(port string, ev *runtime.Event) {
	p.mu.Lock()
	defer p.mu.Unlock()
	c := p.cur
	if c == nil || ev.ID.Stream != p.stream.Load() {
		return
	}
	if ev.ID.Seq != c.lo+c.n {
		// Not the consecutive numbering this bookkeeping relies on: stop committing here
		// rather than risk passing an unprocessed line.
		c.failed = true
		p.freeze(c)
		return
	}
	p.nextSeq = ev.ID.Seq + 1
	if c.n%64 == 0 {
		c.done = append(c.done, 0)
	}
	i := c.n
	c.n++
	if port == "out" {
		c.left++
	} else {
		c.done[i/64] |= 1 << (i % 64)
	}
}

// release ends the current piece's Receive call: it can be done from now on.
func (p *progress) release() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.cur != nil {
		p.cur.open = false
		p.cur = nil
		p.advance()
	}
}

// answer settles the events of the file's stream that ev stands for: its own id and every
// tracked range of that stream (an aggregate). It reports whether this froze the progress.
func (p *progress) answer(ev *runtime.Event, failed bool) (froze bool) {
	stream := p.stream.Load()
	if stream == 0 {
		return false
	}
	if ev.ID.Peer == p.uid && ev.ID.Stream == stream {
		froze = p.settle(ev.ID.Seq, ev.ID.Seq, failed)
	}
	for _, r := range ev.Tracked {
		if r.Peer == p.uid && r.Stream == stream && p.settle(r.Min, r.Max, failed) {
			froze = true
		}
	}
	return froze
}

// settle acks (failed false) or fails the events of the file's stream with sequence numbers
// lo..hi. Numbers already settled, of forgotten pieces or not delivered yet are ignored. It
// reports whether this call froze the progress (an event failed for the first time).
func (p *progress) settle(lo, hi uint64, failed bool) (froze bool) {
	if hi < lo {
		return false
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	// The first piece that has events at or after lo (lo+n never decreases along pieces).
	i := sort.Search(len(p.pieces), func(i int) bool { c := p.pieces[i]; return c.lo+c.n > lo })
	var firstFailed *piece
	for ; i < len(p.pieces); i++ {
		c := p.pieces[i]
		if c.lo > hi {
			break
		}
		if c.n == 0 {
			continue
		}
		from, to := max(lo, c.lo)-c.lo, min(hi, c.lo+c.n-1)-c.lo // bits from..to
		for b := from; b <= to; b++ {
			w, m := b/64, uint64(1)<<(b%64)
			if c.done[w] == ^uint64(0) && b%64 == 0 && b+63 <= to {
				b += 63 // a settled word
				continue
			}
			if c.done[w]&m != 0 {
				continue
			}
			if failed {
				c.failed = true
				if firstFailed == nil {
					firstFailed = c
				}
			}
			c.done[w] |= m
			c.left--
		}
	}
	if firstFailed != nil {
		froze = !p.frozen
		p.freeze(firstFailed)
		return froze
	}
	p.advance()
	return false
}

// freeze drops the pieces after c, which failed, and stops tracking new ones; p.mu is held.
func (p *progress) freeze(c *piece) {
	p.frozen = true
	for i, x := range p.pieces {
		if x == c {
			clear(p.pieces[i+1:])
			p.pieces = p.pieces[:i+1]
			break
		}
	}
	if p.cur != nil && p.cur != c {
		p.cur = nil // its events are no longer tracked
	}
}

// advance commits the done pieces at the front; p.mu is held.
func (p *progress) advance() {
	n := 0
	for _, c := range p.pieces {
		if c.open || c.failed || c.left > 0 {
			break
		}
		p.committed = c.end
		n++
	}
	if n == 0 {
		return
	}
	clear(p.pieces[:n])
	p.pieces = p.pieces[n:]
	select {
	case p.kick <- struct{}{}:
	default:
	}
}

// offset returns the committed offset.
func (p *progress) offset() int64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.committed
}

// limit returns the furthest offset the checkpoint can reach in this run once frozen (the end of
// the last piece before the failed one).
func (p *progress) limit() int64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	l := p.committed
	for _, c := range p.pieces {
		if c.failed {
			break
		}
		l = c.end
	}
	return l
}

// pending returns the number of pieces kept and of their events not settled (for tests).
func (p *progress) pending() (pieces, events int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.pieces {
		events += int(c.n) - onesCount(c.done)
	}
	return len(p.pieces), events
}

func onesCount(ws []uint64) int {
	n := 0
	for _, w := range ws {
		n += bits.OnesCount64(w)
	}
	return n
}
