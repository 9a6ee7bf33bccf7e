package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/bondaudit/bondaudit/internal/golden"
)

// editFile replaces old by new in a site file, exactly count times: a
// regenerated demo that no longer has the text fails here, not in a golden.
func editFile(t *testing.T, site, rel, old, new string, count int) {
	t.Helper()
	p := filepath.Join(site, filepath.FromSlash(rel))
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(b), old); n != count {
		t.Fatalf("%s: %q occurs %d times, want %d", rel, old, n, count)
	}
	if err := os.WriteFile(p, []byte(strings.ReplaceAll(string(b), old, new)), 0o644); err != nil {
		t.Fatal(err)
	}
}

// The three edits of the demo site the diff tests make. Each replaces text
// that must be there, so a regenerated demo fails here, not in a golden.

// moveCable recables app02's ens1f1np1 from leaf2 Ethernet12 to Ethernet13
// (an access port in VLAN 1, not 120): the host's LLDP and leaf2's
// lldpRemTable agree, Ethernet12 went down, Ethernet13 came up.
func moveCable(t *testing.T, site string) {
	t.Helper()
	editFile(t, site, "hosts/app02/lldp.json", `"value": "Ethernet12"`, `"value": "Ethernet13"`, 1)
	for col := 4; col <= 10; col++ {
		editFile(t, site, "switches/leaf2.snmprec", fmt.Sprintf("1.0.8802.1.1.2.1.4.1.1.%d.0.12.6|", col), fmt.Sprintf("1.0.8802.1.1.2.1.4.1.1.%d.0.13.6|", col), 1)
	}
	editFile(t, site, "switches/leaf2.snmprec", "1.3.6.1.2.1.2.2.1.8.12|2|1\n", "1.3.6.1.2.1.2.2.1.8.12|2|2\n", 1)
	editFile(t, site, "switches/leaf2.snmprec", "1.3.6.1.2.1.2.2.1.8.13|2|2\n", "1.3.6.1.2.1.2.2.1.8.13|2|1\n", 1)
}

// changeBondMode makes stor01's bond0 active-backup with miimon 100 (it
// was balance-alb without link monitoring): /proc/net/bonding and
// ip-link.json agree.
func changeBondMode(t *testing.T, site string) {
	t.Helper()
	editFile(t, site, "hosts/stor01/bonding/bond0", "Bonding Mode: adaptive load balancing\n", "Bonding Mode: fault-tolerance (active-backup)\n", 1)
	editFile(t, site, "hosts/stor01/bonding/bond0", "MII Polling Interval (ms): 0\n", "MII Polling Interval (ms): 100\n", 1)
	editFile(t, site, "hosts/stor01/ip-link.json", `"mode":"balance-alb"`, `"mode":"active-backup"`, 1)
	editFile(t, site, "hosts/stor01/ip-link.json", `"miimon":0,`, `"miimon":100,`, 1)
}

// removeLAGMember takes Gi1/0/10 (ifIndex 10110) out of access2's
// Port-channel9 (ifIndex 5009, app01's LACP port-channel): its
// ifStackTable row and its IEEE8023-LAG-MIB dot3adAggPortTable row go.
func removeLAGMember(t *testing.T, site string) {
	t.Helper()
	p := filepath.Join(site, "switches", "access2.snmprec")
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	var keep []string
	dropped := 0
	for _, line := range strings.SplitAfter(string(b), "\n") {
		oid, _, _ := strings.Cut(line, "|")
		if oid == "1.3.6.1.2.1.31.1.2.1.3.5009.10110" || (strings.HasPrefix(oid, "1.2.840.10006.300.43.1.2.1.1.") && strings.HasSuffix(oid, ".10110")) {
			dropped++
			continue
		}
		keep = append(keep, line)
	}
	if dropped != 24 {
		t.Fatalf("access2.snmprec: dropped %d rows for Gi1/0/10's membership of Port-channel9, want 24", dropped)
	}
	if err := os.WriteFile(p, []byte(strings.Join(keep, "")), 0o644); err != nil {
		t.Fatal(err)
	}
}

// demoVersions writes the demo site as shipped to DIR/v1, and to DIR/v2
// the demo with edits applied.
func demoVersions(t *testing.T, edits ...func(*testing.T, string)) (v1, v2 string) {
	t.Helper()
	dir := t.TempDir()
	v1, v2 = filepath.Join(dir, "v1"), filepath.Join(dir, "v2")
	if err := os.Rename(copyDemo(t), v1); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(copyDemo(t), v2); err != nil {
		t.Fatal(err)
	}
	for _, e := range edits {
		e(t, v2)
	}
	return v1, v2
}

// driftSites: v2 has a moved cable, a changed bond mode and a removed LAG member.
func driftSites(t *testing.T) (v1, v2 string) {
	t.Helper()
	return demoVersions(t, moveCable, changeBondMode, removeLAGMember)
}

// TestDiffGolden: diff between the demo site and a copy with a moved
// cable, a changed bond mode and a removed LAG member, in text, JSON and
// Markdown, against golden files (-update rewrites them).
func TestDiffGolden(t *testing.T) {
	v1, v2 := driftSites(t)
	for _, c := range []struct {
		name string
		args []string
	}{
		{"demo-drift.txt", nil},
		{"demo-drift.json", []string{"--format", "json"}},
		{"demo-drift.md", []string{"--format", "markdown"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, out, errs := runCLI(t, append([]string{"diff", v1, v2}, c.args...)...)
			if code != 1 {
				t.Errorf("exit %d, want 1 (new errors); stderr %s", code, errs)
			}
			golden.Check(t, filepath.Join("testdata", "diff", c.name), []byte(out))
		})
	}
}

// TestDiffStory: the changes and findings a reader expects, in JSON, and
// the exit status under --fail-on.
func TestDiffStory(t *testing.T) {
	v1, v2 := driftSites(t)
	code, out, errs := runCLI(t, "diff", v1, v2, "--format", "json")
	if code != 1 {
		t.Fatalf("exit %d; stderr %s", code, errs)
	}
	var r struct {
		Schema  string `json:"schema"`
		Changes struct {
			LinksMoved []struct {
				Host, NIC string
				From, To  struct{ Switch, Port string }
			} `json:"links_moved"`
			BondsChanged []struct {
				Host, Bond string
				Changes    []struct{ Field, Old, New string }
			} `json:"bonds_changed"`
			LAGsChanged []struct {
				Switch, LAG    string
				MembersRemoved []string `json:"members_removed"`
			} `json:"lags_changed"`
		} `json:"changes"`
		Findings struct {
			New, Resolved, Unchanged []struct{ Rule, Severity, Host, Port string }
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	if r.Schema != "bondaudit.diff/v1" {
		t.Errorf("schema %q", r.Schema)
	}
	c := r.Changes
	if len(c.LinksMoved) != 1 || c.LinksMoved[0].Host != "app02" || c.LinksMoved[0].From.Port != "Ethernet12" || c.LinksMoved[0].To.Port != "Ethernet13" {
		t.Errorf("links moved: %+v", c.LinksMoved)
	}
	if len(c.BondsChanged) != 1 || c.BondsChanged[0].Host != "stor01" || len(c.BondsChanged[0].Changes) == 0 ||
		c.BondsChanged[0].Changes[0] != (struct{ Field, Old, New string }{"mode", "balance-alb", "active-backup"}) {
		t.Errorf("bonds changed: %+v", c.BondsChanged)
	}
	if len(c.LAGsChanged) != 1 || c.LAGsChanged[0].Switch != "access2" || !slices.Equal(c.LAGsChanged[0].MembersRemoved, []string{"Gi1/0/10"}) {
		t.Errorf("LAGs changed: %+v", c.LAGsChanged)
	}
	has := func(list []struct{ Rule, Severity, Host, Port string }, rule, host string) bool {
		return slices.ContainsFunc(list, func(f struct{ Rule, Severity, Host, Port string }) bool { return f.Rule == rule && f.Host == host })
	}
	for _, want := range [][2]string{{"bond.alb-in-bridge", "stor01"}, {"bond.no-link-monitor", "stor01"}, {"independent.switch-aggregated", "app01"}} {
		if !has(r.Findings.Resolved, want[0], want[1]) {
			t.Errorf("%s on %s not resolved", want[0], want[1])
		}
	}
	if !has(r.Findings.New, "lag.member-missing", "app01") || !has(r.Findings.New, "static.switch-not-aggregated", "app02") {
		t.Errorf("new findings: %+v", r.Findings.New)
	}
	if !has(r.Findings.Unchanged, "lacp.multi-switch-no-mlag", "kvm01") {
		t.Errorf("kvm01's finding is not unchanged")
	}
}

func TestDiffExitCodes(t *testing.T) {
	v1, v2 := driftSites(t)
	_, lagOnly := demoVersions(t, removeLAGMember) // adds one warning, no error
	for _, c := range []struct {
		args []string
		code int
		err  string
	}{
		{[]string{v1, v2}, 1, ""},
		{[]string{v1, v2, "--fail-on", "never"}, 0, ""},
		{[]string{v2, v1}, 1, ""}, // back: independent.switch-aggregated comes back
		{[]string{v1, v1, "--fail-on", "info"}, 0, ""},
		{[]string{v1, lagOnly}, 0, ""},
		{[]string{v1, lagOnly, "--fail-on", "warning"}, 1, ""},
		{[]string{v1, lagOnly, "--fail-on", "info"}, 1, ""},
		{[]string{lagOnly, v1, "--fail-on", "info"}, 1, ""}, // back: the error is new again
		{[]string{"demo", v1, "--fail-on", "info"}, 0, ""},
		{[]string{v1, filepath.Join(v1, "nope")}, 2, "nope"},
		{[]string{v1, filepath.Join(v1, "hosts", "app01", "hostname")}, 2, "not a folder"},
		{[]string{v1}, 2, "arg"},
		{[]string{v1, v2, "--format", "html"}, 2, "--format"},
		{[]string{v1, v2, "--fail-on", "sometimes"}, 2, "--fail-on"},
	} {
		code, _, errs := runCLI(t, append([]string{"diff"}, c.args...)...)
		if code != c.code {
			t.Errorf("diff %v: exit %d, want %d (stderr %q)", c.args, code, c.code, errs)
		}
		if c.err != "" && !strings.Contains(errs, c.err) {
			t.Errorf("diff %v: stderr %q does not mention %q", c.args, errs, c.err)
		}
	}
	code, out, _ := runCLI(t, "diff", v1, v1)
	if code != 0 || !strings.Contains(out, "CHANGES: 0\n") || !strings.Contains(out, "FINDINGS: 0 new, 0 resolved, 30 unchanged") {
		t.Errorf("a site against itself: exit %d\n%s", code, out)
	}
	// -o writes the file atomically, nothing on stdout
	dst := filepath.Join(t.TempDir(), "drift.md")
	code, out, _ = runCLI(t, "diff", v1, v2, "--format", "markdown", "-o", dst, "--fail-on", "never")
	if b, err := os.ReadFile(dst); code != 0 || out != "" || err != nil || !bytes.HasPrefix(b, []byte("# bondaudit diff: v1 → v2")) {
		t.Errorf("-o: exit %d, stdout %q, file %q (%v)", code, out, b, err)
	}
}

type baselineReport struct {
	Schema   string `json:"schema"`
	Findings []struct {
		Rule, Severity, Status, Host, Bond, NIC, Switch, Port string
	} `json:"findings"`
}

func readReport(t *testing.T, b []byte) baselineReport {
	t.Helper()
	var r baselineReport
	if err := json.Unmarshal(b, &r); err != nil || r.Schema != "bondaudit.report/v1" {
		t.Fatalf("not a JSON report (%v):\n%s", err, b)
	}
	return r
}

// TestBaseline: audit --baseline reports only what is new since the last
// run's JSON report, with the totals on stderr; --fail-on judges the new
// findings only; --save-baseline writes the full report for the next run.
func TestBaseline(t *testing.T) {
	v1, v2 := driftSites(t)
	dir := t.TempDir()
	base := filepath.Join(dir, "last.json")
	code, _, errs := runCLI(t, "audit", v1, "--format", "json", "-o", base)
	if code != 1 {
		t.Fatalf("audit v1: exit %d: %s", code, errs)
	}
	full, _ := os.ReadFile(base)

	code, out, errs := runCLI(t, "audit", v2, "--format", "json", "--baseline", base)
	if code != 1 {
		t.Errorf("v2 against v1's baseline: exit %d, want 1 (a new error)", code)
	}
	want := "compared with baseline " + base + ": 2 new, 26 still present, 4 resolved\n"
	if errs != want {
		t.Errorf("stderr %q, want %q", errs, want)
	}
	var got []string
	for _, f := range readReport(t, []byte(out)).Findings {
		got = append(got, f.Rule+" "+f.Host+" "+f.Port)
	}
	if !slices.Equal(got, []string{"static.switch-not-aggregated app02 Ethernet13", "lag.member-missing app01 Gi1/0/10"}) {
		t.Errorf("findings reported against the baseline: %q", got)
	}

	// the same in text: the report lists the new findings only, the line is on stderr
	code, out, errs = runCLI(t, "audit", v2, "--baseline", base)
	if code != 1 || errs != want || !strings.Contains(out, "lag.member-missing") || strings.Contains(out, "lacp.multi-switch-no-mlag") {
		t.Errorf("text against the baseline: exit %d, stderr %q\n%s", code, errs, out)
	}

	// no new error: --fail-on error passes, --fail-on warning does not
	_, lagOnly := demoVersions(t, removeLAGMember)
	if code, _, errs := runCLI(t, "audit", lagOnly, "--baseline", base); code != 0 {
		t.Errorf("only a new warning, --fail-on error: exit %d (%s)", code, errs)
	}
	if code, _, _ := runCLI(t, "audit", lagOnly, "--baseline", base, "--fail-on", "warning"); code != 1 {
		t.Errorf("a new warning, --fail-on warning: exit %d", code)
	}
	// nothing new at all: exit 0 although findings remain
	code, out, errs = runCLI(t, "audit", v1, "--baseline", base, "--fail-on", "info", "--format", "json")
	if code != 0 || len(readReport(t, []byte(out)).Findings) != 0 || !strings.Contains(errs, ": 0 new, 30 still present, 0 resolved") {
		t.Errorf("v1 against itself: exit %d, stderr %q\n%s", code, errs, out)
	}

	// --save-baseline writes the full report, atomically, even when the
	// report itself is filtered; the baseline it replaces was read first
	next := filepath.Join(dir, "next.json")
	code, _, errs = runCLI(t, "audit", v2, "--baseline", base, "--save-baseline", next, "--format", "prom", "-o", filepath.Join(dir, "bondaudit.prom"))
	if code != 1 {
		t.Errorf("save: exit %d (%s)", code, errs)
	}
	b, err := os.ReadFile(next)
	if err != nil {
		t.Fatal(err)
	}
	_, v2full, _ := runCLI(t, "audit", v2, "--format", "json")
	if string(b) != v2full {
		t.Errorf("--save-baseline wrote something else than audit --format json")
	}
	if !bytes.Equal(mustRead(t, base), full) {
		t.Errorf("--save-baseline to another file changed the baseline")
	}
	code, _, errs = runCLI(t, "audit", v2, "--baseline", next, "--save-baseline", next)
	if code != 0 || !strings.Contains(errs, ": 0 new, 28 still present, 0 resolved") {
		t.Errorf("same file for both: exit %d, stderr %q", code, errs)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 3 {
		t.Errorf("files left in %s: %v, want last.json, next.json, bondaudit.prom", dir, entries)
	}
}

func mustRead(t *testing.T, p string) []byte {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestBaselineFirstRunAndErrors: a missing baseline is an error naming the
// file, unless --save-baseline is given (the first run: everything is
// reported, and said so); a baseline that is not a JSON report is always
// an error naming the file.
func TestBaselineFirstRunAndErrors(t *testing.T) {
	site := copyDemo(t)
	dir := t.TempDir()
	missing := filepath.Join(dir, "missing.json")
	code, out, errs := runCLI(t, "audit", site, "--baseline", missing)
	if code != 2 || !strings.Contains(errs, missing) || out != "" {
		t.Errorf("missing baseline: exit %d, stderr %q, stdout %q", code, errs, out)
	}

	code, out, errs = runCLI(t, "audit", site, "--baseline", missing, "--save-baseline", missing, "--format", "json")
	if code != 1 || !strings.Contains(errs, "first run") || !strings.Contains(errs, missing) {
		t.Errorf("first run: exit %d, stderr %q", code, errs)
	}
	if n := len(readReport(t, []byte(out)).Findings); n != 30 {
		t.Errorf("first run reported %d findings, want all 30", n)
	}
	if n := len(readReport(t, mustRead(t, missing)).Findings); n != 30 {
		t.Errorf("first run saved %d findings, want 30", n)
	}
	code, _, errs = runCLI(t, "audit", site, "--baseline", missing, "--save-baseline", missing)
	if code != 0 || !strings.Contains(errs, "0 new, 30 still present, 0 resolved") {
		t.Errorf("second run: exit %d, stderr %q", code, errs)
	}

	for name, content := range map[string]string{
		"truncated.json": `{"schema":"bondaudit.report/v1","findings":[`,
		"other.json":     `{"schema":"bondaudit.diff/v1"}`,
		"empty.json":     ``,
	} {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		for _, extra := range [][]string{nil, {"--save-baseline", filepath.Join(dir, "out.json")}} {
			code, _, errs := runCLI(t, append([]string{"audit", site, "--baseline", p}, extra...)...)
			if code != 2 || !strings.Contains(errs, p) {
				t.Errorf("baseline %s %v: exit %d, stderr %q", name, extra, code, errs)
			}
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "out.json")); err == nil {
		t.Errorf("a failed run saved a baseline")
	}
	code, _, errs = runCLI(t, "audit", site, "--save-baseline", filepath.Join(dir, "no", "such", "dir", "b.json"), "--fail-on", "never")
	if code != 2 || !strings.Contains(errs, "--save-baseline") {
		t.Errorf("unwritable --save-baseline: exit %d, stderr %q", code, errs)
	}
}

// TestBaselineGolden: the reports of the drifted demo against the shipped
// demo's baseline, in text and JSON (-update rewrites them).
func TestBaselineGolden(t *testing.T) {
	v1, v2 := driftSites(t)
	base := filepath.Join(t.TempDir(), "last.json")
	if code, _, errs := runCLI(t, "audit", v1, "--save-baseline", base, "--fail-on", "never"); code != 0 {
		t.Fatalf("save: exit %d: %s", code, errs)
	}
	for _, c := range []struct{ name, format string }{{"v2-against-v1.txt", "text"}, {"v2-against-v1.json", "json"}} {
		t.Run(c.name, func(t *testing.T) {
			code, out, errs := runCLI(t, "audit", v2, "--baseline", base, "--format", c.format)
			if code != 1 || errs != "compared with baseline "+base+": 2 new, 26 still present, 4 resolved\n" {
				t.Errorf("exit %d, stderr %q", code, errs)
			}
			golden.Check(t, filepath.Join("testdata", "baseline", c.name), []byte(out))
		})
	}
}
