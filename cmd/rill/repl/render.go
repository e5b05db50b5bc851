package repl

import (
	"fmt"
	"io"
	"strings"

	"github.com/rillstream/rill/interp/value"
)

// ANSI colours of the parts of a value: record keys, strings (and bytes), numbers, and the
// literals null, true and false. Punctuation stays in the terminal's colour.
const (
	ansiKey     = "\x1b[34m" // blue
	ansiString  = "\x1b[32m" // green
	ansiNumber  = "\x1b[36m" // cyan
	ansiLiteral = "\x1b[35m" // magenta
	ansiBold    = "\x1b[1m"
	ansiReset   = "\x1b[0m"
)

// formatValue renders v as compact JSON with records in insertion order (value.Encode), in
// colour when the session is coloured.
func (r *repl) formatValue(v value.Value) string {
	if !r.color {
		return value.Encode(v)
	}
	return string(appendColored(nil, v))
}

// appendColored appends v as value.Encode writes it, with ANSI colours around keys and scalars;
// without the escape sequences the text is exactly value.Encode(v).
func appendColored(dst []byte, v value.Value) []byte {
	switch v.Kind() {
	case value.Array:
		items, _ := v.AsArray()
		dst = append(dst, '[')
		for i, x := range items {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendColored(dst, x)
		}
		return append(dst, ']')
	case value.Record:
		rec, _ := v.AsRecord()
		dst = append(dst, '{')
		i := 0
		rec.Range(func(k string, x value.Value) bool {
			if i > 0 {
				dst = append(dst, ',')
			}
			i++
			dst = append(dst, ansiKey...)
			dst = value.AppendString(dst, k)
			dst = append(dst, ansiReset...)
			dst = append(dst, ':')
			dst = appendColored(dst, x)
			return true
		})
		return append(dst, '}')
	case value.String, value.Bytes:
		dst = append(dst, ansiString...)
	case value.Int, value.Uint, value.Float:
		dst = append(dst, ansiNumber...)
	default: // null, true, false
		dst = append(dst, ansiLiteral...)
	}
	dst = value.AppendEncode(dst, v)
	return append(dst, ansiReset...)
}

// printPort prints a value that left on a port: `out: {...}`.
func (r *repl) printPort(port string, v value.Value) {
	label := port + ":"
	if r.color {
		label = ansiBold + label + ansiReset
	}
	r.println(label + " " + r.formatValue(v))
}

// println writes one line of output.
func (r *repl) println(s string) {
	io.WriteString(r.out, s+"\n")
}

// errPrintf writes to the error output without marking the session as failed (notes, hints).
func (r *repl) errPrintf(format string, args ...any) {
	fmt.Fprintf(r.errw, format, args...)
}

// errorf reports an error of the REPL itself ("error: ..."), marking the session as failed.
func (r *repl) errorf(format string, args ...any) {
	r.failed = true
	fmt.Fprintf(r.errw, "error: "+format+"\n", args...)
}

// printError reports an error of an input and marks the session as failed. Diagnostics (parse and
// check errors) render with their caret excerpt against src, or against sources[file] for those
// that point into another file (a module); script errors (*interp.Error) render as Tremor renders
// them; anything else prints its message.
func (r *repl) printError(err error, src string, sources map[string]string) {
	r.failed = true
	var b strings.Builder
	if ds := diagnostics(err); ds != nil {
		for i, d := range ds {
			if i > 0 {
				b.WriteByte('\n')
			}
			text, ok := sources[d.Pos.File]
			if !ok {
				text = src
			}
			b.WriteString(d.Render(text))
		}
	} else {
		b.WriteString(err.Error())
	}
	msg := b.String()
	if !strings.HasSuffix(msg, "\n") {
		msg += "\n"
	}
	io.WriteString(r.errw, msg)
}
