package value

import (
	"encoding/json"
	"testing"
)

// smallEvent is a typical ~90-byte log event.
const smallEvent = `{"host":"web-01","level":"error","msg":"disk full","code":507,"ratio":0.93,"tags":["a","b"]}`

// BenchmarkDecodeEncodeSmall decodes a small event and writes its canonical form (target ≤ 800 ns/op
// on the 2-core development machine).
func BenchmarkDecodeEncodeSmall(b *testing.B) {
	data := []byte(smallEvent)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		v, err := DecodeJSON(data)
		if err != nil {
			b.Fatal(err)
		}
		_ = EncodeSorted(v)
	}
}

// BenchmarkDecodeEncodeSmallAppend is BenchmarkDecodeEncodeSmall writing into a reused buffer, as a
// peer's codec does.
func BenchmarkDecodeEncodeSmallAppend(b *testing.B) {
	data := []byte(smallEvent)
	buf := make([]byte, 0, 256)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		v, err := DecodeJSON(data)
		if err != nil {
			b.Fatal(err)
		}
		buf = AppendEncodeSorted(buf[:0], v)
	}
}

// BenchmarkDecodeSmall decodes a small event (target ≤ 3 allocs/op).
func BenchmarkDecodeSmall(b *testing.B) {
	data := []byte(smallEvent)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := DecodeJSON(data); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecodeSmallString decodes a small event from a string (no copy of the input).
func BenchmarkDecodeSmallString(b *testing.B) {
	b.SetBytes(int64(len(smallEvent)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := DecodeJSONString(smallEvent); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEncodeSortedSmall writes the canonical form of a decoded small event into a reused buffer.
func BenchmarkEncodeSortedSmall(b *testing.B) {
	v := MustDecodeJSON(smallEvent)
	buf := make([]byte, 0, 256)
	b.ReportAllocs()
	for b.Loop() {
		buf = AppendEncodeSorted(buf[:0], v)
	}
}

// BenchmarkEncodeSmall writes a small event in insertion order into a reused buffer.
func BenchmarkEncodeSmall(b *testing.B) {
	v := MustDecodeJSON(smallEvent)
	buf := make([]byte, 0, 256)
	b.ReportAllocs()
	for b.Loop() {
		buf = AppendEncode(buf[:0], v)
	}
}

// BenchmarkEncodingJSONMap is the baseline: encoding/json into map[string]any and back.
func BenchmarkEncodingJSONMap(b *testing.B) {
	data := []byte(smallEvent)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		var m map[string]any
		if err := json.Unmarshal(data, &m); err != nil {
			b.Fatal(err)
		}
		if _, err := json.Marshal(m); err != nil {
			b.Fatal(err)
		}
	}
}

// mediumEvent is a ~1 KB nested event with escapes, numbers of every kind and a larger record.
const mediumEvent = `{"timestamp":1700000000123456789,"host":{"name":"web-01.example.com","ip":"10.0.0.12","tags":["prod","eu-west-1","canary"]},` +
	`"request":{"method":"GET","path":"/api/v1/items?limit=100&offset=200","status":200,"bytes":51234,"duration_ms":12.345,` +
	`"headers":{"user-agent":"Mozilla/5.0 (X11; Linux x86_64)","accept":"application/json","x-request-id":"a1b2c3d4-e5f6"}},` +
	`"message":"GET /api/v1/items \"ok\"\n\tdone in 12ms","level":"info","counters":[1,2,3,4,5,6,7,8,9,10,-1,-2,-3,0.5,1e-7,2.5e16],` +
	`"user":{"id":12345,"name":"J\u00f6rg M\u00fcller","roles":["admin","dev"],"active":true,"manager":null},` +
	`"geo":{"lat":52.52,"lon":13.405,"city":"Berlin","country":"DE"},"sampled":false,"retries":0}`

func BenchmarkDecodeEncodeMedium(b *testing.B) {
	data := []byte(mediumEvent)
	buf := make([]byte, 0, 2048)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		v, err := DecodeJSON(data)
		if err != nil {
			b.Fatal(err)
		}
		buf = AppendEncodeSorted(buf[:0], v)
	}
}

func BenchmarkEncodingJSONMapMedium(b *testing.B) {
	data := []byte(mediumEvent)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		var m map[string]any
		if err := json.Unmarshal(data, &m); err != nil {
			b.Fatal(err)
		}
		if _, err := json.Marshal(m); err != nil {
			b.Fatal(err)
		}
	}
}
