package aruba_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/bondaudit/bondaudit/topology"
)

// cxPeer is the other switch of the arubaos-cx_8360 recording's VSX pair,
// hand-written in that recording's layout: the same model (sysDescr,
// sysObjectID), 1/1/1, 1/1/2 and lag1 (769, no ifStackTable members) as in
// its ifTable, lldpLocPortTable with port IDs only (1/1/1, 1/1/2, and mgmt
// under 4000, which IF-MIB does not list), and as its LLDP chassis ID
// ec:67:94:50:4d:00, the chassis the recording hears on 1/1/1, 1/1/2
// (port descriptions ISL-lag1-1, -2) and mgmt. vsx: its
// arubaWiredVsxIslOperState.0 row ("" for none: a switch in no VSX pair).
func cxPeer(vsxState string) string {
	rec := `1.3.6.1.2.1.1.1.0|4|Aruba JL721C 8360-12C v2 Switch LL.10.13.1040
1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.47196.4.1.1.1.424
1.3.6.1.2.1.2.2.1.3.1|2|6
1.3.6.1.2.1.2.2.1.3.2|2|6
1.3.6.1.2.1.2.2.1.3.769|2|161
1.3.6.1.2.1.2.2.1.8.1|2|1
1.3.6.1.2.1.2.2.1.8.2|2|1
1.3.6.1.2.1.2.2.1.8.769|2|1
1.3.6.1.2.1.31.1.1.1.1.1|4|1/1/1
1.3.6.1.2.1.31.1.1.1.1.2|4|1/1/2
1.3.6.1.2.1.31.1.1.1.1.769|4|lag1
1.0.8802.1.1.2.1.3.1.0|2|4
1.0.8802.1.1.2.1.3.2.0|4x|EC6794504D00
1.0.8802.1.1.2.1.3.7.1.3.1|4|1/1/1
1.0.8802.1.1.2.1.3.7.1.3.2|4|1/1/2
1.0.8802.1.1.2.1.3.7.1.3.4000|4|mgmt
`
	if vsxState != "" {
		rec += vsx + "2.1.1.0|2|" + vsxState + "\n"
	}
	return rec
}

// vsxSite builds the real arubaos-cx_8360 recording (as cx-8360) with
// the hand-written peer (as cx-b), when given.
func vsxSite(t *testing.T, peer string) *topology.Model {
	t.Helper()
	sws := []*topology.Switch{}
	a, _ := recording(t, "arubaos-cx_8360")
	a.Name = "cx-8360"
	sws = append(sws, a)
	if peer != "" {
		b, _ := decodeText(t, peer)
		b.Name = "cx-b"
		sws = append(sws, b)
	}
	m, err := topology.Build(nil, sws, topology.BuildOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestVSXPeerSeenOnlyOverLLDP: the arubaos-cx_8360 recording says only
// that VSX runs (ISL in sync) and hears chassis ec:67:94:50:4d:00 on 1/1/1,
// 1/1/2 and its mgmt port. With that chassis in the site, declaring VSX
// too, the two are one VSX domain by the keepalive link (mgmt to mgmt,
// mgmt kept as a port IF-MIB does not list), the ISL rows are uplinks on
// the real ports 1/1/1 and 1/1/2, nothing is an uplink or a host link on
// mgmt, and the domain's peer link state is the MIBs' (down when the
// peer's ISL is out of sync: what switch.mlag-peer-link-down reads).
func TestVSXPeerSeenOnlyOverLLDP(t *testing.T) {
	m := vsxSite(t, cxPeer("3"))
	if len(m.Domains) != 1 {
		t.Fatalf("domains %+v", m.Domains)
	}
	d := m.Domains[0]
	if d.Kind != "vsx" || !slices.Equal(d.Switches, []string{"cx-8360", "cx-b"}) || d.PeerLinkUp == nil || !*d.PeerLinkUp {
		t.Errorf("domain %+v", d)
	}
	want := "cx-8360 hears cx-b over LLDP on its management port mgmt (not in IF-MIB) from cx-b's management port mgmt, and both declare vsx: taken as the vsx keepalive link"
	if !slices.Contains(d.Evidence, want) {
		t.Errorf("evidence %q, want %q", d.Evidence, want)
	}
	var up []string
	for _, u := range m.Uplinks {
		up = append(up, u.A+" "+u.APort+" - "+u.B+" "+u.BPort)
	}
	if !slices.Equal(up, []string{"cx-8360 1/1/1 - cx-b 1/1/1", "cx-8360 1/1/2 - cx-b 1/1/2"}) {
		t.Errorf("uplinks %q, want the ISL on 1/1/1 and 1/1/2 only", up)
	}
	if len(m.Links) != 0 {
		t.Errorf("links %+v", m.Links)
	}
	if m := vsxSite(t, cxPeer("2")); len(m.Domains) != 1 || m.Domains[0].PeerLinkUp == nil || *m.Domains[0].PeerLinkUp {
		t.Errorf("peer's ISL outSync: domains %+v, want one with the peer link down", m.Domains)
	}
}

// TestVSXMgmtNeighbourNoPeer: the same recording with the chassis it hears
// on mgmt in the site but in no VSX pair, or not in the site at all: no
// domain, and the mgmt neighbour is neither an uplink nor a host link.
func TestVSXMgmtNeighbourNoPeer(t *testing.T) {
	for name, peer := range map[string]string{"peer declares no VSX": cxPeer(""), "peer not in the site": ""} {
		m := vsxSite(t, peer)
		if len(m.Domains) != 0 {
			t.Errorf("%s: domains %+v", name, m.Domains[0])
		}
		for _, u := range m.Uplinks {
			if strings.Contains(u.APort+u.BPort, "mgmt") {
				t.Errorf("%s: uplink %+v on mgmt", name, u)
			}
		}
		if len(m.Links) != 0 {
			t.Errorf("%s: links %+v", name, m.Links)
		}
	}
}
