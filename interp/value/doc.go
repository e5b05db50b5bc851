// Package value will hold Rill's value model: null, bool, signed and unsigned integers, float, string,
// bytes, array and insertion-ordered record, with equality, ordering, type names, every coercion, and
// the fast JSON decoder/encoder with the canonical sorted form (spec §0). Not written yet.
package value
