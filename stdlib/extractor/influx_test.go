package extractor

import "testing"

func TestInflux(t *testing.T) {
	runCases(t, []extractCase{
		{"tags fields timestamp", "influx", "", "weather,location=us-midwest temperature=82 1465839830100400200",
			`{"fields":{"temperature":82.0},"measurement":"weather","tags":{"location":"us-midwest"},"timestamp":1465839830100400200}`},
		{"int and float fields", "influx", "", "cpu,host=a,region=eu usage=0.5,cores=4i 1465839830100400200",
			`{"fields":{"cores":4,"usage":0.5},"measurement":"cpu","tags":{"host":"a","region":"eu"},"timestamp":1465839830100400200}`},
		{"no timestamp uses ingest time", "influx", "", "cpu value=1", `{"fields":{"value":1.0},"measurement":"cpu","tags":{},"timestamp":42}`},
		{"strings and bools", "influx", "", `m s="hello \"world\" \\ ok",b=t,c=FALSE,d=True,e=f 5`,
			`{"fields":{"b":true,"c":false,"d":true,"e":false,"s":"hello \"world\" \\ ok"},"measurement":"m","tags":{},"timestamp":5}`},
		{"string with separators", "influx", "", `m s="a b,c=d" 5`, `{"fields":{"s":"a b,c=d"},"measurement":"m","tags":{},"timestamp":5}`},
		{"escapes", "influx", "", `my\ measure\,x,tag\ key=tag\,val\=ue field\=key="x" 1`,
			`{"fields":{"field=key":"x"},"measurement":"my measure,x","tags":{"tag key":"tag,val=ue"},"timestamp":1}`},
		{"other backslashes literal", "influx", "", `m\x,t=a\b v=1 1`, `{"fields":{"v":1.0},"measurement":"m\\x","tags":{"t":"a\\b"},"timestamp":1}`},
		{"negative int", "influx", "", "m v=-3i 1", `{"fields":{"v":-3},"measurement":"m","tags":{},"timestamp":1}`},
		{"exponent float", "influx", "", "m v=1e3 1", `{"fields":{"v":1000.0},"measurement":"m","tags":{},"timestamp":1}`},
		{"trailing newline", "influx", "", "m v=1 7\n", `{"fields":{"v":1.0},"measurement":"m","tags":{},"timestamp":7}`},
		{"no fields", "influx", "", "cpu", ""},
		{"tags but no fields", "influx", "", "cpu,a=b", ""},
		{"empty value", "influx", "", "cpu value=", ""},
		{"bad value", "influx", "", "cpu value=abc", ""},
		{"bad int", "influx", "", "cpu value=1.5i", ""},
		{"unterminated string", "influx", "", `cpu value="abc`, ""},
		{"bad timestamp", "influx", "", "cpu value=1 abc", ""},
		{"double space before timestamp", "influx", "", "cpu value=1  12", ""},
		{"comment", "influx", "", "# cpu value=1", ""},
		{"empty", "influx", "", "", ""},
		{"garbage after string", "influx", "", `cpu s="a"x 1`, ""},
	})
}

func FuzzInflux(f *testing.F) {
	for _, s := range []string{
		"weather,location=us-midwest temperature=82 1465839830100400200",
		`m s="a \"b\"",b=t,i=1i 5`, `my\ m,t\ k=v\,x f\=k="x"`, "cpu", `m s="`, "m v=1 ",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		DecodeInflux(line, 1)
	})
}
