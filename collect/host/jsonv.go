package host

import (
	"strconv"
	"strings"

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
func parseJSON(data []byte, file string) (*fastjson.Value, func(), error) {
	p := parsers.Get()
	v, err := p.ParseBytes(data)
	if err != nil {
		parsers.Put(p)
		return nil, nil, jsonError(file, data, err)
	}
	return v, func() { parsers.Put(p) }, nil
}

// jstr returns the string at keys ("" when absent or null; numbers as text).
func jstr(v *fastjson.Value, keys ...string) string {
	x := v.Get(keys...)
	if x == nil {
		return ""
	}
	switch x.Type() {
	case fastjson.TypeString:
		b, _ := x.StringBytes()
		return internShort(b, 16)
	case fastjson.TypeNumber, fastjson.TypeTrue, fastjson.TypeFalse:
		return x.String()
	}
	return ""
}

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
		n, _ := strconv.Atoi(strings.TrimSpace(string(b)))
		return n
	}
	return 0
}
