package quote

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestQ(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", `""`},
		{"eth0", `"eth0"`},
		{"a\"b\\c'd", `"a\"b\\c'd"`},
		{"\x1b]0;pwned\x07\nnext", `"\x1b]0;pwned\a\nnext"`},
		{"caf\xc3\xa9 \xff", `"café \xff"`},
		{"\u202e", `"\u202e"`},
	} {
		if got := Q(tc.in); got != tc.want {
			t.Errorf("Q(%q) = %s, want %s", tc.in, got, tc.want)
		}
		// What is shown unclipped reads back as the input.
		if back, err := strconv.Unquote(Q(tc.in)); err != nil || back != tc.in {
			t.Errorf("Q(%q) does not unquote back: %q %v", tc.in, back, err)
		}
	}
}

func TestQClips(t *testing.T) {
	for _, in := range []string{
		strings.Repeat("x", 50<<20),
		strings.Repeat("\x00", 1000),
		strings.Repeat("é", 1000),
		strings.Repeat("\xff", 1000),
	} {
		for _, got := range []string{Q(in), QBytes([]byte(in))} {
			if len(got) > Max+40 {
				t.Errorf("%d-byte input shown in %d bytes: %.200s", len(in), len(got), got)
			}
			want := "…(" + strconv.Itoa(len(in)) + " bytes)"
			if !strings.HasSuffix(got, want) {
				t.Errorf("%.200s does not end with %s", got, want)
			}
			if strings.ContainsAny(got, "\x00\n\r\x1b") {
				t.Errorf("control characters shown raw: %q", got)
			}
			body := got[:strings.LastIndex(got, "…(")]
			if _, err := strconv.Unquote(body); err != nil {
				t.Errorf("clipped %s is not a whole quoted string: %v", body, err)
			}
		}
	}
	exact := strings.Repeat("y", Max)
	if got := Q(exact); got != `"`+exact+`"` {
		t.Errorf("a %d-byte input is clipped: %s", Max, got)
	}
}

func TestNameAndMessage(t *testing.T) {
	for in, want := range map[string]string{
		"bond0":                    "bond0",
		"Ethernet1/7 (leaf 1)":     "Ethernet1/7 (leaf 1)",
		"bond\x1b[31m0":            `"bond\x1b[31m0"`,
		"eth\n0":                   `"eth\n0"`,
		`a"b`:                      `"a\"b"`,
		"\xff":                     `"\xff"`,
		strings.Repeat("n", Max+1): `"` + strings.Repeat("n", Max) + `"…(121 bytes)`,
	} {
		if got := Name(in); got != want {
			t.Errorf("Name(%q) = %s, want %s", in, got, want)
		}
	}
	if got := Message(strings.Repeat("m", 2*Max)); got != strings.Repeat("m", 2*Max) {
		t.Errorf("short message changed: %s", got)
	}
	if got := Message("json: unknown field \"\x1b\""); got != `"json: unknown field \"\x1b\""` {
		t.Errorf("message with a control character: %s", got)
	}
}

func TestClip(t *testing.T) {
	short := strings.Repeat("x", MaxMessage)
	if Clip(short) != short {
		t.Error("a message of MaxMessage bytes was clipped")
	}
	long := strings.Repeat("é", MaxMessage) // 2 bytes a character
	got := Clip(long)
	if len(got) > MaxMessage || !utf8.ValidString(got) || !strings.HasSuffix(got, fmt.Sprintf("…(%d bytes in all)", len(long))) {
		t.Errorf("Clip of %d bytes: %d bytes, valid UTF-8 %v, ends %q", len(long), len(got), utf8.ValidString(got), got[len(got)-30:])
	}
}
