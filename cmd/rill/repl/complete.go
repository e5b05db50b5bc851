package repl

import (
	"slices"
	"sort"
	"strings"

	"github.com/rillstream/rill/interp/value"
	"github.com/rillstream/rill/lang"
)

// complete is the tab completer (liner's WordCompleter; pos counts runes). It completes the word
// before the cursor, a run of name characters, `:`, `.`, `$` and backticks:
//
//   - `:he` at the start of the line: the commands;
//   - `string::up`: the functions of module string (`string::` lists them all); `aggr::` the
//     aggregate modules and `aggr::stats::` their aggregates; `std::` and `tremor::` the modules
//     used from there (for `use`);
//   - `event.`, `event.a.`, `$`, `$a.`, `state.`: the keys of the record at that path in the
//     current event, meta or state (keys that are not plain names in backticks);
//   - any other prefix: keywords, module names (with `::`), global functions and the session's
//     own names (let bindings, functions, consts, `use` aliases).
func (r *repl) complete(line string, pos int) (head string, completions []string, tail string) {
	runes := []rune(line)
	if pos > len(runes) {
		pos = len(runes)
	}
	before, tail := string(runes[:pos]), string(runes[pos:])
	start := len(before)
	for start > 0 && isWordByte(before[start-1]) {
		start--
	}
	head, word := before[:start], before[start:]
	if strings.HasPrefix(word, ":") && strings.TrimSpace(head) == "" && !strings.Contains(word, "::") {
		return head, withPrefix(commandNames(), word), tail
	}
	return head, r.completeWord(word), tail
}

// isWordByte reports whether c may be part of a completed word. Bytes of multi-byte characters
// count, so that non-ASCII keys in backticks stay in the word.
func isWordByte(c byte) bool {
	return c == '_' || c == ':' || c == '.' || c == '$' || c == '`' || c >= 0x80 ||
		'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

// completeWord lists the completions of one word (see complete): names sorted, record keys in
// the record's order.
func (r *repl) completeWord(word string) []string {
	switch {
	case word == "":
		return nil
	case strings.HasPrefix(word, "event."):
		return pathCompletions("event.", r.event(), word[len("event."):])
	case strings.HasPrefix(word, "state."):
		return pathCompletions("state.", r.state(), word[len("state."):])
	case strings.HasPrefix(word, "$"):
		return pathCompletions("$", r.meta(), word[1:])
	case strings.Contains(word, "::"):
		return r.functionCompletions(word)
	}
	var names []string
	for k := range lang.Keywords {
		names = append(names, k)
	}
	for _, m := range r.reg.Modules() {
		if m != "" {
			names = append(names, m+"::")
		}
	}
	names = append(names, "aggr::", "std::", "tremor::")
	for _, s := range r.reg.Functions("") {
		names = append(names, s.Name)
	}
	names = append(names, r.sess.Names()...) // the session's let bindings, fns, consts, use aliases
	return withPrefix(names, word)
}

// functionCompletions completes a `module::name` word.
func (r *repl) functionCompletions(word string) []string {
	i := strings.LastIndex(word, "::")
	mod := word[:i]
	var names []string
	switch mod {
	case "std", "tremor":
		for _, m := range r.reg.Modules() {
			if m != "" && moduleRoot(m) == mod {
				names = append(names, mod+"::"+m)
			}
		}
	case "aggr":
		seen := map[string]bool{}
		for _, s := range r.reg.All() {
			if s.Aggregate && !seen[s.Module] {
				seen[s.Module] = true
				names = append(names, "aggr::"+s.Module+"::")
			}
		}
	default:
		aggr := strings.HasPrefix(mod, "aggr::")
		for _, s := range r.reg.Functions(strings.TrimPrefix(mod, "aggr::")) {
			if s.Aggregate == aggr {
				names = append(names, mod+"::"+s.Name)
			}
		}
	}
	return withPrefix(names, word)
}

// pathCompletions completes a path into v: rest is the part after the root (`a.b.c` of
// `event.a.b.c`); every segment but the last must name a record key, and the last is a prefix of
// the keys offered. Completions are root + the whole path, in the record's key order.
func pathCompletions(root string, v value.Value, rest string) []string {
	segs := strings.Split(rest, ".")
	prefix := strings.Trim(segs[len(segs)-1], "`")
	segs = segs[:len(segs)-1]
	for _, s := range segs {
		rec, ok := v.AsRecord()
		if !ok {
			return nil
		}
		if v, ok = rec.Get(strings.Trim(s, "`")); !ok {
			return nil
		}
	}
	rec, ok := v.AsRecord()
	if !ok {
		return nil
	}
	base := root
	if len(segs) > 0 {
		base += strings.Join(segs, ".") + "."
	}
	var out []string
	for _, k := range rec.Keys() {
		if strings.HasPrefix(k, prefix) {
			out = append(out, base+quoteKey(k))
		}
	}
	return out
}

// quoteKey writes a record key as a path segment: plain when it is a name, in backticks otherwise.
func quoteKey(k string) string {
	plain := k != "" && !lang.Keywords[k] && !('0' <= k[0] && k[0] <= '9')
	for i := 0; i < len(k) && plain; i++ {
		c := k[i]
		plain = c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
	}
	if plain {
		return k
	}
	return "`" + k + "`"
}

// withPrefix returns the names that start with prefix, sorted and without duplicates.
func withPrefix(names []string, prefix string) []string {
	var out []string
	for _, n := range names {
		if strings.HasPrefix(n, prefix) {
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return slices.Compact(out)
}
