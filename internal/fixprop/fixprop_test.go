package fixprop

import (
	"bytes"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/bondaudit/bondaudit/internal/sitegen"
	"github.com/bondaudit/bondaudit/rules"
	"github.com/bondaudit/bondaudit/topology"
)

const seed = 16

// TestFaultsFire: every fault planted alone fires the rules the catalogue
// names for it, on every shape it fits, and the healthy host h1 fires
// nothing above info: the generator plants what it says. It logs which
// rules the whole case list makes fire (the coverage of the property).
func TestFaultsFire(t *testing.T) {
	var p Property
	fired := map[string]int{}
	cases := Cases(seed, testing.Short())
	for _, c := range cases {
		m, err := c.Model()
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]bool{}
		for _, f := range p.Judge(m) {
			if f.Host == "h1" && f.Severity > rules.Info {
				t.Errorf("%s: healthy h1 fires %s: %s", c.Name(), f.Rule, f.Message)
			}
			if f.Host != "h1" {
				got[f.Rule] = true
			}
		}
		for r := range got {
			fired[r]++
		}
		if len(c.Hosts) != 2 || len(c.Hosts[1]) != 1 {
			continue
		}
		f, _ := FaultByName(c.Hosts[1][0])
		for _, r := range f.Rules {
			if !got[r] {
				t.Errorf("%s: %s does not fire (fired: %v)", c.Name(), r, slices.Sorted(maps.Keys(got)))
			}
		}
	}
	var cov []string
	for _, r := range slices.Sorted(maps.Keys(fired)) {
		cov = append(cov, fmt.Sprintf("%s×%d", r, fired[r]))
	}
	t.Logf("%d sites (seed %d, short %v); rules fired: %s", len(cases), seed, testing.Short(), strings.Join(cov, " "))
}

// TestCasesDeterministic: the same seed gives the same cases and the same
// files; another seed other combinations.
func TestCasesDeterministic(t *testing.T) {
	a, b := Cases(seed, true), Cases(seed, true)
	if !slices.EqualFunc(a, b, func(x, y Case) bool { return x.Name() == y.Name() }) {
		t.Fatal("Cases differs for one seed")
	}
	if c := Cases(seed+1, true); slices.EqualFunc(a, c, func(x, y Case) bool { return x.Name() == y.Name() }) {
		t.Error("Cases is the same for two seeds")
	}
	last := a[len(a)-1]
	f1, err := last.Files()
	if err != nil {
		t.Fatal(err)
	}
	f2, _ := last.Files()
	for name, f := range f1 {
		if !bytes.Equal(f.Data, f2[name].Data) {
			t.Errorf("%s: %s differs between two renderings", last.Name(), name)
		}
	}
	// the files of every shape agree with each other as the product reads
	// them (sitegen.CheckSite), a fault or not
	for _, c := range a[:len(Faults)] {
		fsys, err := c.Files()
		if err != nil {
			t.Fatal(err)
		}
		if err := sitegen.CheckSite(fsys); err != nil {
			t.Errorf("%s: %v", c.Name(), err)
		}
	}
	// every shape, and every fault on every shape it fits, alone
	for _, s := range Shapes {
		for _, f := range Faults {
			want := Case{Shape: s, Hosts: [][]string{nil, {f.Name}}}.Name()
			has := slices.ContainsFunc(a, func(c Case) bool { return c.Name() == want })
			if has != f.fits(s) {
				t.Errorf("case %s listed %v, fits %v", want, has, f.fits(s))
			}
		}
	}
}

// lagFixer is a tiny hand-written fixer for one rule: for every bond with
// lacp.switch-not-aggregated, a new LACP port-channel over the bond's
// ports on each of its switches (lag_add). It stands in for rules/fix to
// prove the harness.
func lagFixer(m *topology.Model, fs []rules.Finding) ([]topology.Change, error) {
	type bondKey struct{ host, bond string }
	seen := map[bondKey]bool{}
	var out []topology.Change
	n := 900
	for _, f := range fs {
		k := bondKey{f.Host, f.Bond}
		if f.Rule != "lacp.switch-not-aggregated" || seen[k] {
			continue
		}
		seen[k] = true
		h := m.Host(f.Host)
		if h == nil {
			return nil, fmt.Errorf("no host %q", f.Host)
		}
		for _, bf := range h.BondFacts() {
			if bf.Bond.Name != f.Bond {
				continue
			}
			ports := map[string][]string{}
			var sws []string
			for _, s := range bf.Slaves {
				if s.Link == nil {
					continue // a slave down since boot: no LLDP, not mapped
				}
				if ports[s.Link.Switch] == nil {
					sws = append(sws, s.Link.Switch)
				}
				ports[s.Link.Switch] = append(ports[s.Link.Switch], s.Link.Port)
			}
			n++
			for _, sw := range sws {
				name := fmt.Sprintf("Port-Channel%d", n)
				if strings.HasPrefix(ports[sw][0], "Gi") {
					name = fmt.Sprintf("Po%d", n)
				}
				out = append(out, topology.Change{LAGAdd: &topology.LAGChange{Switch: sw, LAG: name, Kind: topology.LAGLACP, Ports: ports[sw]}})
			}
		}
	}
	return out, nil
}

// breakingFixer fixes like lagFixer and also turns the healthy h1's
// 802.3ad bond into balance-rr on its LACP port-channel: it adds errors.
func breakingFixer(m *topology.Model, fs []rules.Finding) ([]topology.Change, error) {
	out, err := lagFixer(m, fs)
	return append(out, topology.Change{BondMode: &topology.BondModeChange{Host: "h1", Bond: "bond0", Mode: topology.ModeBalanceRR}}), err
}

func nothing(*topology.Model, []rules.Finding) ([]topology.Change, error) { return nil, nil }

// TestPropertyProvesItself: with lacp.switch-not-aggregated fixable, a
// fixer that does nothing fails the property on every case that plants
// it, the lag_add fixer passes every case, and a fixer that breaks the
// healthy bond fails on every case for the error it adds.
func TestPropertyProvesItself(t *testing.T) {
	p := Property{Fixable: RuleSet("lacp.switch-not-aggregated")}
	cases := Cases(seed, testing.Short())
	var planted, caught, broken int
	for _, c := range cases {
		m, err := c.Model()
		if err != nil {
			t.Fatal(err)
		}
		if slices.ContainsFunc(p.Judge(m), func(f rules.Finding) bool { return isError(f) && p.Fixable(f.Rule) }) {
			planted++
		}
		v := p.Check(c, nothing)
		if v != nil && v.Err != nil {
			t.Fatal(v)
		}
		if v != nil {
			caught++
			if len(v.Added) > 0 {
				t.Errorf("doing nothing adds errors:\n%v", v)
			}
		}
		if v := p.Check(c, lagFixer); v != nil {
			t.Errorf("the lag_add fixer fails:\n%v", v)
		}
		if v := p.Check(c, breakingFixer); v == nil || len(v.Added) == 0 {
			t.Errorf("%s: breaking the healthy bond passes", c.Name())
		} else {
			broken++
		}
	}
	if planted < 10 || caught != planted || broken != len(cases) {
		t.Errorf("doing nothing: caught on %d cases, %d plant lacp.switch-not-aggregated", caught, planted)
	}
	t.Logf("%d cases: doing nothing caught on %d (of %d planting the rule), breaking caught on %d", len(cases), caught, planted, broken)
}
