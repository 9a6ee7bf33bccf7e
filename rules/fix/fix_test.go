package fix

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/bondaudit/bondaudit/collect"
	"github.com/bondaudit/bondaudit/collect/demo"
	"github.com/bondaudit/bondaudit/internal/sitegen"
	"github.com/bondaudit/bondaudit/rules"
	"github.com/bondaudit/bondaudit/topology"
)

var now = time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC)

func demoModel(t *testing.T) (*topology.Model, []rules.Finding) {
	t.Helper()
	site, err := collect.LoadSite(demo.FS(), "demo", collect.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	m, err := topology.Build(site.Hosts, site.Switches, topology.BuildOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return m, rules.Run(m, rules.Params{Now: now}, nil)
}

func changes(r *Result) []topology.Change {
	var cs []topology.Change
	for _, s := range r.Changes {
		cs = append(cs, s.Change)
	}
	return cs
}

// TestPlanDemoResolvesEveryFixableError: on the demo site the plan,
// applied with Model.Plan and judged again, leaves no error and adds no
// finding; what it leaves is what it lists as not fixable.
func TestPlanDemoResolvesEveryFixableError(t *testing.T) {
	m, fs := demoModel(t)
	for _, prefer := range []string{"", "hosts", "switches"} {
		r := Plan(m, fs, Options{Now: now, Prefer: prefer})
		if r.Err != nil || len(r.Changes) == 0 {
			t.Fatalf("prefer %q: err %v, %d changes", prefer, r.Err, len(r.Changes))
		}
		n, err := m.Plan(changes(r))
		if err != nil {
			t.Fatal(err)
		}
		after := rules.Run(n, rules.Params{Now: now}, nil)
		d := rules.Compare(fs, after)
		if len(d.New) > 0 || len(r.Added) > 0 {
			t.Errorf("prefer %q: the plan adds %v (reported %v)", prefer, d.New, r.Added)
		}
		unfixed := map[rules.Key]bool{}
		for _, u := range r.Unfixable {
			for _, f := range u.Findings {
				unfixed[f.Key()] = true
			}
		}
		for _, f := range after {
			if f.Severity >= rules.Error {
				t.Errorf("prefer %q: error left: %s %s", prefer, f.Rule, f.Message)
			}
			if !unfixed[f.Key()] {
				t.Errorf("prefer %q: left but not listed as unfixable: %s %s", prefer, f.Rule, f.Message)
			}
		}
		if r.ErrorsLeft() != 0 || r.AddsError() {
			t.Errorf("prefer %q: ErrorsLeft %d AddsError %v", prefer, r.ErrorsLeft(), r.AddsError())
		}
	}
}

// TestPlanPrefer: web02 (802.3ad on plain ports) gets an LACP port-channel
// by default and with prefer switches (as few changes, the host kept), and
// a mode change with prefer hosts; app01 (active-backup on an LACP LAG)
// likewise (and the layer2 hash it has then is fixed too).
func TestPlanPrefer(t *testing.T) {
	m, fs := demoModel(t)
	kinds := func(r *Result, problem string) string {
		var ks []string
		for _, s := range r.Changes {
			if s.Problem != problem {
				continue
			}
			switch {
			case s.Change.BondMode != nil:
				ks = append(ks, "bond_mode "+string(s.Change.BondMode.Mode))
			case s.Change.LAGAdd != nil:
				ks = append(ks, "lag_add "+string(s.Change.LAGAdd.Kind))
			case s.Change.LAGRemove != nil:
				ks = append(ks, "lag_remove")
			case s.Change.BondParams != nil:
				ks = append(ks, "bond_params "+s.Change.BondParams.XmitHashPolicy)
			default:
				ks = append(ks, "other")
			}
		}
		return strings.Join(ks, ", ")
	}
	for _, c := range []struct{ prefer, web02, app01 string }{
		{"", "lag_add lacp", "lag_remove"},
		{"switches", "lag_add lacp", "lag_remove"},
		// a bond made 802.3ad hashes on layer2: its advice is fixed next
		{"hosts", "bond_mode active-backup", "bond_mode 802.3ad, bond_params layer3+4"},
	} {
		r := Plan(m, fs, Options{Now: now, Prefer: c.prefer})
		if got := kinds(r, "bond:web02/bond0"); got != c.web02 {
			t.Errorf("prefer %q: web02 %q, want %q", c.prefer, got, c.web02)
		}
		if got := kinds(r, "bond:app01/bond0"); got != c.app01 {
			t.Errorf("prefer %q: app01 %q, want %q", c.prefer, got, c.app01)
		}
	}
}

// TestTryRejects: a candidate that puts a bond that is fine today (db01,
// active-backup on plain ports) in a port-channel, or that does not
// resolve the findings, is not kept, and the plan so far stays as it was.
func TestTryRejects(t *testing.T) {
	m, fs := demoModel(t)
	p := &planner{base: m, before: active(fs), okBonds: map[[2]string]bool{{"db01", "bond0"}: true}}
	web02 := &problem{id: "bond:web02/bond0", host: "web02", bond: "bond0"}
	if err := p.enter(web02); err != nil {
		t.Fatal(err)
	}
	// the part of the site around web02: leaf2 and who is cabled to it
	if p.sub == m || p.sub.Host("db01") == nil || p.sub.Host("web01") != nil || p.sub.Switch("leaf2") == nil {
		t.Errorf("the part around web02: %d hosts, %d switches", len(p.sub.Hosts), len(p.sub.Switches))
	}
	var web02fs []rules.Finding
	for _, f := range fs {
		if f.Host == "web02" && f.Rule == "lacp.switch-not-aggregated" {
			web02fs = append(web02fs, f)
		}
	}
	good := topology.Change{LAGAdd: &topology.LAGChange{Switch: "leaf2", LAG: "Port-Channel7", Kind: topology.LAGLACP, Ports: []string{"Ethernet7", "Ethernet8"}}}
	harm := topology.Change{LAGAdd: &topology.LAGChange{Switch: "leaf2", LAG: "Port-Channel5", Kind: topology.LAGLACP, Ports: []string{"Ethernet5"}}}
	for _, c := range []struct {
		cand candidate
		want string
	}{
		{candidate{changes: []topology.Change{good, harm}}, "db01"},
		{candidate{changes: []topology.Change{{BondParams: &topology.BondParamsChange{Host: "web02", Bond: "bond0", LACPRate: "fast"}}}}, "the finding stays"},
		{candidate{changes: []topology.Change{{MoveCable: &topology.MoveCable{Host: "web02", NIC: "nope", Switch: "leaf2", Port: "Ethernet7"}}}}, "no NIC"},
	} {
		ok, why := p.try(web02, "lacp.switch-not-aggregated", web02fs, c.cand)
		if ok || !strings.Contains(why, c.want) {
			t.Errorf("%+v: kept %v, why %q, want %q", c.cand.changes, ok, why, c.want)
		}
		if len(p.steps) != 0 {
			t.Fatalf("a rejected candidate joined the plan: %+v", p.steps)
		}
	}
	if ok, why := p.try(web02, "lacp.switch-not-aggregated", web02fs, candidate{changes: []topology.Change{good}}); !ok {
		t.Errorf("the LACP port-channel for web02 was rejected: %s", why)
	}
}

// TestLostPath: a plan that leaves a bond without a working slave is
// named.
func TestLostPath(t *testing.T) {
	m, _ := demoModel(t)
	if got := lostPath(m, m); got != "" {
		t.Errorf("lostPath(m, m) = %q", got)
	}
	h := m.Host("backup01").Host.Clone()
	for i := range h.Bonds[0].Slaves {
		h.Bonds[0].Slaves[i].MIIStatus = topology.LinkDown
	}
	var hs []*topology.Host
	var ss []*topology.Switch
	for _, x := range m.Hosts {
		if x.Name == "backup01" {
			hs = append(hs, h)
		} else {
			hs = append(hs, x.Host)
		}
	}
	for _, s := range m.Switches {
		ss = append(ss, s.Switch)
	}
	down, err := topology.Build(hs, ss, topology.BuildOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got := lostPath(m, down); got != "backup01 bond0" {
		t.Errorf("lostPath = %q, want backup01 bond0", got)
	}
}

// TestUnfixableReasons: every rule of the registry is either fixed by a
// candidate or has a reason why not: none falls through silently.
func TestUnfixableReasons(t *testing.T) {
	m, fs := demoModel(t)
	r := Plan(m, fs, Options{Now: now})
	for _, u := range r.Unfixable {
		if u.Reason == "" {
			t.Errorf("%s %s: no reason", u.Problem, u.Rule)
		}
	}
	p := &planner{base: m, before: active(fs)}
	pr := &problem{id: "bond:web01/bond0", host: "web01", bond: "bond0"}
	if err := p.enter(pr); err != nil {
		t.Fatal(err)
	}
	for _, rule := range rules.Registry() {
		cs, reason := p.candidates(pr, rule.ID, nil)
		if len(cs) == 0 && reason == "" {
			t.Errorf("%s: no candidate and no reason", rule.ID)
		}
	}
}

// TestPlanGeneratedSite: on a generated site with every fault kind the
// generator plants (802.3ad on plain ports or a static LAG, active-backup
// on an LACP LAG, balance-xor on plain ports, a bond split over two pairs,
// an MLAG port-channel on one peer only), the plan leaves no error and
// adds nothing; and judging candidates on the part of the site around
// each problem gives the plan judging them on the whole site gives.
func TestPlanGeneratedSite(t *testing.T) {
	dir := t.TempDir()
	if _, err := sitegen.Write(dir, sitegen.Options{Hosts: 160, Switches: 9, Seed: 7, FaultRate: 0.35}); err != nil {
		t.Fatal(err)
	}
	site, err := collect.LoadSite(os.DirFS(dir), "gen", collect.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	m, err := topology.Build(site.Hosts, site.Switches, topology.BuildOptions{})
	if err != nil {
		t.Fatal(err)
	}
	fs := rules.Run(m, rules.Params{Now: now}, nil)
	errs := 0
	for _, f := range fs {
		if f.Severity >= rules.Error {
			errs++
		}
	}
	if errs < 20 {
		t.Fatalf("only %d errors on the generated site: the test tests little", errs)
	}
	r := Plan(m, fs, Options{Now: now})
	if r.Err != nil || r.AddsError() || len(r.Added) > 0 {
		t.Fatalf("err %v, added %v", r.Err, r.Added)
	}
	n, err := m.Plan(changes(r))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range rules.Run(n, rules.Params{Now: now}, nil) {
		if f.Severity >= rules.Error {
			t.Errorf("error left: %s %s %s", f.Rule, subjectOf(f), f.Message)
		}
	}
	whole := plan(m, fs, Options{Now: now}, true)
	a, b := changes(r), changes(whole)
	if len(a) != len(b) {
		t.Fatalf("around each problem %d changes, on the whole site %d", len(a), len(b))
	}
	for i := range a {
		x, _ := collect.ChangeText(a[i])
		y, _ := collect.ChangeText(b[i])
		if x != y {
			t.Errorf("change %d: around the problem %s, on the whole site %s", i+1, x, y)
		}
	}
}

// TestUnmappedSlaveFirst: a bond with a slave no evidence maps gets no
// switch-side change: its other problems wait for the map ("map it
// first"), while a host-only parameter is still fixed.
func TestUnmappedSlaveFirst(t *testing.T) {
	m, fs := demoModel(t)
	p := &planner{base: m, before: active(fs), okBonds: map[[2]string]bool{}}
	pr := &problem{id: "bond:web02/bond0", host: "web02", bond: "bond0"}
	if err := p.enter(pr); err != nil {
		t.Fatal(err)
	}
	unmapped := rules.Finding{Rule: "map.unmapped-slave", Severity: rules.Warning, Status: rules.StatusFail, Host: "web02", Bond: "bond0", NIC: "ens1f1np1"}
	slow := rules.Finding{Rule: "bond.lacp-rate-slow", Severity: rules.Info, Status: rules.StatusFail, Host: "web02", Bond: "bond0"}
	var structural []rules.Finding
	for _, f := range fs {
		if f.Host == "web02" && f.Rule == "lacp.switch-not-aggregated" {
			structural = append(structural, f)
		}
	}
	for _, f := range []rules.Finding{unmapped, slow} {
		p.curF[f.Key()] = f
	}
	out := p.fixRules(pr, append([]rules.Finding{unmapped, slow}, structural...), map[string]bool{})
	why := map[string]string{}
	for _, u := range out {
		why[u.Rule] = u.Reason
	}
	if !strings.Contains(why["map.unmapped-slave"], "ens1f1np1's switch port is unknown: map it first") {
		t.Errorf("map.unmapped-slave: %q", why["map.unmapped-slave"])
	}
	if !strings.Contains(why["lacp.switch-not-aggregated"], "map it first") {
		t.Errorf("lacp.switch-not-aggregated fixed past an unmapped slave: %q (steps %+v)", why["lacp.switch-not-aggregated"], p.steps)
	}
	if len(p.steps) != 1 || p.steps[0].Change.BondParams == nil || p.steps[0].Change.BondParams.LACPRate != "fast" {
		t.Errorf("the host-only fix: steps %+v", p.steps)
	}
	if cs, err := Changes(m, fs, Options{Now: now}); err != nil || len(cs) == 0 {
		t.Errorf("Changes: %d, %v", len(cs), err)
	}
}
