package escape

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestText(t *testing.T) {
	for in, want := range map[string]string{
		"web01":                      "web01",
		"Ethernet1/7 (uplink)":       "Ethernet1/7 (uplink)",
		"zürich-ö1":                  "zürich-ö1",
		"a\nERROR lacp.x":            `a\nERROR lacp.x`,
		"a\r\tb":                     `a\r\tb`,
		"\x1b[2J":                    `\x1b[2J`,
		"\x1b]8;;http://evil\x1b\\x": `\x1b]8;;http://evil\x1b\\x`,
		"del\x7f c1\u0085\u009b":     `del\x7f c1\x85\x9b`,
		"abc\u202egpj.exe":           `abc\u202egpj.exe`,
		"\u2066\u2069\u200f\u2028":   `\u2066\u2069\u200f\u2028`,
		"bad\xff\xc3(":               `bad\xff\xc3(`,
		`back\slash`:                 `back\\slash`,
		"\x00\x01\x1f":               `\x00\x01\x1f`,
		"web\u200b01\u00ad\ufeff":    `web\u200b01\u00ad\ufeff`,
		"\U000e0041 tag":             `\U000e0041 tag`,
		"replacement \uFFFD stays":   "replacement \uFFFD stays",
	} {
		got := Text(in)
		if got != want {
			t.Errorf("Text(%q) = %q, want %q", in, got, want)
		}
		if !utf8.ValidString(got) {
			t.Errorf("Text(%q) is not valid UTF-8", in)
		}
		for _, r := range got {
			if !visible(r) {
				t.Errorf("Text(%q) keeps %U", in, r)
			}
		}
	}
	// injective on the cases that would otherwise collide
	if Text("a\n") == Text(`a\n`) || Text("\x1b") == Text(`\x1b`) {
		t.Error("a control character and its escape's text look the same")
	}
}

func TestMarkdown(t *testing.T) {
	got := Markdown("a|b <script>&amp; *x* _y_ [l](u) `c` #h ~s~ \\ \n")
	want := `a\|b \<script\>\&amp; \*x\* \_y\_ \[l\](u) \` + "`" + `c\` + "`" + ` \#h \~s\~ \\\\ \\n`
	if got != want {
		t.Errorf("Markdown = %q\nwant       %q", got, want)
	}
	if got := MarkdownCode("a ``` b\x1b"); got != "```` a ``` b\\x1b ````" {
		t.Errorf("MarkdownCode = %q", got)
	}
}

func TestJSON(t *testing.T) {
	in := map[string]string{"name": "x\x1b\x7f\u0085\u202e\u2066y\xff<&>\U000e0041"}
	var b bytes.Buffer
	if err := JSON(&b).Encode(in); err != nil {
		t.Fatal(err)
	}
	s := b.String()
	for _, bad := range []string{"\x1b", "\x7f", "\u0085", "\u202e", "\u2066", "\xff", "<", "\U000e0041"} {
		if strings.Contains(s, bad) {
			t.Errorf("JSON output %q carries %q raw", s, bad)
		}
	}
	var back map[string]string
	if err := json.Unmarshal(b.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	if want := "x\x1b\x7f\u0085\u202e\u2066y\uFFFD<&>\U000e0041"; back["name"] != want {
		t.Errorf("round trip = %q, want %q", back["name"], want)
	}
}

// jsonPlainOracle: JSON writes s as itself between quotes.
func jsonPlainOracle(t testing.TB, s string) bool {
	var b bytes.Buffer
	if err := JSON(&b).Encode(s); err != nil {
		t.Fatal(err)
	}
	return b.String() == `"`+s+"\"\n"
}

// TestJSONPlain: JSONPlain agrees with the encoder on every character of
// the Basic Multilingual Plane and beyond, alone and between letters, and
// on invalid UTF-8.
func TestJSONPlain(t *testing.T) {
	check := func(s string) {
		if got, want := JSONPlain(s), jsonPlainOracle(t, s); got != want {
			t.Errorf("JSONPlain(%q) = %v, the encoder says %v", s, got, want)
		}
	}
	for r := rune(0); r < 0x30000; r++ {
		if r < 0x3000 || r >= 0xfe00 && r <= 0xffff || r >= 0xe0000 || r%97 == 0 {
			check(string(r))
			check("a" + string(r) + "b")
		}
	}
	for r := rune(0xe0000); r < 0xe0100; r++ {
		check(string(r))
	}
	for _, s := range []string{"", "plain", "\xff", "a\xc3", "\xed\xa0\x80", "é→日本", "\ufffd", "\U0001F600"} {
		check(s)
	}
}

func FuzzJSONPlain(f *testing.F) {
	for _, s := range []string{"", "web01", "é→", "\u202e", "<a>", "\xff", "\u2028"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := JSONPlain(s), jsonPlainOracle(t, s); got != want {
			t.Errorf("JSONPlain(%q) = %v, the encoder says %v", s, got, want)
		}
	})
}
