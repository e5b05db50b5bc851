package value

import (
	"encoding/json"
	"testing"
)

// smallEvent is a typical ~90-byte log event.
const smallEvent = `{"host":"web-01","level":"error","msg":"disk full","code":507,"ratio":0.93,"tags":["a","b"]}`

// mediumEvent is a ~1 KB nested event with escapes, numbers of every kind and a larger record.
const mediumEvent = `{"timestamp":1700000000123456789,"host":{"name":"web-01.example.com","ip":"10.0.0.12","tags":["prod","eu-west-1","canary"]},` +
	`"request":{"method":"GET","path":"/api/v1/items?limit=100&offset=200","status":200,"bytes":51234,"duration_ms":12.345,` +
	`"headers":{"user-agent":"Mozilla/5.0 (X11; Linux x86_64)","accept":"application/json","x-request-id":"a1b2c3d4-e5f6"}},` +
	`"message":"GET /api/v1/items \"ok\"\n\tdone in 12ms","level":"info","counters":[1,2,3,4,5,6,7,8,9,10,-1,-2,-3,0.5,1e-7,2.5e16],` +
	`"user":{"id":12345,"name":"J\u00f6rg M\u00fcller","roles":["admin","dev"],"active":true,"manager":null},` +
	`"geo":{"lat":52.52,"lon":13.405,"city":"Berlin","country":"DE"},"sampled":false,"retries":0}`

// bench measures op per iteration. It first runs op 20000 times unmeasured: a fresh test process
// on the development VM spends tens of milliseconds faulting in its first heap pages and growing the
// GC's heap goal, which with -benchtime 20000x would otherwise dominate the first benchmark's ns/op.
// Every benchmark here warms up the same way, the encoding/json baselines included.
func bench(b *testing.B, bytes int, op func() error) {
	for range 20000 {
		if err := op(); err != nil {
			b.Fatal(err)
		}
	}
	if bytes > 0 {
		b.SetBytes(int64(bytes))
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := op(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecodeEncodeSmall decodes a small event and returns its canonical form as a string
// (target ≤ 800 ns/op on the 2-core development machine).
func BenchmarkDecodeEncodeSmall(b *testing.B) {
	data := []byte(smallEvent)
	bench(b, len(data), func() error {
		v, err := DecodeJSON(data)
		_ = EncodeSorted(v)
		return err
	})
}

// BenchmarkDecodeEncodeSmallAppend is BenchmarkDecodeEncodeSmall writing into a reused buffer, as a
// peer's codec does.
func BenchmarkDecodeEncodeSmallAppend(b *testing.B) {
	data := []byte(smallEvent)
	buf := make([]byte, 0, 256)
	bench(b, len(data), func() error {
		v, err := DecodeJSON(data)
		buf = AppendEncodeSorted(buf[:0], v)
		return err
	})
}

// BenchmarkDecodeSmall decodes a small event (target ≤ 3 allocs/op: the strings, the slab of values,
// the record).
func BenchmarkDecodeSmall(b *testing.B) {
	data := []byte(smallEvent)
	bench(b, len(data), func() error {
		_, err := DecodeJSON(data)
		return err
	})
}

// BenchmarkDecodeSmallString decodes a small event from a string (strings stay substrings of it).
func BenchmarkDecodeSmallString(b *testing.B) {
	bench(b, len(smallEvent), func() error {
		_, err := DecodeJSONString(smallEvent)
		return err
	})
}

// BenchmarkEncodeSortedSmall writes the canonical form of a decoded small event into a reused buffer.
func BenchmarkEncodeSortedSmall(b *testing.B) {
	v := MustDecodeJSON(smallEvent)
	buf := make([]byte, 0, 256)
	bench(b, 0, func() error {
		buf = AppendEncodeSorted(buf[:0], v)
		return nil
	})
}

// BenchmarkEncodeSmall writes a small event in insertion order into a reused buffer.
func BenchmarkEncodeSmall(b *testing.B) {
	v := MustDecodeJSON(smallEvent)
	buf := make([]byte, 0, 256)
	bench(b, 0, func() error {
		buf = AppendEncode(buf[:0], v)
		return nil
	})
}

// BenchmarkEncodingJSONMap is the baseline: encoding/json into map[string]any and back.
func BenchmarkEncodingJSONMap(b *testing.B) {
	data := []byte(smallEvent)
	bench(b, len(data), func() error {
		var m map[string]any
		if err := json.Unmarshal(data, &m); err != nil {
			return err
		}
		_, err := json.Marshal(m)
		return err
	})
}

func BenchmarkDecodeEncodeMedium(b *testing.B) {
	data := []byte(mediumEvent)
	buf := make([]byte, 0, 2048)
	bench(b, len(data), func() error {
		v, err := DecodeJSON(data)
		buf = AppendEncodeSorted(buf[:0], v)
		return err
	})
}

func BenchmarkEncodingJSONMapMedium(b *testing.B) {
	data := []byte(mediumEvent)
	bench(b, len(data), func() error {
		var m map[string]any
		if err := json.Unmarshal(data, &m); err != nil {
			return err
		}
		_, err := json.Marshal(m)
		return err
	})
}
