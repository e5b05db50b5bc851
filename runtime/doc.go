// Package runtime will compile trickle queries into operator graphs (select, windows, group by,
// operators) and run them against peers, codecs and interceptors (spec §4, peers.md). Not written yet.
package runtime
