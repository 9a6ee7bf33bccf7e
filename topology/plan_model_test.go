package topology

import (
	"encoding/json"
	"reflect"
	"testing"
)

// planModelSite: web01 bond0 (802.3ad) eth0 → leaf1 Et1, eth1 → leaf1 Et2,
// both negotiated with leaf1 (partner state bundled), Po1 holding Et1.
func planModelSite(t *testing.T) *Model {
	t.Helper()
	const ch = "00:1c:73:00:00:0a"
	h := host("web01", NIC{Name: "eth0", PermMAC: "52:54:00:00:01:00"}, NIC{Name: "eth1", PermMAC: "52:54:00:00:01:01"})
	h.Bonds = []Bond{{Name: "bond0", Mode: Mode8023AD, ActiveAggregator: &Aggregator{ID: 1, PartnerMAC: ch},
		Slaves: []Slave{
			{Name: "eth0", MIIStatus: "up", AggregatorID: 1, Actor: &LACPPort{System: "52:54:00:00:01:00", Port: 1},
				Partner: &LACPPort{System: ch, Key: 1, Port: 1, State: 61, StateKnown: true}},
			{Name: "eth1", MIIStatus: "up", AggregatorID: 1, Actor: &LACPPort{System: "52:54:00:00:01:00", Port: 2},
				Partner: &LACPPort{System: ch, Key: 1, Port: 2, State: 61, StateKnown: true}},
		}}}
	h.Neighbours = []Neighbour{lldp("eth0", ch, "Ethernet1", IDIfName), lldp("eth1", ch, "Ethernet2", IDIfName)}
	for i := range h.Neighbours {
		h.Neighbours[i].SystemName = "leaf1"
	}
	s := leaf("leaf1", ch, "Ethernet", 1, 2, 3)
	for i := range s.Ports {
		s.Ports[i].LACP = &PortLACP{Status: "bundled", Partner: &LACPPort{System: "52:54:00:00:01:00", Port: i + 1}}
	}
	s.LAGs = []LAG{{Name: "Po1", Kind: LAGLACP, Members: []string{"Ethernet1"}}}
	m, err := Build([]*Host{h}, []*Switch{s}, BuildOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func snapshotsJSON(t *testing.T, m *Model) string {
	t.Helper()
	var hs []*Host
	for _, h := range m.Hosts {
		hs = append(hs, h.Host)
	}
	var ss []*Switch
	for _, s := range m.Switches {
		ss = append(ss, s.Switch)
	}
	b, err := json.Marshal([]any{hs, ss})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestPlanLeavesTheModelAlone: Plan builds a new Model; the one it was
// called on, its snapshots and its facts stay as they were.
func TestPlanLeavesTheModelAlone(t *testing.T) {
	m := planModelSite(t)
	before := snapshotsJSON(t, m)
	n, err := m.Plan([]Change{
		{BondMode: &BondModeChange{Host: "web01", Bond: "bond0", Mode: ModeActiveBackup}},
		{LAGAdd: &LAGChange{Switch: "leaf1", LAG: "Po1", Ports: []string{"Ethernet2"}}},
		{MoveCable: &MoveCable{Host: "web01", NIC: "eth1", Switch: "leaf1", Port: "Ethernet3"}},
		{VLANs: &VLANChange{Switch: "leaf1", Port: "Ethernet1", PVID: 10, Tagged: []int{20}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if after := snapshotsJSON(t, m); after != before {
		t.Errorf("Plan changed the model it was called on:\nbefore %s\nafter  %s", before, after)
	}
	bf := m.Host("web01").BondFacts()[0]
	if bf.Class != ClassLACP || !bf.Slaves[0].PartnerReal() || bf.Slaves[1].Port.Name != "Ethernet2" {
		t.Errorf("the old model's facts changed: %+v", bf)
	}
	// The new model: the plan applied, stale LACP state forgotten.
	nb := n.Host("web01").BondFacts()[0]
	if nb.Class != ClassIndependent || nb.Bond.Mode != ModeActiveBackup {
		t.Errorf("new bond: class %q mode %q", nb.Class, nb.Bond.Mode)
	}
	if nb.Bond.ActiveAggregator != nil {
		t.Error("new model keeps the bond's active aggregator after a mode change")
	}
	for _, sf := range nb.Slaves {
		if sf.Slave.Partner != nil || sf.Slave.Actor != nil || sf.Slave.AggregatorID != 0 || sf.PartnerSystem != "" {
			t.Errorf("new model: %s keeps its LACP state: %+v", sf.Slave.Name, sf.Slave)
		}
	}
	if sf := nb.Slaves[1]; sf.Port == nil || sf.Port.Name != "Ethernet3" {
		t.Errorf("eth1 after move_cable: %+v", sf.Placement)
	}
	nsw := n.Switch("leaf1")
	if p := nsw.Port("Ethernet2"); p.Oper != "down" || p.LACP.Partner != nil || p.LACP.Status != "down" {
		t.Errorf("the port eth1 left: oper %q LACP %+v", p.Oper, p.LACP)
	}
	if p := nsw.Port("Ethernet1"); p.LACP.Status != "" || p.PVID != 10 {
		t.Errorf("eth0's port (bond renegotiates): status %q pvid %d", p.LACP.Status, p.PVID)
	}
	if l := nsw.LAG("Po1"); len(l.Members) != 2 {
		t.Errorf("Po1 members %v", l.Members)
	}
	// A bad change is an error, and the model is still untouched.
	if _, err := m.Plan([]Change{{BondMode: &BondModeChange{Host: "nope", Bond: "bond0", Mode: "x"}}}); err == nil {
		t.Error("a change naming no host was accepted")
	}
	if after := snapshotsJSON(t, m); after != before {
		t.Error("a failed Plan changed the model")
	}
}

// TestCloneSharesNothing fills every field of a Host and a Switch and
// checks that no slice or pointer of the clone is the original's.
func TestCloneSharesNothing(t *testing.T) {
	var h Host
	var s Switch
	fill(reflect.ValueOf(&h).Elem(), 0)
	fill(reflect.ValueOf(&s).Elem(), 0)
	for _, c := range []struct{ orig, clone any }{{&h, h.Clone()}, {&s, s.Clone()}} {
		if !reflect.DeepEqual(c.orig, c.clone) {
			t.Fatalf("%T: clone differs", c.orig)
		}
		seen := map[uintptr]string{}
		refs(reflect.ValueOf(c.orig).Elem(), "orig", func(p uintptr, path string) { seen[p] = path })
		refs(reflect.ValueOf(c.clone).Elem(), "clone", func(p uintptr, path string) {
			if o, ok := seen[p]; ok {
				t.Errorf("%T: %s shares memory with %s", c.orig, path, o)
			}
		})
	}
}

// fill sets every field to a non-zero value, slices to one element.
func fill(v reflect.Value, depth int) {
	switch v.Kind() {
	case reflect.String:
		v.SetString("x")
	case reflect.Int, reflect.Int64:
		v.SetInt(1)
	case reflect.Uint8:
		v.SetUint(1)
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fill(v.Elem(), depth+1)
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 1, 1))
		fill(v.Index(0), depth+1)
	case reflect.Struct:
		for i := range v.NumField() {
			fill(v.Field(i), depth+1)
		}
	}
}

// refs reports the address of every slice's array and every pointer.
func refs(v reflect.Value, path string, f func(uintptr, string)) {
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			f(v.Pointer(), path)
			refs(v.Elem(), path, f)
		}
	case reflect.Slice:
		if v.Len() > 0 {
			f(v.Pointer(), path)
		}
		for i := range v.Len() {
			refs(v.Index(i), path+"[]", f)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			refs(v.Field(i), path+"."+v.Type().Field(i).Name, f)
		}
	}
}
