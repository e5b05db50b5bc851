// Package ws holds the WebSocket peers (peers.md §1): ws_server accepts WebSocket clients, and
// ws_client connects to a WebSocket server. Both have a source and a sink side, use the json codec
// by default and no interceptors: one WebSocket message is one frame for the codec, in both
// directions (a message read is decoded as one value; an event written is sent as one message).
//
// # Streams
//
// Every WebSocket connection is one stream of the peer: it starts when the connection is
// established (the server's upgrade, the client's successful dial) and ends when it closes.
// Interceptor and codec state is per connection.
//
// # Routing answers
//
// ws_server routes an event sent to it back to the connections it came from: the streams of the
// server that the event's id or tracked ids name (Event.Streams), so an aggregate of several
// clients' messages reaches each of them. `$ws_server.peer` = {host, port} may name a connection
// explicitly; it is what the server sets on the events it reads.
//
// ws_client opens one connection in its default mode (reconnecting with the definition's
// backoff), or one per origin stream with `per_stream` (a faithful proxy: each client connection
// of a server peer gets its own upstream connection, and the answers read on it track the
// originating stream so the server routes them back). A per_stream connection opens on the
// origin's StartStream signal or its first event (events wait for it, and the origin's circuit
// breaker stays closed until it is up), closes on the origin's EndStream after what waits is
// written, and is not reopened when the server closes it until the origin sends again. With
// `request_mode`, every message read answers the oldest request still waiting on that connection
// and carries its `$correlation`; requests still waiting when the connection closes become err
// events with their `$correlation`.
//
// Both peers are built on github.com/coder/websocket.
package ws

import "github.com/rillstream/rill/runtime/peer"

// Specs returns the WebSocket peer types: ws_server and ws_client.
func Specs() []*peer.Spec { return []*peer.Spec{ServerSpec, ClientSpec} }
