package arista_test

import (
	"github.com/bondaudit/bondaudit/internal/fixtures"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/bondaudit/bondaudit/collect/snmp"
	"github.com/bondaudit/bondaudit/internal/vendortest"
	"github.com/bondaudit/bondaudit/topology"
	"github.com/bondaudit/bondaudit/vendors"
	"github.com/bondaudit/bondaudit/vendors/arista"
)

// fixtureDir holds the recorded real-device walks, read in place (never
// copied into the repository); demoDir the generated demo site's walks.
var fixtureDir = fixtures.Path("snmp")

const demoDir = "../../collect/demo/site/switches"

func decodeFile(t *testing.T, path string) (s, std *topology.Switch, problems []string) {
	t.Helper()
	if _, err := os.Stat(path); err != nil {
		t.Skipf("walk %s not present (%v): recordings are read in place", path, err)
	}
	w, errs, err := snmp.ReadWalkFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range errs {
		t.Logf("reading %s: %v", path, e)
	}
	name := strings.TrimSuffix(filepath.Base(path), ".snmprec")
	s, problems = vendortest.Decode(w, name)
	std, _ = vendors.Decode(w, name)
	return s, std, problems
}

// walk builds a walk from snmprec text (OID|type|value lines).
func walk(t testing.TB, rec string) *vendors.Walk { return vendortest.Snmprec(t, rec) }

func decode(t testing.TB, rec string) (*topology.Switch, []string) {
	return vendortest.Decode(vendortest.Snmprec(t, rec), "x")
}

func lag(t testing.TB, s *topology.Switch, name string) *topology.LAG {
	t.Helper()
	l := vendortest.LAG(s, name)
	if l == nil {
		t.Fatalf("no LAG %s in %+v", name, s.LAGs)
	}
	return l
}

var contains = vendortest.Contains

// sameStandardFacts: the decoder marks LAGs but never changes their
// members, nor the neighbours.
func sameStandardFacts(t *testing.T, s, std *topology.Switch) {
	t.Helper()
	if len(s.LAGs) != len(std.LAGs) || len(s.Neighbours) != len(std.Neighbours) {
		t.Fatalf("LAGs %d/%d, neighbours %d/%d (profile/standard)", len(s.LAGs), len(std.LAGs), len(s.Neighbours), len(std.Neighbours))
	}
	for i := range s.LAGs {
		if s.LAGs[i].Name != std.LAGs[i].Name || !slices.Equal(s.LAGs[i].Members, std.LAGs[i].Members) || s.LAGs[i].Kind != std.LAGs[i].Kind {
			t.Errorf("LAG %+v, standard %+v", s.LAGs[i], std.LAGs[i])
		}
	}
}

func noMLAGMarks(t *testing.T, s *topology.Switch, except string) {
	t.Helper()
	for _, l := range s.LAGs {
		if l.MLAGID != 0 || l.MLAG != "" || l.PeerLink && l.Name != except {
			t.Errorf("%s marked MLAG %q id %d peer link %v", l.Name, l.MLAG, l.MLAGID, l.PeerLink)
		}
	}
}

// TestAristaEOS: librenms arista_eos (DCS-7050TX-128, EOS 4.15.3F). The
// recording has no IEEE8023-LAG-MIB rows, no dot1dBaseBridgeAddress and no
// LLDP local chassis ID (grep -c 1.2.840.10006, 1.3.6.1.2.1.17.1.1.0,
// 1.0.8802.1.1.2.1.3.[12].0: 0): nothing to infer MLAG from.
func TestAristaEOS(t *testing.T) {
	s, std, _ := decodeFile(t, filepath.Join(fixtureDir, "librenms__arista_eos.snmprec"))
	if s.Vendor != "arista" {
		t.Fatalf("vendor %q", s.Vendor)
	}
	sameStandardFacts(t, s, std)
	if s.MLAG != nil {
		t.Errorf("MLAG %+v", s.MLAG)
	}
	// Port-Channel1 (ifName line 1304) = Ethernet43 + Ethernet44
	// (ifStackStatus lines 2402-2403), described "\QNAP NAS-Estudio\"
	// (2239): not a peer link.
	l := lag(t, s, "Port-Channel1")
	if !slices.Equal(l.Members, []string{"Ethernet43", "Ethernet44"}) || l.Kind != topology.LAGUnknown {
		t.Errorf("Port-Channel1 %+v", l)
	}
	noMLAGMarks(t, s, "")
}

// TestAristaEOSVRF: librenms arista_eos_vrf (DCS-7150S-24, EOS 4.20.12.1M).
// Port-Channel1 is described "MLAG-SW1-SW2" (ifAlias line 1269) and its
// members Ethernet23/24 (ifStackStatus 1350-1351) both hear switchname3
// (lldpRemSysName 47-48, port descriptions "MLAG-SW1-SW2 #1of2/#2of2",
// 43-44): marked peer link by its description. Port-Channel2 "Uplink"
// (1270) and Port-Channel101 "trunk to switchname2" (1271) are not. No
// IEEE8023-LAG-MIB rows: no system ID, so no Switch.MLAG.
func TestAristaEOSVRF(t *testing.T) {
	s, std, _ := decodeFile(t, filepath.Join(fixtureDir, "librenms__arista_eos_vrf.snmprec"))
	if s.Vendor != "arista" {
		t.Fatalf("vendor %q", s.Vendor)
	}
	sameStandardFacts(t, s, std)
	if s.MLAG != nil {
		t.Errorf("MLAG %+v declared from a description alone", s.MLAG)
	}
	pl := lag(t, s, "Port-Channel1")
	if !pl.PeerLink || !slices.Equal(pl.Members, []string{"Ethernet23", "Ethernet24"}) || !contains(pl.Evidence, `described "MLAG-SW1-SW2"`) {
		t.Errorf("Port-Channel1 %+v", pl)
	}
	noMLAGMarks(t, s, "Port-Channel1")
}

// TestDemoMLAGPair: the generated demo walks (collect/demo/site), read in
// place: leaf1a and leaf1b send LACP system ID 02:1c:73:1a:1b:01 on
// Port-Channel1 and 2 (leaf1a lines 216-217, leaf1b 200-201) and their own
// bridge address elsewhere (leaf1a 218-219 vs 850; leaf1b 202 vs 795);
// Port-Channel1000 is described "MLAG peer-link" (leaf1a 1211, leaf1b
// 1150). leaf2 sends its own address only (224 vs 718).
func TestDemoMLAGPair(t *testing.T) {
	for _, c := range []struct{ name, own string }{{"leaf1a", "44:4c:a8:00:10:00"}, {"leaf1b", "44:4c:a8:00:20:00"}} {
		s, std, problems := decodeFile(t, filepath.Join(demoDir, c.name+".snmprec"))
		sameStandardFacts(t, s, std)
		if len(problems) > 0 {
			t.Errorf("%s problems %q", c.name, problems)
		}
		m := s.MLAG
		if m == nil || m.Kind != "mlag" || m.SystemID != "02:1c:73:1a:1b:01" || m.PeerLink != "Port-Channel1000" || m.PeerLinkUp == nil || !*m.PeerLinkUp || m.Peer != "" {
			t.Fatalf("%s MLAG %+v", c.name, m)
		}
		if !contains(m.Evidence, "not this switch's MAC ("+c.own+")") {
			t.Errorf("%s evidence %q", c.name, m.Evidence)
		}
		for _, name := range []string{"Port-Channel1", "Port-Channel2"} {
			if l := lag(t, s, name); l.MLAGID != 0 || l.MLAG != "02:1c:73:1a:1b:01" || l.PeerLink {
				t.Errorf("%s %s %+v", c.name, name, l)
			}
		}
		if l := lag(t, s, "Port-Channel1000"); !l.PeerLink || l.MLAGID != 0 {
			t.Errorf("%s peer link %+v", c.name, l)
		}
	}
	s, _, _ := decodeFile(t, filepath.Join(demoDir, "leaf2.snmprec"))
	if s.MLAG != nil {
		t.Errorf("leaf2 MLAG %+v", s.MLAG)
	}
	noMLAGMarks(t, s, "")
}

// base is an Arista leaf with bridge address and LLDP chassis
// 44:4c:a8:00:90:00: Ethernet1, 3, 49, 50; Port-Channel1 (Ethernet1),
// Port-Channel3 (Ethernet3), Port-Channel1000 (Ethernet49+50), all LACP.
// Placeholders: SYS1/SYS3 (actor system of Port-Channel1/3), ALIAS1/ALIAS3/
// ALIAS1000, PEERCHASSIS (the LLDP neighbour on Ethernet49/50), OPER1000.
const base = `1.0.8802.1.1.2.1.3.1.0|2|4
1.0.8802.1.1.2.1.3.2.0|4x|444ca8009000
1.0.8802.1.1.2.1.3.7.1.2.49|2|5
1.0.8802.1.1.2.1.3.7.1.2.50|2|5
1.0.8802.1.1.2.1.3.7.1.3.49|4|Ethernet49
1.0.8802.1.1.2.1.3.7.1.3.50|4|Ethernet50
1.0.8802.1.1.2.1.4.1.1.4.0.49.1|2|4
1.0.8802.1.1.2.1.4.1.1.4.0.50.1|2|4
1.0.8802.1.1.2.1.4.1.1.5.0.49.1|4x|PEERCHASSIS
1.0.8802.1.1.2.1.4.1.1.5.0.50.1|4x|PEERCHASSIS
1.0.8802.1.1.2.1.4.1.1.6.0.49.1|2|5
1.0.8802.1.1.2.1.4.1.1.6.0.50.1|2|5
1.0.8802.1.1.2.1.4.1.1.7.0.49.1|4|Ethernet49
1.0.8802.1.1.2.1.4.1.1.7.0.50.1|4|Ethernet50
1.0.8802.1.1.2.1.4.1.1.9.0.49.1|4|leaf10
1.0.8802.1.1.2.1.4.1.1.9.0.50.1|4|leaf10
1.2.840.10006.300.43.1.1.1.1.4.1000001|4xSYS1
1.2.840.10006.300.43.1.1.1.1.4.1000003|4xSYS3
1.2.840.10006.300.43.1.1.1.1.4.1001000|4x|444ca8009000
1.2.840.10006.300.43.1.2.1.1.9.1|4x|b8cef6a10100
1.2.840.10006.300.43.1.2.1.1.9.3|4x|b8cef6a10300
1.2.840.10006.300.43.1.2.1.1.9.49|4x|444ca800a000
1.2.840.10006.300.43.1.2.1.1.9.50|4x|444ca800a000
1.2.840.10006.300.43.1.2.1.1.13.1|2|1000001
1.2.840.10006.300.43.1.2.1.1.13.3|2|1000003
1.2.840.10006.300.43.1.2.1.1.13.49|2|1001000
1.2.840.10006.300.43.1.2.1.1.13.50|2|1001000
1.2.840.10006.300.43.1.2.1.1.21.1|4x|bc
1.2.840.10006.300.43.1.2.1.1.21.3|4x|bc
1.2.840.10006.300.43.1.2.1.1.21.49|4x|bc
1.2.840.10006.300.43.1.2.1.1.21.50|4x|bc
1.3.6.1.2.1.1.1.0|4|Arista Networks EOS version 4.31.2F running on an Arista Networks DCS-7050SX3-48YC8
1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.30065.1.3011.7050.3741.48
1.3.6.1.2.1.1.5.0|4|leaf9
1.3.6.1.2.1.2.2.1.3.1|2|6
1.3.6.1.2.1.2.2.1.3.3|2|6
1.3.6.1.2.1.2.2.1.3.49|2|6
1.3.6.1.2.1.2.2.1.3.50|2|6
1.3.6.1.2.1.2.2.1.3.1000001|2|161
1.3.6.1.2.1.2.2.1.3.1000003|2|161
1.3.6.1.2.1.2.2.1.3.1001000|2|161
1.3.6.1.2.1.2.2.1.8.1|2|1
1.3.6.1.2.1.2.2.1.8.3|2|1
1.3.6.1.2.1.2.2.1.8.49|2|1
1.3.6.1.2.1.2.2.1.8.50|2|1
1.3.6.1.2.1.2.2.1.8.1000001|2|1
1.3.6.1.2.1.2.2.1.8.1000003|2|1
1.3.6.1.2.1.2.2.1.8.1001000|2|OPER1000
1.3.6.1.2.1.17.1.1.0|4x|444ca8009000
1.3.6.1.2.1.31.1.1.1.1.1|4|Ethernet1
1.3.6.1.2.1.31.1.1.1.1.3|4|Ethernet3
1.3.6.1.2.1.31.1.1.1.1.49|4|Ethernet49
1.3.6.1.2.1.31.1.1.1.1.50|4|Ethernet50
1.3.6.1.2.1.31.1.1.1.1.1000001|4|Port-Channel1
1.3.6.1.2.1.31.1.1.1.1.1000003|4|Port-Channel3
1.3.6.1.2.1.31.1.1.1.1.1001000|4|Port-Channel1000
1.3.6.1.2.1.31.1.1.1.18.1000001|4|ALIAS1
1.3.6.1.2.1.31.1.1.1.18.1000003|4|ALIAS3
1.3.6.1.2.1.31.1.1.1.18.1001000|4|ALIAS1000
1.3.6.1.2.1.31.1.2.1.3.1000001.1|2|1
1.3.6.1.2.1.31.1.2.1.3.1000003.3|2|1
1.3.6.1.2.1.31.1.2.1.3.1001000.49|2|1
1.3.6.1.2.1.31.1.2.1.3.1001000.50|2|1
`

const (
	own    = "444ca8009000"
	shared = "021c73aa0001" // locally administered: derived from 00:1c:73:aa:00:01
)

type params struct {
	sys1, sys3, alias1, alias3, alias1000, peerChassis, oper1000 string
}

func (p params) walk() string {
	def := func(v, d string) string {
		if v == "" {
			return d
		}
		return v
	}
	return strings.NewReplacer(
		"|4xSYS1", "|4x|"+def(p.sys1, shared), "|4xSYS3", "|4x|"+def(p.sys3, own),
		"ALIAS1000", p.alias1000, "ALIAS1", p.alias1, "ALIAS3", p.alias3,
		"PEERCHASSIS", def(p.peerChassis, "444ca800a000"), "OPER1000", def(p.oper1000, "1"),
	).Replace(base)
}

func TestSharedSystemIDAndDescribedPeerLink(t *testing.T) {
	s, probs := decode(t, params{alias1000: "MLAG peer-link"}.walk())
	if s.Vendor != "arista" || len(probs) > 0 {
		t.Fatalf("vendor %q problems %q", s.Vendor, probs)
	}
	m := s.MLAG
	if m == nil || m.Kind != "mlag" || m.SystemID != "02:1c:73:aa:00:01" || m.PeerLink != "Port-Channel1000" || m.PeerLinkUp == nil || !*m.PeerLinkUp || m.Peer != "" || m.Domain != "" {
		t.Fatalf("MLAG %+v", m)
	}
	if !contains(m.Evidence, "dot3adAggActorSystemID of Port-Channel1 = 02:1c:73:aa:00:01, which is not this switch's MAC (44:4c:a8:00:90:00)") {
		t.Errorf("evidence %q", m.Evidence)
	}
	if l := lag(t, s, "Port-Channel1"); l.MLAGID != 0 || l.MLAG != "02:1c:73:aa:00:01" || l.PeerLink {
		t.Errorf("Port-Channel1 %+v", l)
	}
	if l := lag(t, s, "Port-Channel3"); l.MLAGID != 0 || l.MLAG != "" || l.PeerLink {
		t.Errorf("Port-Channel3 %+v", l)
	}
	if l := lag(t, s, "Port-Channel1000"); !l.PeerLink || l.MLAGID != 0 || !contains(l.Evidence, `described "MLAG peer-link"`) {
		t.Errorf("Port-Channel1000 %+v", l)
	}
}

func TestPeerLinkDown(t *testing.T) {
	s, _ := decode(t, params{alias1000: "peerlink", oper1000: "7"}.walk())
	if m := s.MLAG; m == nil || m.PeerLinkUp == nil || *m.PeerLinkUp || !contains(m.Evidence, "ifOperStatus lowerLayerDown") {
		t.Errorf("MLAG %+v", m)
	}
}

// TestPeerFromDerivedMAC: the shared ID is 00:1c:73:aa:00:01 with the
// locally administered bit set, and Ethernet49/50 hear chassis
// 00:1c:73:aa:00:01 over LLDP: that neighbour is the MLAG peer, and
// Port-Channel1000 the peer link, with no description at all.
func TestPeerFromDerivedMAC(t *testing.T) {
	s, _ := decode(t, params{peerChassis: "001c73aa0001"}.walk())
	m := s.MLAG
	if m == nil || m.Peer != "leaf10" || m.PeerLink != "Port-Channel1000" || !contains(m.Evidence, "locally administered bit set is the MLAG system ID") {
		t.Fatalf("MLAG %+v", m)
	}
	if !lag(t, s, "Port-Channel1000").PeerLink {
		t.Error("Port-Channel1000 not marked")
	}
}

// TestPrimaryCannotNameItsPeer: the shared ID derives from this switch's
// own MAC (it is the primary): the LLDP neighbours cannot tell the peer.
func TestPrimaryCannotNameItsPeer(t *testing.T) {
	s, _ := decode(t, params{sys1: "464ca8009000", peerChassis: "444ca8009000"}.walk())
	if m := s.MLAG; m == nil || m.SystemID != "46:4c:a8:00:90:00" || m.Peer != "" || m.PeerLink != "" {
		t.Fatalf("MLAG %+v", m)
	}
	noMLAGMarks(t, &topology.Switch{LAGs: []topology.LAG{*lag(t, s, "Port-Channel1000"), *lag(t, s, "Port-Channel3")}}, "")
}

func TestNoMLAG(t *testing.T) {
	for _, c := range []struct {
		name     string
		p        params
		peerLink string
	}{
		{"every LAG sends the switch's own ID", params{sys1: own, alias1000: "Uplink to spine1"}, ""},
		{"a described peer link without a shared ID", params{sys1: own, alias1000: "peer-link"}, "Port-Channel1000"},
	} {
		s, probs := decode(t, c.p.walk())
		if s.MLAG != nil || len(probs) > 0 {
			t.Errorf("%s: MLAG %+v problems %q", c.name, s.MLAG, probs)
		}
		noMLAGMarks(t, s, c.peerLink)
		if c.peerLink != "" && !lag(t, s, c.peerLink).PeerLink {
			t.Errorf("%s: %s not marked", c.name, c.peerLink)
		}
	}
}

func TestAmbiguousSystemIDs(t *testing.T) {
	s, probs := decode(t, params{sys3: "021c73bb0002", alias1000: "MLAG peer-link"}.walk())
	if s.MLAG != nil || !contains(probs, "2 LACP system IDs other than the switch's own MAC (02:1c:73:aa:00:01, 02:1c:73:bb:00:02)") {
		t.Errorf("MLAG %+v problems %q", s.MLAG, probs)
	}
	noMLAGMarks(t, s, "Port-Channel1000")
}

func TestNoOwnMAC(t *testing.T) {
	rec := params{}.walk()
	var keep []string
	for _, l := range strings.Split(rec, "\n") {
		if !strings.HasPrefix(l, "1.3.6.1.2.1.17.1.1.0|") && !strings.HasPrefix(l, "1.0.8802.1.1.2.1.3.") {
			keep = append(keep, l)
		}
	}
	s, probs := decode(t, strings.Join(keep, "\n"))
	if s.MLAG != nil || !contains(probs, "no bridge address (dot1dBaseBridgeAddress) nor LLDP chassis MAC") {
		t.Errorf("MLAG %+v problems %q", s.MLAG, probs)
	}
}

// TestDescriptionChoice: a "peer link" description beats a bare "mlag"
// one; an MLAG interface described "MLAG" is never the peer link; two
// equally good candidates mark none.
func TestDescriptionChoice(t *testing.T) {
	s, _ := decode(t, params{alias1: "web01 MLAG", alias3: "mlag host", alias1000: "Peer Link to leaf10"}.walk())
	if !lag(t, s, "Port-Channel1000").PeerLink || lag(t, s, "Port-Channel3").PeerLink || lag(t, s, "Port-Channel1").PeerLink {
		t.Errorf("LAGs %+v", s.LAGs)
	}
	s, _ = decode(t, params{alias1: "web01 MLAG", alias1000: "to leaf10 (mlag)"}.walk())
	if !lag(t, s, "Port-Channel1000").PeerLink || lag(t, s, "Port-Channel1").PeerLink {
		t.Errorf("LAGs %+v", s.LAGs)
	}
	s, _ = decode(t, params{alias3: "mlag a", alias1000: "mlag b"}.walk())
	if lag(t, s, "Port-Channel1000").PeerLink || lag(t, s, "Port-Channel3").PeerLink || s.MLAG.PeerLink != "" || !contains(s.MLAG.Evidence, "none marked") {
		t.Errorf("LAGs %+v MLAG %+v", s.LAGs, s.MLAG)
	}
}

func TestProfile(t *testing.T) {
	if arista.EOS.Name != "arista" || arista.EOS.Decode == nil || len(arista.EOS.Tested) == 0 {
		t.Errorf("profile %+v", arista.EOS)
	}
}

// FuzzDecode feeds arbitrary snmprec text, made an Arista by its
// sysObjectID, through every decoder.
func FuzzDecode(f *testing.F) {
	for _, p := range []params{{alias1000: "MLAG peer-link"}, {peerChassis: "001c73aa0001"}, {sys3: "021c73bb0002"}, {sys1: own, alias1000: "peer"}} {
		f.Add(vendortest.Seed(p.walk(), 2, 400))
	}
	// A cut of the demo's leaf (the whole walk is a seed the fuzzer would
	// spend its time minimising).
	if b, err := os.ReadFile(filepath.Join(demoDir, "leaf1a.snmprec")); err == nil {
		f.Add(vendortest.Seed(string(b), 1, 600))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, _ := vendortest.Decode(vendortest.FuzzWalk(data, "1.3.6.1.4.1.30065.1.3011.7050.3741.48", ""), "fuzz")
		if s == nil || s.Vendor != "arista" {
			t.Fatalf("decoded as %+v", s)
		}
		peerLinks := 0
		for _, l := range s.LAGs {
			if l.PeerLink {
				peerLinks++
			}
			if l.MLAGID != 0 && (s.MLAG == nil || l.MLAG != s.MLAG.SystemID) {
				t.Fatalf("%s has MLAG ID %d outside an MLAG (%+v)", l.Name, l.MLAGID, s.MLAG)
			}
		}
		if peerLinks > 1 {
			t.Fatalf("%d peer links", peerLinks)
		}
		if s.MLAG != nil && s.MLAG.PeerLink != "" && peerLinks != 1 {
			t.Fatalf("MLAG peer link %s not marked on a LAG", s.MLAG.PeerLink)
		}
	})
}
