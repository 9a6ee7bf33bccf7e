package pipeline

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/bondaudit/bondaudit/collect"
	"github.com/bondaudit/bondaudit/collect/demo"
	"github.com/bondaudit/bondaudit/collect/snmp"
	"github.com/bondaudit/bondaudit/rules"
	"github.com/bondaudit/bondaudit/rules/report"
	"github.com/bondaudit/bondaudit/topology"
)

var now = time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC)

// countingFS counts the files opened through it.
type countingFS struct {
	fs.FS
	mu    sync.Mutex
	opens map[string]int
}

func (c *countingFS) Open(name string) (fs.File, error) {
	c.mu.Lock()
	c.opens[name]++
	c.mu.Unlock()
	return c.FS.Open(name)
}

// TestRunIsTheAudit: Run gives what load, build, rules and policy give
// when called one by one.
func TestRunIsTheAudit(t *testing.T) {
	r, err := Run(demo.FS(), "demo", nil, now, Options{})
	if err != nil {
		t.Fatal(err)
	}
	site, err := collect.LoadSite(demo.FS(), "demo", collect.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	m, err := topology.Build(site.Hosts, site.Switches, topology.BuildOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var pol *rules.Policy
	want := pol.Apply(rules.Run(m, pol.Params(), pol.Enabled), now)
	if len(want) == 0 || !slices.EqualFunc(want, r.Findings, func(a, b rules.Finding) bool { return a.Key() == b.Key() && a.Message == b.Message }) {
		t.Errorf("Run found %d findings, the steps %d", len(r.Findings), len(want))
	}
	if got := r.Problems(); !slices.Equal(got, append(topology.ProblemTexts(site.Problems), m.Problems...)) {
		t.Errorf("Problems() = %q", got)
	}
}

// TestPlanReadsTheSiteOnce: a plan is judged on the site read once (whatif
// --plan read every file twice), and the delta is the plan's.
func TestPlanReadsTheSiteOnce(t *testing.T) {
	cfs := &countingFS{FS: demo.FS(), opens: map[string]int{}}
	r, err := Run(cfs, "demo", nil, now, Options{})
	if err != nil {
		t.Fatal(err)
	}
	before := r.Findings
	d, err := r.Plan([]topology.Change{
		{LAGAdd: &topology.LAGChange{Switch: "leaf2", LAG: "Port-Channel7", Kind: "lacp", Ports: []string{"Ethernet7", "Ethernet8"}}},
		{BondMode: &topology.BondModeChange{Host: "app01", Bond: "bond0", Mode: "802.3ad"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	for name, n := range cfs.opens {
		if n > 1 {
			t.Errorf("%s opened %d times", name, n)
		}
	}
	if len(cfs.opens) == 0 {
		t.Fatal("nothing read through the FS")
	}
	if want := rules.Compare(before, r.Findings); !slices.EqualFunc(want.New, d.New, sameKey) || !slices.EqualFunc(want.Resolved, d.Resolved, sameKey) {
		t.Errorf("Plan's delta is not Compare(before, after)")
	}
	// web02's bond gets its port-channel: its switch-not-aggregated
	// findings are resolved by the plan.
	if !slices.ContainsFunc(d.Resolved, func(f rules.Finding) bool {
		return f.Rule == "lacp.switch-not-aggregated" && f.Host == "web02"
	}) {
		t.Errorf("the plan resolves no lacp.switch-not-aggregated on web02: %v", d.Resolved)
	}
	if r.Model == nil || r.Model.Host("app01") == nil {
		t.Fatal("no Model after the plan")
	}
	for _, b := range r.Model.Host("app01").Bonds {
		if b.Name == "bond0" && b.Mode != "802.3ad" {
			t.Errorf("app01 bond0 is %q after the plan", b.Mode)
		}
	}
}

func sameKey(a, b rules.Finding) bool { return a.Key() == b.Key() }

// TestPlanOnceHoldsTheSiteOnce: PlanOnce (whatif --plan) judges the plan as
// Plan does, but changes the site's own snapshots instead of copies of
// them, so the site is held once.
func TestPlanOnceHoldsTheSiteOnce(t *testing.T) {
	changes := []topology.Change{
		{LAGAdd: &topology.LAGChange{Switch: "leaf2", LAG: "Port-Channel7", Kind: "lacp", Ports: []string{"Ethernet7", "Ethernet8"}}},
		{BondMode: &topology.BondModeChange{Host: "app01", Bond: "bond0", Mode: "802.3ad"}},
	}
	copied, err := Run(demo.FS(), "demo", nil, now, Options{})
	if err != nil {
		t.Fatal(err)
	}
	once, err := Run(demo.FS(), "demo", nil, now, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want, err := copied.Plan(changes)
	if err != nil {
		t.Fatal(err)
	}
	forced := forcedCollections()
	got, err := once.PlanOnce(changes)
	if err != nil {
		t.Fatal(err)
	}
	if n := forcedCollections() - forced; n != 1 {
		t.Errorf("%d forced collections in PlanOnce, want 1 (before the plan's join)", n)
	}
	if !slices.EqualFunc(want.New, got.New, sameKey) || !slices.EqualFunc(want.Resolved, got.Resolved, sameKey) ||
		!slices.EqualFunc(copied.Findings, once.Findings, func(a, b rules.Finding) bool { return a.Key() == b.Key() && a.Message == b.Message }) {
		t.Errorf("PlanOnce judged the plan differently from Plan:\nnew %v\nwant %v\nresolved %v\nwant %v", got.New, want.New, got.Resolved, want.Resolved)
	}
	mode := func(r *Result) topology.BondMode {
		for _, h := range r.Site.Hosts {
			for _, b := range h.Bonds {
				if h.Name == "app01" && b.Name == "bond0" {
					return b.Mode
				}
			}
		}
		return ""
	}
	if m := mode(copied); m == "802.3ad" {
		t.Errorf("Plan changed the site's own snapshot of app01 (mode %s): it should change a copy", m)
	}
	if m := mode(once); m != "802.3ad" {
		t.Errorf("after PlanOnce the site's snapshot of app01 has mode %q: the plan went to a copy, so the site is held twice", m)
	}
	if _, err := once.PlanOnce([]topology.Change{{BondMode: &topology.BondModeChange{Host: "nosuchhost", Bond: "bond0", Mode: "802.3ad"}}}); !errors.As(err, new(*PlanError)) {
		t.Errorf("PlanOnce with a host the site lacks: %v, want a PlanError", err)
	}
}

// TestPlanError: a plan naming what the site does not have is a PlanError.
func TestPlanError(t *testing.T) {
	r, err := Run(demo.FS(), "demo", nil, now, Options{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = r.Plan([]topology.Change{{BondMode: &topology.BondModeChange{Host: "nosuchhost", Bond: "bond0", Mode: "802.3ad"}}})
	var pe *PlanError
	if !errors.As(err, &pe) {
		t.Fatalf("err = %v (%T), want a PlanError", err, err)
	}
}

// TestLoadError: a site with nothing readable fails with its problems.
func TestLoadError(t *testing.T) {
	_, err := Load(fstest.MapFS{"hosts/h1.json": {Data: []byte("{not json")}}, "broken", Options{})
	var le *LoadError
	if !errors.As(err, &le) || !errors.Is(err, collect.ErrNothingReadable) || len(le.Problems) == 0 {
		t.Fatalf("err = %v, want a LoadError with problems wrapping ErrNothingReadable", err)
	}
}

// TestLiveSwitchesReplaceFiles: a switch polled now replaces the site's
// file of the same name (case-insensitive, by target or switch name).
func TestLiveSwitchesReplaceFiles(t *testing.T) {
	file := []*topology.Switch{{Name: "Leaf1"}, {Name: "leaf2"}, {Name: "spine"}}
	live := []snmp.Result{
		{Target: snmp.Target{Name: "leaf1"}, Switch: &topology.Switch{Name: "leaf1", SysDescr: "live"}},
		{Target: snmp.Target{Name: "10.0.0.2"}, Switch: &topology.Switch{Name: "LEAF2", SysDescr: "live"}},
	}
	var got []string
	for _, s := range mergeSwitches(file, live) {
		got = append(got, s.Name+"/"+s.SysDescr)
	}
	if want := []string{"leaf1/live", "LEAF2/live", "spine/"}; !slices.Equal(got, want) {
		t.Errorf("merged %q, want %q", got, want)
	}
}

// Downs turns whatif's three flags into what goes down; an error names
// the flag it came from.
func TestDowns(t *testing.T) {
	r, err := Load(demo.FS(), "demo", Options{})
	if err != nil {
		t.Fatal(err)
	}
	ds, err := Downs(r.Model, []string{"leaf2", "access2:Gi1/0/9"}, []string{"leaf1a"}, []string{"access2:2"})
	if err != nil {
		t.Fatal(err)
	}
	var sws []string
	for _, d := range ds {
		sws = append(sws, d.Switch)
	}
	if !slices.Equal(sws, []string{"leaf2", "access2", "leaf1b", "access2"}) {
		t.Errorf("Downs gave switches %q, want leaf2, access2, leaf1a's peer leaf1b, access2", sws)
	}
	for _, c := range []struct {
		downs, peers, modules []string
		flag                  string
	}{
		{downs: []string{""}, flag: "--down"},
		{peers: []string{"nosuch"}, flag: "--down-mlag-peer"},
		{modules: []string{"access2"}, flag: "--down-module"},
	} {
		_, err := Downs(r.Model, c.downs, c.peers, c.modules)
		if err == nil || !strings.HasPrefix(err.Error(), c.flag) {
			t.Errorf("Downs(%q, %q, %q) = %v, want an error naming %s", c.downs, c.peers, c.modules, err, c.flag)
		}
	}
}

// Policy: the --policy file wins; else the site's policy.yaml; else none.
func TestPolicy(t *testing.T) {
	site := fstest.MapFS{"policy.yaml": {Data: []byte("disabled:\n  - bond.nic-mismatch\n")}}
	p, err := Policy(site, "")
	if err != nil || p == nil || p.Enabled("bond.nic-mismatch") {
		t.Errorf("site policy: %v, %v", p, err)
	}
	if p, err := Policy(fstest.MapFS{}, ""); p != nil || err != nil {
		t.Errorf("no policy: %v, %v", p, err)
	}
	if _, err := Policy(site, "/nonexistent/policy.yaml"); err == nil || !strings.HasPrefix(err.Error(), "--policy: ") {
		t.Errorf("missing --policy file: %v, want an error naming --policy", err)
	}
}

// CompareBaseline: against a report of the same run nothing is new; a
// finding the report lacks is kept, and the site the report was of is read.
func TestCompareBaseline(t *testing.T) {
	r, err := Run(demo.FS(), "demo", nil, now, Options{})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "baseline.json")
	var buf bytes.Buffer
	if err := (report.JSON{}).Write(&buf, &report.Report{Site: "demo", Generated: now, Model: r.Model, Findings: r.Findings[1:]}); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	prev, err := ReadBaseline(path)
	if err != nil {
		t.Fatal(err)
	}
	b := CompareBaseline(prev, r)
	if b.Site != "demo" || len(b.Kept) != 1 || b.Kept[0].Key() != r.Findings[0].Key() || len(b.Delta.New) != 1 {
		t.Errorf("baseline without the first finding: site %q, kept %d, new %d; want demo, 1, 1", b.Site, len(b.Kept), len(b.Delta.New))
	}
	if len(b.GoneHosts) != 0 || len(b.GoneSwitches) != 0 || strings.Contains(b.Summary(), "gone") {
		t.Errorf("nothing is gone, yet: %v %v %q", b.GoneHosts, b.GoneSwitches, b.Summary())
	}
	if _, err := ReadBaseline(filepath.Join(t.TempDir(), "none.json")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing baseline: %v, want fs.ErrNotExist", err)
	}
}

// A host in the baseline's inventory and not in the run is gone: the run
// loaded with the baseline's inventory as Previous reports it missing, and
// its old findings are gone with it, not resolved.
func TestCompareBaselineGone(t *testing.T) {
	prev := &report.Previous{Site: "demo",
		Findings: []rules.Finding{
			{Rule: "lacp.no-partner", Severity: rules.Error, Status: rules.StatusFail, Host: "gone01", Bond: "bond0"},
			{Rule: "switch.lag-speed-mismatch", Severity: rules.Warning, Status: rules.StatusFail, Switch: "leaf1a", Port: "Port-Channel99"},
		},
		Inventory: &topology.Inventory{Hosts: []string{"gone01", "web01"}, Switches: []string{"leaf1a"}, Source: "baseline.json",
			Generated: now.Add(-24 * time.Hour)}}
	r, err := Run(demo.FS(), "demo", nil, now, Options{Previous: prev.Inventory})
	if err != nil {
		t.Fatal(err)
	}
	var missing []rules.Finding
	for _, f := range r.Findings {
		if f.Rule == "map.host-missing" {
			missing = append(missing, f)
		}
	}
	if len(missing) != 1 || missing[0].Host != "gone01" {
		t.Fatalf("map.host-missing findings %+v, want one for gone01", missing)
	}
	b := CompareBaseline(prev, r)
	if len(b.Delta.Gone) != 1 || b.Delta.Gone[0].Host != "gone01" || len(b.Delta.Resolved) != 1 || b.Delta.Resolved[0].Switch != "leaf1a" {
		t.Errorf("gone %+v resolved %+v", b.Delta.Gone, b.Delta.Resolved)
	}
	if want := ", 1 resolved, 1 gone with 1 missing host"; !strings.HasSuffix(b.Summary(), want) {
		t.Errorf("summary %q, want it to end %q", b.Summary(), want)
	}
}

// Judge ages captures by its clock and the policy's max_capture_age: a
// host snapshot without "collected" is as old as its file.
func TestJudgeAgesCaptures(t *testing.T) {
	site := fstest.MapFS{
		"hosts/web01.json": {Data: []byte(`{"name": "web01"}`), ModTime: now.Add(-48 * time.Hour)},
		"hosts/web02.json": {Data: []byte(`{"name": "web02"}`), ModTime: now.Add(-time.Hour)},
	}
	stale := func(pol *rules.Policy) []string {
		r, err := Run(site, "s", pol, now, Options{})
		if err != nil {
			t.Fatal(err)
		}
		var hosts []string
		for _, f := range r.Findings {
			if f.Rule == "map.stale-capture" {
				hosts = append(hosts, f.Host)
			}
		}
		return hosts
	}
	if got := stale(nil); !slices.Equal(got, []string{"web01"}) {
		t.Errorf("no policy (24h): stale %v, want [web01]", got)
	}
	for in, want := range map[string][]string{"max_capture_age: 72h\n": nil, "max_capture_age: 30m\n": {"web01", "web02"}, "max_capture_age: off\n": nil} {
		pol, err := rules.ParsePolicy([]byte(in), "policy.yaml")
		if err != nil {
			t.Fatal(err)
		}
		if got := stale(pol); !slices.Equal(got, want) {
			t.Errorf("%q: stale %v, want %v", in, got, want)
		}
	}
}
