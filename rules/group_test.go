package rules

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// TestCausesDeclaredForEveryRule: the declarations and the registry name
// the same rules, every cause is a rule, every subject kind is known, a
// cause can be found from its consequence (they share a subject kind), and
// no rule is its own cause, directly or through others.
func TestCausesDeclaredForEveryRule(t *testing.T) {
	kinds := []string{SubjectBond, SubjectLAG, SubjectPair, SubjectPort, SubjectSwitch, SubjectHost, SubjectSite}
	for _, r := range Registry() {
		g, ok := causes[r.ID]
		if !ok {
			t.Errorf("%s: no grouping declared in causes", r.ID)
			continue
		}
		if len(g.Subjects) == 0 {
			t.Errorf("%s: no subject kind", r.ID)
		}
		for _, k := range g.Subjects {
			if !slices.Contains(kinds, k) {
				t.Errorf("%s: unknown subject kind %q", r.ID, k)
			}
		}
		if len(g.CausedBy) > 0 && g.Why == "" {
			t.Errorf("%s: causes without a Why for the reference page", r.ID)
		}
		for _, c := range g.CausedBy {
			if _, ok := Lookup(c); !ok {
				t.Errorf("%s: cause %q is no rule", r.ID, c)
				continue
			}
			shared := false
			for _, k := range causes[c].Subjects {
				shared = shared || slices.Contains(g.Subjects, k)
			}
			if !shared {
				t.Errorf("%s: cause %s shares no subject kind with it", r.ID, c)
			}
		}
	}
	for id := range causes {
		if _, ok := Lookup(id); !ok {
			t.Errorf("causes declares %q, which is no rule", id)
		}
	}
	// Acyclic: a depth-first walk never meets a rule on its own path.
	var walk func(id string, path []string)
	walk = func(id string, path []string) {
		if slices.Contains(path, id) {
			t.Fatalf("cause cycle: %s → %s", strings.Join(path, " → "), id)
		}
		for _, c := range causes[id].CausedBy {
			walk(c, append(slices.Clone(path), id))
		}
	}
	for id := range causes {
		walk(id, nil)
	}
}

// fnd is a hand-built finding.
func fnd(rule string, sev Severity, host, bond, nic, sw, port string) Finding {
	return Finding{Rule: rule, Severity: sev, Status: StatusFail, Host: host, Bond: bond, NIC: nic, Switch: sw, Port: port,
		Message: rule + " on " + host + nic + sw + port}
}

// shape is problems as "rule subject: n findings [severity, status]".
func shape(ps []Problem) []string {
	var out []string
	for _, p := range ps {
		out = append(out, fmt.Sprintf("%s %s: %d %s %s", p.Rule, p.Subject, len(p.Findings), p.Severity, p.Status()))
	}
	return out
}

func TestGroup(t *testing.T) {
	sup := func(f Finding) Finding { f.Status = StatusSuppressed; return f }
	cases := []struct {
		name string
		in   []Finding
		want []string
	}{{
		name: "802.3ad bond on plain ports: one problem, the missing port-channel",
		in: []Finding{
			fnd("lacp.no-partner", Error, "web02", "bond0", "eth0", "leaf2", "Ethernet7"),
			fnd("lacp.not-synced", Error, "web02", "bond0", "eth0", "leaf2", "Ethernet7"),
			fnd("lacp.switch-not-aggregated", Error, "web02", "bond0", "eth0", "leaf2", "Ethernet7"),
			fnd("lacp.no-partner", Error, "web02", "bond0", "eth1", "leaf2", "Ethernet8"),
			fnd("lacp.not-synced", Error, "web02", "bond0", "eth1", "leaf2", "Ethernet8"),
			fnd("lacp.switch-not-aggregated", Error, "web02", "bond0", "eth1", "leaf2", "Ethernet8"),
			fnd("lacp.churn", Warning, "web02", "bond0", "eth1", "leaf2", "Ethernet8"),
		},
		want: []string{"lacp.switch-not-aggregated bond web02 bond0: 7 error fail"},
	}, {
		name: "a consequence without its cause is its own problem",
		in: []Finding{
			fnd("lacp.no-partner", Error, "h1", "bond0", "eth0", "s1", "p1"),
			fnd("lacp.no-partner", Error, "h1", "bond0", "eth1", "s1", "p2"),
		},
		want: []string{"lacp.no-partner bond h1 bond0: 2 error fail"},
	}, {
		name: "a cause on another bond does not capture",
		in: []Finding{
			fnd("lacp.switch-not-aggregated", Error, "h1", "bond0", "eth0", "s1", "p1"),
			fnd("lacp.no-partner", Error, "h2", "bond0", "eth0", "s1", "p2"),
			fnd("lacp.no-partner", Error, "h1", "bond1", "eth2", "s1", "p3"),
		},
		want: []string{
			"lacp.switch-not-aggregated bond h1 bond0: 1 error fail",
			"lacp.no-partner bond h1 bond1: 1 error fail",
			"lacp.no-partner bond h2 bond0: 1 error fail",
		},
	}, {
		name: "chains end at the root: not-synced → no-partner → switch-static-lag",
		in: []Finding{
			fnd("lacp.not-synced", Error, "h1", "bond0", "eth0", "s1", "p1"),
			fnd("lacp.no-partner", Error, "h1", "bond0", "eth1", "s1", "p2"),
			fnd("lacp.switch-static-lag", Error, "h1", "bond0", "eth1", "s1", "p2"),
		},
		want: []string{"lacp.switch-static-lag bond h1 bond0: 3 error fail"},
	}, {
		name: "unrelated findings on one bond stay separate",
		in: []Finding{
			fnd("bond.alb-in-bridge", Error, "stor01", "bond0", "", "", ""),
			fnd("bond.no-link-monitor", Error, "stor01", "bond0", "", "", ""),
			fnd("redundancy.single-switch", Warning, "stor01", "bond0", "", "access2", ""),
		},
		want: []string{
			"bond.alb-in-bridge bond stor01 bond0: 1 error fail",
			"bond.no-link-monitor bond stor01 bond0: 1 error fail",
			"redundancy.single-switch bond stor01 bond0: 1 warning fail",
		},
	}, {
		name: "severity is the worst active finding's; suppressed cause keeps the group",
		in: []Finding{
			sup(fnd("lacp.switch-not-aggregated", Error, "h1", "bond0", "eth0", "s1", "p1")),
			fnd("lacp.churn", Warning, "h1", "bond0", "eth0", "s1", "p1"),
		},
		want: []string{"lacp.switch-not-aggregated bond h1 bond0: 2 warning fail"},
	}, {
		name: "all suppressed: a suppressed problem at its worst finding's severity, after the active ones",
		in: []Finding{
			sup(fnd("lacp.switch-not-aggregated", Error, "h1", "bond0", "eth0", "s1", "p1")),
			sup(fnd("lacp.no-partner", Error, "h1", "bond0", "eth0", "s1", "p1")),
			fnd("bond.hash-layer2", Info, "h9", "bond0", "", "", ""),
		},
		want: []string{
			"bond.hash-layer2 bond h9 bond0: 1 info fail",
			"lacp.switch-not-aggregated bond h1 bond0: 2 error suppressed",
		},
	}, {
		name: "an MLAG pair's peer link, down on both peers: one pair problem",
		in: []Finding{
			{Rule: "switch.mlag-peer-link-down", Severity: Error, Status: StatusFail, Switch: "leaf1a", Port: "Po1000", Domain: "leaf1a+leaf1b"},
			{Rule: "switch.mlag-peer-link-down", Severity: Error, Status: StatusFail, Switch: "leaf1b", Port: "Po1000", Domain: "leaf1a+leaf1b"},
		},
		want: []string{"switch.mlag-peer-link-down pair leaf1a+leaf1b: 2 error fail"},
	}, {
		name: "a LAG's findings: one LAG problem",
		in: []Finding{
			fnd("switch.lag-speed-mismatch", Warning, "h1", "bond0", "", "s1", "Po5"),
			fnd("switch.lag-speed-mismatch", Warning, "", "", "", "s1", "Po5"),
			{Rule: "switch.mlag-inconsistent", Severity: Warning, Status: StatusFail, Switch: "s1", Port: "Po6"},
		},
		want: []string{
			"switch.lag-speed-mismatch lag s1 Po5: 2 warning fail",
			"switch.mlag-inconsistent lag s1 Po6: 1 warning fail",
		},
	}, {
		name: "a down slave explains its LAG's missing member and the MLAG disagreement",
		in: []Finding{
			fnd("lag.member-missing", Warning, "backup01", "bond0", "", "leaf1b", "Port-Channel2"),
			fnd("switch.mlag-inconsistent", Warning, "backup01", "bond0", "", "leaf1b", "Port-Channel2"),
			fnd("bond.slave-down", Warning, "backup01", "bond0", "eth1", "leaf1b", "Ethernet2"),
		},
		want: []string{"bond.slave-down bond backup01 bond0: 3 warning fail"},
	}, {
		name: "a stale capture of a host that could not be collected",
		in: []Finding{
			{Rule: "map.stale-capture", Severity: Warning, Status: StatusFail, Host: "h1"},
			{Rule: "map.host-unreachable", Severity: Warning, Status: StatusFail, Host: "h1"},
			{Rule: "map.stale-capture", Severity: Warning, Status: StatusFail, Switch: "s1"},
		},
		want: []string{
			"map.stale-capture switch s1: 1 warning fail",
			"map.host-unreachable host h1: 2 warning fail",
		},
	}, {
		name: "a finding of an unknown rule (an old baseline's) is its own problem",
		in: []Finding{
			fnd("old.gone-rule", Error, "h1", "bond0", "eth0", "s1", "p1"),
			{Rule: "old.other", Severity: Info, Status: StatusFail, Switch: "s2"},
		},
		want: []string{"old.gone-rule bond h1 bond0: 1 error fail", "old.other switch s2: 1 info fail"},
	}}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := slices.Clone(c.in)
			SortFindings(in)
			ps := Group(in)
			if got := shape(ps); !slices.Equal(got, c.want) {
				t.Errorf("got\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(c.want, "\n  "))
			}
			checkPartition(t, in, ps)
		})
	}
}

// checkPartition: every finding of fs is in exactly one problem, carries
// that problem's id, and problems' primary findings come first.
func checkPartition(t *testing.T, fs []Finding, ps []Problem) {
	t.Helper()
	seen := map[string]int{}
	ids := map[string]bool{}
	for _, p := range ps {
		if ids[p.ID] {
			t.Errorf("problem id %s twice", p.ID)
		}
		ids[p.ID] = true
		if len(p.Findings) == 0 || p.Findings[0].Rule != p.Rule {
			t.Errorf("problem %s %s: first finding is not of its rule", p.ID, p.Rule)
		}
		for _, f := range p.Findings {
			if f.Problem != p.ID {
				t.Errorf("finding %v in %s says problem %q", f.Key(), p.ID, f.Problem)
			}
			seen[fmt.Sprint(f.Key(), f.Message)]++
		}
	}
	n := 0
	for _, f := range fs {
		n++
		if !ids[f.Problem] {
			t.Errorf("finding %v: problem %q is no problem", f.Key(), f.Problem)
		}
		if c := seen[fmt.Sprint(f.Key(), f.Message)]; c != 1 {
			t.Errorf("finding %v is in %d problems", f.Key(), c)
		}
	}
	total := 0
	for _, p := range ps {
		total += len(p.Findings)
	}
	if total != n {
		t.Errorf("%d findings in problems, %d given", total, n)
	}
}

// TestProblemIDStable: the id depends on rule and subject only, not on
// the run's order or on other findings.
func TestProblemIDStable(t *testing.T) {
	a := []Finding{
		fnd("lacp.switch-not-aggregated", Error, "h1", "bond0", "eth0", "s1", "p1"),
		fnd("bond.hash-layer2", Info, "h2", "bond0", "", "", ""),
	}
	b := []Finding{a[1], fnd("lacp.no-partner", Error, "h1", "bond0", "eth1", "s1", "p2"), a[0]}
	pa, pb := Group(a), Group(b)
	id := func(ps []Problem, rule string) string {
		for _, p := range ps {
			if p.Rule == rule {
				return p.ID
			}
		}
		return ""
	}
	for _, r := range []string{"lacp.switch-not-aggregated", "bond.hash-layer2"} {
		if id(pa, r) == "" || id(pa, r) != id(pb, r) {
			t.Errorf("%s: id %q in one run, %q in the other", r, id(pa, r), id(pb, r))
		}
	}
	if got := ProblemID("lacp.switch-not-aggregated", Subject{Kind: SubjectBond, Host: "h1", Bond: "bond0"}); got != id(pa, "lacp.switch-not-aggregated") || !strings.HasPrefix(got, "P-") || len(got) != 12 {
		t.Errorf("ProblemID = %q", got)
	}
}

// TestFailOnProblemsAgrees: problems and findings give the same exit
// decision at every threshold, waived findings included.
func TestFailOnProblemsAgrees(t *testing.T) {
	sup := fnd("lacp.switch-not-aggregated", Error, "h1", "bond0", "eth0", "s1", "p1")
	sup.Status = StatusSuppressed
	sets := [][]Finding{
		nil,
		{sup},
		{sup, fnd("lacp.churn", Warning, "h1", "bond0", "eth0", "s1", "p1")},
		{fnd("bond.hash-layer2", Info, "h2", "bond0", "", "", "")},
		{fnd("lacp.no-partner", Error, "h1", "bond0", "eth1", "s1", "p2"), fnd("bond.hash-layer2", Info, "h2", "bond0", "", "", "")},
	}
	for i, fs := range sets {
		for _, th := range []string{"error", "warning", "info", "never"} {
			f, _ := ParseFailOn(th)
			if a, b := f.Fails(fs), f.FailsProblems(Group(slices.Clone(fs))); a != b {
				t.Errorf("set %d --fail-on %s: findings say %v, problems %v", i, th, a, b)
			}
		}
	}
}
