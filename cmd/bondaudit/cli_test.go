package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bondaudit/bondaudit/collect/demo"
	"github.com/bondaudit/bondaudit/rules"
)

// runCLI runs the whole CLI in-process and returns exit code, stdout, stderr.
func runCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	a := &app{stdout: &out, stderr: &errb, now: func() time.Time { return time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC) }}
	code := a.run(context.Background(), args)
	return code, out.String(), errb.String()
}

// copyDemo writes the embedded demo site into a temp folder, to be broken.
func copyDemo(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.CopyFS(dir, demo.FS()); err != nil {
		t.Fatal(err)
	}
	return dir
}

type jsonReport struct {
	Schema    string `json:"schema"`
	Site      string `json:"site"`
	Generated string `json:"generated"`
	Summary   struct {
		Hosts, Bonds, Switches, Links int
		Findings                      map[string]int
	} `json:"summary"`
	Findings []struct {
		Rule, Severity, Status, Host, Bond, NIC, Switch, Port, Message, Fix string
		Evidence                                                            []string
		Reason, Expires                                                     string
		Domain, Problem                                                     string
	} `json:"findings"`
	ProblemGroups []struct {
		ID, Rule, Severity, Status, Message string
		Subject                             struct{ Kind, Host, Bond, Switch, LAG, Port string }
		Findings                            int
	} `json:"problem_groups"`
	Links []struct {
		Host, NIC, Switch, Port string
		Evidence                []string
	} `json:"links"`
	Problems  []string `json:"problems"`
	Inventory *struct {
		Hosts, Switches []string
	} `json:"inventory"`
}

func auditJSON(t *testing.T, args ...string) (int, jsonReport, string) {
	t.Helper()
	code, out, errs := runCLI(t, args...)
	var r jsonReport
	dec := json.NewDecoder(strings.NewReader(out))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&r); err != nil {
		t.Fatalf("%v: report is not the JSON contract: %v\nstdout:\n%s\nstderr:\n%s", args, err, out, errs)
	}
	return code, r, errs
}

// demoExpectations reads the demo site's README table: host → expected rule IDs.
func demoExpectations(t *testing.T) map[string][]string {
	t.Helper()
	b, err := fs.ReadFile(demo.FS(), "README.md")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{}
	id := regexp.MustCompile("`([a-z0-9]+\\.[a-z0-9-]+)`")
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		cells := strings.Split(sc.Text(), "|")
		if len(cells) < 7 || strings.TrimSpace(cells[1]) == "host" || strings.HasPrefix(strings.TrimSpace(cells[1]), "---") {
			continue
		}
		host := strings.TrimSpace(cells[1])
		want[host] = []string{}
		for _, m := range id.FindAllStringSubmatch(cells[len(cells)-2], -1) {
			want[host] = append(want[host], m[1])
		}
	}
	if len(want) < 6 {
		t.Fatalf("demo README lists %d hosts; want at least 6", len(want))
	}
	return want
}

// TestDemoFindingsMatchItsStory: per host, the demo audit reports exactly the
// rules the demo site's README promises (those rules that are registered),
// and nothing else.
func TestDemoFindingsMatchItsStory(t *testing.T) {
	code, r, errs := auditJSON(t, "demo", "--format", "json")
	if code != 0 {
		t.Fatalf("demo exit %d; stderr: %s", code, errs)
	}
	want := demoExpectations(t)
	got := map[string][]string{}
	for _, f := range r.Findings {
		if f.Host == "" {
			continue
		}
		if !slices.Contains(got[f.Host], f.Rule) {
			got[f.Host] = append(got[f.Host], f.Rule)
		}
	}
	kinds := map[string]bool{}
	for host, ids := range want {
		var exp []string
		for _, id := range ids {
			if _, ok := rules.Lookup(id); ok {
				exp = append(exp, id)
				kinds[id] = true
			}
		}
		g := got[host]
		slices.Sort(exp)
		slices.Sort(g)
		if !slices.Equal(exp, g) {
			t.Errorf("demo host %s: rules fired %v, want %v", host, g, exp)
		}
	}
	for host := range got {
		if _, ok := want[host]; !ok {
			t.Errorf("findings for %s, which the demo README does not list", host)
		}
	}
	if len(kinds) < 6 {
		t.Errorf("demo shows %d different pitfalls; want at least 6", len(kinds))
	}
	if len(r.Problems) > 0 {
		t.Errorf("demo site has read problems: %q", r.Problems)
	}
	if r.Summary.Hosts != 8 || r.Summary.Switches != 4 || r.Summary.Links < 16 {
		t.Errorf("summary %+v: want 8 hosts, 4 switches, ≥16 links", r.Summary)
	}
}

func TestDemoTextReport(t *testing.T) {
	code, out, errs := runCLI(t, "demo")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, s := range []string{"kvm01", "lacp.multi-switch-no-mlag", "web02", "lacp.switch-not-aggregated", "access2", "leaf1a"} {
		if !strings.Contains(out, s) {
			t.Errorf("demo report lacks %q:\n%s", s, out)
		}
	}
}

func TestJSONContract(t *testing.T) {
	_, r, _ := auditJSON(t, "demo", "--format", "json")
	if r.Schema != "bondaudit.report/v1" || r.Site != "demo" || r.Generated != "2026-11-25T08:00:00Z" {
		t.Errorf("header: schema %q site %q generated %q", r.Schema, r.Site, r.Generated)
	}
	n := map[string]int{}
	for _, f := range r.Findings {
		n[f.Severity]++
		if f.Rule == "" || f.Message == "" || len(f.Evidence) == 0 {
			t.Errorf("finding without rule, message or evidence: %+v", f)
		}
		if _, err := rules.ParseSeverity(f.Severity); err != nil {
			t.Errorf("finding severity %q: %v", f.Severity, err)
		}
	}
	for _, sev := range []string{"error", "warning", "info"} {
		if r.Summary.Findings[sev] != n[sev] {
			t.Errorf("summary says %d %s findings, the list holds %d", r.Summary.Findings[sev], sev, n[sev])
		}
	}
	ev := regexp.MustCompile(`^(lldp-host|lldp-switch|cdp|lacp|fdb)$`)
	for _, l := range r.Links {
		if l.Host == "" || l.NIC == "" || l.Switch == "" || l.Port == "" || len(l.Evidence) == 0 {
			t.Errorf("incomplete link %+v", l)
		}
		for _, e := range l.Evidence {
			if !ev.MatchString(e) {
				t.Errorf("link %s/%s evidence %q is not one of DESIGN.md's", l.Host, l.NIC, e)
			}
		}
	}
}

func TestExitCodes(t *testing.T) {
	site := copyDemo(t)
	empty := t.TempDir()
	for _, c := range []struct {
		args []string
		code int
		err  string // in stderr
	}{
		{[]string{"audit", site}, 1, ""},
		{[]string{"audit", site, "--fail-on", "never"}, 0, ""},
		{[]string{"audit", site, "--fail-on", "warning"}, 1, ""},
		{[]string{"audit", empty}, 2, "nothing readable"},
		{[]string{"audit", filepath.Join(empty, "nope")}, 2, "nope"},
		{[]string{"audit", site, "--format", "yaml"}, 2, "yaml"},
		{[]string{"audit", site, "--fail-on", "sometimes"}, 2, "--fail-on"},
		{[]string{"audit"}, 2, "arg"},
		{[]string{"explain", "lacp.nope"}, 2, "lacp.no-partner"},
		{[]string{"demo"}, 0, ""},
		{[]string{"demo", "--fail-on", "error"}, 1, ""},
	} {
		code, _, errs := runCLI(t, c.args...)
		if code != c.code {
			t.Errorf("%v: exit %d, want %d (stderr %q)", c.args, code, c.code, errs)
		}
		if c.err != "" && !strings.Contains(errs, c.err) {
			t.Errorf("%v: stderr %q does not mention %q", c.args, errs, c.err)
		}
	}
}

// TestHealthyDemoHostsExitZero: a site made of only the demo's correctly
// built hosts and the switches passes --fail-on info.
func TestHealthyDemoHostsExitZero(t *testing.T) {
	site := copyDemo(t)
	for host, ids := range demoExpectations(t) {
		if len(ids) > 0 {
			if err := os.RemoveAll(filepath.Join(site, "hosts", host)); err != nil {
				t.Fatal(err)
			}
		}
	}
	code, out, errs := runCLI(t, "audit", site, "--fail-on", "info")
	if code != 0 {
		t.Errorf("healthy hosts only: exit %d\n%s\n%s", code, out, errs)
	}
}

// TestBadInputIsReportedAndTheRestAudited breaks files the way real
// collections break and checks that each is named and nothing else is lost.
func TestBadInputIsReportedAndTheRestAudited(t *testing.T) {
	site := copyDemo(t)
	write := func(rel, content string) {
		t.Helper()
		p := filepath.Join(site, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	read := func(rel string) string {
		b, err := os.ReadFile(filepath.Join(site, filepath.FromSlash(rel)))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	// Truncated ip-link.json (a copy cut short by a full disk).
	ipl := read("hosts/app02/ip-link.json")
	write("hosts/app02/ip-link.json", ipl[:len(ipl)/2])
	// An unknown bonding mode (a future kernel) on db01.
	b := read("hosts/db01/bonding/bond0")
	write("hosts/db01/bonding/bond0", strings.Replace(b, "Bonding Mode: fault-tolerance (active-backup)", "Bonding Mode: quantum entanglement (mode 9)", 1))
	// A capture folder missing its bonding file.
	if err := os.RemoveAll(filepath.Join(site, "hosts", "stor01", "bonding")); err != nil {
		t.Fatal(err)
	}
	// A duplicate host: a snapshot with the name of a capture folder.
	write("hosts/web01.json", `{"schema":"bondaudit.host/v1","name":"web01"}`)
	// A malformed snmprec line in the middle of access2.
	sw := read("switches/access2.snmprec")
	lines := strings.SplitAfter(sw, "\n")
	lines[len(lines)/2] = "1.3.6.1.2.1.2.2.1.8.|2|\n"
	write("switches/access2.snmprec", strings.Join(lines, ""))
	// A switch file that is not a walk at all.
	write("switches/broken.snmprec", "\x00\x01 this is not snmprec\n")

	code, r, errs := auditJSON(t, "audit", site, "--format", "json")
	if code != 1 {
		t.Errorf("exit %d, want 1 (findings remain); stderr %s", code, errs)
	}
	all := strings.Join(r.Problems, "\n")
	for _, want := range []string{
		"hosts/app02/ip-link.json",
		"hosts/db01/bonding/bond0",
		"quantum entanglement",
		"hosts/stor01",
		"web01",
		"switches/access2.snmprec:",
		"switches/broken.snmprec",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("problems do not mention %q:\n%s", want, all)
		}
	}
	// The rest of the site is still audited: web02 and kvm01 keep their findings.
	has := func(host, rule string) bool {
		for _, f := range r.Findings {
			if f.Host == host && f.Rule == rule {
				return true
			}
		}
		return false
	}
	for _, hr := range [][2]string{{"web02", "lacp.switch-not-aggregated"}, {"kvm01", "lacp.multi-switch-no-mlag"}, {"app01", "independent.switch-aggregated"}} {
		if !has(hr[0], hr[1]) {
			t.Errorf("%s lost its %s finding after unrelated bad input", hr[0], hr[1])
		}
	}
	// The text report names what was not read.
	_, out, _ := runCLI(t, "audit", site)
	if !strings.Contains(out, "switches/broken.snmprec") || !strings.Contains(out, "hosts/db01/bonding/bond0") {
		t.Errorf("text report does not list unread inputs:\n%s", out)
	}
}

func TestOutputFile(t *testing.T) {
	out := filepath.Join(t.TempDir(), "report.json")
	code, stdout, errs := runCLI(t, "demo", "--format", "json", "-o", out)
	if code != 0 || stdout != "" {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, stdout, errs)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if !json.Valid(b) {
		t.Errorf("%s is not JSON", out)
	}
	entries, _ := os.ReadDir(filepath.Dir(out))
	if len(entries) != 1 {
		t.Errorf("temp files left next to the report: %v", entries)
	}
	code, _, errs = runCLI(t, "demo", "-o", filepath.Join(t.TempDir(), "no", "such", "dir", "r.txt"))
	if code != 2 || !strings.Contains(errs, "-o") {
		t.Errorf("unwritable -o: exit %d, stderr %q", code, errs)
	}
}

func TestTopologyCommand(t *testing.T) {
	code, out, errs := runCLI(t, "topology", "demo", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var v struct {
		Schema string `json:"schema"`
		Hosts  []struct {
			Name  string
			Bonds []struct {
				Name, Mode string
				Slaves     []struct{ NIC, MAC, Switch, Port string }
			}
		}
		Switches []struct {
			Name, Vendor string
			LAGs         []struct {
				Name, Kind string
				Members    []string
			} `json:"lags"`
		}
	}
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatal(err)
	}
	if v.Schema != "bondaudit.topology/v1" || len(v.Hosts) != 8 || len(v.Switches) != 4 {
		t.Fatalf("schema %q, %d hosts, %d switches", v.Schema, len(v.Hosts), len(v.Switches))
	}
	// web01's two slaves land on the MLAG pair's Ethernet1.
	for _, h := range v.Hosts {
		if h.Name != "web01" {
			continue
		}
		var got []string
		for _, s := range h.Bonds[0].Slaves {
			got = append(got, s.Switch+" "+s.Port)
		}
		slices.Sort(got)
		if !slices.Equal(got, []string{"leaf1a Ethernet1", "leaf1b Ethernet1"}) {
			t.Errorf("web01 slaves on %v", got)
		}
	}
	code, out, _ = runCLI(t, "topology", "demo")
	if code != 0 || !strings.Contains(out, "web01") {
		t.Errorf("text topology: exit %d\n%s", code, out)
	}
}

func TestRulesAndExplain(t *testing.T) {
	code, out, _ := runCLI(t, "rules")
	if code != 0 {
		t.Fatalf("rules: exit %d", code)
	}
	for _, r := range rules.Registry() {
		if !strings.Contains(out, r.ID) {
			t.Errorf("rules output lacks %s", r.ID)
		}
	}
	code, out, _ = runCLI(t, "explain", "lacp.switch-not-aggregated")
	if code != 0 {
		t.Fatalf("explain: exit %d", code)
	}
	for _, s := range []string{"What it checks", "Why it matters", "Fix on the host", "Fix on the switch", "Evidence it reads"} {
		if !strings.Contains(out, s) {
			t.Errorf("explain lacks section %q:\n%s", s, out)
		}
	}
}
