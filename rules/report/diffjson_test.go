package report

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/bondaudit/bondaudit/collect"
	"github.com/bondaudit/bondaudit/internal/sitegen"
	"github.com/bondaudit/bondaudit/rules"
	"github.com/bondaudit/bondaudit/topology"
	"github.com/bondaudit/bondaudit/topology/escape"
)

// writeDiffJSONWhole is the diff's JSON writer before it streamed: the
// whole object built, then encoded at once. The oracle the streamed
// writer must match byte for byte.
func writeDiffJSONWhole(w io.Writer, r *Diff) error {
	type findings struct {
		New       []FindingJSON `json:"new"`
		Resolved  []FindingJSON `json:"resolved"`
		Unchanged []FindingJSON `json:"unchanged"`
		// Gone: findings of OLD about a host or switch NEW no longer has
		// (changes.hosts_removed, changes.switches_removed); not resolved.
		Gone []FindingJSON `json:"gone"`
	}
	type summary struct {
		Changes   int            `json:"changes"`
		New       map[string]int `json:"new"`
		Resolved  int            `json:"resolved"`
		Unchanged int            `json:"unchanged"`
		Gone      int            `json:"gone"`
	}
	type site struct {
		Site     string   `json:"site"`
		Summary  Summary  `json:"summary"`
		Problems []string `json:"problems,omitempty"`
	}
	side := func(s *DiffSide) site {
		return site{Site: s.Name, Summary: siteCounts(s), Problems: slices.Sorted(slices.Values(s.Problems))}
	}
	g := r.grouped()
	out := struct {
		Schema    string           `json:"schema"`
		Generated string           `json:"generated"`
		Old       site             `json:"old"`
		New       site             `json:"new"`
		Summary   summary          `json:"summary"`
		Changes   *topology.Drift  `json:"changes"`
		Findings  findings         `json:"findings"`
		Problems  diffProblemsJSON `json:"problems"`
	}{
		Schema: DiffSchema, Generated: r.Generated.UTC().Format(time.RFC3339),
		Old: side(r.Old), New: side(r.New),
		Summary: summary{Changes: r.Drift.Count(), New: map[string]int{"error": 0, "warning": 0, "info": 0},
			Resolved: len(r.Delta.Resolved), Unchanged: len(r.Delta.Unchanged), Gone: len(r.Delta.Gone)},
		Changes: r.Drift,
		Findings: findings{findingsJSON(g.new, active), findingsJSON(g.resolved, active),
			findingsJSON(r.Delta.Unchanged, active), findingsJSON(g.gone, active)},
		Problems: g.json(),
	}
	for _, f := range r.Delta.New {
		out.Summary.New[f.Severity.String()]++
	}
	return escape.JSON(w).Encode(out)
}

// checkDiffStreamed fails t when the streamed diff JSON differs from the
// whole one.
func checkDiffStreamed(t *testing.T, name string, d *Diff) {
	t.Helper()
	var got, want bytes.Buffer
	if err := writeDiffJSON(&got, d); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if err := writeDiffJSONWhole(&want, d); err != nil {
		t.Fatalf("%s: whole: %v", name, err)
	}
	if !bytes.Equal(got.Bytes(), want.Bytes()) {
		g, w := got.Bytes(), want.Bytes()
		i := 0
		for i < len(g) && i < len(w) && g[i] == w[i] {
			i++
		}
		lo := max(0, i-80)
		t.Fatalf("%s: streamed diff JSON differs at byte %d:\n got …%s\nwant …%s", name, i, g[lo:min(len(g), i+80)], w[lo:min(len(w), i+80)])
	}
}

// diffSideOf builds and judges a side, prev its previous run.
func diffSideOf(t *testing.T, name string, hosts []*topology.Host, sws []*topology.Switch, prev *topology.Inventory) *DiffSide {
	t.Helper()
	m, err := topology.Build(hosts, sws, topology.BuildOptions{Previous: prev})
	if err != nil {
		t.Fatal(err)
	}
	return &DiffSide{Name: name, Model: m, Findings: rules.Run(m, rules.Params{}, nil), Problems: m.Problems}
}

func TestDiffJSONStreamedMatchesWhole(t *testing.T) {
	gen := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	load := func(o sitegen.Options) *collect.Site {
		dir := t.TempDir()
		if _, err := sitegen.Write(dir, o); err != nil {
			t.Fatal(err)
		}
		site, err := collect.LoadSite(os.DirFS(dir), "gen", collect.LoadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		return site
	}
	a := load(sitegen.Options{Hosts: 120, Switches: 6, Seed: 5, FaultRate: 0.5})
	b := load(sitegen.Options{Hosts: 120, Switches: 6, Seed: 6, FaultRate: 0.5})
	old := diffSideOf(t, "old", a.Hosts, a.Switches, nil)
	inv := old.Model.Inventory()
	inv.Source = "old"
	// NEW: another seed's faults, ten hosts and a switch fewer (gone)
	nw := diffSideOf(t, "new <b>", b.Hosts[10:], b.Switches[:5], inv)
	d := NewDiff(old, nw, gen)
	if len(d.Delta.New) == 0 || len(d.Delta.Resolved) == 0 || len(d.Delta.Unchanged) == 0 || len(d.Delta.Gone) == 0 {
		t.Fatalf("the diff lacks a kind of finding the test needs: %d new, %d resolved, %d unchanged, %d gone",
			len(d.Delta.New), len(d.Delta.Resolved), len(d.Delta.Unchanged), len(d.Delta.Gone))
	}
	defer func(c, p int) { listChunk = c; runtime.GOMAXPROCS(p) }(listChunk, runtime.GOMAXPROCS(4))
	for _, chunk := range []int{listChunk, 1, 3, 64} {
		listChunk = chunk
		checkDiffStreamed(t, fmt.Sprintf("generated, chunks of %d", chunk), d)
	}
	checkDiffStreamed(t, "itself", NewDiff(old, old, gen))
	empty := &DiffSide{Name: "empty", Model: &topology.Model{}}
	checkDiffStreamed(t, "empty", NewDiff(empty, empty, gen))

	odd := "web<1>&\u200b\u202e\x01é→"
	h := fixtureHost(odd, []topology.Bond{{Name: "bond0", Mode: topology.Mode8023AD, Slaves: slaves("eth0", "eth1")}},
		map[string][2]string{"eth0": {leaf1Chassis, "Ethernet1"}, "eth1": {leaf1Chassis, "Ethernet2"}})
	os1 := diffSideOf(t, odd, nil, []*topology.Switch{fixtureSwitch("leaf\u00a0<1>", leaf1Chassis, 4)}, nil)
	ns := diffSideOf(t, "new", []*topology.Host{h}, []*topology.Switch{fixtureSwitch("leaf\u00a0<1>", leaf1Chassis, 4)}, nil)
	ns.Findings = append(ns.Findings, rules.Finding{Rule: "bond.x", Host: odd, Message: "m\u2028\ufeff", Evidence: []string{"\x7f", "ok"}})
	ns.Problems = []string{odd, "a & b"}
	checkDiffStreamed(t, "escaping", NewDiff(os1, ns, gen))
}

// FuzzDiffJSONStreamed: any names in any of the four lists, the streamed
// diff JSON equals the whole one.
func FuzzDiffJSONStreamed(f *testing.F) {
	f.Add("web01", "bond.x", "m", "leaf1", uint8(0))
	f.Add("w<é>\u2028", "r\x00", "\ufeff&", "\xff", uint8(7))
	f.Fuzz(func(t *testing.T, host, rule, msg, sw string, which uint8) {
		fs := []rules.Finding{{Rule: rule, Host: host, Message: msg, Switch: sw, Evidence: []string{msg, host}, Severity: rules.Severity(which % 3)}}
		m := &topology.Model{}
		old := &DiffSide{Name: host, Model: m, Problems: []string{msg}}
		nw := &DiffSide{Name: sw, Model: m}
		d := &Diff{Generated: time.Unix(0, 0), Old: old, New: nw, Drift: topology.Diff(m, m)}
		lists := []*[]rules.Finding{&d.Delta.New, &d.Delta.Resolved, &d.Delta.Unchanged, &d.Delta.Gone}
		*lists[which%4] = fs
		*lists[(which/4)%4] = append(slices.Clone(fs), fs...)
		checkDiffStreamed(t, "fuzzed", d)
	})
}
