package ws

import (
	"bytes"
	"context"

	"github.com/coder/websocket"
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
