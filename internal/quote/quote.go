// Package quote shows untrusted input inside error and problem messages:
// clipped, so that a 50 MB line does not become a 50 MB message, and with
// control characters escaped, so that a message stays one line of text.
//
// Every reader of site files that quotes what it read uses Q (or QBytes);
// it must not import anything but the standard library.
package quote

import (
	"strconv"
	"unicode"
	"unicode/utf8"
)

// Max is the most bytes of escaped input Q shows.
const Max = 120

// Q returns s double-quoted with Go escapes (control characters, invalid
// UTF-8, quotes and backslashes escaped). When the escaped text would be
// longer than Max bytes it is cut at a character boundary and followed by
// "…(N bytes)", N being the length of the whole input. Its cost does not
// depend on len(s).
func Q(s string) string { return q(s, len(s)) }

// QBytes is Q for a byte slice; it copies only what it may show.
func QBytes(b []byte) string {
	// Every input byte escapes to at least one byte: 4*Max is plenty.
	return q(string(b[:min(len(b), 4*Max)]), len(b))
}

func q(s string, total int) string {
	const hex = "0123456789abcdef"
	buf := make([]byte, 0, min(len(s), Max)+24)
	buf = append(buf, '"')
	i := 0
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		var tmp [16]byte
		var piece []byte
		switch {
		case r == utf8.RuneError && size == 1:
			piece = append(tmp[:0], '\\', 'x', hex[s[i]>>4], hex[s[i]&15])
		case r == '"':
			piece = append(tmp[:0], '\\', '"')
		case r == '\'':
			piece = append(tmp[:0], '\'')
		default:
			qr := strconv.AppendQuoteRune(tmp[:0], r) // 'x', escaped
			piece = qr[1 : len(qr)-1]
		}
		if len(buf)-1+len(piece) > Max {
			break
		}
		buf = append(buf, piece...)
		i += size
	}
	buf = append(buf, '"')
	if i < total {
		buf = append(buf, "…("...)
		buf = strconv.AppendInt(buf, int64(total), 10)
		buf = append(buf, " bytes)"...)
	}
	return string(buf)
}

// Message returns a message from another parser (which may quote input)
// as is when it is short and printable, else as Q shows it.
func Message(s string) string { return plainOr(s, 2*Max) }

// Name returns a name read from the input (a bond, an interface, a team)
// for a message: as is when it is at most Max bytes of printable text
// without quotes or backslashes, else as Q shows it (quoted, escaped,
// clipped).
func Name(s string) string { return plainOr(s, Max) }

func plainOr(s string, limit int) string {
	if len(s) > limit {
		return Q(s)
	}
	for _, r := range s {
		if r == utf8.RuneError || r == '"' || r == '\\' || !unicode.IsPrint(r) {
			return Q(s)
		}
	}
	return s
}

// MaxMessage bounds a whole message composed around input (Clip).
const MaxMessage = 1024

// Clip bounds a composed message to MaxMessage bytes: a longer one is cut
// at a character boundary and followed by "…(N bytes in all)". It is for
// messages whose parts were not quoted through Q one by one (a decoder
// formatting a walk value into its sentence), so that no input, however
// large, is copied whole into a report.
func Clip(s string) string {
	if len(s) <= MaxMessage {
		return s
	}
	cut := MaxMessage - 32
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…(" + strconv.Itoa(len(s)) + " bytes in all)"
}
