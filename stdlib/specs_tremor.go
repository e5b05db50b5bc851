package stdlib

// chashSpecs declares tremor::chash.
func chashSpecs() []FnSpec {
	const m = "chash"
	return []FnSpec{
		pure(m, "jump", "Maps a string key to one of `slots` buckets with jump consistent hashing.", "key", "slots"),
		pure(m, "jump_with_keys", "Jump consistent hashing of `key` into `slots` buckets with hasher keys `k1` and `k2`.", "k1", "k2", "key", "slots"),
		pure(m, "sorted_serialize", "Serializes a value as canonical JSON with record keys sorted.", "input"),
	}
}

// originSpecs declares tremor::origin: the current event's origin URI.
func originSpecs() []FnSpec {
	const m = "origin"
	return []FnSpec{
		impure(m, "as_uri_string", "Returns the event's origin URI as a string, or null if it has none."),
		impure(m, "as_uri_record", "Returns the event's origin URI as `{\"scheme\", \"host\", \"port\", \"path\"}`, or null."),
		impure(m, "scheme", "Returns the scheme of the event's origin URI."),
		impure(m, "host", "Returns the host of the event's origin URI."),
		impure(m, "port", "Returns the port of the event's origin URI, or null if it has none."),
		impure(m, "path", "Returns the path segments of the event's origin URI as an array."),
	}
}

// systemSpecs declares tremor::system.
func systemSpecs() []FnSpec {
	const m = "system"
	return []FnSpec{
		impure(m, "ingest_ns", "Returns the event's ingest time in nanoseconds."),
		impure(m, "nanotime", "Returns the current wall-clock time in nanoseconds since the epoch."),
		impure(m, "hostname", "Returns the name of the host running the engine."),
		impure(m, "instance", "Returns the name of the running instance (`\"tremor\"` under the runtime)."),
		impure(m, "version", "Returns the engine's compatibility version string."),
	}
}

// idSpecs declares Rill's id functions (peers.md §4): global names and their tremor:: spellings,
// all Legacy so they resolve without a `use`.
func idSpecs() []FnSpec {
	ids := []struct{ name, doc string }{
		{"peer_id", "Returns the alias of the peer the event came from, as a string."},
		{"source_id", "Returns the alias of the peer the event came from, as a string (same as peer_id)."},
		{"stream_id", "Returns the id of the stream within its peer the event came from (0 for none)."},
		{"event_id", "Returns the event's sequence number within its stream."},
	}
	var out []FnSpec
	for _, module := range []string{"", "tremor"} {
		for _, id := range ids {
			s := impure(module, id.name, id.doc)
			s.Legacy = true
			out = append(out, s)
		}
	}
	return out
}
