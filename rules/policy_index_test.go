package rules

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"
)

// naiveApply is Apply as it was before the waiver index: every waiver
// tried on every finding. The oracle the indexed one must match.
func naiveApply(p *Policy, fs []Finding, now time.Time) []Finding {
	out := make([]Finding, 0, len(fs))
	for _, f := range fs {
		if sev, ok := p.Severity[f.Rule]; ok {
			f.Severity = sev
		}
		for i := range p.Waivers {
			w := &p.Waivers[i]
			if w.Expired(now) || !w.Matches(&f) {
				continue
			}
			f.Status, f.Reason, f.Expires = StatusSuppressed, w.Reason, w.ExpiresString()
			break
		}
		out = append(out, f)
	}
	sev := waiverExpired.Severity
	if s, ok := p.Severity[RuleWaiverExpired]; ok {
		sev = s
	}
	for i := range p.Waivers {
		w := &p.Waivers[i]
		if !w.Expired(now) {
			continue
		}
		var still int
		for j := range fs {
			if w.Matches(&fs[j]) {
				still++
			}
		}
		f := Finding{Rule: RuleWaiverExpired, Severity: sev, DefaultSeverity: waiverExpired.Severity, Status: StatusFail}
		f.Message = fmt.Sprintf("the waiver of %s (%s) expired on %s and no longer suppresses; %d finding(s) match it (reason was: %s)",
			w.Rule, w.selector(), w.ExpiresString(), still, w.Reason)
		f.Fix = "fix what the waiver covered, or renew it with a new expiry date and reason"
		f.Evidence = []string{fmt.Sprintf("policy %s:%d: waiver rule %s, %s, expires %s", p.Source, w.Line, w.Rule, w.selector(), w.ExpiresString())}
		out = append(out, f)
	}
	SortFindings(out)
	return out
}

var (
	idxRules = []string{"lacp.no-partner", "lacp.rate-mismatch", "bond.single-slave", "vlan.mismatch"}
	idxHosts = []string{"web01", "web02", "db01", ""}
)

func pickOne[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

// randomWaiver: exact and glob rules and hosts, other selectors sometimes,
// one in three expired at the test's now.
func randomWaiver(r *rand.Rand, i int) Waiver {
	w := Waiver{Rule: pickOne(r, append(idxRules, "lacp.*", "*", "bond.single-?lave")), Host: pickOne(r, []string{"web01", "web02", "db01", "", "web*", "db0?"}),
		Reason: fmt.Sprintf("reason %d", i), Line: i + 1, Expires: time.Date(2026, 12, 1+r.IntN(3)*10, 0, 0, 0, 0, time.UTC)}
	if r.IntN(3) == 0 {
		w.Bond = pickOne(r, []string{"bond0", "bond1", "bond*"})
	}
	if r.IntN(4) == 0 {
		w.Port = pickOne(r, []string{"Ethernet1", "Et1", "Ethernet*"})
	}
	return w
}

func randomFinding(r *rand.Rand) Finding {
	return Finding{Rule: pickOne(r, idxRules), Host: pickOne(r, idxHosts), Bond: pickOne(r, []string{"bond0", "bond1", ""}),
		Port: pickOne(r, []string{"Ethernet1", "Ethernet2", ""}), Severity: Warning, DefaultSeverity: Warning, Status: StatusFail}
}

// TestPolicyApplyIndexMatchesScan: on random policies and findings, the
// indexed Apply suppresses with the same (first matching) waiver and counts
// the same findings for expired waivers as trying every waiver did.
func TestPolicyApplyIndexMatchesScan(t *testing.T) {
	now := time.Date(2026, 12, 15, 0, 0, 0, 0, time.UTC)
	suppressed := 0
	for seed := range uint64(2000) {
		r := rand.New(rand.NewPCG(seed, 3))
		p := &Policy{Source: "policy.yaml", Severity: map[string]Severity{"vlan.mismatch": Error}}
		for i := range r.IntN(12) {
			p.Waivers = append(p.Waivers, randomWaiver(r, i))
		}
		var fs []Finding
		for range r.IntN(20) {
			fs = append(fs, randomFinding(r))
		}
		got, want := p.Apply(fs, now), naiveApply(p, fs, now)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("seed %d: indexed and scanning Apply differ:\n got  %+v\n want %+v", seed, got, want)
		}
		for _, f := range got {
			if f.Status == StatusSuppressed {
				suppressed++
			}
		}
	}
	if suppressed < 1000 {
		t.Errorf("only %d findings suppressed over all seeds: the comparison says little", suppressed)
	}
}

// TestWaiverOrderAcrossIndexes: when a rule pattern comes before an exact
// waiver in the policy, the pattern's reason wins, and the other way round.
func TestWaiverOrderAcrossIndexes(t *testing.T) {
	exp := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	glob := Waiver{Rule: "lacp.*", Reason: "pattern", Expires: exp}
	exact := Waiver{Rule: "lacp.no-partner", Host: "web01", Reason: "exact", Expires: exp}
	anyHost := Waiver{Rule: "lacp.no-partner", Reason: "any host", Expires: exp}
	f := []Finding{{Rule: "lacp.no-partner", Host: "web01", Status: StatusFail}}
	now := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		ws   []Waiver
		want string
	}{
		{[]Waiver{glob, exact, anyHost}, "pattern"},
		{[]Waiver{exact, glob, anyHost}, "exact"},
		{[]Waiver{anyHost, exact, glob}, "any host"},
		{[]Waiver{{Rule: "lacp.no-partner", Host: "web02", Reason: "other host", Expires: exp}, anyHost}, "any host"},
	} {
		got := (&Policy{Waivers: c.ws}).Apply(f, now)
		if got[0].Reason != c.want {
			t.Errorf("waivers %v: reason %q, want %q", c.ws, got[0].Reason, c.want)
		}
	}
}

// bigPolicy: n waivers, one per host for a handful of rules (as a site
// that waives known exceptions host by host), 1% rule patterns, a tenth
// expired; n findings over the same hosts.
func bigPolicy(n int) (*Policy, []Finding) {
	p := &Policy{Source: "policy.yaml"}
	rules := []string{"lacp.no-partner", "bond.single-slave", "vlan.mismatch", "mtu.mismatch"}
	exp, old := time.Date(2027, 6, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range n {
		w := Waiver{Rule: rules[i%len(rules)], Host: fmt.Sprintf("host%05d", i), Reason: "ticket", Expires: exp, Line: i + 1}
		if i%100 == 99 {
			w.Rule, w.Host = "lacp.*", fmt.Sprintf("host%05d", i)
		}
		if i%10 == 0 {
			w.Expires = old
		}
		p.Waivers = append(p.Waivers, w)
	}
	var fs []Finding
	for i := range n {
		fs = append(fs, Finding{Rule: rules[(i/2)%len(rules)], Host: fmt.Sprintf("host%05d", (i*7)%n), Bond: "bond0", Status: StatusFail, Severity: Warning})
	}
	return p, fs
}

func benchmarkPolicyApply(b *testing.B, n int, apply func(*Policy, []Finding, time.Time) []Finding) {
	p, fs := bigPolicy(n)
	now := time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC)
	for b.Loop() {
		apply(p, fs, now)
	}
}

// BenchmarkPolicyApply: 1k and 10k waivers on as many findings; the Scan
// variants are the every-waiver-on-every-finding loop it replaced.
func BenchmarkPolicyApply1k(b *testing.B)  { benchmarkPolicyApply(b, 1000, (*Policy).Apply) }
func BenchmarkPolicyApply10k(b *testing.B) { benchmarkPolicyApply(b, 10000, (*Policy).Apply) }
func BenchmarkPolicyApplyScan1k(b *testing.B) {
	benchmarkPolicyApply(b, 1000, naiveApply)
}
func BenchmarkPolicyApplyScan10k(b *testing.B) {
	benchmarkPolicyApply(b, 10000, naiveApply)
}
