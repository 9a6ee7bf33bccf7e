package host

import (
	"encoding/json"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/bondaudit/bondaudit/collect/l2"
	"github.com/bondaudit/bondaudit/topology"
)

// One host, one answer: what lldpd says about a neighbour and what the
// frame decoder hears from it, what ip-link and netlink say about a link,
// end up as the same snapshot fields.

// lldpTLV encodes one LLDP TLV.
func lldpTLV(typ int, value []byte) []byte {
	return append([]byte{byte(typ<<1 | len(value)>>8), byte(len(value))}, value...)
}

// lldpFrame is the LLDPDU a switch port sends: chassis MAC, port ifname
// Ethernet7, system name leaf9, and the extra TLVs.
func lldpFrame(extra ...[]byte) []byte {
	var b []byte
	b = append(b, lldpTLV(1, []byte{4, 0x02, 0x11, 0x22, 0x33, 0x44, 0x55})...)
	b = append(b, lldpTLV(2, append([]byte{5}, "Ethernet7"...))...)
	b = append(b, lldpTLV(3, []byte{0, 120})...)
	b = append(b, lldpTLV(5, []byte("leaf9"))...)
	for _, e := range extra {
		b = append(b, e...)
	}
	return append(b, lldpTLV(0, nil)...)
}

var (
	// 802.1 Port VLAN ID 10 (no VLAN Name TLV)
	tlvPVID10 = lldpTLV(127, []byte{0x00, 0x80, 0xc2, 1, 0, 10})
	// 802.3 link aggregation: capable, not aggregated (what lldpd sends
	// from a port that is not a bond slave)
	tlvLANotEnabled = lldpTLV(127, []byte{0x00, 0x12, 0x0f, 3, 1, 0, 0, 0, 0})
	// 802.1 VLAN Name 20 "storage"
	tlvVLAN20 = lldpTLV(127, append([]byte{0x00, 0x80, 0xc2, 3, 0, 20, 7}, "storage"...))
)

// heard decodes payload as the listener and a pcap do.
func heard(t *testing.T, nic string, payload []byte) topology.Neighbour {
	t.Helper()
	n, err := l2.DecodeLLDP(payload)
	if err != nil {
		t.Fatal(err)
	}
	nbs, _ := FramesToNeighbours([]l2.Frame{{Interface: nic, Kind: topology.ProtoLLDP, Neighbour: n}}, nil, []topology.NIC{{Name: nic}})
	if len(nbs) != 1 {
		t.Fatalf("heard %d neighbours", len(nbs))
	}
	return nbs[0]
}

// lldpdSays parses what lldpcli prints about the same neighbour.
func lldpdSays(t *testing.T, format, out string) topology.Neighbour {
	t.Helper()
	nbs, err := ParseLLDP([]byte(out), "lldpcli -f "+format)
	if err != nil || len(nbs) != 1 {
		t.Fatalf("%s: %v, %d neighbours", format, err, len(nbs))
	}
	return nbs[0]
}

// sameNeighbour compares two neighbours field by field, Source aside.
func sameNeighbour(t *testing.T, what string, a, b topology.Neighbour) {
	t.Helper()
	a.Source, b.Source = "", ""
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	if string(ja) != string(jb) {
		t.Errorf("%s: lldpd and the wire disagree:\n lldpd %s\n wire  %s", what, ja, jb)
	}
}

// TestLLDPDAndWireAgreeOnPVID: a switch port that sends its PVID (10) and
// no VLAN Name TLV for it. lldpd prints that PVID as a VLAN entry of its
// own (no name); the frame decoder reads a PVID and no VLAN list. Both are
// now PVID 10 and no VLANs: the VLAN list is the VLANs the switch named.
// A named VLAN (20) stays a VLAN either way.
func TestLLDPDAndWireAgreeOnPVID(t *testing.T) {
	wire := heard(t, "eth0", lldpFrame(tlvPVID10, tlvVLAN20))
	if wire.PVID != 10 || len(wire.VLANs) != 1 || wire.VLANs[0] != 20 {
		t.Fatalf("wire: PVID %d VLANs %v", wire.PVID, wire.VLANs)
	}
	// lldpd 1.0's output for that neighbour, in each format bondaudit reads.
	for format, out := range map[string]string{
		"json0": `{"lldp":[{"interface":[{"name":"eth0","via":"LLDP","rid":"1","age":"0 day, 00:00:09",
			"chassis":[{"id":[{"type":"mac","value":"02:11:22:33:44:55"}],"name":[{"value":"leaf9"}]}],
			"port":[{"id":[{"type":"ifname","value":"Ethernet7"}],"ttl":[{"value":"120"}]}],
			"vlan":[{"vlan-id":"20","pvid":false,"value":"storage"},{"vlan-id":"10","pvid":true}]}]}]}`,
		"json": `{"lldp":{"interface":{"eth0":{"via":"LLDP","rid":"1","age":"0 day, 00:00:09",
			"chassis":{"leaf9":{"id":{"type":"mac","value":"02:11:22:33:44:55"}}},
			"port":{"id":{"type":"ifname","value":"Ethernet7"},"ttl":"120"},
			"vlan":[{"vlan-id":"20","pvid":false,"value":"storage"},{"vlan-id":"10","pvid":true}]}}}}`,
		"keyvalue": "lldp.eth0.via=LLDP\nlldp.eth0.chassis.mac=02:11:22:33:44:55\nlldp.eth0.chassis.name=leaf9\n" +
			"lldp.eth0.port.ifname=Ethernet7\nlldp.eth0.port.ttl=120\n" +
			"lldp.eth0.vlan.vlan-id=20\nlldp.eth0.vlan.pvid=no\nlldp.eth0.vlan=storage\n" +
			"lldp.eth0.vlan.vlan-id=10\nlldp.eth0.vlan.pvid=yes\n",
		"text": "-------------------------------------------------------------------------------\nLLDP neighbors:\n" +
			"-------------------------------------------------------------------------------\n" +
			"Interface:    eth0, via: LLDP, RID: 1, Time: 0 day, 00:00:09\n  Chassis:\n    ChassisID:    mac 02:11:22:33:44:55\n    SysName:      leaf9\n" +
			"  Port:\n    PortID:       ifname Ethernet7\n    TTL:          120\n" +
			"  VLAN:         20, pvid: no storage\n  VLAN:         10, pvid: yes\n",
	} {
		sameNeighbour(t, format, lldpdSays(t, format, out), wire)
	}
}

// TestLLDPDAndWireAgreeOnLinkAggregation: lldpd sends "aggregation
// capable, not aggregated" from every port that is not a bond slave and
// shows the TLV only when the port is aggregated. Heard on the wire, the
// not-aggregated TLV is dropped as lldpd drops it; an aggregated one is
// kept by both.
func TestLLDPDAndWireAgreeOnLinkAggregation(t *testing.T) {
	wire := heard(t, "eth0", lldpFrame(tlvLANotEnabled))
	lldpd := lldpdSays(t, "json0", `{"lldp":[{"interface":[{"name":"eth0","via":"LLDP",
		"chassis":[{"id":[{"type":"mac","value":"02:11:22:33:44:55"}],"name":[{"value":"leaf9"}]}],
		"port":[{"id":[{"type":"ifname","value":"Ethernet7"}]}]}]}]}`)
	if wire.LinkAgg != nil {
		t.Errorf("wire keeps a not-aggregated TLV: %+v", wire.LinkAgg)
	}
	sameNeighbour(t, "not aggregated", lldpd, wire)

	agg := lldpTLV(127, []byte{0x00, 0x12, 0x0f, 3, 3, 0, 0, 0x01, 0xf5}) // aggregated, port 501
	wire = heard(t, "eth0", lldpFrame(agg))
	lldpd = lldpdSays(t, "json0", `{"lldp":[{"interface":[{"name":"eth0","via":"LLDP",
		"chassis":[{"id":[{"type":"mac","value":"02:11:22:33:44:55"}],"name":[{"value":"leaf9"}]}],
		"port":[{"id":[{"type":"ifname","value":"Ethernet7"}],"aggregation":[{"value":"501"}]}]}]}]}`)
	if wire.LinkAgg == nil || !wire.LinkAgg.Enabled || wire.LinkAgg.PortID != 501 {
		t.Errorf("wire: aggregated TLV read as %+v", wire.LinkAgg)
	}
	sameNeighbour(t, "aggregated", lldpd, wire)
}

// TestMergeNeighboursEitherOrder: lldpd's neighbour and the same one heard
// on the wire are one neighbour whichever list comes first, and heard
// LACPDUs from two actors on one NIC stay two.
func TestMergeNeighboursEitherOrder(t *testing.T) {
	wire := heard(t, "eth0", lldpFrame(tlvPVID10))
	lldpd := lldpdSays(t, "json0", `{"lldp":[{"interface":[{"name":"eth0","via":"LLDP",
		"chassis":[{"id":[{"type":"mac","value":"02:11:22:33:44:55"}],"name":[{"value":"leaf9"}],"descr":[{"value":"EOS"}]}],
		"port":[{"id":[{"type":"ifname","value":"Ethernet7"}]}],"vlan":[{"vlan-id":"10","pvid":true}]}]}]}`)
	lacp := func(sys string) topology.Neighbour {
		return topology.Neighbour{LocalPort: "eth0", Protocol: topology.ProtoLACP, LACP: &topology.LACPPort{System: sys, Key: 9, Port: 7}}
	}
	heardAll := []topology.Neighbour{wire, lacp("02:00:00:00:00:0a"), lacp("02:00:00:00:00:0b")}
	for name, got := range map[string][]topology.Neighbour{
		"lldpd first": mergeNeighbours([]topology.Neighbour{lldpd}, heardAll),
		"heard first": mergeNeighbours(heardAll, []topology.Neighbour{lldpd}),
	} {
		if len(got) != 3 {
			t.Errorf("%s: %d neighbours, want 3 (one LLDP, two LACP): %+v", name, len(got), got)
			continue
		}
		for _, n := range got {
			if n.Protocol == topology.ProtoLLDP && n.SystemDescr != "EOS" {
				t.Errorf("%s: merged neighbour lacks what only lldpd said: %+v", name, n)
			}
		}
	}
}

// TestARPValidateOneSpelling: validation off is "" from ip-link's JSON
// (null), from "none" and from /proc/net/bonding alike.
func TestARPValidateOneSpelling(t *testing.T) {
	for in, want := range map[string]string{"": "", "none": "", "None": "", "0": "", "active": "active", "FILTER_BACKUP": "filter_backup"} {
		if got := canonARPValidate(in); got != want {
			t.Errorf("canonARPValidate(%q) = %q, want %q", in, got, want)
		}
	}
	js := `[{"ifindex":5,"ifname":"bond0","flags":[],"mtu":1500,"operstate":"UP","link_type":"ether","address":"02:00:00:00:00:05",
		"linkinfo":{"info_kind":"bond","info_data":{"mode":"active-backup","miimon":0,"arp_interval":100,"arp_ip_target":["10.0.0.1"],"arp_validate":null}}},
		{"ifindex":6,"ifname":"bond1","flags":[],"mtu":1500,"operstate":"UP","link_type":"ether","address":"02:00:00:00:00:06",
		"linkinfo":{"info_kind":"bond","info_data":{"mode":"active-backup","miimon":0,"arp_interval":100,"arp_ip_target":["10.0.0.1"],"arp_validate":"none"}}}]`
	l, err := ParseIPLinkJSON([]byte(js), "ip-link.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range l.Bonds {
		if b.ARPValidate != "" {
			t.Errorf("%s: arp_validate %q, want \"\"", b.Name, b.ARPValidate)
		}
	}
}

// TestCaptureReadsVirtualNICs: a veth (and a dummy) in ip-link.json is a
// NIC with its MAC, MTU and state, as netlink lists it live; bonds,
// bridges, VLAN interfaces and teams keep their own places.
func TestCaptureReadsVirtualNICs(t *testing.T) {
	js := `[
 {"ifindex":1,"ifname":"lo","flags":["LOOPBACK"],"mtu":65536,"operstate":"UNKNOWN","link_type":"loopback","address":"00:00:00:00:00:00"},
 {"ifindex":2,"ifname":"veth0","link_index":3,"flags":[],"mtu":9000,"master":"br0","operstate":"LOWERLAYERDOWN","link_type":"ether","address":"42:00:00:00:00:02",
  "linkinfo":{"info_kind":"veth","info_slave_kind":"bridge"}},
 {"ifindex":4,"ifname":"dummy0","flags":[],"mtu":1500,"operstate":"UNKNOWN","link_type":"ether","address":"42:00:00:00:00:04","linkinfo":{"info_kind":"dummy"}},
 {"ifindex":5,"ifname":"br0","flags":[],"mtu":1500,"operstate":"UP","link_type":"ether","address":"42:00:00:00:00:05","linkinfo":{"info_kind":"bridge","info_data":{}}},
 {"ifindex":6,"ifname":"br0.10","link":"br0","flags":[],"mtu":1500,"operstate":"UP","link_type":"ether","address":"42:00:00:00:00:05","linkinfo":{"info_kind":"vlan","info_data":{"protocol":"802.1Q","id":10}}},
 {"ifindex":7,"ifname":"team0","flags":[],"mtu":1500,"operstate":"UP","link_type":"ether","address":"42:00:00:00:00:07","linkinfo":{"info_kind":"team"}}
]`
	fsys := fstest.MapFS{"h/ip-link.json": {Data: []byte(js)}, "h/hostname": {Data: []byte("h\n")}}
	h, _, err := ReadCaptureFS(fsys, "h")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, n := range h.NICs {
		names = append(names, n.Name)
	}
	if strings.Join(names, " ") != "dummy0 veth0" {
		t.Fatalf("NICs %v, want dummy0 veth0", names)
	}
	v := h.NICs[1]
	if v.MAC != "42:00:00:00:00:02" || v.PermMAC != "42:00:00:00:00:02" || v.MTU != 9000 || v.State != topology.ParseLinkState("lower-layer-down") || v.Master != "br0" {
		t.Errorf("veth0: %+v", v)
	}
	if len(h.Bridges) != 1 || strings.Join(h.Bridges[0].Ports, " ") != "br0.10 veth0" && strings.Join(h.Bridges[0].Ports, " ") != "veth0" {
		t.Errorf("bridges %+v", h.Bridges)
	}
	if len(h.VLANs) != 1 || h.VLANs[0].Name != "br0.10" {
		t.Errorf("VLANs %+v", h.VLANs)
	}
}
