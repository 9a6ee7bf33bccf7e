// Package escape is bondaudit's one escaping policy for names that come
// from untrusted input: host names and hostname files, bond and NIC names,
// LLDP/CDP system names, port IDs and descriptions, sysName, ifName and
// ifAlias. Hosts write these into the site and anything on the wire can set
// them, so every writer passes them through this package before they reach
// an output, one function per kind of output:
//
//   - Text, for everything a person reads on a terminal or in a log (the
//     text reports of audit, topology, whatif and diff; labels of the
//     pictures; messages in JUnit; HTML text): every control character
//     (C0 including newline, carriage return, tab and ESC; DEL; C1), the
//     Unicode bidi controls and line separators, and every byte that is not
//     valid UTF-8 are shown visibly (\n, \x1b, \u202e), and a backslash is
//     doubled, so the shown text is never an escape sequence, never a second
//     line, and two different names never look the same. Its output is
//     always valid UTF-8 and valid XML 1.0 character data.
//   - Markdown and MarkdownCode, for the Markdown reports: Text, then the
//     characters that would make a table cell, emphasis, a link, code, an
//     entity or HTML are backslash-escaped (or the text is put in a code span).
//   - JSON, for every JSON output: the data stays exact (a consumer reads
//     the name as the host reported it), but the few characters encoding/json
//     writes raw that a terminal or an editor would act on (DEL, C1, bidi
//     and other invisible format characters) are written as \u escapes.
//
// The markup formats keep their own encoders for their own syntax
// (html/template, encoding/xml, DOT quoting, Mermaid entity codes,
// Prometheus label escaping) and apply Text to the names first.
package escape

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

const hexDigits = "0123456789abcdef"

// visible reports whether r can be written as itself in text for a person.
func visible(r rune) bool {
	switch {
	case r < 0x20, r == 0x7f, r >= 0x80 && r <= 0x9f:
		return false
	case bidi(r), r == 0x2028, r == 0x2029, r == 0xfffe, r == 0xffff:
		// bidi controls, line and paragraph separators, and the two
		// noncharacters XML 1.0 forbids
		return false
	case r >= 0x80 && unicode.Is(unicode.Cf, r):
		// other invisible format characters (zero-width space and
		// joiners, soft hyphen, BOM, tag characters): web01 and
		// web\u200b01 must not look the same
		return false
	}
	return true
}

// bidi reports whether r is a Unicode bidirectional control, which
// reorders the text shown around it (Trojan Source): LRE, RLE, PDF, LRO,
// RLO (U+202A–U+202E), LRI, RLI, FSI, PDI (U+2066–U+2069) and the marks
// LRM, RLM and ALM.
func bidi(r rune) bool {
	return r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069 || r == 0x200e || r == 0x200f || r == 0x061c
}

// needsText reports whether Text would change s.
func needsText(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c == 0x7f || c == '\\' || c >= 0x80 {
			// non-ASCII: look closer (most names are ASCII)
			if c < 0x80 {
				return true
			}
			for _, r := range s[i:] {
				if r == utf8.RuneError || r == '\\' || !visible(r) {
					return true
				}
			}
			return false
		}
	}
	return false
}

// Text returns s as a person may see it: on one line, with every control
// character, bidi control, other invisible format character (zero-width
// space, soft hyphen, …), line separator and invalid UTF-8 byte shown as
// an escape (\n, \r, \t, \xNN for bytes and C0/C1 controls, \uNNNN for
// Unicode format characters) and a backslash shown as \\. Printable text,
// including non-ASCII letters, is unchanged.
func Text(s string) string {
	if !needsText(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			writeX(&b, s[i])
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20, r == 0x7f, r >= 0x80 && r <= 0x9f:
			writeX(&b, byte(r))
		case !visible(r):
			writeU(&b, r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

func writeX(b *strings.Builder, c byte) {
	b.WriteString(`\x`)
	b.WriteByte(hexDigits[c>>4])
	b.WriteByte(hexDigits[c&15])
}

// writeU writes r as \uNNNN, or \UNNNNNNNN beyond the Basic Multilingual
// Plane (the forms Go and JSON-with-surrogates readers know; JSONBytes only
// meets runes below U+10000).
func writeU(b interface{ WriteString(string) (int, error) }, r rune) {
	if r > 0xffff {
		b.WriteString(fmt.Sprintf(`\U%08x`, r))
		return
	}
	b.WriteString(fmt.Sprintf(`\u%04x`, r))
}

// Texts applies Text to each of ss.
func Texts(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = Text(s)
	}
	return out
}

// mdEscaper backslash-escapes the ASCII punctuation that Markdown (GitHub
// and GitLab flavoured) gives a meaning inline: emphasis, code, links and
// images, raw HTML and entities, table cells, headings' closing #,
// strikethrough. CommonMark renders a backslash-escaped punctuation
// character as itself.
var mdEscaper = strings.NewReplacer(
	`\`, `\\`, "`", "\\`", "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`, "<", `\<`, ">", `\>`,
	"|", `\|`, "&", `\&`, "#", `\#`, "~", `\~`,
)

// Markdown returns s for running Markdown text or a table cell: Text (so
// it is one line with no control characters), then every character with
// an inline meaning backslash-escaped, so it renders as the text it is.
func Markdown(s string) string { return mdEscaper.Replace(Text(s)) }

// MarkdownCode returns s as a Markdown code span: Text, fenced with more
// backticks than any run in s. Use it outside tables (a | inside a code
// span still splits a GitHub table cell).
func MarkdownCode(s string) string {
	s = Text(s)
	longest, run := 0, 0
	for _, c := range s {
		if c == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	fence := strings.Repeat("`", longest+1)
	if longest > 0 || strings.HasPrefix(s, " ") || strings.HasSuffix(s, " ") {
		return fence + " " + s + " " + fence
	}
	return fence + s + fence
}

// JSONBytes rewrites encoded JSON so that it carries none of the characters
// Text would escape raw (encoding/json already escapes C0 and U+2028/9):
// DEL, C1 controls, bidi and other format characters each become a \u
// escape inside their string, which decodes to the same value. b must be JSON as encoding/json writes it
// (valid UTF-8; those characters occur only inside strings).
func JSONBytes(b []byte) []byte {
	clean := true
	for i := 0; i < len(b); i++ {
		if b[i] == 0x7f || b[i] >= 0x80 {
			clean = false
			break
		}
	}
	if clean {
		return b
	}
	var out bytes.Buffer
	out.Grow(len(b) + 16)
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r >= 0x7f && r != utf8.RuneError && !visible(r) {
			if r > 0xffff {
				hi, lo := utf16.EncodeRune(r)
				writeU(&out, hi)
				writeU(&out, lo)
			} else {
				writeU(&out, r)
			}
		} else {
			out.Write(b[i : i+size])
		}
		i += size
	}
	return out.Bytes()
}

// jsonPlainASCII[c] is set for the ASCII bytes encoding/json writes as
// they are (with HTML escaping) and JSONBytes leaves alone.
var jsonPlainASCII = func() (t [utf8.RuneSelf]bool) {
	for c := 0x20; c < 0x7f; c++ {
		t[c] = c != '"' && c != '\\' && c != '<' && c != '>' && c != '&'
	}
	return t
}()

// JSONPlain reports whether JSON (encoding/json with HTML escaping, then
// JSONBytes) writes the string s as itself between quotes: no byte JSON or
// HTML escapes, valid UTF-8, and no character JSONBytes escapes. Writers
// that append JSON by hand copy such a string as it is.
func JSONPlain(s string) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if !jsonPlainASCII[c] {
				return false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || !visible(r) {
			return false
		}
		i += size
	}
	return true
}

// jsonWriter passes each write through JSONBytes. json.Encoder writes each
// value in one Write, so no character is split between writes.
type jsonWriter struct{ w io.Writer }

func (j jsonWriter) Write(p []byte) (int, error) {
	if _, err := j.w.Write(JSONBytes(p)); err != nil {
		return 0, err
	}
	return len(p), nil
}

// JSON returns an encoder writing indented JSON to w with the escaping of
// JSONBytes: every JSON output of bondaudit is written through it.
func JSON(w io.Writer) *json.Encoder {
	enc := json.NewEncoder(jsonWriter{w})
	enc.SetIndent("", "  ")
	return enc
}
