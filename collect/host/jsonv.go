package host

import (
	"bytes"
	"strconv"

	"github.com/valyala/fastjson"
)

// JSON inputs are parsed with fastjson into a reusable value tree: on a
// 10,000-host site the ip-link and lldpcli JSON are over half the bytes,
// and reflection-based decoding was the largest cost of an audit. Parsers
// are pooled; values must not outlive release.
var parsers fastjson.ParserPool

// parseJSON parses data; the error names the file and the line and column
// (fastjson gives no position: jsonError finds it). Anything but white
// space after the value is an error (fastjson's "unexpected tail").
// The caller gives the parser back (parsers.Put) when done with v.
func parseJSON(data []byte, file string) (*fastjson.Value, *fastjson.Parser, error) {
	p := parsers.Get()
	v, err := p.ParseBytes(data)
	if err != nil {
		parsers.Put(p)
		return nil, nil, jsonError(file, data, err)
	}
	return v, p, nil
}

// jstr returns the string at keys ("" when absent or null; numbers as text).
func jstr(v *fastjson.Value, keys ...string) string {
	return internShort(jtext(v.Get(keys...)), 16)
}

// jtext is x's text as jstr gives it, without making it a string: a
// string's bytes (valid while the parser is), a number's or boolean's JSON
// text (not to be changed); nil when x is absent or not a scalar.
func jtext(x *fastjson.Value) []byte {
	if x == nil {
		return nil
	}
	switch x.Type() {
	case fastjson.TypeString:
		b, _ := x.StringBytes()
		return b
	case fastjson.TypeTrue:
		return jsonTrue
	case fastjson.TypeFalse:
		return jsonFalse
	case fastjson.TypeNumber:
		return x.MarshalTo(nil)
	}
	return nil
}

var jsonTrue, jsonFalse = []byte("true"), []byte("false")

// internShort is b as a string, interned when it is at most n bytes: the
// words of ip-link (interface names, kinds, states, modes) and lldpcli
// (switch names, port names, the switch's chassis MAC) recur from host to
// host; a NIC's own MAC (17 bytes) is unique to its host and is not put
// in the interning table.
func internShort(b []byte, n int) string {
	if len(b) <= n {
		return internBytes(b)
	}
	return string(b)
}

// jint returns the integer at keys: a number or a numeric string (iproute2
// prints some options either way), 0 otherwise.
func jint(v *fastjson.Value, keys ...string) int {
	x := v.Get(keys...)
	if x == nil {
		return 0
	}
	switch x.Type() {
	case fastjson.TypeNumber:
		n, err := x.Int()
		if err != nil {
			f, _ := x.Float64()
			return int(f)
		}
		return n
	case fastjson.TypeString:
		b, _ := x.StringBytes()
		n, _ := strconv.Atoi(string(bytes.TrimSpace(b)))
		return n
	}
	return 0
}
