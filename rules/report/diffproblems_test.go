package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/bondaudit/bondaudit/rules"
	"github.com/bondaudit/bondaudit/topology"
)

// A diff lists its new (and resolved, and gone) findings by problem, as
// the audit groups them: a bond cabled to plain ports is one problem
// whose other findings are under its line in text and Markdown, and the
// JSON names the problem of each finding and lists the problems.
func TestDiffGroupsProblems(t *testing.T) {
	m, err := topology.Build([]*topology.Host{{Name: "web02"}}, []*topology.Switch{{Name: "leaf2"}}, topology.BuildOptions{})
	if err != nil {
		t.Fatal(err)
	}
	f := func(rule, nic, port, msg string) rules.Finding {
		return rules.Finding{Rule: rule, Severity: rules.Error, Status: rules.StatusFail, Host: "web02", Bond: "bond0",
			NIC: nic, Switch: "leaf2", Port: port, Message: msg}
	}
	newFs := []rules.Finding{
		f("lacp.switch-not-aggregated", "ens1f0np0", "Ethernet7", "first port in no port-channel"),
		f("lacp.switch-not-aggregated", "ens1f1np1", "Ethernet8", "second port in no port-channel"),
		f("lacp.no-partner", "ens1f0np0", "", "no partner on the first"),
	}
	old := &DiffSide{Name: "old", Model: m}
	new := &DiffSide{Name: "new", Model: m, Findings: newFs}
	d := NewDiff(old, new, time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC))
	if len(d.Delta.New) != 3 {
		t.Fatalf("new %+v", d.Delta.New)
	}
	text := writeDiffAs(t, d, "text")
	var top, under []string
	for _, line := range strings.Split(text, "\n") {
		switch {
		case strings.HasPrefix(line, "  + "):
			top = append(top, line)
		case strings.HasPrefix(line, "      + "):
			under = append(under, line)
		}
	}
	if len(top) != 1 || !strings.Contains(top[0], "lacp.switch-not-aggregated") || !strings.HasSuffix(top[0], "first port in no port-channel  +2 findings") || len(under) != 2 {
		t.Errorf("text: want one problem line with +2 findings and two lines under it, got %q and %q:\n%s", top, under, text)
	}
	md := writeDiffAs(t, d, "markdown")
	for _, want := range []string{
		"| error | `lacp.switch-not-aggregated` | web02: bond0 ens1f0np0 → leaf2 Ethernet7 | first port in no port-channel (+2 findings) |",
		"| error | ↳ `lacp.switch-not-aggregated` |",
		"| error | ↳ `lacp.no-partner` |",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown lacks %q:\n%s", want, md)
		}
	}
	var doc struct {
		Findings struct{ New []FindingJSON }
		Problems struct{ New, Resolved, Gone []ProblemJSON }
	}
	if err := json.Unmarshal([]byte(writeDiffAs(t, d, "json")), &doc); err != nil {
		t.Fatal(err)
	}
	ps := doc.Problems
	if len(ps.New) != 1 || ps.New[0].Findings != 3 || ps.New[0].Rule != "lacp.switch-not-aggregated" || ps.Resolved == nil || ps.Gone == nil {
		t.Fatalf("problems %+v, want one new problem of 3 findings and empty lists", ps)
	}
	for _, fj := range doc.Findings.New {
		if fj.Problem != ps.New[0].ID {
			t.Errorf("finding %s names problem %q, want %s", fj.Rule, fj.Problem, ps.New[0].ID)
		}
	}
}

// writeDiffAs is d written in format by the diff's writer for it.
func writeDiffAs(t *testing.T, d *Diff, format string) string {
	t.Helper()
	w, err := Diffs.Writer(format, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := w(&b, d); err != nil {
		t.Fatal(err)
	}
	return b.String()
}
