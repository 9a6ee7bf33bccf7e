// Package jsonpos places problems in JSON input at a line and column, the
// way an editor shows them, instead of at a byte offset: for errors from
// encoding/json (*json.SyntaxError, *json.UnmarshalTypeError), from
// valyala/fastjson (whose errors carry no position: the input is checked
// again with encoding/json to find it), and for values a reader rejects
// after parsing (Find locates them by their path).
//
// It must not import anything outside the standard library and
// internal/quote.
package jsonpos

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/bondaudit/bondaudit/internal/quote"
)

// Error is a problem in a JSON file. Line and Col are 1-based; both are 0
// when the position is unknown. Col counts characters, not bytes.
type Error struct {
	File      string
	Line, Col int
	Msg       string
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Col, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Msg)
}

// LineCol converts a byte offset in data into a 1-based line and column
// (in characters). Offsets past the end are taken as the end.
func LineCol(data []byte, off int64) (line, col int) {
	off = max(0, min(off, int64(len(data))))
	head := data[:off]
	line = 1 + bytes.Count(head, []byte("\n"))
	if i := bytes.LastIndexByte(head, '\n'); i >= 0 {
		head = head[i+1:]
	}
	return line, 1 + utf8.RuneCount(head)
}

// At returns an *Error at offset off of data.
func At(file string, data []byte, off int64, format string, args ...any) *Error {
	l, c := LineCol(data, off)
	return &Error{File: file, Line: l, Col: c, Msg: fmt.Sprintf(format, args...)}
}

// Wrap turns a decoding error for data (read from file) into an *Error
// with a line and column: err may come from encoding/json or from any
// other parser of the same bytes (fastjson); for the latter, data is
// checked again with encoding/json to find where it goes wrong. Messages
// never quote more than a clipped excerpt of the input.
func Wrap(file string, data []byte, err error) *Error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return syntaxError(file, data, se)
	case errors.As(err, &te):
		what := te.Value
		if te.Field != "" {
			what += " at " + quote.Q(te.Field)
		}
		return At(file, data, valueStart(data, te.Offset), "wrong type: %s where %s is expected", what, goTypeName(te))
	}
	if jerr := json.Unmarshal(data, new(json.RawMessage)); errors.As(jerr, &se) {
		return syntaxError(file, data, se)
	}
	// Valid for encoding/json but not for the other parser (nesting
	// deeper than it allows, for one): no position to give.
	return &Error{File: file, Msg: "invalid JSON: " + clipMsg(err.Error())}
}

// valueStart turns the offset an *json.UnmarshalTypeError gives (just
// after a scalar, or just after the opening bracket of a list or object)
// into the offset where the value starts.
func valueStart(data []byte, off int64) int64 {
	off = max(0, min(off, int64(len(data))))
	if off == 0 {
		return 0
	}
	switch c := data[off-1]; {
	case c == '[' || c == '{':
		return off - 1
	case c == '"':
		for j := off - 2; j >= 0; j-- {
			if data[j] != '"' {
				continue
			}
			bs := int64(0)
			for k := j - 1; k >= 0 && data[k] == '\\'; k-- {
				bs++
			}
			if bs%2 == 0 {
				return j
			}
		}
		return off
	}
	j := off
	for j > 0 && strings.IndexByte("+-.0123456789eEaflnrstu", data[j-1]) >= 0 {
		j--
	}
	return j
}

func syntaxError(file string, data []byte, se *json.SyntaxError) *Error {
	msg := se.Error()
	switch {
	case se.Offset >= int64(len(data)) || msg == "unexpected end of JSON input":
		return At(file, data, int64(len(data)), "invalid JSON: file ends early (truncated?)")
	case strings.HasSuffix(msg, "after top-level value"):
		// The offset is just past the first byte that is not allowed.
		return At(file, data, se.Offset-1, "invalid JSON: data after the end of the JSON value (trailing garbage)")
	}
	return At(file, data, se.Offset-1, "invalid JSON: %s", clipMsg(msg))
}

// Trailing reports data after the JSON value that ends at off (as
// json.Decoder.InputOffset gives it): nil when only white space follows.
func Trailing(file string, data []byte, off int64) *Error {
	rest := data[max(0, min(off, int64(len(data)))):]
	trimmed := bytes.TrimLeft(rest, " \t\r\n")
	if len(trimmed) == 0 {
		return nil
	}
	at := int64(len(data) - len(trimmed))
	if len(trimmed) <= 4*quote.Max {
		trimmed = bytes.TrimRight(trimmed, " \t\r\n")
	}
	return At(file, data, at, "invalid JSON: data after the end of the JSON value (trailing garbage): %s", quote.QBytes(trimmed))
}

// Find returns the offset where the value at path starts in data: each
// step is an object key (string, first match as fastjson finds it) or an
// array index (int). ok is false when data has no such value.
func Find(data []byte, path ...any) (off int64, ok bool) {
	dec := json.NewDecoder(bytes.NewReader(data))
	for _, step := range path {
		tok, err := dec.Token()
		if err != nil {
			return 0, false
		}
		switch s := step.(type) {
		case string:
			if tok != json.Delim('{') {
				return 0, false
			}
			for {
				k, err := dec.Token()
				if err != nil || k == json.Delim('}') {
					return 0, false
				}
				if k == s {
					break
				}
				if skip(dec) != nil {
					return 0, false
				}
			}
		case int:
			if tok != json.Delim('[') {
				return 0, false
			}
			for i := 0; i < s; i++ {
				if !dec.More() || skip(dec) != nil {
					return 0, false
				}
			}
			if !dec.More() {
				return 0, false
			}
		default:
			return 0, false
		}
	}
	off = dec.InputOffset()
	for off < int64(len(data)) && strings.IndexByte(" \t\r\n:,", data[off]) >= 0 {
		off++
	}
	return off, true
}

func skip(dec *json.Decoder) error {
	var raw json.RawMessage
	err := dec.Decode(&raw)
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}

func goTypeName(te *json.UnmarshalTypeError) string {
	if te.Type == nil {
		return "another type"
	}
	switch k := te.Type.Kind().String(); k {
	case "slice", "array":
		return "a list"
	case "struct", "map":
		return "an object"
	case "uint8":
		return "a number 0-255"
	default:
		if strings.HasPrefix(k, "int") || strings.HasPrefix(k, "uint") || strings.HasPrefix(k, "float") {
			return "a number that fits " + k
		}
		return "a " + k
	}
}

func clipMsg(s string) string { return quote.Message(s) }
