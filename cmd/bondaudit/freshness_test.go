package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// The CLI's test clock is 2026-11-25 08:00 UTC (runCLI): a file written by
// a test has a later modification time, a capture time in the future of
// the audit, and stays silent; the stale cases set theirs back.

// ageFiles sets the modification time of every file under rel in the site
// dir to t.
func ageFiles(t *testing.T, dir, rel string, at time.Time) {
	t.Helper()
	err := filepath.Walk(filepath.Join(dir, filepath.FromSlash(rel)), func(p string, fi os.FileInfo, err error) error {
		if err != nil || fi.IsDir() {
			return err
		}
		return os.Chtimes(p, at, at)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func findingsOf(r jsonReport, rule string) []string {
	var out []string
	for _, f := range r.Findings {
		if f.Rule == rule {
			out = append(out, f.Host+f.Switch+": "+f.Message+" | "+strings.Join(f.Evidence, " | "))
		}
	}
	return out
}

// TestStaleCapture: a host capture folder three days old and a switch walk
// 25 hours old at the audit's clock are map.stale-capture findings, the
// fresh (and future) ones are not; the policy's max_capture_age moves the
// line; the demo, whose embedded files keep no times, has none.
func TestStaleCapture(t *testing.T) {
	_, demoReport, _ := auditJSON(t, "demo", "--format", "json")
	if got := findingsOf(demoReport, "map.stale-capture"); len(got) != 0 {
		t.Errorf("demo: stale captures %q", got)
	}
	site := copyDemo(t)
	ageFiles(t, site, "hosts/web01", time.Date(2026, 11, 22, 6, 0, 0, 0, time.UTC))
	ageFiles(t, site, "switches/leaf2.snmprec", time.Date(2026, 11, 24, 7, 0, 0, 0, time.UTC))
	ageFiles(t, site, "hosts/db01", time.Date(2026, 11, 24, 20, 0, 0, 0, time.UTC)) // 12h: fresh
	_, r, errs := auditJSON(t, "audit", site, "--format", "json", "--fail-on", "never")
	got := findingsOf(r, "map.stale-capture")
	want := []string{
		"leaf2: switch leaf2's capture is 1d1h old (captured 2026-11-24 07:00 UTC); findings about it describe the network as it was then" +
			" | switch leaf2: switches/leaf2.snmprec: captured 2026-11-24T07:00:00Z, 1d1h before the audit (2026-11-25T08:00:00Z); max_capture_age 24h",
		"web01: host web01's capture is 3d2h old (captured 2026-11-22 06:00 UTC); findings about it describe the network as it was then" +
			" | host web01: hosts/web01: captured 2026-11-22T06:00:00Z, 3d2h before the audit (2026-11-25T08:00:00Z); max_capture_age 24h",
	}
	if !slices.Equal(got, want) {
		t.Errorf("stale captures:\n%s\nwant:\n%s\nstderr: %s", strings.Join(got, "\n"), strings.Join(want, "\n"), errs)
	}
	// The text report says it too.
	_, out, _ := runCLI(t, "audit", site, "--fail-on", "never")
	if !strings.Contains(out, "host web01's capture is 3d2h old") {
		t.Errorf("text report lacks the stale capture:\n%s", out)
	}
	// A policy of four days keeps both; off turns the check off.
	for pol, n := range map[string]int{"max_capture_age: 4d\n": 0, "max_capture_age: 2d\n": 1, "max_capture_age: off\n": 0} {
		if err := os.WriteFile(filepath.Join(site, "policy.yaml"), []byte(pol), 0o644); err != nil {
			t.Fatal(err)
		}
		_, r, _ := auditJSON(t, "audit", site, "--format", "json", "--fail-on", "never")
		if got := findingsOf(r, "map.stale-capture"); len(got) != n {
			t.Errorf("%q: %d stale captures, want %d: %q", pol, len(got), n, got)
		}
	}
}

// TestAuditBaselineHostGone: a host that was in the baseline run and has
// no capture now is map.host-missing, and its findings are gone with it,
// not resolved.
func TestAuditBaselineHostGone(t *testing.T) {
	dir := t.TempDir()
	base := filepath.Join(dir, "last.json")
	v1 := copyDemo(t)
	if code, _, errs := runCLI(t, "audit", v1, "--save-baseline", base, "--fail-on", "never"); code != 0 {
		t.Fatalf("save: exit %d: %s", code, errs)
	}
	v2 := copyDemo(t)
	if err := os.RemoveAll(filepath.Join(v2, "hosts", "web02")); err != nil {
		t.Fatal(err)
	}
	code, r, errs := auditJSON(t, "audit", v2, "--baseline", base, "--format", "json")
	if want := "compared with baseline " + base + ": 1 new, 21 still present, 0 resolved, 9 gone with 1 missing host\n"; errs != want || code != 0 {
		t.Errorf("exit %d, stderr %q, want 0 and %q", code, errs, want)
	}
	got := findingsOf(r, "map.host-missing")
	want := "web02: host web02 was in the previous run and is missing now: its bonds were not checked, and its earlier findings are gone with it, not resolved" +
		" | present in the previous run (" + base + ", 2026-11-25T08:00:00Z)"
	if len(got) != 1 || got[0] != want || len(r.Findings) != 1 {
		t.Errorf("findings %+v, want only map.host-missing:\n%s", r.Findings, want)
	}
	// Baseline without an inventory (written before reports had one):
	// nothing is known gone, and web02's findings read as resolved.
	b, err := os.ReadFile(base)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	delete(doc, "inventory")
	old := filepath.Join(dir, "old.json")
	if b, err = json.Marshal(doc); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(old, b, 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, errs := runCLI(t, "audit", v2, "--baseline", old, "--format", "json"); code != 0 || !strings.HasSuffix(errs, ": 0 new, 21 still present, 9 resolved\n") {
		t.Errorf("old baseline: exit %d, stderr %q", code, errs)
	}
}

// TestDiffHostGone: diff OLD NEW where NEW lost a host and a switch lists
// them as removed, NEW's findings say they are missing, and OLD's findings
// about them are gone with them, in text, JSON and Markdown.
func TestDiffHostGone(t *testing.T) {
	v1 := copyDemo(t)
	v2 := copyDemo(t)
	if err := os.RemoveAll(filepath.Join(v2, "hosts", "web02")); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(v2, "switches", "access2.snmprec")); err != nil {
		t.Fatal(err)
	}
	code, out, errs := runCLI(t, "diff", v1, v2, "--fail-on", "never")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{
		"  host     removed  web02\n",
		"  switch   removed  access2\n",
		" gone with 1 missing host and 1 missing switch\n",
		"  + WARNING  map.host-missing               web02: host web02 was in the previous run and is missing now",
		"  + WARNING  map.switch-missing             access2: switch access2 was in the previous run and is missing now",
		"  ~ ERROR    lacp.no-partner                web02: bond0",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("diff text lacks %q:\n%s", want, out)
		}
	}
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, "  - ") && (strings.Contains(line, "web02") || strings.Contains(line, "access2")) {
			t.Errorf("a finding of a missing host or switch reads as resolved: %s", line)
		}
	}
	_, js, _ := runCLI(t, "diff", v1, v2, "--format", "json", "--fail-on", "never")
	var doc struct {
		Summary  struct{ Resolved, Gone int }
		Findings struct {
			New, Resolved, Gone []struct{ Rule, Host, Switch string }
		}
	}
	if err := json.Unmarshal([]byte(js), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Summary.Gone != len(doc.Findings.Gone) || doc.Summary.Gone < 5 || doc.Summary.Resolved != len(doc.Findings.Resolved) {
		t.Errorf("json summary %+v, %d gone, %d resolved", doc.Summary, len(doc.Findings.Gone), len(doc.Findings.Resolved))
	}
	for _, f := range doc.Findings.Gone {
		if f.Host != "web02" && f.Switch != "access2" {
			t.Errorf("gone finding not about web02 or access2: %+v", f)
		}
	}
	for _, f := range doc.Findings.Resolved {
		if f.Host == "web02" || f.Switch == "access2" {
			t.Errorf("resolved finding about a missing host or switch: %+v", f)
		}
	}
	_, md, _ := runCLI(t, "diff", v1, v2, "--format", "markdown", "--fail-on", "never")
	if !strings.Contains(md, "### Gone with a missing host or switch (not checked, not resolved)") || !strings.Contains(md, "`map.host-missing`") {
		t.Errorf("markdown lacks the gone section or the missing finding:\n%s", md)
	}
}

// TestCollectHostIsDated: a live host snapshot carries the time it was
// collected (the CLI's clock).
func TestCollectHostIsDated(t *testing.T) {
	out := filepath.Join(t.TempDir(), "h.json")
	code, _, errs := runCLI(t, "collect", "host", "--listen", "0", "-o", out)
	if code != 0 {
		t.Skipf("collect host cannot read this machine (%d): %s", code, errs)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var h struct{ Collected string }
	if err := json.Unmarshal(b, &h); err != nil {
		t.Fatal(err)
	}
	if h.Collected != "2026-11-25T08:00:00Z" {
		t.Errorf("collected %q, want the CLI clock's 2026-11-25T08:00:00Z", h.Collected)
	}
}
