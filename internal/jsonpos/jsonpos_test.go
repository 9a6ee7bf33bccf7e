package jsonpos

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/valyala/fastjson"
)

func TestLineCol(t *testing.T) {
	data := []byte("{\n  \"é\": 1,\n  \"b\": x\n}")
	for _, tc := range []struct {
		off       int64
		line, col int
	}{{0, 1, 1}, {1, 1, 2}, {2, 2, 1}, {int64(strings.Index(string(data), "1")), 2, 8}, {int64(strings.Index(string(data), "x")), 3, 8}, {1 << 40, 4, 2}} {
		if l, c := LineCol(data, tc.off); l != tc.line || c != tc.col {
			t.Errorf("offset %d: %d:%d, want %d:%d", tc.off, l, c, tc.line, tc.col)
		}
	}
}

// TestWrap: the same bad input gives the same line:column whether
// encoding/json or fastjson found the problem.
func TestWrap(t *testing.T) {
	for _, tc := range []struct {
		name, in, want string
	}{
		{"syntax", "[\n {\"a\": 1,}\n]", "f:2:10: invalid JSON: invalid character '}'"},
		{"trailing garbage", "[1,\n2]\ngarbage\n", "f:3:1: invalid JSON: data after the end of the JSON value"},
		{"trailing value", "{}\n  {}", "f:2:3: invalid JSON: data after the end"},
		{"truncated", "[\n{\"a\": [1, 2", "f:2:12: invalid JSON: file ends early (truncated?)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var x any
			jerr := json.Unmarshal([]byte(tc.in), &x)
			_, ferr := fastjson.Parse(tc.in)
			if jerr == nil || ferr == nil {
				t.Fatalf("parsers accept %q: %v %v", tc.in, jerr, ferr)
			}
			for _, err := range []error{jerr, ferr} {
				if got := Wrap("f", []byte(tc.in), err).Error(); !strings.HasPrefix(got, tc.want) {
					t.Errorf("%T: %s, want %s…", err, got, tc.want)
				}
			}
		})
	}
}

func TestWrapTypeError(t *testing.T) {
	in := "{\n \"a\": {\"b\": \"x\"}\n}"
	var v struct{ A struct{ B uint8 } }
	err := Wrap("f", []byte(in), json.Unmarshal([]byte(in), &v))
	if err.Line != 2 || !strings.Contains(err.Msg, "string") || !strings.Contains(err.Msg, "0-255") {
		t.Errorf("%v", err)
	}
}

// TestWrapTypeErrorColumn: a wrongly typed value is shown where it starts.
func TestWrapTypeErrorColumn(t *testing.T) {
	type S struct {
		A string
		B uint8
		D []int
	}
	for in, col := range map[string]int{
		`{"A": 12345}`:    7,
		`{"B": "x\\\"y"}`: 7,
		`{"B": 319}`:      7,
		`{"A": {"k": 1}}`: 7,
		`{"A": [1, 2]}`:   7,
		`{"D": {"a": 1}}`: 7,
		`{"D": [1, "x"]}`: 11,
		`{"A": true}`:     7,
	} {
		var s S
		err := Wrap("f", []byte(in), json.Unmarshal([]byte(in), &s))
		if err.Line != 1 || err.Col != col {
			t.Errorf("%s: %v, want column %d", in, err, col)
		}
	}
}

func TestFind(t *testing.T) {
	data := []byte(`{"a": 1, "lldp": {"interface": [ {"x": 1},
	  {"eth0": {"chassis": "oops"}}]}, "z": [10, 20 , 30]}`)
	for _, tc := range []struct {
		path []any
		at   string
	}{
		{[]any{"lldp", "interface", 1, "eth0", "chassis"}, `"oops"`},
		{[]any{"lldp", "interface", 1}, `{"eth0"`},
		{[]any{"lldp", "interface", 0}, `{"x"`},
		{[]any{"z", 2}, `30]`},
		{[]any{"z", 0}, `10,`},
		{[]any{"a"}, `1,`},
	} {
		off, ok := Find(data, tc.path...)
		if !ok || !strings.HasPrefix(string(data[off:]), tc.at) {
			t.Errorf("%v: %v at %q", tc.path, ok, data[min(off, int64(len(data))):])
		}
	}
	for _, p := range [][]any{{"nope"}, {"z", 3}, {"a", "b"}, {"z", "x"}, {1.5}} {
		if _, ok := Find(data, p...); ok {
			t.Errorf("%v found", p)
		}
	}
}

func TestTrailing(t *testing.T) {
	data := []byte("{}\n\n  " + strings.Repeat("x", 1<<20))
	dec := json.NewDecoder(strings.NewReader(string(data)))
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatal(err)
	}
	err := Trailing("f", data, dec.InputOffset())
	if err == nil || err.Line != 3 || err.Col != 3 || len(err.Error()) > 300 {
		t.Errorf("%v", err)
	}
	if err := Trailing("f", []byte("{} \n"), 2); err != nil {
		t.Errorf("white space reported: %v", err)
	}
}
