package alcatel_test

import (
	"slices"
	"testing"

	"github.com/bondaudit/bondaudit/internal/vendortest"
	"github.com/bondaudit/bondaudit/topology"
	"github.com/bondaudit/bondaudit/vendors/all"
)

var (
	lag      = vendortest.LAG
	contains = vendortest.Contains
)

func recording(t *testing.T, name string) (*topology.Switch, []string) {
	return vendortest.Decode(vendortest.Recording(t, "librenms__"+name), name)
}

func decodeText(t *testing.T, rec string) (*topology.Switch, []string) {
	return vendortest.Decode(vendortest.Snmprec(t, rec), "test")
}

// TestAOS7PrimaryPort: librenms aos7 (OS6860E-U28) has no IEEE8023-LAG-MIB
// and its ifStackTable puts nothing under the aggregates
// (ifStackStatus.40000013.0 only). Hand-verified from the recording
// (grep 6486.801.1.2.1.13.1.1.1.1.1.<col>.40000013 / .40000010):
//
//	0/13 (ifIndex 40000013): alclnkaggAggNbrSelectedPorts (col 18) = 1,
//	  NbrAttachedPorts (19) = 1, PrimaryPortIndex (20) = 1007 (ifName 1/1/7),
//	  LacpType (15) = 1 lacpOn
//	0/10 (40000010): Selected = Attached = 2, PrimaryPortIndex = 101010
//	  (2/1/10): one of two members named, so none is listed
//	0/6 (40000006): Attached 0, PrimaryPortIndex 0: no member
func TestAOS7PrimaryPort(t *testing.T) {
	s, _ := recording(t, "aos7")
	if s.Vendor != "alcatel-lucent" {
		t.Fatalf("vendor %q", s.Vendor)
	}
	l := lag(s, "0/13")
	if l == nil || !slices.Equal(l.Members, []string{"1/1/7"}) || l.Kind != topology.LAGLACP {
		t.Fatalf("0/13 %+v", l)
	}
	if !contains(l.Evidence, "alclnkaggAggPrimaryPortIndex.40000013 = 1007 (1/1/7") {
		t.Errorf("0/13 evidence %q", l.Evidence)
	}
	l = lag(s, "0/10")
	if l == nil || len(l.Members) != 0 || l.Kind != topology.LAGLACP {
		t.Fatalf("0/10 %+v", l)
	}
	if !contains(l.Evidence, "alclnkaggAggPrimaryPortIndex.40000010 = 101010 (2/1/10") || !contains(l.Evidence, "members left unknown") {
		t.Errorf("0/10 evidence %q", l.Evidence)
	}
	if l := lag(s, "0/6"); l == nil || len(l.Members) != 0 {
		t.Errorf("0/6 %+v", l)
	}
	n := 0
	for _, l := range s.LAGs {
		n += len(l.Members)
	}
	if n != 1 {
		t.Errorf("%d members over all LAGs, want 1 (0/13's)", n)
	}
}

// TestAOS6KeepsIfStack: librenms aos6 (OS6350-P24) stacks its aggregates in
// ifStackTable (ifStackStatus.40000010.1002 and .2002: 1/2, 2/2); its
// alclnkaggAggPrimaryPortIndex.40000010 = 1002 must not add anything (no
// double count). alclnkaggAggLacpType.40000001 = 1 (Dynamic Aggregate) and
// .40000010 = 0 (Omnichannel Aggregate) give the kinds.
func TestAOS6KeepsIfStack(t *testing.T) {
	s, _ := recording(t, "aos6")
	if s.Vendor != "alcatel-lucent" {
		t.Fatalf("vendor %q", s.Vendor)
	}
	var dyn, omni *topology.LAG
	for i := range s.LAGs {
		switch s.LAGs[i].IfIndex {
		case 40000001:
			dyn = &s.LAGs[i]
		case 40000010:
			omni = &s.LAGs[i]
		}
	}
	if omni == nil || !slices.Equal(omni.Members, []string{"1/2", "2/2"}) || omni.Kind != topology.LAGStatic {
		t.Fatalf("aggregate 10 %+v", omni)
	}
	if contains(omni.Evidence, "alclnkaggAggPrimaryPortIndex") {
		t.Errorf("primary port used though ifStackTable named the members: %q", omni.Evidence)
	}
	if dyn == nil || dyn.Kind != topology.LAGLACP || len(dyn.Members) != 4 {
		t.Errorf("aggregate 1 %+v", dyn)
	}
}

// A hand-written AOS 7 walk following ALCATEL-IND1-LAG-MIB
// (alclnkaggAggPortTable, 6486.801.1.2.1.13.1.1.2.1.1, indexed by the port's
// ifIndex; columns 12 SelectedAggID, 13 AttachedAggID) with the ifTable and
// alclnkaggAggTable layout of librenms aos7. No recording has the port table.
const portTableWalk = `1.3.6.1.2.1.1.1.0|4|Alcatel-Lucent Enterprise OS6860E-U28 8.5.255.R02 GA
1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.6486.801.1.1.2.1.11.1.9
1.3.6.1.2.1.1.5.0|4|sw1
1.3.6.1.2.1.2.2.1.1.1001|2|1001
1.3.6.1.2.1.2.2.1.1.1002|2|1002
1.3.6.1.2.1.2.2.1.1.1003|2|1003
1.3.6.1.2.1.2.2.1.1.40000005|2|40000005
1.3.6.1.2.1.2.2.1.3.1001|2|6
1.3.6.1.2.1.2.2.1.3.1002|2|6
1.3.6.1.2.1.2.2.1.3.1003|2|6
1.3.6.1.2.1.2.2.1.3.40000005|2|161
1.3.6.1.2.1.2.2.1.8.1001|2|1
1.3.6.1.2.1.2.2.1.8.1002|2|1
1.3.6.1.2.1.2.2.1.8.1003|2|1
1.3.6.1.2.1.2.2.1.8.40000005|2|1
1.3.6.1.2.1.31.1.1.1.1.1001|4|1/1/1
1.3.6.1.2.1.31.1.1.1.1.1002|4|1/1/2
1.3.6.1.2.1.31.1.1.1.1.1003|4|1/1/3
1.3.6.1.2.1.31.1.1.1.1.40000005|4|0/5
1.3.6.1.2.1.31.1.2.1.3.40000005.0|2|1
1.3.6.1.4.1.6486.801.1.2.1.13.1.1.1.1.1.15.40000005|2|0
1.3.6.1.4.1.6486.801.1.2.1.13.1.1.1.1.1.18.40000005|2|2
1.3.6.1.4.1.6486.801.1.2.1.13.1.1.1.1.1.19.40000005|2|2
1.3.6.1.4.1.6486.801.1.2.1.13.1.1.1.1.1.20.40000005|2|1001
`

const portRows = `1.3.6.1.4.1.6486.801.1.2.1.13.1.1.2.1.1.12.1001|2|40000005
1.3.6.1.4.1.6486.801.1.2.1.13.1.1.2.1.1.12.1002|2|40000005
1.3.6.1.4.1.6486.801.1.2.1.13.1.1.2.1.1.12.1003|2|0
1.3.6.1.4.1.6486.801.1.2.1.13.1.1.2.1.1.13.1001|2|40000005
1.3.6.1.4.1.6486.801.1.2.1.13.1.1.2.1.1.13.1002|2|0
1.3.6.1.4.1.6486.801.1.2.1.13.1.1.2.1.1.13.1003|2|0
`

// TestPortTableMembers: fire: the port table names both members (1/1/1
// attached, 1/1/2 selected), 1/1/3 in no aggregate; lacpOff gives static.
// No fire: without the port table, two attached ports and only the primary
// named: no members.
func TestPortTableMembers(t *testing.T) {
	s, probs := decodeText(t, portTableWalk+portRows)
	l := lag(s, "0/5")
	if l == nil || !slices.Equal(l.Members, []string{"1/1/1", "1/1/2"}) || l.Kind != topology.LAGStatic {
		t.Fatalf("0/5 %+v (problems %q)", l, probs)
	}
	if !contains(l.Evidence, "alclnkaggAggPortAttachedAggID.1001 = 40000005 (1/1/1 in 0/5)") || !contains(l.Evidence, "alclnkaggAggPortSelectedAggID.1002 = 40000005") {
		t.Errorf("evidence %q", l.Evidence)
	}

	s, _ = decodeText(t, portTableWalk)
	if l := lag(s, "0/5"); l == nil || len(l.Members) != 0 || !contains(l.Evidence, "members left unknown") {
		t.Errorf("without the port table: 0/5 %+v", l)
	}
}

// TestStandardWins: where ifStackTable names the members, the vendor
// tables add none (no double count) even when they name another port.
func TestStandardWins(t *testing.T) {
	s, _ := decodeText(t, portTableWalk+portRows+"1.3.6.1.2.1.31.1.2.1.3.40000005.1003|2|1\n")
	if l := lag(s, "0/5"); l == nil || !slices.Equal(l.Members, []string{"1/1/3"}) {
		t.Errorf("0/5 %+v", l)
	}
}

// TestBadRows: rows naming ports or aggregates the walk does not have are
// problems with their line, not members.
func TestBadRows(t *testing.T) {
	s, probs := decodeText(t, portTableWalk+"1.3.6.1.4.1.6486.801.1.2.1.13.1.1.2.1.1.13.1001|2|40000099\n1.3.6.1.4.1.6486.801.1.2.1.13.1.1.2.1.1.13.7777|2|40000005\n")
	if !contains(probs, "alclnkaggAggPortAttachedAggID.1001 = 40000099: not an aggregate") || !contains(probs, "port ifIndex 7777 is not in ifTable") {
		t.Errorf("problems %q", probs)
	}
	if l := lag(s, "0/5"); l == nil || len(l.Members) != 0 {
		t.Errorf("0/5 %+v", l)
	}
}

// TestRecognition: OmniSwitch sysObjectIDs (AOS 6 6486.800…, AOS 7
// 6486.801…) pick the profile; Nokia SR OS (6527, once grouped with it)
// and others do not.
func TestRecognition(t *testing.T) {
	for oid, want := range map[string]bool{
		"1.3.6.1.4.1.6486.800.1.1.2.1.13.1.2": true,
		"1.3.6.1.4.1.6486.801.1.1.2.1.11.1.9": true,
		"1.3.6.1.4.1.6527.1.3":                false,
		"1.3.6.1.4.1.64860.1":                 false,
		"1.3.6.1.4.1.14988.1":                 false,
	} {
		if got := all.Identify(oid, "Alcatel-Lucent").Name == "alcatel-lucent"; got != want {
			t.Errorf("%s: alcatel-lucent %v, want %v", oid, got, want)
		}
	}
}

// FuzzDecode: any walk decoded as an OmniSwitch decodes without panic.
func FuzzDecode(f *testing.F) {
	f.Add(vendortest.Seed(portTableWalk+portRows, 2, 600))
	f.Add(vendortest.Seed(portTableWalk, 2, 400))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, _ := vendortest.Decode(vendortest.FuzzWalk(data, "1.3.6.1.4.1.6486.801.1.1.2.1.11.1.9", ""), "fuzz")
		if s == nil || s.Vendor != "alcatel-lucent" {
			t.Fatalf("not decoded as alcatel-lucent: %+v", s)
		}
	})
}
