package local

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"sync"

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
		"event is acked once written",
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
		return &File{path: path, mode: cfg.String("mode"), chunkSize: int(n)}, nil
	},
}

// File is the file peer. In mode "read" its source side reads the file as one stream: StartStream
// when Start opened it, Receive per chunk read (meta `$file.path`), EndStream at end of file (or
// on a read error, which is logged and emitted on `err`, or on Stop), then nothing more; events
// sent to it are failed. In modes "write", "truncate" and "append" its sink side writes every
// event (codec and interceptors, usually a JSON line) through the package's writer, which hands
// the bytes to the system as soon as it is idle and acks each event then; Stop writes what is
// queued and the interceptors' closing bytes and closes the file. Its source emits nothing then.
type File struct {
	path      string
	mode      string
	chunkSize int

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
	buf := make([]byte, p.chunkSize)
	for {
		n, err := p.f.Read(buf)
		if n > 0 {
			if p.h.Receive(p.ctx, in, buf[:n]) != nil {
				return
			}
		}
		if err == io.EOF {
			return
		}
		if err != nil {
			if p.ctx.Err() == nil {
				err = fmt.Errorf("reading file `%s`: %w", p.path, unwrapPath(err))
				p.h.Log().Warn("read failed; the file's stream ends", "error", err)
				p.h.EmitError(in, err, nil)
			}
			return
		}
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

// Stop ends reading (closing the file unblocks a read of a named pipe), or writes what is queued
// and the closing bytes; it closes the file and returns the error of closing a written file.
func (p *File) Stop() error {
	p.cancel()
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
