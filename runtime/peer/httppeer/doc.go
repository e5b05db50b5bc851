// Package httppeer holds the HTTP peers (peers.md §1, §5, §6): http_server, which turns every
// request into a stream of its own and answers it with the event a pipeline sends back, and
// http_client, which sends every event it is given as a request and delivers the response on its
// source side with the request's `$correlation`.
//
// # Request and response routing
//
// An http_server request is one stream: the request body is decoded into events (one frame per
// body, with the codec its Content-Type picks, see below) carrying `$http_server.request_id` (the stream id) and the
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
// # Content types and codecs
//
// Like Tremor, both peers pick a body's codec from its Content-Type through the `mime_mapping`
// config key, a record of content type to codec name. The default maps application/json to
// json; application/yaml, application/x-yaml and text/yaml to yaml; text/csv to csv; text/plain
// and text/html to string; application/msgpack and application/x-msgpack to msgpack;
// application/octet-stream to binary. A user's record replaces the entries it names and keeps
// the others; a "type/*" key matches every subtype without an entry of its own; the key "*/*"
// names the fallback for a missing or unmapped Content-Type (default: the peer's configured
// codec). Media type parameters ("; charset=utf-8") and case are ignored. Every codec named must
// exist (checked when the peer is created); a mapped codec other than the peer's own runs with
// its default config, the peer's own keeps its configured one, and the interceptors are the
// peer's in every case.
//
//   - http_server decodes a request body with the codec its Content-Type maps to, else the
//     fallback. The answer is encoded with the codec its `$http_server.response.headers`
//     content-type maps to, else with the codec its request was decoded with (an aggregate
//     answering several requests encodes each answer with its own request's codec). A
//     content-type set in the answer's headers is sent as given; otherwise Content-Type follows
//     the codec used (json → application/json, string → text/plain; charset=utf-8, yaml →
//     application/yaml, msgpack → application/msgpack, csv → text/csv, others →
//     application/octet-stream).
//   - http_client decodes a response body with the codec its Content-Type maps to, else the
//     fallback. It encodes a request body with the codec the request's content-type header
//     (config `headers`, overridden by `$http_client.request.headers`) maps to, else with its
//     configured codec, and without such a header sends the Content-Type of the codec used.
//
// So a text/plain POST to a json http_server is a string event, and echoing it answers
// text/plain with the same text; a Go or other server that labels JSON as text/plain is read as a
// string unless the mapping says otherwise ({"text/plain": "json"}).
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
