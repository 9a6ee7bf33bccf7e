package topology

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"
)

// planSite is a random small site whose names collide the ways real inputs
// do: port and LAG names in long and short spellings, host names in LLDP
// in another case, MACs in several notations or missing.
type planSite struct {
	hosts []*Host
	sws   []*Switch
}

var (
	planPortNames = []string{"Ethernet1", "Et1", "Ethernet2", "ethernet3", "Ethernet4", "GigabitEthernet1/0/5", "Gi1/0/5", "Ethernet6"}
	planLAGNames  = []string{"Port-Channel1", "Po1", "po2", "Port-Channel3"}
	planMACs      = []string{"00:11:22:33:44:01", "00-11-22-33-44-02", "0011.2233.4403", "001122334404", "", "00:11:22:33:44:05"}
)

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

func newPlanSite(r *rand.Rand, nHosts, nSwitches int) planSite {
	var site planSite
	hostName := func(i int) string { return fmt.Sprintf("host%d", i) }
	caseOf := func(s string) string {
		switch r.IntN(3) {
		case 0:
			return s
		case 1:
			return fmt.Sprintf("%s", []byte(s)) // same
		}
		b := []byte(s)
		for i := range b {
			if b[i] >= 'a' && b[i] <= 'z' {
				b[i] -= 32
			}
		}
		return string(b)
	}
	for i := range nSwitches {
		s := &Switch{Name: fmt.Sprintf("sw%d", i), ChassisID: fmt.Sprintf("02:00:00:00:00:%02x", i)}
		if i > 0 && r.IntN(8) == 0 {
			s.Name = site.sws[i-1].Name // a duplicate name: the first one wins
		}
		for j, n := range planPortNames {
			if r.IntN(5) == 0 {
				continue
			}
			p := Port{Name: n, IfIndex: j + 1, Oper: pick(r, []LinkState{"up", "down", ""})}
			if r.IntN(2) == 0 {
				p.LACP = &PortLACP{Status: "bundled", Partner: &LACPPort{System: "02:aa:00:00:00:01", Key: 1, Port: j}}
			}
			s.Ports = append(s.Ports, p)
		}
		for range r.IntN(4) {
			l := LAG{Name: pick(r, planLAGNames), Kind: pick(r, []LAGKind{LAGLACP, LAGStatic})}
			for range r.IntN(4) {
				l.Members = append(l.Members, pick(r, planPortNames))
			}
			s.LAGs = append(s.LAGs, l)
		}
		for range r.IntN(3 * nHosts) {
			n := Neighbour{LocalPort: pick(r, planPortNames), SystemName: caseOf(hostName(r.IntN(nHosts + 1)))}
			if r.IntN(2) == 0 {
				n.PortID = pick(r, []string{"eth0", "eth1", "eth2"})
			} else {
				n.PortID = pick(r, planMACs)
			}
			s.Neighbours = append(s.Neighbours, n)
		}
		for range r.IntN(3 * nHosts) {
			s.FDB = append(s.FDB, FDBEntry{MAC: pick(r, planMACs), VLAN: r.IntN(3), Port: pick(r, planPortNames)})
		}
		site.sws = append(site.sws, s)
	}
	for i := range nHosts {
		h := &Host{Name: hostName(i)}
		for _, nic := range []string{"eth0", "eth1", "eth2"} {
			if r.IntN(4) == 0 {
				continue
			}
			h.NICs = append(h.NICs, NIC{Name: nic, PermMAC: pick(r, planMACs)})
			if len(site.sws) > 0 && r.IntN(3) > 0 {
				h.Neighbours = append(h.Neighbours, Neighbour{LocalPort: nic, SystemName: pick(r, site.sws).Name, PortID: pick(r, planPortNames)})
			}
		}
		b := Bond{Name: "bond0", Mode: "802.3ad"}
		for _, n := range h.NICs {
			b.Slaves = append(b.Slaves, Slave{Name: n.Name, Partner: &LACPPort{System: "02:00:00:00:00:01", Key: 7}})
		}
		h.Bonds = append(h.Bonds, b)
		site.hosts = append(site.hosts, h)
	}
	return site
}

// randomChange refers mostly to what exists, sometimes not.
func randomChange(r *rand.Rand, nHosts, nSwitches int) Change {
	host := fmt.Sprintf("host%d", r.IntN(nHosts+1))
	sw := fmt.Sprintf("sw%d", r.IntN(nSwitches+1))
	var ports []string
	for range 1 + r.IntN(3) {
		ports = append(ports, pick(r, planPortNames))
	}
	switch r.IntN(5) {
	case 0:
		return Change{MoveCable: &MoveCable{Host: host, NIC: pick(r, []string{"eth0", "eth1", "eth2"}), Switch: sw, Port: pick(r, planPortNames)}}
	case 1:
		return Change{BondMode: &BondModeChange{Host: host, Bond: pick(r, []string{"bond0", "bond0", "bond1"}), Mode: pick(r, []BondMode{"active-backup", "802.3ad"})}}
	case 2:
		return Change{LAGAdd: &LAGChange{Switch: sw, LAG: pick(r, planLAGNames), Kind: pick(r, []LAGKind{LAGLACP, LAGStatic, LAGStatic, ""}), Ports: ports}}
	case 3:
		return Change{LAGRemove: &LAGChange{Switch: sw, LAG: pick(r, planLAGNames), Ports: ports}}
	}
	return Change{VLANs: &VLANChange{Switch: sw, Port: pick(r, planPortNames), PVID: r.IntN(3), Tagged: []int{30, 10, 20}[:r.IntN(4)]}}
}

func siteJSON(t *testing.T, s planSite) string {
	t.Helper()
	b, err := json.Marshal(struct {
		H []*Host
		S []*Switch
	}{s.hosts, s.sws})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestApplyPlanMatchesNaive: on thousands of random sites and plans, the
// indexed ApplyPlan leaves the snapshots exactly as the change-by-change
// scan did, and fails on the same change with the same message.
func TestApplyPlanMatchesNaive(t *testing.T) {
	applied := 0
	defer func() {
		// Most plans must apply whole, or the comparison is of errors only.
		if applied < 1500 {
			t.Errorf("only %d of 3000 random plans applied without error", applied)
		}
	}()
	for seed := range uint64(3000) {
		r := rand.New(rand.NewPCG(seed, 7))
		nh, ns := 1+r.IntN(4), 1+r.IntN(3)
		// Keep the changes that apply (a failing one ends a plan), and
		// end one plan in four on one that does not.
		var changes []Change
		for range 1 + r.IntN(16) {
			c := randomChange(r, nh, ns)
			try := newPlanSite(rand.New(rand.NewPCG(seed, 1)), nh, ns)
			if naiveApplyPlan(try.hosts, try.sws, append(changes[:len(changes):len(changes)], c)) == nil {
				changes = append(changes, c)
			}
		}
		if r.IntN(4) == 0 {
			changes = append(changes, randomChange(r, nh, ns))
		}
		a := newPlanSite(rand.New(rand.NewPCG(seed, 1)), nh, ns)
		b := newPlanSite(rand.New(rand.NewPCG(seed, 1)), nh, ns)
		errA := ApplyPlan(a.hosts, a.sws, changes)
		errB := naiveApplyPlan(b.hosts, b.sws, changes)
		if errA == nil {
			applied++
		}
		if fmt.Sprint(errA) != fmt.Sprint(errB) {
			t.Fatalf("seed %d: error %v, the scan gave %v", seed, errA, errB)
		}
		if ja, jb := siteJSON(t, a), siteJSON(t, b); ja != jb {
			t.Fatalf("seed %d: snapshots differ after %d changes:\nindexed %s\nscan    %s", seed, len(changes), ja, jb)
		}
	}
}

// TestApplyPlanLAGMembersAndMoves: the cases the index must get right by
// name: a port joining a LAG under its short name leaves its old LAG,
// re-adding keeps one member, lag_remove by another spelling removes it,
// a LAG left without members goes, and a move drops the switch's LLDP entry naming the host in another
// case and its FDB entry given in another MAC notation.
func TestApplyPlanLAGMembersAndMoves(t *testing.T) {
	sw := &Switch{Name: "leaf1", Ports: []Port{{Name: "Ethernet1"}, {Name: "Ethernet2", Oper: "up"}, {Name: "Ethernet3"}},
		LAGs:       []LAG{{Name: "Port-Channel1", Kind: LAGLACP, Members: []string{"Ethernet1", "Ethernet2"}}},
		Neighbours: []Neighbour{{LocalPort: "Ethernet2", SystemName: "WEB01", PortID: "eth0"}, {LocalPort: "Ethernet3", SystemName: "db01", PortID: "eth0"}},
		FDB:        []FDBEntry{{MAC: "0011.2233.4455", Port: "Ethernet2"}, {MAC: "00:11:22:33:44:66", Port: "Ethernet3"}}}
	h := &Host{Name: "web01", NICs: []NIC{{Name: "eth0", PermMAC: "00:11:22:33:44:55"}}}
	err := ApplyPlan([]*Host{h}, []*Switch{sw}, []Change{
		{LAGAdd: &LAGChange{Switch: "leaf1", LAG: "Po2", Kind: LAGStatic, Ports: []string{"Et1", "Ethernet3"}}},
		{LAGAdd: &LAGChange{Switch: "leaf1", LAG: "Port-Channel2", Ports: []string{"Ethernet3"}}},
		{LAGRemove: &LAGChange{Switch: "leaf1", LAG: "po1", Ports: []string{"Et2"}}},
		{MoveCable: &MoveCable{Host: "web01", NIC: "eth0", Switch: "leaf1", Port: "Et1"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	// Port-Channel1, emptied, is gone with its last member
	if len(sw.LAGs) != 1 || sw.LAGs[0].Name != "Po2" || fmt.Sprint(sw.LAGs[0].Members) != "[Ethernet1 Ethernet3]" {
		t.Errorf("LAGs %+v", sw.LAGs)
	}
	if len(sw.Neighbours) != 1 || sw.Neighbours[0].SystemName != "db01" {
		t.Errorf("neighbours %+v, want only db01's", sw.Neighbours)
	}
	if len(sw.FDB) != 1 || sw.FDB[0].Port != "Ethernet3" {
		t.Errorf("FDB %+v, want only Ethernet3's", sw.FDB)
	}
	if sw.Ports[1].Oper != "down" || sw.Ports[0].Oper != "up" {
		t.Errorf("ports %+v: the old port goes down, the new one up", sw.Ports)
	}
}

// bigPlan is a site of n/2 hosts with 2 NICs each on n/40+1 switches of 48
// ports (neighbours and FDB entries for every NIC), and a plan of n
// changes of every kind spread over it.
func bigPlan(n int) (func() planSite, []Change) {
	nHosts, nSw := n/2, n/40+1
	mk := func() planSite {
		var site planSite
		for i := range nSw {
			s := &Switch{Name: fmt.Sprintf("sw%d", i)}
			for p := range 48 {
				s.Ports = append(s.Ports, Port{Name: fmt.Sprintf("Ethernet%d", p+1), Oper: "up", LACP: &PortLACP{Status: "bundled"}})
			}
			for l := range 8 {
				s.LAGs = append(s.LAGs, LAG{Name: fmt.Sprintf("Port-Channel%d", l+1), Kind: LAGLACP,
					Members: []string{fmt.Sprintf("Ethernet%d", 2*l+1), fmt.Sprintf("Ethernet%d", 2*l+2)}})
			}
			site.sws = append(site.sws, s)
		}
		for i := range nHosts {
			h := &Host{Name: fmt.Sprintf("host%05d", i)}
			for k := range 2 {
				nic := fmt.Sprintf("eth%d", k)
				mac := fmt.Sprintf("02:00:%02x:%02x:%02x:%02x", i>>16&0xff, i>>8&0xff, i&0xff, k)
				sw := site.sws[(i*2+k)%nSw]
				port := fmt.Sprintf("Ethernet%d", (i*2+k)%48+1)
				h.NICs = append(h.NICs, NIC{Name: nic, PermMAC: mac})
				h.Neighbours = append(h.Neighbours, Neighbour{LocalPort: nic, SystemName: sw.Name, PortID: port})
				sw.Neighbours = append(sw.Neighbours, Neighbour{LocalPort: port, SystemName: h.Name, PortID: mac})
				sw.FDB = append(sw.FDB, FDBEntry{MAC: mac, VLAN: 10, Port: port})
			}
			h.Bonds = []Bond{{Name: "bond0", Mode: "802.3ad", Slaves: []Slave{{Name: "eth0"}, {Name: "eth1"}}}}
			site.hosts = append(site.hosts, h)
		}
		return site
	}
	var changes []Change
	for i := range n {
		h := fmt.Sprintf("host%05d", i%nHosts)
		sw := fmt.Sprintf("sw%d", i%nSw)
		port := fmt.Sprintf("Ethernet%d", i%48+1)
		switch i % 5 {
		case 0:
			changes = append(changes, Change{MoveCable: &MoveCable{Host: h, NIC: "eth1", Switch: sw, Port: port}})
		case 1:
			changes = append(changes, Change{BondMode: &BondModeChange{Host: h, Bond: "bond0", Mode: "active-backup"}})
		case 2:
			changes = append(changes, Change{LAGAdd: &LAGChange{Switch: sw, LAG: fmt.Sprintf("Po%d", 20+i%10), Kind: LAGLACP, Ports: []string{port}}})
		case 3:
			changes = append(changes, Change{LAGRemove: &LAGChange{Switch: sw, LAG: "Po1", Ports: []string{port}}})
		default:
			changes = append(changes, Change{VLANs: &VLANChange{Switch: sw, Port: port, PVID: 10, Tagged: []int{20, 30}}})
		}
	}
	return mk, changes
}

func benchmarkApplyPlan(b *testing.B, n int, apply func([]*Host, []*Switch, []Change) error) {
	mk, changes := bigPlan(n)
	for b.Loop() {
		b.StopTimer()
		site := mk()
		b.StartTimer()
		if err := apply(site.hosts, site.sws, changes); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkApplyPlan: 1k and 10k changes on a site that grows with them
// (500 / 5,000 hosts); the naive variants are the scan it replaced.
func BenchmarkApplyPlan1k(b *testing.B)       { benchmarkApplyPlan(b, 1000, ApplyPlan) }
func BenchmarkApplyPlan10k(b *testing.B)      { benchmarkApplyPlan(b, 10000, ApplyPlan) }
func BenchmarkApplyPlanNaive1k(b *testing.B)  { benchmarkApplyPlan(b, 1000, naiveApplyPlan) }
func BenchmarkApplyPlanNaive10k(b *testing.B) { benchmarkApplyPlan(b, 10000, naiveApplyPlan) }

// TestBigPlanAppliesTheSame: the benchmark's plan gives the same snapshots
// through both (a large, realistic shape next to the random small ones).
func TestBigPlanAppliesTheSame(t *testing.T) {
	mk, changes := bigPlan(1000)
	a, b := mk(), mk()
	start := time.Now()
	if err := ApplyPlan(a.hosts, a.sws, changes); err != nil {
		t.Fatal(err)
	}
	t.Logf("indexed: %s", time.Since(start))
	if err := naiveApplyPlan(b.hosts, b.sws, changes); err != nil {
		t.Fatal(err)
	}
	if siteJSON(t, a) != siteJSON(t, b) {
		t.Fatal("snapshots differ")
	}
}

// TestApplyPlanCanonicalises: a plan's bond mode and LAG kind are written
// as LoadHost/LoadSwitch write them, so the planned bond reads as a loaded
// one would.
func TestApplyPlanCanonicalises(t *testing.T) {
	sw := &Switch{Name: "leaf1", Ports: []Port{{Name: "Ethernet1"}}}
	h := &Host{Name: "web01", Bonds: []Bond{{Name: "bond0", Mode: ModeActiveBackup}, {Name: "ovs0", Kind: BondKindOVS, Mode: "active-backup"}}}
	err := ApplyPlan([]*Host{h}, []*Switch{sw}, []Change{
		{BondMode: &BondModeChange{Host: "web01", Bond: "bond0", Mode: " 4"}},
		{BondMode: &BondModeChange{Host: "web01", Bond: "ovs0", Mode: "Balance-TCP"}},
		{LAGAdd: &LAGChange{Switch: "leaf1", LAG: "Po1", Kind: "LACP", Ports: []string{"Ethernet1"}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if h.Bonds[0].Mode != Mode8023AD || h.Bonds[1].Mode != "balance-tcp" {
		t.Errorf("modes %q, %q; want 802.3ad, balance-tcp", h.Bonds[0].Mode, h.Bonds[1].Mode)
	}
	if len(sw.LAGs) != 1 || sw.LAGs[0].Kind != LAGLACP {
		t.Errorf("LAGs %+v, want Po1 of kind lacp", sw.LAGs)
	}
}
