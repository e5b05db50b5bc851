package peer

// PlannedSpecs declares the Kafka peer types of peers.md §8, which Rill does not run yet, so
// Tremor deployments that use them pass `rill check` and `rill run` says plainly what is missing.
func PlannedSpecs() []*Spec {
	var out []*Spec
	for _, p := range []struct{ name, doc string }{
		{"kafka_consumer", "Kafka consumer group, a partition per stream: planned, not implemented yet."},
		{"kafka_producer", "Kafka producer: planned, not implemented yet."},
	} {
		out = append(out, &Spec{Name: p.name, Doc: p.doc, Source: true, Sink: true, Codec: "json", Planned: true})
	}
	return out
}
