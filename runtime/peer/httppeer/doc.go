// Package httppeer holds the HTTP peers (peers.md §1, §5, §6): http_server, which turns every
// request into a stream of its own and answers it with the event a pipeline sends back, and
// http_client, which sends every event it is given as a request and delivers the response on its
// source side with the request's `$correlation`.
//
// # Request and response routing
//
// An http_server request is one stream: the request body is decoded into events (json by
// default, one frame per body) carrying `$http_server.request_id` (the stream id) and the
// request's method, path, query, url, headers, protocol and remote address. The handler then
// waits: the first event sent to the server's sink that names the request (by its event id, an
// aggregate's tracked ids, or `$http_server.request_id`) becomes the response; an event a
// pipeline sent from its `err` port answers 500; no answer within `response_timeout` answers
// 504, so no client hangs.
//
// An http_client event is one request and one stream of the client's source side: the response
// comes back on `out` (2xx and 3xx, redirects are not followed) or `err` (4xx at once; 5xx and
// transport errors after bounded retries with exponential backoff), always carrying the
// request's `$correlation` and tracking the request's ids so a server at the other end of the
// pipeline routes it home. At most `concurrency` requests are in flight; Send blocks beyond that
// and the sink's circuit breaker closes until a slot frees.
//
// # Across Rill instances (beyond Tremor)
//
// With `propagate = true` (the default) an http_client sends the event's `$correlation` as JSON
// in the reserved header `x-rill-correlation`, and an http_server restores it as `$correlation`
// of the events it decodes, so correlation survives a hop between machines. A W3C `traceparent`
// header is kept in the request headers like any other.
package httppeer

import "github.com/rillstream/rill/runtime/peer"

// Specs returns the HTTP peer types.
func Specs() []*peer.Spec { return []*peer.Spec{ServerSpec, ClientSpec} }
