package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bondaudit/bondaudit/collect"
	"github.com/bondaudit/bondaudit/rules"
	"github.com/bondaudit/bondaudit/rules/fix"
	"github.com/bondaudit/bondaudit/topology"
)

// whatifPlanJSON runs whatif demo --plan FILE --format json and returns
// the plan's added and removed findings.
func whatifPlanJSON(t *testing.T, plan string) (code int, added, removed []map[string]string) {
	t.Helper()
	code, out, errs := runCLI(t, "whatif", "demo", "--plan", plan, "--format", "json")
	if code == 2 {
		t.Fatalf("whatif --plan: exit 2: %s", errs)
	}
	var r struct {
		Plan struct {
			Added, Removed []map[string]string
		}
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	return code, r.Plan.Added, r.Plan.Removed
}

// TestFixDemoPlanResolvesEveryFixableError is the "done when":
// bondaudit fix demo writes a plan; whatif --plan reads it and judges
// the planned site: it adds nothing and removes every error the audit
// has, so the audit of the planned model has no fixable error left.
func TestFixDemoPlanResolvesEveryFixableError(t *testing.T) {
	plan := filepath.Join(t.TempDir(), "plan.yaml")
	code, out, errs := runCLI(t, "fix", "demo", "-o", plan)
	if code != 0 || out != "" || !strings.Contains(errs, "0 with an error left") {
		t.Fatalf("fix demo: exit %d, stdout %q, stderr %q", code, out, errs)
	}
	b, err := os.ReadFile(plan)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"# bondaudit fix: site demo", "# fixes host web02 bond0 (", "- lag_add: {switch: leaf2, lag: Port-Channel7, kind: lacp, ports: [Ethernet7, Ethernet8]}", "# not fixable: host backup01 bond0 bond.slave-down"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("the plan lacks %q:\n%s", want, b)
		}
	}
	code, added, removed := whatifPlanJSON(t, plan)
	if code != 0 || len(added) != 0 {
		t.Errorf("whatif --plan: exit %d, adds %v", code, added)
	}
	gone := map[string]bool{}
	for _, f := range removed {
		gone[f["rule"]+" "+f["host"]+" "+f["nic"]+" "+f["switch"]+" "+f["port"]] = true
	}
	_, auditOut, _ := runCLI(t, "audit", "demo", "--format", "json")
	var audit struct{ Findings []map[string]any }
	if err := json.Unmarshal([]byte(auditOut), &audit); err != nil {
		t.Fatal(err)
	}
	errors := 0
	for _, f := range audit.Findings {
		if f["severity"] != "error" {
			continue
		}
		errors++
		s := func(k string) string { v, _ := f[k].(string); return v }
		if k := s("rule") + " " + s("host") + " " + s("nic") + " " + s("switch") + " " + s("port"); !gone[k] {
			t.Errorf("the plan leaves the error %s", k)
		}
	}
	if errors == 0 {
		t.Fatal("the demo audit has no error: the test tests nothing")
	}
}

// TestFixFormats: markdown is a change ticket, json is for tools (its
// changes' yaml parses as plan changes); an unknown format or side is
// refused.
func TestFixFormats(t *testing.T) {
	code, out, errs := runCLI(t, "fix", "demo", "--format", "markdown")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"# Fix plan: site demo", "## Changes", "| 1 | lag\\_remove: {switch: access2, lag: Po9, ports: \\[Gi1/0/9, Gi1/0/10\\]} |", "## What the check found", "- **resolved** host kvm01 bond0", "## Not fixable by a plan", "bond.slave-down (warning): a link is down"} {
		if !strings.Contains(out, want) {
			t.Errorf("markdown lacks %q:\n%s", want, out)
		}
	}
	code, out, errs = runCLI(t, "fix", "demo", "--format", "json", "--prefer", "hosts")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var j struct {
		Schema    string
		Changes   []struct{ YAML, Problem, Rule, Why string }
		Problems  []struct{ ID, Outcome string }
		Unfixable []struct{ Rule, Reason string }
		Added     []any
	}
	if err := json.Unmarshal([]byte(out), &j); err != nil {
		t.Fatal(err)
	}
	if j.Schema != "bondaudit.fix/v1" || len(j.Changes) == 0 || len(j.Problems) == 0 || len(j.Unfixable) == 0 || j.Added == nil {
		t.Errorf("json %+v", j)
	}
	var yaml strings.Builder
	yaml.WriteString("changes:\n")
	hosts := 0
	for _, c := range j.Changes {
		yaml.WriteString("  - " + c.YAML + "\n")
		if strings.HasPrefix(c.YAML, "bond_mode:") && c.Problem == "bond:web02/bond0" {
			hosts++
		}
	}
	if _, err := collect.ParsePlan([]byte(yaml.String()), "json"); err != nil {
		t.Errorf("the json's changes do not parse: %v", err)
	}
	if hosts != 1 {
		t.Errorf("--prefer hosts: web02 gets no bond_mode:\n%s", yaml.String())
	}
	md := filepath.Join(t.TempDir(), "CHG-1.md")
	if code, _, _ := runCLI(t, "fix", "demo", "-o", md); code != 0 {
		t.Errorf("-o CHG-1.md: exit %d", code)
	}
	if b, _ := os.ReadFile(md); !strings.HasPrefix(string(b), "# Fix plan: site demo") {
		t.Errorf("-o .md is not the ticket:\n%s", b)
	}
	for _, bad := range [][]string{{"fix", "demo", "--format", "html"}, {"fix", "demo", "--prefer", "both"}, {"fix"}} {
		if code, _, _ := runCLI(t, bad...); code != 2 {
			t.Errorf("%v: exit %d, want 2", bad, code)
		}
	}
}

// TestFixPolicyPreferAndErrorsLeft: the policy's fix_prefer picks the side
// (--prefer wins over it), and an error no plan can fix (redundancy made
// an error by the policy) exits 1 with the plan written.
func TestFixPolicyPreferAndErrorsLeft(t *testing.T) {
	dir := t.TempDir()
	pol := filepath.Join(dir, "policy.yaml")
	os.WriteFile(pol, []byte("fix_prefer: hosts\n"), 0o644)
	_, out, _ := runCLI(t, "fix", "demo", "--policy", pol)
	if !strings.Contains(out, "bond_mode: {host: web02, bond: bond0, mode: active-backup}") {
		t.Errorf("fix_prefer hosts: web02 keeps its mode:\n%s", out)
	}
	_, out, _ = runCLI(t, "fix", "demo", "--policy", pol, "--prefer", "switches")
	if !strings.Contains(out, "lag_add: {switch: leaf2, lag: Port-Channel7") {
		t.Errorf("--prefer switches over fix_prefer hosts:\n%s", out)
	}
	os.WriteFile(pol, []byte("require_switch_redundancy: true\n"), 0o644)
	plan := filepath.Join(dir, "plan.yaml")
	code, _, errs := runCLI(t, "fix", "demo", "--policy", pol, "-o", plan)
	if code != 1 || !strings.Contains(errs, "with an error left") {
		t.Errorf("exit %d, stderr %q, want 1", code, errs)
	}
	if _, err := os.Stat(plan); err != nil {
		t.Errorf("the plan was not written: %v", err)
	}
}

// TestFixRefusesAPlanThatAddsAnError: a plan whose check finds it would
// add an error is not written (exit 2, the error named) unless --force.
func TestFixRefusesAPlanThatAddsAnError(t *testing.T) {
	old := planFix
	defer func() { planFix = old }()
	planFix = func(m *topology.Model, fs []rules.Finding, opt fix.Options) *fix.Result {
		r := old(m, fs, opt)
		r.Added = append(r.Added, rules.Finding{Rule: "lacp.no-partner", Severity: rules.Error, Host: "db01", Bond: "bond0", Message: "made up"})
		return r
	}
	plan := filepath.Join(t.TempDir(), "plan.yaml")
	code, _, errs := runCLI(t, "fix", "demo", "-o", plan)
	if code != 2 || !strings.Contains(errs, "would add: lacp.no-partner db01 bond0") || !strings.Contains(errs, "not written") {
		t.Errorf("exit %d, stderr %q", code, errs)
	}
	if _, err := os.Stat(plan); err == nil {
		t.Error("the plan was written")
	}
	if code, _, errs := runCLI(t, "fix", "demo", "-o", plan, "--force"); code == 2 {
		t.Errorf("--force: exit 2: %s", errs)
	}
	if _, err := os.Stat(plan); err != nil {
		t.Errorf("--force: not written: %v", err)
	}
}

// TestWhatIfPlanNewKinds: each new change kind read by whatif --plan and
// judged: the findings it adds or removes on the demo site.
func TestWhatIfPlanNewKinds(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		name, plan     string
		added, removed string // a rule and host each must contain
	}{
		{"bond_params", "changes:\n  - bond_params: {host: stor01, bond: bond0, miimon: 100}\n", "", "bond.no-link-monitor stor01"},
		{"bond_params lacp_rate and hash", "changes:\n  - bond_params: {host: backup01, bond: bond0, lacp_rate: fast, xmit_hash_policy: layer3+4}\n", "", "bond.lacp-rate-slow backup01"},
		{"lag_kind", "changes:\n  - lag_kind: {switch: leaf2, lag: Port-Channel3, kind: static}\n", "lacp.switch-static-lag kvm01", ""},
		{"mlag", "changes:\n  - mlag: {switch: leaf1a, lag: Port-Channel1, mlag_id: 5}\n  - mlag: {switch: leaf1b, lag: Port-Channel1, mlag_id: 6}\n", "lacp.split-across-lags web01", ""},
		{"mtu on the switch", "changes:\n  - mtu: {switch: leaf1a, port: Ethernet1, mtu: 1500}\n", "link.mtu-too-small web01", ""},
		{"mtu on the host", "changes:\n  - mtu: {host: web01, nic: bond0, mtu: 9300}\n", "link.mtu-too-small web01", ""},
	} {
		p := filepath.Join(dir, "plan.yaml")
		os.WriteFile(p, []byte(c.plan), 0o644)
		_, added, removed := whatifPlanJSON(t, p)
		has := func(fs []map[string]string, want string) bool {
			for _, f := range fs {
				if f["rule"]+" "+f["host"] == want {
					return true
				}
			}
			return false
		}
		if c.added != "" && !has(added, c.added) {
			t.Errorf("%s: adds %v, want %s", c.name, added, c.added)
		}
		if c.removed != "" && !has(removed, c.removed) {
			t.Errorf("%s: removes %v, want %s", c.name, removed, c.removed)
		}
	}
}
