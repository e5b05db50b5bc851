package extractor

import "testing"

func benchExtract(b *testing.B, kind, rule, in string, result bool) {
	x, err := Compile(kind, rule)
	if err != nil {
		b.Fatal(err)
	}
	v := strValue(in)
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := x.Extract(v, result, 0); !ok {
			b.Fatal("no match")
		}
	}
}

func BenchmarkGlobPrefix(b *testing.B) {
	benchExtract(b, "glob", "http*", "https://example.com", false)
}
func BenchmarkGlob(b *testing.B) {
	benchExtract(b, "glob", "*.eu-*-1.*.internal", "ip-10-0-0-1.eu-west-1.compute.internal", false)
}
func BenchmarkRe(b *testing.B) {
	benchExtract(b, "re", `^(?P<method>[A-Z]+) (?P<path>\S+) HTTP/(?P<version>\d\.\d)$`, "GET /index.html HTTP/1.1", true)
}
func BenchmarkKV(b *testing.B) { benchExtract(b, "kv", "", "a:1 b:2 c:3 d:4", true) }
func BenchmarkDissectApache(b *testing.B) {
	benchExtract(b, "dissect", `%{client} %{ident} %{user} [%{timestamp}] "%{method} %{path} %{proto}" %{status:int} %{bytes:int}`, apacheLine, true)
}
func BenchmarkGrokApache(b *testing.B) {
	benchExtract(b, "grok", "%{COMMONAPACHELOG}", apacheLine, true)
}
func BenchmarkInflux(b *testing.B) {
	benchExtract(b, "influx", "", "cpu,host=a,region=eu usage=0.5,cores=4i 1465839830100400200", true)
}
func BenchmarkDatetime(b *testing.B) {
	benchExtract(b, "datetime", "%d/%b/%Y:%H:%M:%S %z", "10/Oct/2000:13:55:36 -0700", true)
}
