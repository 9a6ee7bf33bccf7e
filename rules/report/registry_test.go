package report

import (
	"bytes"
	"testing"

	"github.com/bondaudit/bondaudit/rules"
	"github.com/bondaudit/bondaudit/topology/diagram"
)

// TestRegistryUnknownFormat: every command's registry refuses an unknown
// format the same way, naming the formats it has.
func TestRegistryUnknownFormat(t *testing.T) {
	for _, c := range []struct {
		err  func() error
		want string
	}{
		{func() error { _, err := Audit.Writer("pdf", Options{}); return err }, `unknown report format "pdf": choose one of text, json, markdown, junit, sarif, prom, html`},
		{func() error { _, err := WhatIfs.Writer("pdf", Options{}); return err }, `unknown whatif format "pdf": choose one of text, json, markdown`},
		{func() error { _, err := Diffs.Writer("pdf", Options{}); return err }, `unknown diff format "pdf": choose one of text, json, markdown`},
		{func() error { _, err := Topology.Writer("pdf", Options{}); return err }, `unknown topology format "pdf": choose one of text, json`},
		{func() error { _, err := Diagrams.Writer("pdf", Options{}); return err }, `unknown diagram format "pdf": choose one of dot, mermaid, svg, html`},
		{func() error { _, err := Rules.Writer("pdf", Options{}); return err }, `unknown rules format "pdf": choose one of text, markdown`},
	} {
		if err := c.err(); err == nil || err.Error() != c.want {
			t.Errorf("got %v, want %s", err, c.want)
		}
	}
}

// TestRegistryOptions: the text report's ShowSuppressed comes from the
// typed options, not from a type assertion on the writer.
func TestRegistryOptions(t *testing.T) {
	r := fixtureReport(t)
	var shown, hidden bytes.Buffer
	for _, c := range []struct {
		o   Options
		out *bytes.Buffer
	}{{Options{ShowSuppressed: true}, &shown}, {Options{}, &hidden}} {
		w, err := Audit.Writer("text", c.o)
		if err != nil {
			t.Fatal(err)
		}
		if err := w(c.out, r); err != nil {
			t.Fatal(err)
		}
	}
	var want bytes.Buffer
	if err := (Text{ShowSuppressed: true}).Write(&want, r); err != nil {
		t.Fatal(err)
	}
	if shown.String() != want.String() || shown.String() == hidden.String() {
		t.Errorf("ShowSuppressed did not reach the text writer")
	}
}

// TestMarks: waived findings are not drawn; the rest keep rule, severity
// and subject.
func TestMarks(t *testing.T) {
	ms := Marks([]rules.Finding{
		{Rule: "a.b", Severity: rules.Error, Status: rules.StatusFail, Host: "h", Bond: "bond0", NIC: "eth0", Switch: "s", Port: "p"},
		{Rule: "c.d", Severity: rules.Warning, Status: rules.StatusSuppressed, Host: "h"},
	})
	if len(ms) != 1 || ms[0].Rule != "a.b" || ms[0].Host != "h" || ms[0].NIC != "eth0" || ms[0].Port != "p" ||
		ms[0].Severity != diagram.SevError {
		t.Errorf("Marks = %+v", ms)
	}
}
