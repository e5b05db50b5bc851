// Package value is Rill's value model (spec §0): null, bool, signed and unsigned 64-bit integers,
// float, string, bytes, array and insertion-ordered record; equality (Equal = Tremor's val_eq,
// PartialEqual = Rust PartialEq), ordering (Compare = tremor-value Ord), type names, the numeric
// conversions of spec §2.3 (AsU64, AsI64, CastF64), and the JSON decoder and encoders, including
// the canonical sorted form that golden tests compare.
//
// # Representation
//
// A Value is two machine words (16 bytes), passed by value: a pointer p and a 64-bit word n. Null is
// the zero Value. Bool and the numbers keep their payload in n and mark their kind by pointing p at
// a per-kind static tag byte. A string or bytes value is the pointer to its first byte plus its
// length (a Go string taken apart, so it shares the string's memory), an array the pointer to its
// first element plus its length (a Go slice without capacity), a record a *Rec; these keep their
// kind in the top byte of n. Scalars, strings and arrays over an existing slice cost no allocation,
// and arrays and records — slices of Values — are a third of the size of Go's obvious
// representation (a kind, a payload, a string, a slice and a pointer side by side). Package unsafe
// is confined to value.go (the accessors, constructors and the setters the decoder uses).
//
// A Rec stores its entries interleaved in one []Value (key i as a String value at 2i, its value at
// 2i+1). Small records are searched linearly; records with more than 16 keys also keep a
// key→position map, maintained by the mutating methods only, so reading a shared record from several
// goroutines is safe.
//
// # JSON
//
// The decoder (DecodeJSON, DecodeJSONString) makes two passes over the input. The first checks the
// syntax, copies strings unescaped into a scratch buffer (DecodeJSON: every string, since the caller
// keeps its []byte; DecodeJSONString: only strings with escapes, the others stay substrings of the
// input), and counts the slots of every array and record. Then the whole result is allocated at
// once: one []Value slab for every array element and record entry of the document, one []Rec for
// its records, and the copied strings as one string. The second pass parses again and writes each
// value straight into its place in the slab. A small event therefore costs three allocations, and
// invalid input none. Scratch space is pooled.
//
// The encoders write what Tremor 0.13 writes (value-trait's generator, ryu float layout): Encode in
// record insertion order (Tremor's Value::encode), EncodeSorted with keys sorted bytewise at every
// level (tremor_value::utils::sorted_serialize, the form golden tests and --golden output compare),
// and EncodePretty (json::encode_pretty).
package value
