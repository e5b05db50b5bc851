package interp

import "testing"

// match (spec §2.7).

func TestMatchPatterns(t *testing.T) {
	runCases(t, []scriptCase{
		{name: "literal and default", src: `match event of case 1 => "a" case "x" => "b" case _ => "c" end`,
			in: []string{"1", `"x"`, "1.0", "null"}, out: []string{`"a"`, `"b"`, `"a"`, `"c"`}},
		{name: "first match wins", src: `match event of case _ => 1 case 1 => 2 end`, in: []string{"1"}, out: []string{"1"}},
		{name: "record tests", src: `match event of
  case %{ a > 1, b != 2, absent c } => "cmp"
  case %{ present c } => "c"
  case %{} => "any record"
  case _ => "other"
end`, in: []string{`{"a":2,"b":3}`, `{"a":2,"b":2}`, `{"c":null}`, `{"a":0}`, `[1]`},
			out: []string{`"cmp"`, `"any record"`, `"c"`, `"any record"`, `"other"`}},
		{name: "compare type error", src: `match event of case %{ a < 1 } => 1 case _ => 2 end`, in: []string{`{"a":"s"}`},
			out: []string{"error: The binary operation `<` is not defined for the type `string` and `integer`"}},
		{name: "compare missing key", src: `match event of case %{ a < 1 } => 1 case _ => 2 end`, in: []string{`{}`}, out: []string{"2"}},
		{name: "nested record", src: `match event of case %{ a ~= %{ b == 1 } } => "yes" case _ => "no" end`,
			in: []string{`{"a":{"b":1}}`, `{"a":{"b":2}}`, `{"a":1}`}, out: []string{`"yes"`, `"no"`, `"no"`}},
		{name: "nested array in record", src: `match event of case %{ a ~= %[ 1 ] } => "yes" case _ => "no" end`,
			in: []string{`{"a":[3,1]}`, `{"a":[3]}`}, out: []string{`"yes"`, `"no"`}},
		{name: "array patterns", src: `match event of case %[] => "empty-ok" case _ => "no" end`,
			in: []string{`[]`, `[1]`, `{}`}, out: []string{`"empty-ok"`, `"empty-ok"`, `"no"`}},
		{name: "array dont care needs element", src: `match event of case %[ _ ] => "some" case _ => "none" end`,
			in: []string{`[]`, `[0]`}, out: []string{`"none"`, `"some"`}},
		{name: "array record item", src: `match event of case %[ %{ k == 1 } ] => "yes" case _ => "no" end`,
			in: []string{`[{"k":0},{"k":1}]`, `[{"k":0}]`}, out: []string{`"yes"`, `"no"`}},
		{name: "tuple exact and open", src: `match event of case %( 1, 2 ) => "exact" case %( 1, ... ) => "open" case %( ... ) => "any" case _ => "no" end`,
			in: []string{`[1,2]`, `[1,2,3]`, `[1]`, `[]`, `[2]`, `"s"`}, out: []string{`"exact"`, `"open"`, `"open"`, `"any"`, `"any"`, `"no"`}},
		{name: "extractor glob", src: `match event of case ~ glob|*.log| => "log" case _ => "no" end`,
			in: []string{`"a.log"`, `"a.txt"`, `5`}, out: []string{`"log"`, `"no"`, `"no"`}},
		{name: "extractor regex bound", src: `match event of case r = ~ re|(?P<n>[0-9]+)| => r case _ => "no" end`,
			in: []string{`"ab12c"`, `"x"`}, out: []string{`{"n":"12"}`, `"no"`}},
		{name: "record extract bound", src: `match event of case r = %{ s ~= re|(?P<x>.)| } => r case _ => "no" end`,
			in: []string{`{"s":"q","t":1}`}, out: []string{`{"s":{"x":"q"}}`}},
		{name: "record binding subpattern", src: `match event of case r = %{ a ~= %{ present b }, c == 1 } => r case _ => "no" end`,
			in: []string{`{"a":{"b":2,"z":0},"c":1}`}, out: []string{`{"a":{"b":2}}`}},
		{name: "array binding empty", src: `match event of case r = %[] => r case _ => "no" end`, in: []string{`[1,2]`}, out: []string{`[]`}},
		{name: "tuple binding open", src: `match event of case r = %( _, ~ glob|a*|, ... ) => r case _ => "no" end`,
			in: []string{`[0,"ab",9]`}, out: []string{`[0,true]`}},
		{name: "binding expr", src: `match event of case x = 1 => x case _ => 0 end`, in: []string{`1`}, out: []string{`1`}},
		{name: "binding shadows", src: "let x = \"outer\";\nlet r = match event of case x = _ => x end;\n[r, x]", in: []string{`5`}, out: []string{`[5,"outer"]`}},
		{name: "let writes shadow", src: "let x = \"outer\";\nmatch event of case x = _ => let x = 2 end;\nx", in: []string{`5`}, out: []string{`"outer"`}},
		{name: "guard", src: `match event of case x = _ when x > 2 => "big" case _ => "small" end`, in: []string{`3`, `1`}, out: []string{`"big"`, `"small"`}},
		{name: "guard not bool", src: `match event of case _ when 1 => 1 end`, in: []string{`3`}, out: []string{"error: Conflicting types, got integer but expected bool"}},
		{name: "no clause", src: `match event of case 1 => 1 end`, in: []string{`3`}, out: []string{"error: A match expression executed but no clause matched"}},
		{name: "expression match", src: `[match event of case 1 => "a", "b" case _ => "c" end]`, in: []string{`1`}, out: []string{`["b"]`}},
		{name: "case locals are script wide", src: "match event of case _ => let y = 3 end;\ny", in: []string{`1`}, out: []string{"3"}},
	})
}
