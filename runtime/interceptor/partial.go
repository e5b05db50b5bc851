package interceptor

// keepCap is the largest buffer a stage keeps for reuse once the frame it held has been handed
// out; a bigger one is left to the garbage collector, so an idle stream holds little memory after
// a big frame went through.
const keepCap = 64 << 10

// partial collects a frame that spans chunks (a line, a length-prefixed frame) for the framing
// stages. take hands the collected frame out without copying and continues in a second buffer,
// so the frame stays valid until the stage's next call even when the rest of the chunk starts a
// new partial frame. A stage takes at most one frame per call: only the first frame completed by
// a chunk can have begun in an earlier chunk.
type partial struct {
	cur   []byte // the frame being collected
	spare []byte // the buffer of the frame handed out last, reused by the next take
}

// len is the number of bytes collected.
func (b *partial) len() int { return len(b.cur) }

// add appends p to the frame being collected. The buffer grows by doubling but never beyond
// limit bytes (0: no limit); the caller keeps the frame within limit.
func (b *partial) add(p []byte, limit int) {
	if n := len(b.cur) + len(p); n > cap(b.cur) {
		c := max(2*cap(b.cur), n, 512)
		if limit > 0 {
			c = max(min(c, limit), n)
		}
		cur := make([]byte, len(b.cur), c)
		copy(cur, b.cur)
		b.cur = cur
	}
	b.cur = append(b.cur, p...)
}

// take returns the collected frame and starts an empty one.
func (b *partial) take() []byte {
	f := b.cur
	b.cur = b.spare[:0]
	b.spare = nil
	if cap(f) <= keepCap {
		b.spare = f
	}
	return f
}

// reset drops the frame being collected (and a big buffer with it).
func (b *partial) reset() {
	if cap(b.cur) > keepCap {
		b.cur = nil
	}
	b.cur = b.cur[:0]
}
