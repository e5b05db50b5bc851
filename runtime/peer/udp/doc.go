// Package udp holds the UDP peers, udp_server (source) and udp_client (sink) (peers.md §1).
// Specs returns their declarations for the flow's registry.
//
// UDP has no connections and no byte stream: a datagram is a frame. So neither peer splits
// lines by default (Spec.Lines is false); every datagram received is decoded as one value
// (json by default), and every chunk the write side produces is sent as one datagram. A
// datagram that does not decode becomes an `err` event carrying its bytes.
//
// udp_server reads its socket as one stream that lasts as long as the socket; each event carries
// `$udp_server.peer` = {host, port} of its sender. udp_client sends from one local socket
// (`bind`) to one destination; it is ready (circuit breaker open) as soon as it started.
package udp

import "github.com/rillstream/rill/runtime/peer"

// Specs returns the UDP peer types: udp_server and udp_client.
func Specs() []*peer.Spec { return []*peer.Spec{serverSpec, clientSpec} }
