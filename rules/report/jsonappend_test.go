package report

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/bondaudit/bondaudit/topology"
	"github.com/bondaudit/bondaudit/topology/escape"
)

// encodedAt is v as the report wrote it before the appenders: encoded by
// json.Encoder indented at prefix, through escape.JSONBytes.
func encodedAt(t testing.TB, prefix string, v any) []byte {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent(prefix, "  ")
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return escape.JSONBytes(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
}

// jsonOddStrings need every kind of escaping: JSON's own, HTML's, the
// escape policy's (DEL, C1, bidi and format characters), invalid UTF-8,
// line and paragraph separators, and non-ASCII text that stays.
var jsonOddStrings = []string{"", "plain", "Ethernet1/0/1", `q"b\s`, "<a>&b", "tab\tnl\nnul\x00\x1f",
	"\x7f", "\u0085", "\u200b\u202e\ufeff", "\u2028\u2029", "bad\xff\xc3", "é→日本", "\U0001F600", "x\u00a0y"}

func checkAppended(t *testing.T, name string, got, want []byte) {
	t.Helper()
	if !bytes.Equal(got, want) {
		t.Errorf("%s:\n got %s\nwant %s", name, got, want)
	}
}

// checkAppenders compares every appender with the encoder on values built
// from s (and the empty string, so omitempty fields come and go).
func checkAppenders(t *testing.T, s string) {
	for _, ev := range [][]string{nil, {}, {s}, {s, "b", s}} {
		for _, v := range []string{"", s} {
			f := FindingJSON{Rule: s, Severity: v, Status: v, Host: s, Bond: v, NIC: s, Switch: v, Port: s,
				Message: v, Fix: s, Evidence: ev, Reason: v, Expires: s, Domain: v, Problem: s}
			checkAppended(t, "finding", f.appendJSON(nil, 4), encodedAt(t, "    ", f))
			f2 := FindingJSON{Rule: v, Severity: v, Message: v, Host: v, Evidence: ev}
			checkAppended(t, "finding", f2.appendJSON([]byte("x"), 4), append([]byte("x"), encodedAt(t, "    ", f2)...))
			p := ProblemJSON{ID: s, Rule: v, Severity: s, Status: v, Message: s, Findings: len(ev) - 3,
				Subject: SubjectJSON{Kind: v, Host: s, Bond: v, Switch: s, LAG: v, Port: s}}
			checkAppended(t, "problem", p.appendJSON(nil, 4), encodedAt(t, "    ", p))
			inv := jsonInventory{Hosts: ev, Switches: []string{v}}
			checkAppended(t, "inventory", inv.appendJSON(nil, 2), encodedAt(t, "  ", &inv))
			checkAppended(t, "strings", appendJSONStrings(nil, 2, ev), encodedAt(t, "  ", ev))
		}
		var kinds []topology.EvidenceKind
		for _, e := range ev {
			kinds = append(kinds, topology.EvidenceKind(e))
		}
		l := &topology.Link{Host: s, NIC: "eth0", Switch: s, Port: s, Evidence: kinds}
		checkAppended(t, "link", appendLinkJSON(nil, 4, l), encodedAt(t, "    ",
			jsonLink{Host: l.Host, NIC: l.NIC, Switch: l.Switch, Port: l.Port, Evidence: topology.EvidenceStrings(l.Evidence)}))
	}
}

// TestJSONAppendersMatchEncoder: each one-pass appender writes the bytes
// json.Encoder (indented at the same prefix) and escape.JSONBytes wrote,
// for strings needing every kind of escaping and for every omitempty
// field empty and set, nil and empty lists.
func TestJSONAppendersMatchEncoder(t *testing.T) {
	for _, s := range jsonOddStrings {
		checkAppenders(t, s)
	}
	for c := 0; c < 256; c++ {
		checkAppenders(t, "a"+string(rune(c))+string([]byte{byte(c)})+"z")
	}
}

func FuzzJSONAppenders(f *testing.F) {
	for _, s := range jsonOddStrings {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { checkAppenders(t, s) })
}
