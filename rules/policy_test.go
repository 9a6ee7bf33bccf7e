package rules

import (
	"strings"
	"testing"
	"time"
)

func TestParsePolicyAccepts(t *testing.T) {
	p, err := ParsePolicy([]byte(`
# site policy
site: dc-east
severity:
  bond.lacp-rate-slow: warning
  redundancy.single-switch: error
disabled:
  - bond.hash-layer2
thresholds:
  slave_flapping: 5
require_switch_redundancy: true
waivers:
  - rule: lacp.no-partner
    host: web02
    bond: bond0
    port: "Ethernet*"
    reason: CHG-1234 LACP goes live on leaf2 next window
    expires: 2027-01-31
  - rule: "vlan.*"
    switch: leaf?
    reason: VLAN clean-up tracked in NET-77
    expires: "2026-12-31"
`), "policy.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if p.Site != "dc-east" {
		t.Errorf("site %q", p.Site)
	}
	if p.Severity["bond.lacp-rate-slow"] != Warning || p.Severity["redundancy.single-switch"] != Error {
		t.Errorf("severity overrides %v", p.Severity)
	}
	if p.Enabled("bond.hash-layer2") || !p.Enabled("bond.single-slave") {
		t.Errorf("disabled %v", p.Disabled)
	}
	if prm := p.Params(); prm.FlapThreshold != 5 || !prm.RequireSwitchRedundancy {
		t.Errorf("params %+v", prm)
	}
	if len(p.Waivers) != 2 {
		t.Fatalf("waivers %+v", p.Waivers)
	}
	w := p.Waivers[0]
	if w.Rule != "lacp.no-partner" || w.Host != "web02" || w.Port != "Ethernet*" || w.ExpiresString() != "2027-01-31" || w.Line != 13 {
		t.Errorf("waiver %+v", w)
	}
}

func TestParsePolicyEmpty(t *testing.T) {
	for _, in := range []string{"", "# nothing yet\n"} {
		p, err := ParsePolicy([]byte(in), "policy.yaml")
		if err != nil || len(p.Waivers) != 0 || !p.Enabled("bond.single-slave") || p.Site != "" {
			t.Errorf("%q: %+v %v", in, p, err)
		}
	}
}

func TestParsePolicyErrors(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []string
	}{
		{"severty:\n  bond.single-slave: info\n", []string{"policy.yaml:1", `unknown key "severty"`, "site, severity, disabled, thresholds, require_switch_redundancy, waivers"}},
		{"site:\n  - dc1\n", []string{"policy.yaml:2", "site: want the site's name"}},
		{"site: \"\"\n", []string{"policy.yaml:1", "site: want the site's name"}},
		{"site: \"dc\\nnorth\"\n", []string{"policy.yaml:1", "one line of text"}},
		{"severity:\n  bond.single-slav: info\n", []string{"policy.yaml:2", `no rule "bond.single-slav"`, "bond.single-slave"}},
		{"severity:\n  bond.single-slave: critical\n", []string{"policy.yaml:2", "want error, warning or info", "critical"}},
		{"disabled: bond.single-slave\n", []string{"disabled: want a list"}},
		{"thresholds:\n  flaps: 3\n", []string{"policy.yaml:2", `unknown key "flaps" in thresholds`, "slave_flapping"}},
		{"thresholds:\n  slave_flapping: many\n", []string{"slave_flapping", "many"}},
		{"require_switch_redundancy: yes please\n", []string{"want true or false"}},
		{"waivers:\n  - rule: bond.single-slave\n    expires: 2027-01-01\n", []string{"policy.yaml:2", "reason is required"}},
		{"waivers:\n  - rule: bond.single-slave\n    reason: x\n", []string{"expires", "YYYY-MM-DD"}},
		{"waivers:\n  - rule: bond.single-slave\n    reason: x\n    expires: next week\n", []string{`"next week"`}},
		{"waivers:\n  - rule: bond.single-slave\n    reason: x\n    expires: 2027-01-01\n    hostname: a\n", []string{"policy.yaml:5", `unknown key "hostname" in waiver`, "rule, host, bond, nic, switch, port, reason, expires"}},
		{"waivers:\n  - rule: nope.*\n    reason: x\n    expires: 2027-01-01\n", []string{"matches no rule"}},
		{"waivers:\n  - host: web01\n    reason: x\n    expires: 2027-01-01\n", []string{"rule is required"}},
		{"- a\n- b\n", []string{"a policy is a mapping"}},
		{"severity: [\n", []string{"policy.yaml"}},
		// a key given twice in a waiver is refused as at the top level
		{"waivers:\n  - rule: bond.single-slave\n    reason: x\n    expires: 2027-01-01\n    expires: 2099-01-01\n", []string{"policy.yaml:5", `waiver: key "expires" given twice`}},
		{"thresholds:\n  slave_flapping: 2\n  slave_flapping: 9\n", []string{"policy.yaml:3", `thresholds: key "slave_flapping" given twice`}},
	} {
		_, err := ParsePolicy([]byte(c.in), "policy.yaml")
		if err == nil {
			t.Errorf("%q: no error", c.in)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%q: error %q does not mention %q", c.in, err, w)
			}
		}
	}
}

func TestParsePolicyReportsEveryError(t *testing.T) {
	_, err := ParsePolicy([]byte("bogus: 1\nseverity:\n  nope.nope: info\n"), "p.yaml")
	if err == nil || !strings.Contains(err.Error(), "p.yaml:1") || !strings.Contains(err.Error(), "p.yaml:3") {
		t.Errorf("want both errors, got %v", err)
	}
}

func TestGlob(t *testing.T) {
	for _, c := range []struct {
		p, s string
		want bool
	}{
		{"", "anything", true}, {"web*", "web01", true}, {"web*", "db01", false},
		{"Gi1/0/*", "Gi1/0/17", true}, {"*/0/1", "Gi1/0/1", true}, {"leaf?", "leaf2", true}, {"leaf?", "leaf10", false},
		{"lacp.*", "lacp.no-partner", true}, {"*-*", "a-b", true}, {"a*b*c", "axxbyyc", true}, {"a*b*c", "axxbyy", false},
		{"exact", "exact", true}, {"exact", "exactly", false},
	} {
		if got := glob(c.p, c.s); got != c.want {
			t.Errorf("glob(%q, %q) = %v, want %v", c.p, c.s, got, c.want)
		}
	}
	if !matchPort("GigabitEthernet1/0/1", "Gi1/0/1") || matchPort("Gi1/0/1", "Gi1/0/10") {
		t.Error("matchPort does not normalise port names")
	}
}

func TestWaiverExpiry(t *testing.T) {
	w := Waiver{Expires: time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC)}
	if w.Expired(time.Date(2026, 12, 31, 23, 59, 0, 0, time.UTC)) {
		t.Error("a waiver holds through its expiry day")
	}
	if !w.Expired(time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Error("a waiver ends after its expiry day")
	}
}

func TestPolicyApply(t *testing.T) {
	p, err := ParsePolicy([]byte(`
severity:
  bond.lacp-rate-slow: warning
waivers:
  - rule: lacp.no-partner
    host: web02
    reason: CHG-1234
    expires: 2027-01-31
  - rule: bond.single-slave
    host: db*
    reason: old ticket
    expires: 2026-11-30
`), "policy.yaml")
	if err != nil {
		t.Fatal(err)
	}
	in := []Finding{
		{Rule: "lacp.no-partner", Severity: Error, DefaultSeverity: Error, Status: StatusFail, Host: "web02", Bond: "bond0", NIC: "eth0"},
		{Rule: "lacp.no-partner", Severity: Error, DefaultSeverity: Error, Status: StatusFail, Host: "web03", Bond: "bond0", NIC: "eth0"},
		{Rule: "bond.lacp-rate-slow", Severity: Info, DefaultSeverity: Info, Status: StatusFail, Host: "web03", Bond: "bond0"},
		{Rule: "bond.single-slave", Severity: Warning, DefaultSeverity: Warning, Status: StatusFail, Host: "db01", Bond: "bond0"},
	}
	now := time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)
	out := p.Apply(in, now)
	byKey := map[string]Finding{}
	for _, f := range out {
		byKey[f.Rule+"/"+f.Host] = f
	}
	if f := byKey["lacp.no-partner/web02"]; f.Status != StatusSuppressed || f.Reason != "CHG-1234" || f.Expires != "2027-01-31" {
		t.Errorf("waived finding: %+v", f)
	}
	if f := byKey["lacp.no-partner/web03"]; f.Status != StatusFail {
		t.Errorf("finding outside the waiver's selector: %+v", f)
	}
	if f := byKey["bond.lacp-rate-slow/web03"]; f.Severity != Warning || f.DefaultSeverity != Info {
		t.Errorf("override: %+v", f)
	}
	if f := byKey["bond.single-slave/db01"]; f.Status != StatusFail || f.Reason != "" {
		t.Errorf("an expired waiver must not suppress: %+v", f)
	}
	exp := byKey[RuleWaiverExpired+"/"]
	if exp.Severity != Warning || !strings.Contains(exp.Message, "expired on 2026-11-30") || !strings.Contains(exp.Message, "1 finding(s)") ||
		len(exp.Evidence) != 1 || !strings.Contains(exp.Evidence[0], "policy.yaml:9") {
		t.Errorf("expired waiver finding: %+v", exp)
	}
	if len(out) != 5 {
		t.Errorf("got %d findings, want 4 + 1 expired waiver", len(out))
	}
	// A nil policy changes nothing.
	var none *Policy
	if got := none.Apply(in, now); len(got) != len(in) || !none.Enabled("x") {
		t.Error("nil policy")
	}
}

// TestPolicyMaxCaptureAge: max_capture_age reads as an age (Go duration,
// days), 0 and off turn map.stale-capture off, and the default is 24h.
func TestPolicyMaxCaptureAge(t *testing.T) {
	for _, c := range []struct {
		in   string
		want time.Duration
	}{
		{"", 0},
		{"max_capture_age: 36h\n", 36 * time.Hour},
		{"max_capture_age: 90m\n", 90 * time.Minute},
		{"max_capture_age: 2d\n", 48 * time.Hour},
		{"max_capture_age: 1d12h\n", 36 * time.Hour},
		{"max_capture_age: 0\n", CaptureAgeOff},
		{"max_capture_age: off\n", CaptureAgeOff},
	} {
		p, err := ParsePolicy([]byte(c.in), "policy.yaml")
		if err != nil {
			t.Errorf("%q: %v", c.in, err)
			continue
		}
		if got := p.Params().MaxCaptureAge; got != c.want {
			t.Errorf("%q: MaxCaptureAge %v, want %v", c.in, got, c.want)
		}
	}
	if d, on := (Params{}).maxCaptureAge(); d != 24*time.Hour || !on {
		t.Errorf("default max capture age %v %v, want 24h on", d, on)
	}
	if _, on := (Params{MaxCaptureAge: CaptureAgeOff}).maxCaptureAge(); on {
		t.Error("CaptureAgeOff leaves the check on")
	}
	for _, in := range []string{"max_capture_age: soon\n", "max_capture_age: -1h\n", "max_capture_age: 3x\n", "max_capture_age: [1h]\n"} {
		_, err := ParsePolicy([]byte(in), "policy.yaml")
		if err == nil || !strings.Contains(err.Error(), "policy.yaml:1: max_capture_age: want an age such as 24h") {
			t.Errorf("%q: error %v", in, err)
		}
	}
}

// TestPolicyFixPrefer: fix_prefer reads hosts or switches; anything else
// is an error at its line.
func TestPolicyFixPrefer(t *testing.T) {
	for _, c := range []struct{ in, want string }{{"fix_prefer: hosts\n", "hosts"}, {"fix_prefer: switches\n", "switches"}, {"site: x\n", ""}} {
		p, err := ParsePolicy([]byte(c.in), "policy.yaml")
		if err != nil || p.FixPrefer != c.want {
			t.Errorf("%q: %v, FixPrefer %q, want %q", c.in, err, p.FixPrefer, c.want)
		}
	}
	_, err := ParsePolicy([]byte("site: x\nfix_prefer: both\n"), "policy.yaml")
	if err == nil || !strings.Contains(err.Error(), `policy.yaml:2: fix_prefer: want hosts or switches`) {
		t.Errorf("error %v", err)
	}
}
