package extractor

import (
	"bufio"
	_ "embed"
	"regexp"
	"regexp/syntax"
	"sort"
	"strings"
	"sync"

	"github.com/rillstream/rill/interp/value"
)

// grok follows the grok crate (Oniguruma backend) as Tremor uses it: the rule is expanded with
// the built-in pattern set (patterns/grok-patterns) and compiled with "named captures only":
//
//   - `%{NAME:alias}` becomes a named group whose result key is alias; `%{NAME}` a plain group;
//     `%{NAME:alias=regex}` defines NAME on the way. Aliases may hold `:` (`%{NUMBER:n:int}` has
//     the key "n:int"; there is no type conversion).
//   - Expansion repeats on the result until no `%{…}` is left (patterns refer to patterns); an
//     unknown pattern name is a compile error.
//   - Matching is an unanchored search; the result has one key per named group (in key order), the
//     text it matched, or "" for a group that did not take part in the match. Named groups written
//     directly in the rule (`(?<name>…)`) are keys too.
//
// Differences from Oniguruma: the engine is Go's regexp (no look-around, atomic groups, possessive
// quantifiers or back-references in rules; the built-in patterns that used them were adapted, see
// the pattern file); `^` and `$` match at line boundaries as in Oniguruma's Ruby syntax; `\w`, `\d`,
// `\s`, `\b` are ASCII. Tremor first tries /etc/tremor/grok.patterns; Rill always uses the built-in
// set.

//go:embed patterns/grok-patterns
var grokPatternFile string

var (
	grokDefaultsOnce sync.Once
	grokDefaults     map[string]string
)

// grokPatterns returns the built-in pattern definitions.
func grokPatterns() map[string]string {
	grokDefaultsOnce.Do(func() {
		grokDefaults = make(map[string]string)
		sc := bufio.NewScanner(strings.NewReader(grokPatternFile))
		sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
		for sc.Scan() {
			line := strings.TrimSpace(sc.Text())
			if line == "" || line[0] == '#' {
				continue
			}
			name, def, ok := strings.Cut(line, " ")
			if ok {
				grokDefaults[name] = strings.TrimSpace(def)
			}
		}
	})
	return grokDefaults
}

// grokRef matches one `%{NAME[:alias][=definition]}` reference (the grok crate's GROK_PATTERN).
var grokRef = regexp.MustCompile(`%\{(?P<name>(?P<pattern>[A-z0-9]+)(?::(?P<alias>[A-z0-9_:;/\s.]+))?)(?:=(?P<definition>(?:(?:[^{}]+|\.+)+)+))?\}`)

// grokMaxExpansions bounds pattern expansion (the grok crate's MAX_RECURSION).
const grokMaxExpansions = 1024

type grokExtractor struct {
	re    *regexp.Regexp
	keys  []string // result keys, sorted
	group []int    // group index of each key
}

func compileGrok(rule string) (Extractor, error) {
	defs := grokPatterns()
	var local map[string]string // definitions made inside the rule
	lookup := func(name string) (string, bool) {
		if d, ok := local[name]; ok {
			return d, true
		}
		d, ok := defs[name]
		return d, ok
	}
	aliasGroup := make(map[string]string) // alias → generated group name
	expanded := rule
	index := 0
	iName, iPattern, iAlias, iDef := grokRef.SubexpIndex("name"), grokRef.SubexpIndex("pattern"), grokRef.SubexpIndex("alias"), grokRef.SubexpIndex("definition")
	for left := grokMaxExpansions; ; left-- {
		if left <= 0 {
			return nil, ruleError("grok", "pattern expansion nests too deep")
		}
		m := grokRef.FindStringSubmatchIndex(expanded)
		if m == nil {
			break
		}
		sub := func(i int) (string, bool) {
			if m[2*i] < 0 {
				return "", false
			}
			return expanded[m[2*i]:m[2*i+1]], true
		}
		name, _ := sub(iName)
		pattern, _ := sub(iPattern)
		alias, hasAlias := sub(iAlias)
		if def, ok := sub(iDef); ok {
			if local == nil {
				local = make(map[string]string)
			}
			local[pattern] = def
			name += "=" + def
		}
		ref := "%{" + name + "}"
		for range strings.Count(expanded, ref) {
			def, ok := lookup(pattern)
			if !ok {
				return nil, ruleError("grok", "unknown pattern %%{%s}", pattern)
			}
			var repl string
			if hasAlias {
				group := "name" + itoa(index)
				aliasGroup[alias] = group
				repl = "(?P<" + group + ">" + def + ")"
			} else {
				repl = "(?:" + def + ")"
			}
			expanded = strings.Replace(expanded, ref, repl, 1)
			index++
		}
	}
	if expanded == "" {
		return nil, ruleError("grok", "the pattern is empty")
	}
	re, err := compileGrokRegex("(?m)" + expanded)
	if err != nil {
		return nil, regexError("grok", err)
	}
	groupAlias := make(map[string]string, len(aliasGroup))
	for a, g := range aliasGroup {
		groupAlias[g] = a
	}
	byKey := make(map[string]int)
	for i, n := range re.SubexpNames() {
		if n == "" {
			continue
		}
		key := n
		if a, ok := groupAlias[n]; ok {
			key = a
		}
		if _, dup := byKey[key]; !dup || !strings.HasPrefix(n, "name") {
			byKey[key] = i
		}
	}
	x := &grokExtractor{re: re}
	for k := range byKey {
		x.keys = append(x.keys, k)
	}
	sort.Strings(x.keys)
	for _, k := range x.keys {
		x.group = append(x.group, byKey[k])
	}
	return x, nil
}

// compileGrokRegex compiles the expanded rule with its unnamed groups made non-capturing: only
// named groups reach the result, and Go's matcher slows down with every capture slot (IPV6 alone
// has over a hundred groups).
func compileGrokRegex(expr string) (*regexp.Regexp, error) {
	tree, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return nil, err
	}
	return regexp.Compile(uncapture(tree).String())
}

// uncapture replaces unnamed capture groups by their content.
func uncapture(re *syntax.Regexp) *syntax.Regexp {
	for re.Op == syntax.OpCapture && re.Name == "" {
		re = re.Sub[0]
	}
	for i, sub := range re.Sub {
		re.Sub[i] = uncapture(sub)
	}
	return re
}

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	var b [20]byte
	n := len(b)
	for ; i > 0; i /= 10 {
		n--
		b[n] = byte('0' + i%10)
	}
	return string(b[n:])
}

func (g *grokExtractor) Extract(v value.Value, result bool, _ uint64) (value.Value, bool) {
	s, ok := v.AsString()
	if !ok {
		return value.Value{}, false
	}
	if !result {
		if g.re.MatchString(s) {
			return matchTrue, true
		}
		return value.Value{}, false
	}
	m := g.re.FindStringSubmatchIndex(s)
	if m == nil {
		return value.Value{}, false
	}
	rec := value.NewRec(len(g.keys))
	for k, key := range g.keys {
		i := g.group[k]
		text := ""
		if m[2*i] >= 0 {
			text = s[m[2*i]:m[2*i+1]]
		}
		rec.Set(key, value.NewString(text))
	}
	return value.NewRecordValue(rec), true
}
