package rules_test

import (
	"fmt"
	"os"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/bondaudit/bondaudit/collect/demo"
	"github.com/bondaudit/bondaudit/internal/pipeline"
	"github.com/bondaudit/bondaudit/internal/sitegen"
	"github.com/bondaudit/bondaudit/rules"
)

// partition checks that every finding is in exactly one problem and
// carries its id.
func partition(t *testing.T, fs []rules.Finding, ps []rules.Problem) {
	t.Helper()
	in := map[string]int{}
	ids := map[string]bool{}
	n := 0
	for _, p := range ps {
		if ids[p.ID] {
			t.Errorf("problem id %s twice", p.ID)
		}
		ids[p.ID] = true
		for _, f := range p.Findings {
			n++
			if f.Problem != p.ID {
				t.Errorf("%v in %s says %s", f.Key(), p.ID, f.Problem)
			}
			in[fmt.Sprint(f.Key(), f.Message)]++
		}
	}
	for _, f := range fs {
		if c := in[fmt.Sprint(f.Key(), f.Message)]; c != 1 || !ids[f.Problem] {
			t.Errorf("%v: in %d problems, problem %q", f.Key(), c, f.Problem)
		}
	}
	if n != len(fs) {
		t.Errorf("%d findings in problems, %d found", n, len(fs))
	}
}

// TestGroupDemo: the demo's findings, bond by bond, and every finding in
// exactly one problem.
func TestGroupDemo(t *testing.T) {
	r, err := pipeline.Run(demo.FS(), "demo", nil, time.Time{}, pipeline.Options{})
	if err != nil {
		t.Fatal(err)
	}
	fs := r.Findings
	ps := rules.Group(fs)
	partition(t, fs, ps)
	got := map[string][]string{}
	for _, p := range ps {
		got[p.Subject.Host+" "+p.Subject.Bond] = append(got[p.Subject.Host+" "+p.Subject.Bond],
			fmt.Sprintf("%s %s +%d", p.Severity, p.Rule, len(p.Findings)-1))
	}
	for k := range got {
		sort.Strings(got[k])
	}
	want := map[string][]string{
		// Both slaves on Po9 of access2: one switch change.
		"app01 bond0": {"error independent.switch-aggregated +1", "warning redundancy.single-switch +0"},
		"app02 bond0": {"error static.switch-not-aggregated +1", "info redundancy.single-switch +0"},
		// The down slave explains leaf1b's Port-Channel2 (member missing,
		// MLAG port-channels disagree); the two advices are their own.
		"backup01 bond0": {"info bond.hash-layer2 +0", "info bond.lacp-rate-slow +0", "warning bond.slave-down +2"},
		// Cabled to leaf1a and leaf2, which are no pair: everything else
		// (partners, keys, aggregators, LAGs, sync, churn) follows.
		"kvm01 bond0":  {"error lacp.multi-switch-no-mlag +6"},
		"stor01 bond0": {"error bond.alb-in-bridge +0", "error bond.no-link-monitor +0", "warning redundancy.single-switch +0"},
		// The example: an 802.3ad bond on plain ports, six errors
		// and two churn warnings for one missing port-channel.
		"web02 bond0": {"error lacp.switch-not-aggregated +7", "info redundancy.single-switch +0"},
	}
	for k, w := range want {
		if !slices.Equal(got[k], w) {
			t.Errorf("%s: got %q, want %q", k, got[k], w)
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("unexpected problems on %q: %q", k, got[k])
		}
	}
	if len(fs) != 30 || len(ps) != 13 {
		t.Errorf("%d findings in %d problems, want 30 in 13", len(fs), len(ps))
	}
}

// TestGroupGeneratedSite: on a generated site with faults, every finding
// is in exactly one problem, and problems are fewer than findings.
func TestGroupGeneratedSite(t *testing.T) {
	dir := t.TempDir()
	opt := sitegen.Options{Hosts: 200, Switches: 8, Seed: 7, MinSlaves: 2, MaxSlaves: 4, FaultRate: 0.3}
	if _, err := sitegen.Write(dir, opt); err != nil {
		t.Fatal(err)
	}
	_, faults, err := sitegen.Generate(opt)
	if err != nil {
		t.Fatal(err)
	}
	r, err := pipeline.Run(os.DirFS(dir), "gen", nil, time.Time{}, pipeline.Options{})
	if err != nil {
		t.Fatal(err)
	}
	fs := r.Findings
	ps := rules.Group(fs)
	partition(t, fs, ps)
	if len(fs) == 0 || len(ps) >= len(fs) {
		t.Errorf("%d findings in %d problems: want some, and fewer problems", len(fs), len(ps))
	}
	// One planted fault, one problem: the issue's "one line per thing to
	// fix", kind by kind.
	perHost := map[string][]string{}
	for _, p := range ps {
		perHost[p.Subject.Host] = append(perHost[p.Subject.Host], p.Rule)
	}
	kinds := map[string]bool{}
	for _, f := range faults {
		kinds[f.Kind] = true
		if got := perHost[f.Host]; len(got) != 1 {
			t.Errorf("host %s (fault %s): %d problems %q, want 1", f.Host, f.Kind, len(got), got)
		}
	}
	if len(kinds) < 5 {
		t.Errorf("only fault kinds %v planted: the test covers too little", kinds)
	}
	var rs []string
	for _, p := range ps {
		rs = append(rs, p.Rule)
	}
	t.Logf("%d findings in %d problems (%s)", len(fs), len(ps), strings.Join(slices.Compact(slices.Sorted(slices.Values(rs))), ", "))
}
