package report

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bondaudit/bondaudit/rules"
	"github.com/bondaudit/bondaudit/topology"
)

// A host in OLD and not in NEW is gone: its findings are in their own
// bucket in every diff format, never among the resolved.
func TestDiffGoneWithTheHost(t *testing.T) {
	build := func(hosts ...string) *topology.Model {
		var hs []*topology.Host
		for _, h := range hosts {
			hs = append(hs, &topology.Host{Name: h})
		}
		m, err := topology.Build(hs, []*topology.Switch{{Name: "leaf1"}}, topology.BuildOptions{})
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	old := &DiffSide{Name: "old", Model: build("web01", "web02"), Findings: []rules.Finding{
		{Rule: "lacp.no-partner", Severity: rules.Error, Status: rules.StatusFail, Host: "web02", Bond: "bond0", Message: "no partner"},
		{Rule: "bond.single-slave", Severity: rules.Warning, Status: rules.StatusFail, Host: "web01", Bond: "bond1", Message: "one slave"},
	}}
	new := &DiffSide{Name: "new", Model: build("web01"), Findings: []rules.Finding{
		{Rule: "map.host-missing", Severity: rules.Warning, Status: rules.StatusFail, Host: "web02", Message: "host web02 was in the previous run and is missing now"},
	}}
	d := NewDiff(old, new, time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC))
	if len(d.Delta.Gone) != 1 || d.Delta.Gone[0].Host != "web02" || len(d.Delta.Resolved) != 1 || d.Delta.Resolved[0].Host != "web01" {
		t.Fatalf("gone %+v resolved %+v", d.Delta.Gone, d.Delta.Resolved)
	}
	text := writeDiffAs(t, d, "text")
	for _, want := range []string{
		"FINDINGS: 1 new, 1 resolved, 0 unchanged, 1 gone with 1 missing host\n",
		"  + WARNING  map.host-missing",
		"  - WARNING  bond.single-slave",
		"  ~ ERROR    lacp.no-partner                web02: bond0: no partner\n",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q:\n%s", want, text)
		}
	}
	md := writeDiffAs(t, d, "markdown")
	for _, want := range []string{
		"## Findings: 1 new, 1 resolved, 0 unchanged, 1 gone with 1 missing host\n",
		"### Gone with a missing host or switch (not checked, not resolved)\n",
		"| error | `lacp.no-partner` | web02: bond0 | no partner |",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown lacks %q:\n%s", want, md)
		}
	}
	var doc struct {
		Summary  struct{ Resolved, Gone int }
		Findings struct{ Resolved, Gone []FindingJSON }
	}
	if err := json.Unmarshal([]byte(writeDiffAs(t, d, "json")), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Summary.Gone != 1 || doc.Summary.Resolved != 1 || len(doc.Findings.Gone) != 1 || doc.Findings.Gone[0].Host != "web02" ||
		len(doc.Findings.Resolved) != 1 || doc.Findings.Resolved[0].Host != "web01" {
		t.Errorf("json summary %+v findings %+v", doc.Summary, doc.Findings)
	}
	for n, want := range map[[2]int]string{{1, 0}: "1 missing host", {2, 0}: "2 missing hosts", {0, 1}: "1 missing switch", {1, 2}: "1 missing host and 2 missing switches"} {
		if got := MissingCount(n[0], n[1]); got != want {
			t.Errorf("MissingCount%v = %q, want %q", n, got, want)
		}
	}
}

// The JSON report carries what it audited; ReadPrevious reads it back as
// the next run's previous inventory, and a report written before
// inventories existed reads as none.
func TestReadPrevious(t *testing.T) {
	m, err := topology.Build([]*topology.Host{{Name: "web02"}, {Name: "web01"}}, []*topology.Switch{{Name: "leaf1"}}, topology.BuildOptions{})
	if err != nil {
		t.Fatal(err)
	}
	gen := time.Date(2026, 11, 24, 8, 0, 0, 0, time.UTC)
	var b bytes.Buffer
	if err := (JSON{}).Write(&b, &Report{Site: "site", Generated: gen, Model: m,
		Findings: []rules.Finding{{Rule: "bond.single-slave", Severity: rules.Warning, Status: rules.StatusFail, Host: "web01", Bond: "bond0", Message: "x"}}}); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "report.json")
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	p, err := ReadPrevious(path)
	if err != nil {
		t.Fatal(err)
	}
	inv := p.Inventory
	if p.Site != "site" || len(p.Findings) != 1 || inv == nil || !slices.Equal(inv.Hosts, []string{"web01", "web02"}) ||
		!slices.Equal(inv.Switches, []string{"leaf1"}) || !inv.Generated.Equal(gen) || inv.Source != path {
		t.Errorf("previous %+v inventory %+v", p, inv)
	}
	old := filepath.Join(dir, "old.json")
	if err := os.WriteFile(old, []byte(`{"schema": "bondaudit.report/v1", "site": "s", "generated": "2026-11-01T00:00:00Z", "findings": []}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if p, err := ReadPrevious(old); err != nil || p.Inventory != nil {
		t.Errorf("report without inventory: %+v, %v; want no inventory", p, err)
	}
}
