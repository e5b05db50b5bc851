package ws

import (
	"bytes"
	"context"
	"time"

	"github.com/coder/websocket"

	"github.com/rillstream/rill/runtime"
	"github.com/rillstream/rill/runtime/peer"
)

// defaultMaxMessage is the default of both peers' `max_message`: 16 MiB.
const defaultMaxMessage = 16 << 20

// messageType is the WebSocket message type the peers write: text unless `binary` is set.
func messageType(binary bool) websocket.MessageType {
	if binary {
		return websocket.MessageBinary
	}
	return websocket.MessageText
}

// joinChunks returns the chunks that Host.Serialize produced for one event as one message
// payload: the single chunk itself, or the chunks concatenated into buf (reused by the caller).
// ok is false when there is nothing to write (a write-side interceptor holds the data back).
func joinChunks(buf *[]byte, chunks [][]byte) (msg []byte, ok bool) {
	switch len(chunks) {
	case 0:
		return nil, false
	case 1:
		return chunks[0], true
	}
	b := (*buf)[:0]
	for _, c := range chunks {
		b = append(b, c...)
	}
	*buf = b
	return b, true
}

// encodeEvent serializes ev for stream with the peer's codec and write-side interceptors
// (Host.Serialize) and returns it as one message payload (see joinChunks); ok is false when there
// is nothing to write.
func encodeEvent(h *peer.Host, stream uint64, ev *runtime.Event, buf *[]byte) (msg []byte, ok bool, err error) {
	chunks, err := h.Serialize(stream, ev)
	if err != nil {
		return nil, false, err
	}
	msg, ok = joinChunks(buf, chunks)
	return msg, ok, nil
}

// writeMessage writes msg on c as one message of type typ, giving up after timeout.
func writeMessage(ctx context.Context, c *websocket.Conn, typ websocket.MessageType, timeout time.Duration, msg []byte) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	return c.Write(ctx, typ, msg)
}

// receive reads the messages of c and hands each to Host.Receive, with the Incoming that
// incoming returns when the message has been read, until reading fails (that error is returned)
// or Receive does (nil is returned: the flow stops).
func receive(ctx context.Context, h *peer.Host, c *websocket.Conn, incoming func() peer.Incoming) error {
	var buf bytes.Buffer
	for {
		data, err := readMessage(ctx, c, &buf)
		if err != nil {
			return err
		}
		if h.Receive(ctx, incoming(), data) != nil {
			return nil
		}
	}
}

// readMessage reads the next data message of c into buf (reset first) and returns its bytes,
// which alias buf. A buffer that grew past a large message is released afterwards, so one big
// message does not pin its memory for the connection's lifetime.
func readMessage(ctx context.Context, c *websocket.Conn, buf *bytes.Buffer) ([]byte, error) {
	if buf.Cap() > 1<<20 {
		*buf = bytes.Buffer{}
	}
	buf.Reset()
	_, r, err := c.Reader(ctx)
	if err != nil {
		return nil, err
	}
	if _, err := buf.ReadFrom(r); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
