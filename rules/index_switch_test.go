package rules

// The switch side that buildIndex resolves once (swView, lagView,
// memberView, and each slave's usable/known/lv) against the lookups by
// name the rules made before, on generated sites (a LAG-heavy one, so
// that switches get the lagAt map, and one with renamed members and
// ports that are not there) and on the demo site.

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/bondaudit/bondaudit/collect"
	"github.com/bondaudit/bondaudit/collect/demo"
	"github.com/bondaudit/bondaudit/internal/sitegen"
	"github.com/bondaudit/bondaudit/topology"
)

// naiveUsable is switchUsable as the rules asked it before.
func naiveUsable(s *slaveView) bool { return s.sw != nil && !s.sw.Unreachable && s.port != nil }

// naiveLagKnown is lagKnown as the rules asked it before.
func naiveLagKnown(s *slaveView) bool {
	if !naiveUsable(s) {
		return false
	}
	if s.lag != nil {
		return true
	}
	for _, l := range s.sw.LAGs {
		if len(l.Members) == 0 {
			return false
		}
	}
	return true
}

// naiveUplinkOn is the switch-to-switch link on a port: a scan of every
// uplink, the last one found winning (as the map the rules built kept it).
func naiveUplinkOn(m *topology.Model, sw, port string) *topology.Uplink {
	var found *topology.Uplink
	for _, u := range m.Uplinks {
		if u.A == sw && topology.SamePort(u.APort, port) {
			found = u
		}
		if u.B == sw && topology.SamePort(u.BPort, port) {
			found = u
		}
	}
	return found
}

// naiveOnSlave is lag.member-missing's old test for a bond's own port.
func naiveOnSlave(ms []*slaveView, sw, port string) bool {
	for _, s := range ms {
		if s.link.Switch == sw && topology.SamePort(s.link.Port, port) {
			return true
		}
	}
	return false
}

// checkLAGView compares a LAG's view with the lookups by name.
func checkLAGView(t *testing.T, m *topology.Model, c *Context, sw *topology.SwitchNode, l *topology.LAG, lv *lagView) (members, uplinks int) {
	t.Helper()
	where := sw.Name + " " + l.Name
	if lv == nil {
		t.Errorf("%s: no view", where)
		return
	}
	if lv.lag != l {
		t.Errorf("%s: view of %v", where, lv.lag)
	}
	if want := lagPort(sw, l); lv.port != want {
		t.Errorf("%s: port %v, want %v", where, lv.port, want)
	}
	if len(lv.members) != len(l.Members) {
		t.Errorf("%s: %d members, want %d", where, len(lv.members), len(l.Members))
		return
	}
	for i, name := range l.Members {
		mv := &lv.members[i]
		if mv.name != name {
			t.Errorf("%s: member %d is %q, want %q", where, i, mv.name, name)
		}
		if want := sw.Port(name); mv.port != want {
			t.Errorf("%s %s: port %v, want %v", where, name, mv.port, want)
		}
		if want := m.LinksOnPort(sw.Name, name); !slices.Equal(mv.links, want) {
			t.Errorf("%s %s: links %v, want %v", where, name, mv.links, want)
		}
		p := sw.Port(name)
		if got, want := mv.notUp, p != nil && !p.Oper.Up(); got != want {
			t.Errorf("%s %s: notUp %v, want %v", where, name, got, want)
		}
		if got, want := mv.down, p != nil && p.Oper.Down(); got != want {
			t.Errorf("%s %s: down %v, want %v", where, name, got, want)
		}
		wantSpeed := 0
		if p != nil && p.Speed > 0 && p.Oper.UpDown() == topology.LinkUp {
			wantSpeed = p.Speed
		}
		if mv.upSpeed != wantSpeed {
			t.Errorf("%s %s: upSpeed %d, want %d", where, name, mv.upSpeed, wantSpeed)
		}
		want := naiveUplinkOn(m, sw.Name, name)
		if mv.uplink != want {
			t.Errorf("%s %s: uplink %v, want %v", where, name, mv.uplink, want)
		}
		if got := c.uplinkOn(sw.Name, name); got != want {
			t.Errorf("%s %s: uplinkOn %v, want %v", where, name, got, want)
		}
		members++
		if want != nil {
			uplinks++
		}
	}
	return
}

// checkIndexSwitches compares everything buildIndex resolved on the
// switch side of m with the lookups it replaces, and says how much it
// compared.
func checkIndexSwitches(t *testing.T, m *topology.Model) (stats map[string]int) {
	t.Helper()
	stats = map[string]int{}
	ix := buildIndex(m)
	c := &Context{Model: m, ix: ix}
	if len(ix.sws) != len(m.Switches) {
		t.Fatalf("%d switch views, want %d", len(ix.sws), len(m.Switches))
	}
	for i, sw := range m.Switches {
		sv := &ix.sws[i]
		if sv.sw != sw || ix.swOf(m, sw) != sv {
			t.Errorf("switch %d: view of %s, swOf %v", i, sv.sw.Name, ix.swOf(m, sw))
		}
		listed := true
		for li := range sw.LAGs {
			l := &sw.LAGs[li]
			listed = listed && len(l.Members) > 0
			if sv.lagView(l) != &sv.lags[li] {
				t.Errorf("%s %s: lagView is not its view", sw.Name, l.Name)
			}
			n, u := checkLAGView(t, m, c, sw, l, &sv.lags[li])
			stats["members"] += n
			stats["uplink members"] += u
		}
		if sv.lagsListed != listed {
			t.Errorf("%s: lagsListed %v, want %v", sw.Name, sv.lagsListed, listed)
		}
		if sv.lagAt != nil {
			stats["switches with a LAG map"]++
		}
		if !listed {
			stats["switches with an unlisted LAG"]++
		}
	}
	for bi := range ix.bonds {
		b := &ix.bonds[bi]
		ms := b.mapped()
		for si := range b.slaves {
			s := &b.slaves[si]
			where := fmt.Sprintf("%s %s %s", b.host.Name, b.bond.Name, s.s.Name)
			if got, want := s.switchUsable(), naiveUsable(s); got != want {
				t.Errorf("%s: switchUsable %v, want %v", where, got, want)
			}
			if got, want := s.lagKnown(), naiveLagKnown(s); got != want {
				t.Errorf("%s: lagKnown %v, want %v", where, got, want)
			}
			if !s.lagKnown() && s.switchUsable() {
				stats["slaves with unknown LAG"]++
			}
			if s.lag == nil {
				if s.lv != nil {
					t.Errorf("%s: a LAG view without a LAG", where)
				}
				continue
			}
			stats["slaves in a LAG"]++
			checkLAGView(t, m, c, s.sw, s.lag, s.lv)
			for mi := range s.lv.members {
				mv := &s.lv.members[mi]
				got, want := onSlave(ms, s.sw.Name, mv), naiveOnSlave(ms, s.sw.Name, mv.name)
				if got != want {
					t.Errorf("%s: onSlave(%s) = %v, want %v", where, mv.name, got, want)
				}
				if want {
					stats["own members"]++
				} else {
					stats["other members"]++
				}
			}
		}
	}
	return stats
}

func loadGen(t *testing.T, o sitegen.Options) *collect.Site {
	t.Helper()
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

func build(t *testing.T, site *collect.Site) *topology.Model {
	t.Helper()
	m, err := topology.Build(site.Hosts, site.Switches, topology.BuildOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestIndexSwitchesMatchLookups(t *testing.T) {
	need := func(t *testing.T, stats map[string]int, keys ...string) {
		t.Helper()
		t.Logf("compared: %v", stats)
		for _, k := range keys {
			if stats[k] == 0 {
				t.Errorf("no %s: the site is not what the test needs", k)
			}
		}
	}
	t.Run("generated", func(t *testing.T) {
		m := build(t, loadGen(t, sitegen.Options{Hosts: 200, Switches: 8, Seed: 3, FaultRate: 0.3}))
		need(t, checkIndexSwitches(t, m), "members", "uplink members", "slaves in a LAG", "own members")
	})
	t.Run("many LAGs per switch", func(t *testing.T) {
		m := build(t, loadGen(t, sitegen.Options{Hosts: 300, Switches: 2, Seed: 5, MinSlaves: 2, MaxSlaves: 3}))
		need(t, checkIndexSwitches(t, m), "switches with a LAG map", "slaves in a LAG")
	})
	t.Run("renamed members", func(t *testing.T) {
		// members in another spelling (Ethernet3 as Et3), a member the
		// switch does not list, a LAG without members, a switch that
		// could not be read
		site := loadGen(t, sitegen.Options{Hosts: 120, Switches: 6, Seed: 9, FaultRate: 0.2})
		renamed := 0
		for si, sw := range site.Switches {
			for li := range sw.LAGs {
				l := &sw.LAGs[li]
				for mi, mem := range l.Members {
					if len(mem) > 8 && mem[:8] == "Ethernet" && (li+mi)%2 == 0 {
						l.Members[mi] = "Et" + mem[8:]
						renamed++
					}
				}
				if li%5 == 1 {
					l.Members = append(l.Members, "Ethernet99/9")
				}
			}
			if si == 1 && len(sw.LAGs) > 0 {
				sw.LAGs = append(sw.LAGs, topology.LAG{Name: "Port-Channel999", Kind: topology.LAGLACP})
			}
			if si == 2 {
				sw.Unreachable = true
			}
			for pi := range sw.Ports {
				switch p := &sw.Ports[pi]; pi % 7 {
				case 1:
					p.Oper = topology.LinkDown
				case 2:
					p.Oper = "lowerLayerDown"
				case 3:
					p.Oper, p.Speed = "", 1000
				case 4:
					p.Speed = 1000
				}
			}

		}
		if renamed == 0 {
			t.Fatal("no member renamed: the site is not what the test needs")
		}
		m := build(t, site)
		need(t, checkIndexSwitches(t, m), "members", "slaves in a LAG", "own members", "other members",
			"switches with an unlisted LAG", "slaves with unknown LAG")
	})
	t.Run("IDs in another order", func(t *testing.T) {
		// swOf falls back to a map when the IDs do not give the place
		m := build(t, loadGen(t, sitegen.Options{Hosts: 60, Switches: 4, Seed: 2}))
		for _, sw := range m.Switches {
			sw.ID += 1000
		}
		if ix := buildIndex(m); ix.swAt == nil {
			t.Error("no map for switches whose IDs are not their places")
		}
		need(t, checkIndexSwitches(t, m), "members", "slaves in a LAG")
	})
	t.Run("demo", func(t *testing.T) {
		site, err := collect.LoadSite(demo.FS(), "demo", collect.LoadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		need(t, checkIndexSwitches(t, build(t, site)), "members", "uplink members", "slaves in a LAG", "own members")
	})
}

// TestOnSlaveUnlistedPorts: a bond's own LAG member is found by name when
// the switch does not list the port (no port to compare).
func TestOnSlaveUnlistedPorts(t *testing.T) {
	p3, p4 := &topology.Port{Name: "Ethernet3"}, &topology.Port{Name: "Ethernet4"}
	slave := func(sw, port string, p *topology.Port) *slaveView {
		return &slaveView{link: &topology.Link{Switch: sw, Port: port}, port: p}
	}
	for _, tc := range []struct {
		ms []*slaveView
		mv memberView
	}{
		{[]*slaveView{slave("leaf1", "Ethernet3", p3)}, memberView{name: "Et3", port: p3}},
		{[]*slaveView{slave("leaf1", "Ethernet3", p3)}, memberView{name: "Et4", port: p4}},
		{[]*slaveView{slave("leaf1", "Ethernet7", nil)}, memberView{name: "Et7"}},
		{[]*slaveView{slave("leaf1", "Ethernet7", nil)}, memberView{name: "Ethernet8"}},
		{[]*slaveView{slave("leaf2", "Ethernet7", nil), slave("leaf1", "Ethernet3", p3)}, memberView{name: "Ethernet7"}},
		{[]*slaveView{slave("leaf2", "Ethernet3", p3), slave("leaf1", "Ethernet4", p4)}, memberView{name: "Ethernet3", port: p3}},
		{[]*slaveView{slave("leaf1", "Ethernet7", nil), slave("leaf1", "Ethernet3", p3)}, memberView{name: "et3", port: p3}},
	} {
		got, want := onSlave(tc.ms, "leaf1", &tc.mv), naiveOnSlave(tc.ms, "leaf1", tc.mv.name)
		if got != want {
			t.Errorf("onSlave(%s) = %v, want %v", tc.mv.name, got, want)
		}
	}
}

// TestIndexBondsInParallel: the bond views buildIndex makes on several
// goroutines are the ones it makes on one, and each bond's derived lists
// are what their definitions say.
func TestIndexBondsInParallel(t *testing.T) {
	defer func(n, w int) { minParallelSlaves, indexWorkers = n, w }(minParallelSlaves, indexWorkers)
	sites := testSites(t)
	sites["split"] = loadGen(t, sitegen.Options{Hosts: 150, Switches: 7, Seed: 4, FaultRate: 0.3})
	for name, site := range sites {
		m := build(t, site)
		minParallelSlaves, indexWorkers = 1<<30, 0
		one := buildIndex(m)
		for _, w := range []int{2, 3, 7} {
			minParallelSlaves, indexWorkers = 1, w
			par := buildIndex(m)
			if len(par.bonds) != len(one.bonds) {
				t.Fatalf("%s, %d workers: %d bonds, want %d", name, w, len(par.bonds), len(one.bonds))
			}
			for bi := range one.bonds {
				a, b := &one.bonds[bi], &par.bonds[bi]
				where := fmt.Sprintf("%s, %d workers: %s %s", name, w, a.host.Name, a.bond.Name)
				if a.f != b.f || a.host != b.host || a.bond != b.bond || a.class != b.class || len(a.slaves) != len(b.slaves) {
					t.Fatalf("%s: bond view differs", where)
				}
				for si := range a.slaves {
					x, y := a.slaves[si], b.slaves[si]
					if x.lv != nil && y.lv != nil && x.lv.lag == y.lv.lag {
						x.lv, y.lv = nil, nil // each index has its own views
					}
					if !slices.Equal(x.nb, y.nb) {
						t.Errorf("%s %s: heard %v, want %v", where, x.s.Name, y.nb, x.nb)
					}
					if x.f != y.f || x.s != y.s || x.nic != y.nic || x.link != y.link || x.sw != y.sw || x.port != y.port ||
						x.lag != y.lag || x.lv != y.lv || x.usable != y.usable || x.known != y.known {
						t.Errorf("%s %s: slave view %+v, want %+v", where, x.s.Name, y, x)
					}
				}
				checkDerived(t, where, b)
			}
		}
		for bi := range one.bonds {
			checkDerived(t, name, &one.bonds[bi])
		}
	}
}

// checkDerived compares a bond's derived lists with their definitions.
func checkDerived(t *testing.T, where string, b *bondView) {
	t.Helper()
	var mapped, up, partnered []*slaveView
	var sws []string
	for i := range b.slaves {
		s := &b.slaves[i]
		if s.link != nil {
			mapped = append(mapped, s)
			if !slices.Contains(sws, s.link.Switch) {
				sws = append(sws, s.link.Switch)
			}
		}
		if s.f.Up {
			up = append(up, s)
			if s.f.PartnerSystem != "" {
				partnered = append(partnered, s)
			}
		}
	}
	slices.Sort(sws)
	if !slices.Equal(b.mappedS, mapped) || !slices.Equal(b.upS, up) || !slices.Equal(b.partneredS, partnered) || !slices.Equal(b.sws, sws) {
		t.Errorf("%s %s %s: derived lists differ: mapped %d/%d, up %d/%d, partnered %d/%d, switches %v/%v", where, b.host.Name, b.bond.Name,
			len(b.mappedS), len(mapped), len(b.upS), len(up), len(b.partneredS), len(partnered), b.sws, sws)
	}
}

// TestFDBByMACMatchesScan: the FDB index gives, for every bond's MAC and
// every MAC in an FDB, the entries a scan of every readable switch finds,
// in switch order; with MACs not in canonical form among them.
func TestFDBByMACMatchesScan(t *testing.T) {
	sites := testSites(t)
	odd := loadGen(t, sitegen.Options{Hosts: 80, Switches: 4, Seed: 6, FaultRate: 0.3})
	n := 0
	for si, sw := range odd.Switches {
		for i := range sw.FDB {
			switch i % 5 {
			case 1:
				sw.FDB[i].MAC = strings.ToUpper(sw.FDB[i].MAC)
				n++
			case 2:
				sw.FDB[i].MAC = strings.ReplaceAll(sw.FDB[i].MAC, ":", "-")
				n++
			}
		}
		if si == 1 {
			sw.Unreachable = true
		}
	}
	if n == 0 {
		t.Fatal("no FDB entry changed: the site is not what the test needs")
	}
	sites["odd MACs"] = odd
	for name, site := range sites {
		m := build(t, site)
		c := &Context{Model: m, ix: buildIndex(m)}
		scan := func(mac string) []fdbHit {
			var hits []fdbHit
			for _, sw := range m.Switches {
				if sw.Unreachable {
					continue
				}
				for i := range sw.FDB {
					if sw.FDB[i].MAC == mac {
						hits = append(hits, fdbHit{sw, &sw.FDB[i]})
					}
				}
			}
			return hits
		}
		macs := []string{"", "00:00:00:00:00:00", "not a mac"}
		for _, b := range c.bonds() {
			macs = append(macs, string(b.f.MAC))
		}
		for _, sw := range m.Switches {
			for i := range sw.FDB {
				macs = append(macs, sw.FDB[i].MAC, strings.ToUpper(sw.FDB[i].MAC))
			}
		}
		found := 0
		for _, mac := range macs {
			got, want := c.fdbByMAC(mac), scan(mac)
			if !slices.Equal(got, want) {
				t.Errorf("%s: FDB of %q: %d hits, want %d", name, mac, len(got), len(want))
			}
			if len(want) > 0 {
				found++
			}
		}
		if found == 0 {
			t.Errorf("%s: no MAC in any FDB: the test checks nothing", name)
		}
	}
}

// TestSameDomainByNode: for the slaves of the site's switches, comparing
// nodes answers what comparing names (and Model.SameDomain) answers.
func TestSameDomainByNode(t *testing.T) {
	for name, site := range testSites(t) {
		m := build(t, site)
		ix := buildIndex(m)
		var sl []*slaveView
		for bi := range ix.bonds {
			for si := range ix.bonds[bi].slaves {
				if s := &ix.bonds[bi].slaves[si]; s.switchUsable() {
					sl = append(sl, s)
				}
			}
		}
		same, other, domain := 0, 0, 0
		for i, a := range sl {
			for _, b := range sl[i:min(len(sl), i+40)] {
				if got, want := a.sw == b.sw, a.link.Switch == b.link.Switch; got != want {
					t.Errorf("%s: %s and %s: same node %v, same name %v", name, a.link.Switch, b.link.Switch, got, want)
				}
				got, want := sameDomain(a.sw, b.sw), m.SameDomain(a.link.Switch, b.link.Switch)
				if got != want {
					t.Errorf("%s: %s and %s: sameDomain %v, Model.SameDomain %v", name, a.link.Switch, b.link.Switch, got, want)
				}
				switch {
				case a.sw == b.sw:
					same++
				case want:
					domain++
				default:
					other++
				}
			}
		}
		if same == 0 || other == 0 || domain == 0 {
			t.Errorf("%s: pairs on one switch %d, in one domain %d, apart %d: the site is not what the test needs", name, same, domain, other)
		}
	}
}
