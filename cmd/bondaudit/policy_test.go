package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bondaudit/bondaudit/internal/golden"
	"github.com/bondaudit/bondaudit/rules"
)

// demoPolicy waives one finding (web02's first lacp.no-partner), raises
// one severity (bond.lacp-rate-slow to warning) and holds one waiver that
// expired before the run (runCLI's clock says 2026-11-25).
const demoPolicy = `# policy for the demo site, as a site team would write it
severity:
  bond.lacp-rate-slow: warning
waivers:
  - rule: lacp.no-partner
    host: web02
    nic: ens1f0np0
    reason: CHG-4711 LACP on leaf2 Ethernet7/8 goes live in Saturday's window
    expires: 2027-01-31
  - rule: bond.no-link-monitor
    host: stor*
    reason: NET-12 miimon rollout
    expires: 2026-11-01
`

// policySite is the demo site in a folder with a stable name, with policy.yaml.
func policySite(t *testing.T, policy string) string {
	t.Helper()
	src := copyDemo(t)
	dir := filepath.Join(t.TempDir(), "site-with-policy")
	if err := os.Rename(src, dir); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "policy.yaml"), []byte(policy), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestPolicyGoldenJSON: the whole JSON report of a site with a policy is
// exactly the golden file.
func TestPolicyGoldenJSON(t *testing.T) {
	dir := policySite(t, demoPolicy)
	code, out, errs := runCLI(t, "audit", dir, "--format", "json", "--fail-on", "never")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	golden.Check(t, filepath.Join("testdata", "policy-site.json.golden"), []byte(out))

	// What the golden file must say, checked independently of it.
	_, r, _ := auditJSON(t, "audit", dir, "--format", "json", "--fail-on", "never")
	var suppressed, expired, overridden int
	for _, f := range r.Findings {
		switch {
		case f.Status == "suppressed":
			suppressed++
			if f.Rule != "lacp.no-partner" || f.Host != "web02" || f.NIC != "ens1f0np0" || !strings.HasPrefix(f.Reason, "CHG-4711") || f.Expires != "2027-01-31" {
				t.Errorf("wrong finding suppressed: %+v", f)
			}
		case f.Rule == "policy.waiver-expired":
			expired++
			if f.Severity != "warning" || !strings.Contains(f.Message, "bond.no-link-monitor") || !strings.Contains(f.Message, "2026-11-01") {
				t.Errorf("expired waiver finding: %+v", f)
			}
		case f.Rule == "bond.lacp-rate-slow":
			overridden++
			if f.Severity != "warning" {
				t.Errorf("override not applied: %+v", f)
			}
		case f.Rule == "bond.no-link-monitor" && f.Status != "fail":
			t.Errorf("an expired waiver still suppresses: %+v", f)
		}
	}
	if suppressed != 1 || expired != 1 || overridden == 0 {
		t.Errorf("suppressed %d, expired waivers %d, overridden %d; want 1, 1, >0", suppressed, expired, overridden)
	}
}

// TestPolicyExitCodes: --fail-on judges what remains after the policy.
func TestPolicyExitCodes(t *testing.T) {
	dir := policySite(t, demoPolicy)
	_, r, _ := auditJSON(t, "audit", dir, "--format", "json", "--fail-on", "never")
	worst := -1
	for _, f := range r.Findings {
		if f.Status == "suppressed" {
			continue
		}
		worst = max(worst, map[string]int{"info": 0, "warning": 1, "error": 2}[f.Severity])
	}
	for lvl, name := range []string{"info", "warning", "error"} {
		want := 0
		if worst >= lvl {
			want = 1
		}
		if code, _, errs := runCLI(t, "audit", dir, "--fail-on", name); code != want {
			t.Errorf("--fail-on %s: exit %d, want %d (%s)", name, code, want, errs)
		}
	}

	// Waive everything: nothing remains, even --fail-on info passes, and
	// the text report says how much was waived.
	all := policySite(t, "waivers:\n  - rule: \"*\"\n    reason: lab site, findings are the point\n    expires: 2030-01-01\n")
	code, out, errs := runCLI(t, "audit", all, "--fail-on", "info")
	if code != 0 {
		t.Errorf("everything waived: exit %d, want 0 (%s)", code, errs)
	}
	if !strings.Contains(out, "waived by the policy (--show-suppressed lists them)") || !strings.Contains(out, "FINDINGS: 0 findings in 0 problems: 0 errors, 0 warnings, 0 info") {
		t.Errorf("text report with everything waived:\n%s", out)
	}
	_, shown, _ := runCLI(t, "audit", all, "--show-suppressed")
	if !strings.Contains(shown, "waived until 2030-01-01: lab site, findings are the point") {
		t.Errorf("--show-suppressed does not list the waived findings:\n%s", shown)
	}
}

// TestPolicyErrorsStopTheRun: a policy that does not parse is exit 2 with
// the file and line, never an audit without the waivers.
func TestPolicyErrorsStopTheRun(t *testing.T) {
	dir := policySite(t, "severity:\n  bond.single-slave: critical\n")
	code, _, errs := runCLI(t, "audit", dir)
	if code != 2 || !strings.Contains(errs, "policy.yaml:2") || !strings.Contains(errs, "critical") {
		t.Errorf("exit %d, stderr %q", code, errs)
	}
	bad := filepath.Join(t.TempDir(), "p.yaml")
	if err := os.WriteFile(bad, []byte("waiverz: []\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errs = runCLI(t, "audit", copyDemo(t), "--policy", bad)
	if code != 2 || !strings.Contains(errs, "--policy") || !strings.Contains(errs, `unknown key "waiverz"`) || !strings.Contains(errs, "waivers") {
		t.Errorf("--policy bad: exit %d, stderr %q", code, errs)
	}
	code, _, errs = runCLI(t, "audit", copyDemo(t), "--policy", filepath.Join(t.TempDir(), "missing.yaml"))
	if code != 2 || !strings.Contains(errs, "missing.yaml") {
		t.Errorf("--policy missing: exit %d, stderr %q", code, errs)
	}
}

// TestREADMEPolicyExampleParses: the policy.yaml the README shows is valid.
func TestREADMEPolicyExampleParses(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(b), "### Known exceptions: policy.yaml")
	if !ok {
		t.Fatal("README has no policy section")
	}
	_, rest, ok = strings.Cut(rest, "```yaml\n")
	example, _, ok2 := strings.Cut(rest, "```")
	if !ok || !ok2 {
		t.Fatal("README policy section has no yaml block")
	}
	p, err := rules.ParsePolicy([]byte(example), "README.md")
	if err != nil {
		t.Fatalf("README policy example: %v", err)
	}
	if len(p.Waivers) == 0 || len(p.Severity) == 0 || len(p.Disabled) == 0 || p.FlapThreshold == 0 || !p.RequireSwitchRedundancy || p.Site == "" {
		t.Errorf("README example does not show every part of a policy: %+v", p)
	}
}
