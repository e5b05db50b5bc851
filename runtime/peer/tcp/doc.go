// Package tcp holds the TCP peers, tcp_server and tcp_client (peers.md §1). Specs returns their
// declarations for the flow's registry. Both default to the json codec with the lines
// interceptor, so a connection carries one JSON value per line.
//
// # Streams
//
// Every TCP connection is a stream: it starts when the connection is accepted (server) or
// established (client) and ends when it closes. Interceptor and codec state is per connection,
// so a partial line of one client never mixes with another's.
//
// # tcp_server
//
// Events read from a connection carry `$tcp_server.peer` = {host, port} of the client. An event
// sent to the server is written to every connection it answers: the streams of this peer it came
// from or tracks (a window aggregate of several clients goes to each of them), plus the client
// `$tcp_server.peer` names, so an event from elsewhere can be addressed to a client. An event
// with no open target fails. max_connections bounds the open connections; the ones beyond it are
// closed at once.
//
// # tcp_client
//
// The client connects in the background and reconnects with the definition's `reconnect` backoff,
// logging once per outage; its circuit breaker is open while connected. per_stream turns it into
// a proxy leg: one upstream connection per incoming stream, opened on the stream's StartStream
// and closed on its EndStream, whose answers are routed back to that stream. request_mode pairs
// every frame the server sends with the oldest unanswered request, so answers carry the
// request's `$correlation`.
package tcp

import "github.com/rillstream/rill/runtime/peer"

// Specs returns the TCP peer types: tcp_server and tcp_client.
func Specs() []*peer.Spec { return []*peer.Spec{serverSpec, clientSpec} }
