package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bondaudit/bondaudit/internal/golden"
)

// TestWhatIfGolden: what-if on the demo site for a whole switch, one port,
// an MLAG peer and a stack module, in text, JSON and Markdown, against
// golden files (-update rewrites them), and the exit status.
func TestWhatIfGolden(t *testing.T) {
	for _, c := range []struct {
		name string
		args []string
		code int
	}{
		{"switch-leaf2.txt", []string{"--down", "leaf2"}, 1},
		{"switch-leaf2.json", []string{"--down", "leaf2", "--format", "json"}, 1},
		{"port-leaf1a-Ethernet1.md", []string{"--down", "leaf1a:Ethernet1", "--format", "markdown"}, 0},
		{"mlag-peer-of-leaf1a.txt", []string{"--down-mlag-peer", "leaf1a"}, 0},
		{"access2-ports.txt", []string{"--down", "access2:Gi1/0/9,Gi1/0/20"}, 0},
		{"plan.txt", []string{"--plan", filepath.Join("testdata", "whatif", "plan.yaml")}, 0},
		{"plan.json", []string{"--plan", filepath.Join("testdata", "whatif", "plan.yaml"), "--format", "json"}, 0},
		{"plan-and-down.md", []string{"--plan", filepath.Join("testdata", "whatif", "plan.yaml"), "--down", "leaf2", "--format", "markdown"}, 1}, // app02 still single-homed on leaf2
		{"port-channel-leaf1a-Po2.txt", []string{"--down", "leaf1a:Port-Channel2"}, 1},                                                           // backup01s other slave is already down
	} {
		t.Run(c.name, func(t *testing.T) {
			code, out, errs := runCLI(t, append([]string{"whatif", "--demo"}, c.args...)...)
			if code != c.code {
				t.Errorf("exit %d, want %d (%s)", code, c.code, errs)
			}
			golden.Check(t, filepath.Join("testdata", "whatif", c.name), []byte(out))
		})
	}
}

// TestWhatIfStory: the outcomes a network engineer expects on the demo.
func TestWhatIfStory(t *testing.T) {
	_, out, _ := runCLI(t, "whatif", "--demo", "--down", "leaf2")
	for _, want := range []string{
		"LOSES CONNECTIVITY   app02 bond0", "LOSES CONNECTIVITY   web02 bond0", // both legs on leaf2
		"loses redundancy     db01 bond0", "takes over: eno2", // active-backup fails over to access2
		"loses redundancy     kvm01 bond0",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("whatif --down leaf2 lacks %q:\n%s", want, out)
		}
	}
	_, out, _ = runCLI(t, "whatif", "--demo", "--down-mlag-peer", "leaf1a")
	if !strings.Contains(out, "what if leaf1b goes down") || !strings.Contains(out, "loses redundancy     web01 bond0") || strings.Contains(out, "CONNECTIVITY") {
		t.Errorf("MLAG peer of leaf1a:\n%s", out)
	}
	for _, bad := range [][]string{{"--down", "nosuch"}, {"--down", "leaf2:Ethernet99"}, {"--down-module", "leaf2"}, {"--down-mlag-peer", "leaf2"}, {}} {
		code, _, errs := runCLI(t, append([]string{"whatif", "--demo"}, bad...)...)
		if code != 2 || errs == "" {
			t.Errorf("%v: exit %d, stderr %q", bad, code, errs)
		}
	}
}

// TestWhatIfPlanErrors: a wrong plan names the file, line and what is allowed.
func TestWhatIfPlanErrors(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct{ plan, want string }{
		{"changes:\n  - move_cabel: {host: a}\n", "unknown change \"move_cabel\""},
		{"changes:\n  - bond_mode: {host: app01, bond: bond0, mood: x}\n", "plan.yaml:2: bond_mode: unknown key \"mood\""},
		{"changes:\n  - bond_mode: {host: nohost, bond: bond0, mode: 802.3ad}\n", "no host \"nohost\""},
		{"changes:\n  - lag_add: {switch: leaf2, lag: Po99, ports: [Ethernet7]}\n", "needs kind lacp or static"},
		{"nope: 1\n", "a plan is `changes:`"},
	} {
		p := filepath.Join(dir, "plan.yaml")
		os.WriteFile(p, []byte(c.plan), 0o644)
		code, _, errs := runCLI(t, "whatif", "--demo", "--plan", p)
		if code != 2 || !strings.Contains(errs, c.want) {
			t.Errorf("%q: exit %d, stderr %q, want %q", c.plan, code, errs, c.want)
		}
	}
}

// TestWhatIfUnknownSlave: a host no evidence maps (a copy of db01 under
// another name and other MACs, without its LLDP capture) is listed by every
// whatif as unknown, in every format, and does not change the exit status.
func TestWhatIfUnknownSlave(t *testing.T) {
	site := copyDemo(t)
	src, dst := filepath.Join(site, "hosts", "db01"), filepath.Join(site, "hosts", "lost01")
	for _, rel := range []string{"hostname", "ip-link.json", filepath.Join("bonding", "bond0")} {
		b, err := os.ReadFile(filepath.Join(src, rel))
		if err != nil {
			t.Fatal(err)
		}
		b = []byte(strings.NewReplacer("db01", "lost01", "a0:36:9f:b2:02:", "a0:36:9f:ee:02:").Replace(string(b)))
		os.MkdirAll(filepath.Dir(filepath.Join(dst, rel)), 0o755)
		if err := os.WriteFile(filepath.Join(dst, rel), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct {
		args  []string
		code  int
		wants []string
	}{
		{[]string{"--down", "leaf1a:Ethernet1"}, 0, []string{
			"unknown              lost01 bond0 (active-backup)",
			"note: eno1's switch port is unknown: it may be on leaf1a:Ethernet1",
			"note: eno2's switch port is unknown: it may be on leaf1a:Ethernet1",
			"1 bond(s) have a slave whose switch port is unknown",
		}},
		{[]string{"--down", "leaf2", "--format", "markdown"}, 1, []string{
			"| lost01 | bond0 | active-backup | unknown | none | eno1→? eno2→? |  | eno1's switch port is unknown: it may be on leaf2; eno2's",
			"**Unknown:** 1 bond(s)",
		}},
		{[]string{"--down-mlag-peer", "leaf1a", "--format", "json"}, 0, []string{
			`"host": "lost01",`, `"outcome": "unknown",`, `"eno2's switch port is unknown: it may be on leaf1b"`, `"uncertain_bonds": 1`,
		}},
	} {
		code, out, errs := runCLI(t, append([]string{"whatif", site}, c.args...)...)
		if code != c.code {
			t.Errorf("%v: exit %d, want %d (%s)", c.args, code, c.code, errs)
		}
		for _, w := range c.wants {
			if !strings.Contains(out, w) {
				t.Errorf("%v: output lacks %q:\n%s", c.args, w, out)
			}
		}
	}
	// the demo maps every slave: nothing unknown there
	if _, out, _ := runCLI(t, "whatif", "--demo", "--down", "leaf2", "--format", "json"); strings.Contains(out, "unknown") {
		t.Errorf("demo whatif has an unknown bond:\n%s", out)
	}
}

// TestWhatIfPlanEmptiesLAG: a plan that takes a working 802.3ad bond's
// port-channel apart on both MLAG peers (web01 on leaf1a/leaf1b
// Port-Channel1) is seen to break it: the emptied LAG is gone, so the
// placement rules still judge the switch (an empty LAG once read as "this
// switch hides its membership" and silenced them).
func TestWhatIfPlanEmptiesLAG(t *testing.T) {
	plan := filepath.Join(t.TempDir(), "plan.yaml")
	os.WriteFile(plan, []byte(`changes:
  - lag_remove: {switch: leaf1a, lag: Port-Channel1, ports: [Ethernet1]}
  - lag_remove: {switch: leaf1b, lag: Port-Channel1, ports: [Ethernet1]}
`), 0o644)
	code, out, errs := runCLI(t, "whatif", "demo", "--plan", plan)
	if code != 1 {
		t.Errorf("exit %d, want 1 (the plan adds errors)\n%s%s", code, out, errs)
	}
	for _, sw := range []string{"leaf1a", "leaf1b"} {
		if want := "lacp.switch-not-aggregated     web01: bond0 is 802.3ad but " + sw + " Ethernet1"; !strings.Contains(out, want) {
			t.Errorf("no %q in\n%s", want, out)
		}
	}
}

// TestWhatIfPlanProblems: whatif --plan groups what a plan adds and
// removes into problems as the audit does. In the JSON every added or
// removed finding names a problem of its own side, each problem counts
// the findings that name it, and a problem the plan resolves whole has
// the id the audit gave it; the text has one unindented line per problem
// and the others under it.
func TestWhatIfPlanProblems(t *testing.T) {
	dir := t.TempDir()
	plan := filepath.Join(dir, "plan.yaml")
	if code, out, errs := runCLI(t, "fix", "demo", "-o", plan); code != 0 {
		t.Fatalf("fix demo: exit %d\n%s%s", code, out, errs)
	}
	_, out, errs := runCLI(t, "whatif", "demo", "--plan", plan, "--format", "json")
	type finding struct{ Rule, Problem string }
	type problem struct {
		ID, Rule string
		Findings int
	}
	var r struct {
		Plan struct {
			Added, Removed []finding
			AP             []problem `json:"added_problems"`
			RP             []problem `json:"removed_problems"`
		}
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("%v\n%s%s", err, out, errs)
	}
	if len(r.Plan.Removed) == 0 || r.Plan.AP == nil || r.Plan.RP == nil {
		t.Fatalf("want removed findings and both problem lists (never null):\n%s", out)
	}
	check := func(side string, fs []finding, ps []problem) {
		named := map[string]int{}
		for _, f := range fs {
			if f.Problem == "" {
				t.Errorf("%s: finding %s names no problem", side, f.Rule)
			}
			named[f.Problem]++
		}
		for _, p := range ps {
			if named[p.ID] != p.Findings || p.Findings == 0 {
				t.Errorf("%s: problem %s (%s) counts %d findings, %d name it", side, p.ID, p.Rule, p.Findings, named[p.ID])
			}
			delete(named, p.ID)
		}
		for id := range named {
			t.Errorf("%s: findings name problem %s, which the list lacks", side, id)
		}
	}
	check("added", r.Plan.Added, r.Plan.AP)
	check("removed", r.Plan.Removed, r.Plan.RP)
	if len(r.Plan.RP) >= len(r.Plan.Removed) {
		t.Errorf("%d removed findings in %d problems: nothing grouped", len(r.Plan.Removed), len(r.Plan.RP))
	}

	// The audit's problems: the fix plan resolves the demo's web02 and
	// kvm01 problems whole, under the audit's ids.
	_, audit, _ := runCLI(t, "audit", "demo", "--format", "json")
	var a struct {
		Groups []problem `json:"problem_groups"`
	}
	if err := json.Unmarshal([]byte(audit), &a); err != nil {
		t.Fatal(err)
	}
	auditIDs := map[string]problem{}
	for _, p := range a.Groups {
		auditIDs[p.ID] = p
	}
	whole := 0
	for _, p := range r.Plan.RP {
		if ap, ok := auditIDs[p.ID]; ok && ap.Findings == p.Findings {
			whole++
		}
	}
	if whole < 2 {
		t.Errorf("only %d removed problems are the audit's, whole: ids %v, audit %v", whole, r.Plan.RP, a.Groups)
	}

	// Text: a line per problem, its other findings indented under it.
	_, text, _ := runCLI(t, "whatif", "demo", "--plan", plan)
	top, under := 0, 0
	for _, line := range strings.Split(text, "\n") {
		switch {
		case strings.HasPrefix(line, "  - "), strings.HasPrefix(line, "  + "):
			top++
		case strings.HasPrefix(line, "      - "), strings.HasPrefix(line, "      + "):
			under++
		}
	}
	if top != len(r.Plan.AP)+len(r.Plan.RP) || top+under != len(r.Plan.Added)+len(r.Plan.Removed) {
		t.Errorf("text: %d problem lines and %d under them, want %d and %d:\n%s", top, under,
			len(r.Plan.AP)+len(r.Plan.RP), len(r.Plan.Added)+len(r.Plan.Removed)-len(r.Plan.AP)-len(r.Plan.RP), text)
	}
}
