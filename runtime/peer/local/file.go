package local

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"sync"
	"time"

	"github.com/rillstream/rill/interp/value"
	"github.com/rillstream/rill/runtime"
	"github.com/rillstream/rill/runtime/config"
	"github.com/rillstream/rill/runtime/peer"
)

var fileSpec = &peer.Spec{
	Name: "file",
	Doc: "reads a file as one stream (mode \"read\": its events end at end of file) or writes the " +
		"events sent to it to a file (modes \"write\"/\"truncate\" create or truncate it, \"append\" " +
		"appends); written bytes are handed to the system as soon as the writer is idle and each " +
		"event is acked once written; with `checkpoint` set, reading is at-least-once: the offset up " +
		"to which every line's events were acked (or are err events) is saved, and a restart resumes " +
		"there (the lines after it may be read twice, none is lost)",
	Source: true,
	Sink:   true,
	Codec:  "json",
	Lines:  true,
	Config: []config.Key{
		{Name: "path", Type: config.String, Required: true, Doc: "the file to read or write"},
		{Name: "mode", Type: config.String, Default: value.NewString("read"),
			Enum: []string{"read", "write", "truncate", "append"},
			Doc:  "\"read\" reads the file; \"write\" (or \"truncate\") creates or truncates it and writes events; \"append\" creates it or appends to it"},
		{Name: "chunk_size", Type: config.Int, Default: value.NewInt(8192), Doc: "the most bytes read at once, in read mode"},
		{Name: "checkpoint", Type: config.String, Default: value.NewString(""),
			Doc: "mode \"read\" only: a file where the offset up to which every line was processed (its events acked, or err events) is saved, at most every 100 ms and on stop (atomically); " +
				"a start resumes there when the file's content before that offset is unchanged, else reads from the start. " +
				"Needs a regular file of newline-separated lines (the default `lines` interceptor); one checkpoint file per peer. \"\" (the default): none"},
	},
	Meta: []string{"$file.path: the path of the file an event was read from (read mode)"},
	New: func(cfg config.Values) (peer.Peer, error) {
		n := cfg.Int("chunk_size")
		if n <= 0 {
			return nil, fmt.Errorf("config key `chunk_size` of peer type `file` must be a positive number of bytes, not %d", n)
		}
		path := cfg.String("path")
		if path == "" {
			return nil, errors.New("config key `path` of peer type `file` must name a file, not be empty")
		}
		mode, ckpt := cfg.String("mode"), cfg.String("checkpoint")
		if ckpt != "" && mode != "read" {
			return nil, fmt.Errorf("config key `checkpoint` of peer type `file` applies to mode \"read\" only, not to mode %q", mode)
		}
		return &File{path: path, mode: mode, chunkSize: int(n), checkpoint: ckpt}, nil
	},
}

// File is the file peer. In mode "read" its source side reads the file as one stream: StartStream
// when Start opened it, Receive per chunk read (meta `$file.path`), EndStream at end of file (or
// on a read error, which is logged and emitted on `err`, or on Stop), then nothing more; events
// sent to it are failed. In modes "write", "truncate" and "append" its sink side writes every
// event (codec and interceptors, usually a JSON line) through the package's writer, which hands
// the bytes to the system as soon as it is idle and acks each event then; Stop writes what is
// queued and the interceptors' closing bytes and closes the file. Its source emits nothing then.
//
// # Checkpoints
//
// With config `checkpoint` (read mode), reading is at-least-once (peers.md §7): File is a
// peer.Acker, the flow hands it the ack or fail of every event read from the file (and of
// aggregates that track them), and the checkpoint file records the offset up to which every
// line was processed. Each Receive call is a piece of the file that ends, for the checkpoint,
// just after the last newline read so far; its events are those the host delivered during the
// call (Incoming.Delivered). The checkpoint advances over a piece once all pieces before it did
// and each of its events was acked or is an `err` event (a bad line never blocks progress). The
// first answer settles an event: with several sinks, a fail that comes after an ack of the same
// event is not seen. An aggregate's answer settles the whole tracked range [min, max] of the
// file's stream (the flow tracks only min and max per stream, so the lines in between are
// settled with it even when some went elsewhere). A failed event holds the checkpoint
// before its line for the rest of the run (it is logged once); the next start reads the file
// again from there. A last line without newline is ended at end of file (a newline is handed to
// the interceptors), so it is checkpointed like the others.
//
// The checkpoint is written atomically (temporary file, sync, rename) at most every 100 ms while
// it advances, at Start (so an unwritable checkpoint is a Start error) and at Stop; answers that
// arrive after Stop are not recorded (their lines are read again). It holds the offset and a
// fingerprint of the file's content before it (its first and its last 4 KiB before the offset):
// on Start, a checkpoint whose file is shorter than the offset or has another fingerprint (the
// file was replaced, truncated or rewritten) is ignored with a warning and the file is read from
// its start; a file that only grew resumes at the offset. Restarts may read lines twice (those
// after the checkpoint that had been processed), never skip one.
//
// Memory: the pieces kept are those with events not answered yet and the pieces after them, so
// it grows with what pipelines hold (windows) and with events nobody answers (a source whose
// `out` is connected to nothing never advances its checkpoint).
//
// Limitations: the offsets are only right for newline-separated lines read with the default
// `lines` interceptor (optionally followed by stages that transform each line); the host does
// not expose the read stages, so other interceptors (a decompressor, a custom separator) are
// not rejected — do not combine them with a checkpoint. The file must be a regular file, and
// one checkpoint file must serve one peer.
type File struct {
	path       string
	mode       string
	chunkSize  int
	checkpoint string // "" : none

	prog  *progress // read mode with a checkpoint; nil otherwise
	start int64     // the offset reading starts at
	saved int64     // the offset in the checkpoint file (-1: not written yet)

	h      *peer.Host
	f      *os.File
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
	w      *writer // nil in read mode
}

// Start opens the file: a file that can not be opened (read mode: that does not exist) is an
// error naming the path.
func (p *File) Start(ctx context.Context, h *peer.Host) error {
	p.h = h
	p.ctx, p.cancel = context.WithCancel(ctx)
	var err error
	switch p.mode {
	case "read":
		if p.f, err = os.Open(p.path); err != nil {
			p.cancel()
			return fmt.Errorf("file `%s` can not be read: %w", p.path, unwrapPath(err))
		}
		if p.checkpoint != "" {
			if err := p.resume(); err != nil {
				p.f.Close()
				p.cancel()
				return err
			}
			p.wg.Add(1)
			go p.checkpointer()
		}
		p.wg.Add(1)
		go p.read()
		return nil
	case "append":
		p.f, err = os.OpenFile(p.path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	default: // "write", "truncate"
		p.f, err = os.OpenFile(p.path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	}
	if err != nil {
		p.cancel()
		return fmt.Errorf("file `%s` can not be opened for writing: %w", p.path, unwrapPath(err))
	}
	p.w = newWriter(h, target{"file `" + p.path + "`", p.f})
	h.CircuitBreaker(true, 0, 0)
	return nil
}

// unwrapPath drops the *fs.PathError around err: the messages name the path themselves.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// resume prepares reading with a checkpoint: the file must be a regular file; reading starts at
// the checkpoint's offset when it applies to the file, and the checkpoint is written right away.
func (p *File) resume() error {
	fi, err := p.f.Stat()
	if err != nil {
		return fmt.Errorf("file `%s` can not be read: %w", p.path, unwrapPath(err))
	}
	if !fi.Mode().IsRegular() {
		return fmt.Errorf("file `%s` is not a regular file: config key `checkpoint` needs one (reading resumes at an offset)", p.path)
	}
	off, why, err := loadCheckpoint(p.checkpoint, p.f)
	if err != nil {
		return fmt.Errorf("checkpoint `%s` of file `%s` can not be read: %w", p.checkpoint, p.path, unwrapPath(err))
	}
	switch {
	case why != "":
		p.h.Log().Warn("the checkpoint does not apply to the file: reading it from its start", "checkpoint", p.checkpoint, "file", p.path, "reason", why)
	case off > 0:
		p.h.Log().Info("resuming the file at its checkpoint", "checkpoint", p.checkpoint, "file", p.path, "offset", off)
	}
	if _, err := p.f.Seek(off, io.SeekStart); err != nil {
		return fmt.Errorf("file `%s` can not be read from offset %d: %w", p.path, off, unwrapPath(err))
	}
	p.start, p.saved = off, -1
	p.prog = newProgress(p.h.UID(), off)
	return p.save()
}

// save writes the checkpoint when its offset changed since the last write. It is called by
// Start, the checkpointer goroutine and Stop, never at the same time.
func (p *File) save() error {
	off := p.prog.offset()
	if off == p.saved {
		return nil
	}
	fp, err := fingerprint(p.f, off)
	if err == nil {
		err = storeCheckpoint(p.checkpoint, checkpointFile{Version: 1, Path: p.path, Offset: off, Fingerprint: fp})
	}
	if err != nil {
		return fmt.Errorf("checkpoint `%s` of file `%s` can not be written: %w", p.checkpoint, p.path, unwrapPath(err))
	}
	p.saved = off
	return nil
}

// checkpointer writes the checkpoint when it advanced, at most every checkpointInterval; a
// failed write is logged once per outage and retried.
func (p *File) checkpointer() {
	defer p.wg.Done()
	failing := false
	for {
		if !failing {
			select {
			case <-p.ctx.Done():
				return
			case <-p.prog.kick:
			}
		}
		switch err := p.save(); {
		case err != nil && !failing:
			p.h.Log().Warn("writing the checkpoint failed; retrying", "error", err)
			failing = true
		case err == nil && failing:
			p.h.Log().Info("the checkpoint is written again", "checkpoint", p.checkpoint)
			failing = false
		}
		t := time.NewTimer(checkpointInterval)
		select {
		case <-p.ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
	}
}

// newline ends a last line without one, with a checkpoint.
var newline = []byte{'\n'}

// read is the source side of read mode.
func (p *File) read() {
	defer p.wg.Done()
	stream := p.h.StartStream()
	defer p.h.EndStream(stream)
	pathRec := value.NewRec(1)
	pathRec.Set("path", value.NewString(p.path))
	meta := value.NewRec(1)
	meta.Set("file", value.NewRecordValue(pathRec))
	in := peer.Incoming{Stream: stream, Meta: value.NewRecordValue(meta)}
	plain := in // without the Delivered hook
	if p.prog != nil {
		p.prog.stream.Store(stream)
		in.Delivered = p.prog.delivered
	}
	// pos is the offset after the bytes read, lineEnd the offset after the last newline read.
	pos, lineEnd := p.start, p.start
	buf := make([]byte, p.chunkSize)
	for {
		n, err := p.f.Read(buf)
		if n > 0 {
			if p.prog != nil {
				if i := bytes.LastIndexByte(buf[:n], '\n'); i >= 0 {
					lineEnd = pos + int64(i) + 1
				}
				pos += int64(n)
				p.prog.begin(lineEnd)
			}
			if p.h.Receive(p.ctx, in, buf[:n]) != nil {
				return // stopped: a piece left open is never committed
			}
			if p.prog != nil {
				p.prog.release()
			}
		}
		if err == io.EOF {
			if p.prog != nil && pos > lineEnd {
				// End the last line here, so its events belong to a piece ending at EOF.
				p.prog.begin(pos)
				if p.h.Receive(p.ctx, in, newline) != nil {
					return
				}
				p.prog.release()
			}
			return
		}
		if err != nil {
			if p.ctx.Err() == nil {
				err = fmt.Errorf("reading file `%s`: %w", p.path, unwrapPath(err))
				p.h.Log().Warn("read failed; the file's stream ends", "error", err)
				p.h.EmitError(plain, err, nil)
			}
			return
		}
	}
}

var _ peer.Acker = (*File)(nil)

// Ack records that ev, or the events of the file it tracks, were processed (peer.Acker); it
// only matters with a checkpoint.
func (p *File) Ack(ev *runtime.Event) {
	if p.prog != nil {
		p.prog.answer(ev, false)
	}
}

// Fail records that ev, or the events of the file it tracks, could not be processed
// (peer.Acker): with a checkpoint, the checkpoint stays before their lines for the rest of the
// run. The first failure is logged.
func (p *File) Fail(ev *runtime.Event, err error) {
	if p.prog != nil && p.prog.answer(ev, true) {
		p.h.Log().Warn("an event read from the file failed: the checkpoint stays before its line until the next start, which reads the file again from there",
			"error", err, "checkpoint", p.checkpoint, "offset_at_most", p.prog.limit())
	}
}

// Send writes ev to the file in the write modes; in read mode it fails ev.
func (p *File) Send(_ string, ev *runtime.Event, done func(error)) {
	if p.w == nil {
		done(fmt.Errorf("peer `%s` reads file `%s` (mode \"read\"): it takes no events; mode \"write\" or \"append\" writes them", p.h.Alias(), p.path))
		return
	}
	chunks, err := p.h.Serialize(0, ev)
	if err != nil {
		done(err)
		return
	}
	p.w.add(0, chunks, done)
}

// Stop ends reading (closing the file unblocks a read of a named pipe; with a checkpoint, the
// regular file is closed after the last checkpoint was written), or writes what is queued and
// the closing bytes; it closes the file and returns the error of closing a written file or of
// writing the last checkpoint.
func (p *File) Stop() error {
	p.cancel()
	if p.prog != nil {
		p.wg.Wait()
		err := p.save()
		p.f.Close()
		return err
	}
	if p.w == nil {
		p.f.Close()
		p.wg.Wait()
		return nil
	}
	if chunks, err := p.h.CloseWrite(0); err != nil {
		p.h.Log().Warn("closing the output failed", "error", err)
	} else if len(chunks) > 0 {
		p.w.add(0, chunks, nil)
	}
	p.w.close()
	if err := p.f.Close(); err != nil {
		return fmt.Errorf("closing file `%s`: %w", p.path, unwrapPath(err))
	}
	return nil
}
