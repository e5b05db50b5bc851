package value

import (
	"math"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// MaxDepth is the deepest nesting of arrays and records the JSON decoder accepts; deeper input is a
// *SyntaxError, never a stack overflow.
const MaxDepth = 1024

// SyntaxError is a JSON decoding error: what went wrong and where.
type SyntaxError struct {
	Offset int    // byte offset in the input (0-based) where the problem was found, e.g. 17
	Msg    string // what was expected or found, e.g. "expected ',' or '}'"
}

// Error returns e.g. "invalid JSON at byte 17: expected ',' or '}'".
func (e *SyntaxError) Error() string {
	return "invalid JSON at byte " + strconv.Itoa(e.Offset) + ": " + e.Msg
}

// DecodeJSON decodes one JSON value (RFC 8259; surrounding whitespace allowed, anything else after
// the value is an error) into a Value:
//   - an integer literal (no '.', 'e' or 'E') is an Int when negative, a Uint otherwise, and a Float
//     when it does not fit in 64 bits (as simd-json does); "-0" is Int 0;
//   - any literal with a fraction or exponent is a Float; one that overflows to ±Inf is an error;
//   - records keep the key order of the input; a repeated key takes the later value at the
//     position of its first occurrence;
//   - strings must be valid UTF-8 and \u escapes must not leave lone surrogates;
//   - nesting deeper than MaxDepth is an error.
//
// Errors are *SyntaxError. The result does not refer to data: the decoded strings are copied, all
// into one string.
func DecodeJSON(data []byte) (Value, error) {
	d := decoderPool.Get().(*decoder)
	d.copyAll = true
	v, err := d.decode(borrowString(data)) // not retained: every string is copied to the arena
	d.reset()
	decoderPool.Put(d)
	return v, err
}

// DecodeJSONString is DecodeJSON over a string: strings without escapes in the result are substrings
// of s (no copy).
func DecodeJSONString(s string) (Value, error) {
	d := decoderPool.Get().(*decoder)
	v, err := d.decode(s)
	d.reset()
	decoderPool.Put(d)
	return v, err
}

// MustDecodeJSON decodes s and panics on error; for tests and literals in Go code.
func MustDecodeJSON(s string) Value {
	v, err := DecodeJSONString(s)
	if err != nil {
		panic(err)
	}
	return v
}

// The decoder makes two passes over the input. The first (scan and its helpers) checks the syntax,
// copies the strings that have escapes (all strings, when the input is borrowed) unescaped into
// arena, and records the number of slots of every container in the order the containers open. Then
// the result's storage is allocated at once: the arena as one string, one []Value slab for all
// container slots, one []Rec for all records. The second pass (buildInto and its helpers) parses the
// now known-valid input again and writes every value straight into its final place: each container
// takes its region of the slab when it opens. Only pass 2 recurses, and only as deep as pass 1
// allowed (MaxDepth).
type decoder struct {
	s    string
	pos  int
	open []openContainer // pass 1: the arrays and records not closed yet, innermost last

	// Pass 1 output.
	sizes   []int  // slots of each container, in opening order (2 per record entry)
	total   int    // sum of sizes
	nRecs   int    // number of records
	copyAll bool   // the input is borrowed: every string goes to the arena, not only escaped ones
	strLens []int  // each string in the arena, in input order: its length n, or ^n if it had escapes
	arena   []byte // the unescaped strings

	// Pass 2 state.
	arenaStr string  // arena as a string, shared by the result
	slab     []Value // all container slots of the result
	recs     []Rec   // all records of the result
	next     int     // first free slot in slab
	nextSize int     // next entry of sizes
	nextRec  int     // next record in recs
	nextStr  int     // next entry of strLens
	arenaOff int     // start of the next unescaped string in arenaStr
	err      error   // number out of range, found by pass 2
}

var decoderPool = sync.Pool{New: func() any {
	return &decoder{sizes: make([]int, 0, 16)}
}}

// reset drops every reference to the input and the result and shrinks buffers that grew large, so
// the decoder can go back to the pool.
func (d *decoder) reset() {
	sizes, strLens, arena := d.sizes[:0], d.strLens[:0], d.arena[:0]
	const keep = 1 << 12
	if cap(sizes) > keep {
		sizes = nil
	}
	if cap(strLens) > keep {
		strLens = nil
	}
	if cap(arena) > 16*keep {
		arena = nil
	}
	d.s, d.arenaStr, d.slab, d.recs, d.err, d.copyAll = "", "", nil, nil, nil, false
	d.open = d.open[:0]
	d.pos, d.total, d.nRecs, d.next, d.nextSize, d.nextRec, d.nextStr, d.arenaOff = 0, 0, 0, 0, 0, 0, 0, 0
	d.sizes, d.strLens, d.arena = sizes, strLens, arena
}

func (d *decoder) fail(offset int, msg string) error { return &SyntaxError{Offset: offset, Msg: msg} }

func (d *decoder) eof() error { return d.fail(len(d.s), "unexpected end of input") }

func (d *decoder) decode(s string) (Value, error) {
	d.s = s
	d.skipWS()
	if err := d.scan(); err != nil {
		return Value{}, err
	}
	d.skipWS()
	if d.pos < len(s) {
		return Value{}, d.fail(d.pos, "unexpected "+describe(s[d.pos])+" after the value")
	}
	if len(d.arena) > 0 {
		d.arenaStr = string(d.arena)
	}
	if d.total > 0 {
		d.slab = make([]Value, d.total)
	}
	if d.nRecs > 0 {
		d.recs = make([]Rec, d.nRecs)
	}
	d.pos = 0
	d.skipWS()
	var v Value
	d.buildInto(&v)
	if d.err != nil {
		return Value{}, d.err
	}
	return v, nil
}

func (d *decoder) skipWS() {
	for d.pos < len(d.s) && d.s[d.pos] <= ' ' { // one comparison in the common case: no whitespace
		switch d.s[d.pos] {
		case ' ', '\t', '\n', '\r':
			d.pos++
			continue
		}
		return
	}
}

// describe names an unexpected byte for an error message.
func describe(c byte) string {
	if c >= 0x20 && c < 0x7F {
		return "character " + strconv.QuoteRune(rune(c))
	}
	return "byte 0x" + strconv.FormatUint(uint64(c), 16)
}

// Pass 1: syntax, escapes, container sizes.

// scan checks the value at d.pos and everything nested in it. It loops instead of recursing,
// keeping the open arrays and records on d.open, and records each container's slots in d.sizes
// (in opening order) once it closes.
func (d *decoder) scan() error {
	s := d.s
value: // a value starts at d.pos (whitespace skipped)
	if d.pos >= len(s) {
		return d.eof()
	}
	switch c := s[d.pos]; c {
	case '{', '[':
		if len(d.open) == MaxDepth {
			return d.fail(d.pos, "nesting deeper than "+strconv.Itoa(MaxDepth))
		}
		obj := c == '{'
		d.open = append(d.open, openContainer{size: len(d.sizes), record: obj})
		d.sizes = append(d.sizes, 0)
		d.pos++
		d.skipWS()
		if obj {
			d.nRecs++
			if d.pos < len(s) && s[d.pos] == '}' {
				d.pos++
				d.closeContainer()
				goto next
			}
			goto key
		}
		if d.pos < len(s) && s[d.pos] == ']' {
			d.pos++
			d.closeContainer()
			goto next
		}
		d.open[len(d.open)-1].n = 1
		goto value
	case '"':
		if err := d.scanString(); err != nil {
			return err
		}
	case 't':
		if err := d.scanLiteral("true"); err != nil {
			return err
		}
	case 'f':
		if err := d.scanLiteral("false"); err != nil {
			return err
		}
	case 'n':
		if err := d.scanLiteral("null"); err != nil {
			return err
		}
	default:
		if c != '-' && (c < '0' || c > '9') {
			return d.fail(d.pos, "expected a value, found "+describe(c))
		}
		if err := d.scanNumber(); err != nil {
			return err
		}
	}
next: // a value ended at d.pos
	if len(d.open) == 0 {
		return nil
	}
	d.skipWS()
	if d.pos >= len(s) {
		return d.eof()
	}
	if top := &d.open[len(d.open)-1]; top.record {
		switch s[d.pos] {
		case ',':
			d.pos++
			d.skipWS()
			goto key
		case '}':
			d.pos++
			d.closeContainer()
			goto next
		}
		return d.fail(d.pos, "expected ',' or '}', found "+describe(s[d.pos]))
	} else {
		switch s[d.pos] {
		case ',':
			d.pos++
			d.skipWS()
			top.n++
			goto value
		case ']':
			d.pos++
			d.closeContainer()
			goto next
		}
		return d.fail(d.pos, "expected ',' or ']', found "+describe(s[d.pos]))
	}
key: // a key is due at d.pos (whitespace skipped) in the innermost record
	if d.pos >= len(s) {
		return d.eof()
	}
	if s[d.pos] != '"' {
		msg := "expected a string key, found "
		if d.open[len(d.open)-1].n == 0 {
			msg = "expected a string key or '}', found "
		}
		return d.fail(d.pos, msg+describe(s[d.pos]))
	}
	if err := d.scanString(); err != nil {
		return err
	}
	d.skipWS()
	if d.pos >= len(s) {
		return d.eof()
	}
	if s[d.pos] != ':' {
		return d.fail(d.pos, "expected ':' after the key, found "+describe(s[d.pos]))
	}
	d.pos++
	d.skipWS()
	d.open[len(d.open)-1].n += 2 // repeated keys count too: the build pass leaves their slots unused
	goto value
}

// openContainer is an array or record whose end pass 1 has not reached yet.
type openContainer struct {
	size   int  // its entry in decoder.sizes
	n      int  // slots so far (2 per record entry)
	record bool // a record, else an array
}

// closeContainer records the slots of the innermost open container and closes it.
func (d *decoder) closeContainer() {
	top := d.open[len(d.open)-1]
	d.open = d.open[:len(d.open)-1]
	d.sizes[top.size] = top.n
	d.total += top.n
}

func (d *decoder) scanLiteral(word string) error {
	if !strings.HasPrefix(d.s[d.pos:], word) {
		i := d.pos
		for j := 0; j < len(word) && i < len(d.s) && d.s[i] == word[j]; j++ {
			i++
		}
		if i == len(d.s) {
			return d.eof()
		}
		return d.fail(i, "invalid literal, expected "+word)
	}
	d.pos += len(word)
	return nil
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// scanNumber checks the syntax of a number (RFC 8259: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?).
func (d *decoder) scanNumber() error {
	s := d.s
	i := d.pos
	if s[i] == '-' {
		i++
	}
	if i >= len(s) {
		return d.eof()
	}
	switch {
	case s[i] == '0':
		i++
		if i < len(s) && isDigit(s[i]) {
			return d.fail(i, "leading zero in number")
		}
	case isDigit(s[i]):
		for i < len(s) && isDigit(s[i]) {
			i++
		}
	default:
		return d.fail(i, "expected a digit, found "+describe(s[i]))
	}
	if i < len(s) && s[i] == '.' {
		i++
		if i >= len(s) {
			return d.eof()
		}
		if !isDigit(s[i]) {
			return d.fail(i, "expected a digit after the decimal point, found "+describe(s[i]))
		}
		for i < len(s) && isDigit(s[i]) {
			i++
		}
	}
	if i < len(s) && s[i]|0x20 == 'e' {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if i >= len(s) {
			return d.eof()
		}
		if !isDigit(s[i]) {
			return d.fail(i, "expected a digit in the exponent, found "+describe(s[i]))
		}
		for i < len(s) && isDigit(s[i]) {
			i++
		}
	}
	d.pos = i
	return nil
}

// strClass classifies string bytes: 0 plain, 1 ends the fast scan ('"', '\\', control), 2 non-ASCII.
var strClass = func() (t [256]byte) {
	for c := 0; c < 0x20; c++ {
		t[c] = 1
	}
	t['"'], t['\\'] = 1, 1
	for c := 0x80; c < 0x100; c++ {
		t[c] = 2
	}
	return t
}()

// rawRun returns where the run of plain string bytes starting at i ends (at a quote, backslash
// or control byte, or len(s)) and whether the run holds non-ASCII bytes (to check as UTF-8).
func rawRun(s string, i int) (int, bool) {
	high := false
	for ; i < len(s); i++ {
		if c := strClass[s[i]]; c != 0 {
			if c == 1 {
				break
			}
			high = true
		}
	}
	return i, high
}

// scanString checks the string starting at the quote at d.pos: no raw control characters, valid
// escapes, valid UTF-8. A string with escapes is unescaped into the arena.
func (d *decoder) scanString() error {
	s := d.s
	start := d.pos + 1
	i, high := rawRun(s, start)
	if i >= len(s) {
		return d.eof()
	}
	switch s[i] {
	case '"':
		if high && !utf8.ValidString(s[start:i]) {
			return d.badUTF8(start, i)
		}
		if d.copyAll {
			d.arena = append(d.arena, s[start:i]...)
			d.strLens = append(d.strLens, i-start)
		}
		d.pos = i + 1
		return nil
	case '\\':
		if high && !utf8.ValidString(s[start:i]) {
			return d.badUTF8(start, i)
		}
		return d.scanEscaped(start, i)
	}
	return d.fail(i, "control character "+describe(s[i])+" in string")
}

// badUTF8 reports the first invalid UTF-8 sequence in s[from:to].
func (d *decoder) badUTF8(from, to int) error {
	for i := from; i < to; {
		r, n := utf8.DecodeRuneInString(d.s[i:to])
		if r == utf8.RuneError && n <= 1 {
			return d.fail(i, "invalid UTF-8 in string")
		}
		i += n
	}
	return d.fail(from, "invalid UTF-8 in string")
}

// scanEscaped continues scanning a string whose content starts at start at its first backslash, at
// i, unescaping it into the arena.
func (d *decoder) scanEscaped(start, i int) error {
	s := d.s
	off := len(d.arena)
	seg := start // start of the raw run not yet copied
	for {
		// Here s[i] is a backslash and s[seg:i] is valid UTF-8.
		d.arena = append(d.arena, s[seg:i]...)
		if i+1 >= len(s) {
			return d.eof()
		}
		switch e := s[i+1]; e {
		case '"', '\\', '/':
			d.arena = append(d.arena, e)
			i += 2
		case 'b':
			d.arena = append(d.arena, '\b')
			i += 2
		case 'f':
			d.arena = append(d.arena, '\f')
			i += 2
		case 'n':
			d.arena = append(d.arena, '\n')
			i += 2
		case 'r':
			d.arena = append(d.arena, '\r')
			i += 2
		case 't':
			d.arena = append(d.arena, '\t')
			i += 2
		case 'u':
			r, err := d.hex4(i + 2)
			if err != nil {
				return err
			}
			next := i + 6
			switch {
			case r >= 0xD800 && r < 0xDC00: // high surrogate: a low one must follow
				if next+1 < len(s) && s[next] == '\\' && s[next+1] == 'u' {
					lo, err := d.hex4(next + 2)
					if err != nil {
						return err
					}
					if lo >= 0xDC00 && lo < 0xE000 {
						r = 0x10000 + (r-0xD800)<<10 + (lo - 0xDC00)
						next += 6
						break
					}
				} else if next >= len(s) || s[next] == '\\' && next+1 >= len(s) {
					return d.eof()
				}
				return d.fail(i, "lone surrogate in \\u escape")
			case r >= 0xDC00 && r < 0xE000:
				return d.fail(i, "lone surrogate in \\u escape")
			}
			d.arena = utf8.AppendRune(d.arena, r)
			i = next
		default:
			return d.fail(i, "invalid escape '\\"+string(rune(e))+"'")
		}
		// Scan the next raw run.
		seg = i
		var high bool
		i, high = rawRun(s, i)
		if i >= len(s) {
			return d.eof()
		}
		if high && !utf8.ValidString(s[seg:i]) {
			return d.badUTF8(seg, i)
		}
		switch s[i] {
		case '"':
			d.arena = append(d.arena, s[seg:i]...)
			d.strLens = append(d.strLens, ^(len(d.arena) - off))
			d.pos = i + 1
			return nil
		case '\\':
			continue
		}
		return d.fail(i, "control character "+describe(s[i])+" in string")
	}
}

// hex4 parses the 4 hex digits of a \u escape at i.
func (d *decoder) hex4(i int) (rune, error) {
	var r rune
	for j := i; j < i+4; j++ {
		if j >= len(d.s) {
			return 0, d.eof()
		}
		c := d.s[j]
		switch {
		case c >= '0' && c <= '9':
			r = r<<4 | rune(c-'0')
		case c|0x20 >= 'a' && c|0x20 <= 'f':
			r = r<<4 | rune(c|0x20-'a'+10)
		default:
			return 0, d.fail(j, "invalid hex digit "+describe(c)+" in \\u escape")
		}
	}
	return r, nil
}

// Pass 2: build the result from input known to be valid.

// buildInto parses the value at d.pos (whitespace already skipped) into *p, which must be zero
// (null needs no write).
func (d *decoder) buildInto(p *Value) {
	switch c := d.s[d.pos]; c {
	case '{':
		p.setRecord(d.buildObject())
	case '[':
		p.setArray(d.buildArray())
	case '"':
		p.setText(String, d.buildString())
	case 't':
		d.pos += 4
		p.setScalar(Bool, 1)
	case 'f':
		d.pos += 5
		p.setScalar(Bool, 0)
	case 'n':
		d.pos += 4
	default:
		p.setScalar(d.buildNumber())
	}
}

// buildString returns the string at d.pos: a substring of the input, or the next arena string when
// it has escapes or the input is borrowed.
func (d *decoder) buildString() string {
	s := d.s
	start := d.pos + 1
	var n int
	if d.copyAll { // every string is in the arena; one without escapes has the same length in s
		n = d.strLens[d.nextStr]
		d.nextStr++
		if n >= 0 {
			d.pos = start + n + 1
		} else {
			n = ^n
			d.pos = endOfEscaped(s, start)
		}
	} else {
		i := start
		for s[i] != '"' && s[i] != '\\' {
			i++
		}
		if s[i] == '"' {
			d.pos = i + 1
			return s[start:i]
		}
		d.pos = endOfEscaped(s, i)
		n = ^d.strLens[d.nextStr]
		d.nextStr++
	}
	str := d.arenaStr[d.arenaOff : d.arenaOff+n]
	d.arenaOff += n
	return str
}

// endOfEscaped returns the position after the closing quote of a valid string whose content is
// being scanned at i.
func endOfEscaped(s string, i int) int {
	for s[i] != '"' {
		if s[i] == '\\' {
			i++ // the escaped character is never the closing quote
		}
		i++
	}
	return i + 1
}

// buildNumber parses a number: an integer literal is an Int when negative, else a Uint, and a Float
// when it does not fit; anything with a fraction or exponent is a Float.
func (d *decoder) buildNumber() (Kind, uint64) {
	s := d.s
	start := d.pos
	i := start
	neg := s[i] == '-'
	if neg {
		i++
	}
	var u uint64
	overflow := false
	for ; i < len(s) && isDigit(s[i]); i++ {
		dg := uint64(s[i] - '0')
		if u > (math.MaxUint64-dg)/10 {
			overflow = true
		} else {
			u = u*10 + dg
		}
	}
	isFloat := false
	if i < len(s) && s[i] == '.' {
		for i++; i < len(s) && isDigit(s[i]); i++ {
		}
		isFloat = true
	}
	if i < len(s) && s[i]|0x20 == 'e' {
		i++
		if s[i] == '+' || s[i] == '-' {
			i++
		}
		for i < len(s) && isDigit(s[i]) {
			i++
		}
		isFloat = true
	}
	d.pos = i
	switch {
	case isFloat || overflow || neg && u > 1<<63:
		// The syntax is checked: the only error left is overflow, which rounds to ±Inf as Rust's
		// f64 parsing does, so canonical output holding an infinity (1.797693134862316e308) reads back.
		f, _ := strconv.ParseFloat(s[start:i], 64)
		return Float, math.Float64bits(f)
	case neg:
		return Int, -u // two's complement: -(1<<63) is math.MinInt64
	}
	return Uint, u
}

// region takes the slots of the next container.
func (d *decoder) region() []Value {
	n := d.sizes[d.nextSize]
	d.nextSize++
	start := d.next
	d.next += n
	return d.slab[start : start+n : start+n]
}

func (d *decoder) buildObject() *Rec {
	rec := &d.recs[d.nextRec]
	d.nextRec++
	kv := d.region()
	d.pos++
	d.skipWS()
	if d.s[d.pos] == '}' {
		d.pos++
		return rec
	}
	j := 0
	for {
		key := d.buildString()
		d.skipWS()
		d.pos++ // ':'
		d.skipWS()
		// A repeated key keeps its first position and takes the later value.
		dup := -1
		if rec.idx != nil {
			if p, ok := rec.idx[key]; ok {
				dup = p
			}
		} else {
			for k := 0; k < j; k += 2 {
				if kv[k].key() == key {
					dup = k / 2
					break
				}
			}
		}
		if dup >= 0 {
			kv[2*dup+1] = Value{}
			d.buildInto(&kv[2*dup+1])
		} else {
			kv[j].setText(String, key)
			d.buildInto(&kv[j+1])
			j += 2
			if rec.idx != nil {
				rec.idx[key] = j/2 - 1
			} else if j > 2*indexThreshold {
				rec.kv = kv[:j]
				rec.buildIndex()
			}
		}
		d.skipWS()
		if d.s[d.pos] == '}' {
			d.pos++
			break
		}
		d.pos++ // ','
		d.skipWS()
	}
	rec.kv = kv[:j:j]
	return rec
}

func (d *decoder) buildArray() []Value {
	items := d.region()
	d.pos++
	d.skipWS()
	if d.s[d.pos] == ']' {
		d.pos++
		return nil
	}
	for j := 0; ; j++ {
		d.buildInto(&items[j])
		d.skipWS()
		if d.s[d.pos] == ']' {
			d.pos++
			break
		}
		d.pos++ // ','
		d.skipWS()
	}
	return items
}
