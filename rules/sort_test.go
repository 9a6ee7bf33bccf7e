package rules

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/bondaudit/bondaudit/collect/demo"
	"github.com/bondaudit/bondaudit/internal/sitegen"
	"github.com/bondaudit/bondaudit/topology"

	"github.com/bondaudit/bondaudit/collect"
	gocmp "github.com/google/go-cmp/cmp"
)

// naiveSort is SortFindings as it was: a stable sort of the findings by
// value with every key compared.
func naiveSort(fs []Finding) {
	slices.SortStableFunc(fs, func(a, b Finding) int {
		return cmp.Or(
			cmp.Compare(b.Severity, a.Severity),
			cmp.Compare(a.Host, b.Host),
			cmp.Compare(a.Bond, b.Bond),
			topology.CompareNames(a.NIC, b.NIC),
			cmp.Compare(a.Switch, b.Switch),
			topology.CompareNames(a.Port, b.Port),
			cmp.Compare(a.Rule, b.Rule),
			cmp.Compare(a.Message, b.Message),
		)
	})
}

// randomFindings are findings with few distinct values per key (many
// ties, some complete: then only Fix tells them apart, and stability
// shows), in no order.
func randomFindings(r *rand.Rand, n int) []Finding {
	pick := func(vs ...string) string { return vs[r.IntN(len(vs))] }
	fs := make([]Finding, n)
	for i := range fs {
		fs[i] = Finding{Severity: Severity(r.IntN(3)), Rule: pick("a.x", "b.y", "c.z"),
			Host: pick("", "web1", "web10", "web2"), Bond: pick("", "bond0", "bond1"),
			NIC: pick("", "eth2", "eth10", "eth1"), Switch: pick("", "leaf1", "leaf2"),
			Port: pick("", "Ethernet2", "Ethernet10", "Et2", "Po1"), Message: pick("m", "n"),
			Fix: fmt.Sprint(i)}
	}
	return fs
}

func TestSortFindingsMatchesStableSort(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{0, 1, 2, 3, 10, 100, 1000} {
		for round := 0; round < 5; round++ {
			fs := randomFindings(r, n)
			want := slices.Clone(fs)
			naiveSort(want)
			SortFindings(fs)
			if d := gocmp.Diff(want, fs); d != "" {
				t.Fatalf("%d findings: SortFindings differs from the stable sort (-want +got):\n%s", n, d)
			}
			// sorted input: the fast path, unchanged
			SortFindings(fs)
			if d := gocmp.Diff(want, fs); d != "" {
				t.Fatalf("%d sorted findings: SortFindings changed them:\n%s", n, d)
			}
		}
	}
}

func TestMergeFindingsMatchesStableSort(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, k := range []int{0, 1, 2, 3, 7, 40} {
		for round := 0; round < 5; round++ {
			lists := make([][]Finding, k)
			var all []Finding
			for i := range lists {
				n := r.IntN(60)
				if r.IntN(4) == 0 {
					n = 0
				}
				lists[i] = randomFindings(r, n)
				SortFindings(lists[i])
				all = append(all, lists[i]...)
			}
			naiveSort(all)
			got := mergeFindings(lists)
			if d := gocmp.Diff(all, got, cmpEmpty); d != "" {
				t.Fatalf("%d lists: merge differs from the stable sort of their concatenation (-want +got):\n%s", k, d)
			}
		}
	}
}

// cmpEmpty makes nil and empty lists equal.
var cmpEmpty = gocmp.Comparer(func(a, b []Finding) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !gocmp.Equal(a[i], b[i]) {
			return false
		}
	}
	return true
})

// TestRunOrderMatchesStableSort: Run's findings (bond-wise rules run a
// chunk of bonds at a time, every list sorted, then merged) are the
// stable sort of every rule's findings over all bonds in registry order,
// on generated and demo sites, for several chunk sizes.
func TestRunOrderMatchesStableSort(t *testing.T) {
	defer func(n int) { bondChunk = n }(bondChunk)
	for name, site := range testSites(t) {
		m := build(t, site)
		p := Params{Now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
		ix := buildIndex(m)
		var want []Finding
		for i := range registry {
			c := &Context{Model: m, Params: p, rule: &registry[i], out: &want, ix: ix}
			registry[i].Check(c)
		}
		naiveSort(want)
		if len(want) < 20 {
			t.Errorf("%s: %d findings: the site is not what the test needs", name, len(want))
		}
		for _, n := range []int{1, 3, 64, 256, 1 << 20} {
			bondChunk = n
			if d := gocmp.Diff(want, Run(m, p, nil)); d != "" {
				t.Errorf("%s, chunks of %d bonds: Run's order differs from the stable sort (-want +got):\n%s", name, n, d)
			}
		}
		// some rules only
		only := func(id string) bool {
			return id == "bond.slave-down" || id == "switch.lag-speed-mismatch" || id == "lag.member-missing"
		}
		var sub []Finding
		for _, f := range want {
			if only(f.Rule) {
				sub = append(sub, f)
			}
		}
		bondChunk = 5
		if d := gocmp.Diff(sub, Run(m, p, only), cmpEmpty); d != "" {
			t.Errorf("%s, three rules: Run's findings differ (-want +got):\n%s", name, d)
		}
	}
}

// testSites are a generated site with faults and the demo site.
func testSites(t *testing.T) map[string]*collect.Site {
	t.Helper()
	sites := map[string]*collect.Site{}
	sites["generated"] = loadGen(t, sitegen.Options{Hosts: 200, Switches: 8, Seed: 3, FaultRate: 0.3})
	d, err := collect.LoadSite(demo.FS(), "demo", collect.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	sites["demo"] = d
	return sites
}

// TestBondwiseRulesChunk: every rule Run checks a chunk of bonds at a
// time reports, bond by bond, exactly what it reports on all the bonds at
// once, in the same order.
func TestBondwiseRulesChunk(t *testing.T) {
	for _, id := range bondwiseIDs {
		if _, ok := Lookup(id); !ok {
			t.Errorf("bond-wise rule %s is not in the registry", id)
		}
	}
	n := 0
	for i := range registry {
		if bondwise[i] {
			n++
		}
	}
	if n != len(bondwiseIDs) {
		t.Errorf("%d bond-wise rules in the registry, %d listed", n, len(bondwiseIDs))
	}
	for name, site := range testSites(t) {
		m := build(t, site)
		p := Params{Now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
		ix := buildIndex(m)
		split := 0
		for i := range registry {
			r := &registry[i]
			if (r.siteCheck != nil) != (r.bondCheck != nil) || bondwise[i] && r.bondCheck != nil {
				t.Errorf("%s: a site part without a bond part, or the reverse, or a bond-wise rule in parts", r.ID)
				continue
			}
			check := r.Check
			if r.bondCheck != nil {
				// Check is the site part, then the bond part
				split++
				var whole, parts []Finding
				c := &Context{Model: m, Params: p, rule: r, out: &whole, ix: ix}
				r.Check(c)
				c.out = &parts
				r.siteCheck(c)
				r.bondCheck(c)
				if d := gocmp.Diff(whole, parts, cmpEmpty); d != "" {
					t.Errorf("%s: %s's Check is not its parts (-Check +parts):\n%s", name, r.ID, d)
				}
				check = r.bondCheck
			} else if !bondwise[i] {
				continue
			}
			var want, got []Finding
			c := &Context{Model: m, Params: p, rule: r, out: &want, ix: ix}
			check(c)
			c.out, c.hasPart = &got, true
			for b := range ix.bonds {
				c.part = ix.bonds[b : b+1]
				check(c)
			}
			if d := gocmp.Diff(want, got, cmpEmpty); d != "" {
				t.Errorf("%s: %s bond by bond differs from all bonds at once (-all +by bond):\n%s", name, registry[i].ID, d)
			}
		}
		if split == 0 {
			t.Errorf("%s: no rule in two parts", name)
		}
	}
}

// TestMain runs the package's tests with chunks of two bonds, so that
// every rule test on a small hand-made site also checks that a bond-wise
// rule reports the same run a chunk at a time.
func TestMain(m *testing.M) {
	bondChunk = 2
	os.Exit(m.Run())
}
