package l2_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/mdlayher/lldp"

	"github.com/bondaudit/bondaudit/collect/l2"
	"github.com/bondaudit/bondaudit/topology"
)

// Hand-built LLDP TLVs.

func tlv(typ uint8, val ...byte) []byte {
	h := uint16(typ)<<9 | uint16(len(val))
	return append([]byte{byte(h >> 8), byte(h)}, val...)
}

func cat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

func str(sub byte, s string) []byte { return append([]byte{sub}, s...) }

func org(oui uint32, sub byte, body ...byte) []byte {
	return tlv(127, append([]byte{byte(oui >> 16), byte(oui >> 8), byte(oui), sub}, body...)...)
}

func be16(v int) []byte { return binary.BigEndian.AppendUint16(nil, uint16(v)) }
func be32(v int) []byte { return binary.BigEndian.AppendUint32(nil, uint32(v)) }

const (
	oui8021 = 0x0080c2
	oui8023 = 0x00120f
)

var (
	chassisMAC = tlv(1, 4, 0x00, 0x1c, 0x73, 0xAB, 0xCD, 0xEF)
	portName   = tlv(2, str(5, "Ethernet1/7")...)
	ttl120     = tlv(3, 0, 120)
	endTLV     = tlv(0)
	// 802.3 form (subtype 3): aggregation capable, not aggregated, port 0.
	lag8023 = org(oui8023, 3, cat([]byte{0x01}, be32(0))...)
	// 802.1 form (subtype 7): capable and aggregated into ifIndex 1007.
	lag8021 = org(oui8021, 7, cat([]byte{0x03}, be32(1007))...)
)

// leafLLDP is a switch port's LLDPDU with every TLV we decode and some we
// skip; rest goes between the mandatory TLVs and the End TLV.
func leafLLDP(rest ...[]byte) []byte {
	return cat(chassisMAC, portName, ttl120,
		tlv(4, []byte("to web01 eth0")...),
		tlv(5, []byte("leaf1")...),
		tlv(6, []byte("Arista Networks EOS version 4.28")...),
		tlv(7, 0, 0x14, 0, 0x14), // capabilities: skipped
		tlv(8, cat([]byte{5, 1, 192, 0, 2, 1}, []byte{2}, be32(999), []byte{0})...),
		tlv(8, cat([]byte{7, 6, 0x00, 0x1c, 0x73, 0xab, 0xcd, 0xef}, []byte{1}, be32(0), []byte{1, 0x2b})...),
		org(oui8021, 1, be16(100)...),
		org(oui8021, 3, cat(be16(100), []byte{4}, []byte("prod"))...),
		org(oui8021, 3, cat(be16(20), []byte{4}, []byte("mgmt"))...),
		org(oui8023, 1, 0x03, 0x6c, 0x01, 0x00, 0x1e), // MAC/PHY: skipped
		org(oui8023, 4, be16(9214)...),
		org(0x00005e, 1, []byte("https://example.com/mud")...), // IANA MUD URL: skipped
		tlv(9, 1, 2, 3), // reserved type: skipped
		cat(rest...),
		endTLV)
}

func leafNeighbour(la *topology.LinkAgg) *topology.Neighbour {
	return &topology.Neighbour{Protocol: "lldp", ChassisIDSubtype: "mac", ChassisID: "00:1c:73:ab:cd:ef",
		PortIDSubtype: "ifname", PortID: "Ethernet1/7", PortDescr: "to web01 eth0", SystemName: "leaf1",
		SystemDescr: "Arista Networks EOS version 4.28", MgmtAddrs: []string{"192.0.2.1", "00:1c:73:ab:cd:ef"},
		PVID: 100, VLANs: []int{20, 100}, MaxFrameSize: 9214, LinkAgg: la}
}

// TestDecodeLLDPLinkAgg: both encodings of the link-aggregation TLV decode;
// with both in one frame the 802.1 form wins, whatever the order.
func TestDecodeLLDPLinkAgg(t *testing.T) {
	both := &topology.LinkAgg{Capable: true, Enabled: true, PortID: 1007}
	for _, c := range []struct {
		name string
		tlvs [][]byte
		want *topology.LinkAgg
	}{
		{"none", nil, nil},
		{"802.3 only", [][]byte{lag8023}, &topology.LinkAgg{Capable: true}},
		{"802.1 only", [][]byte{lag8021}, both},
		{"802.3 then 802.1", [][]byte{lag8023, lag8021}, both},
		{"802.1 then 802.3", [][]byte{lag8021, lag8023}, both},
	} {
		t.Run(c.name, func(t *testing.T) {
			n, err := l2.DecodeLLDP(leafLLDP(c.tlvs...))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(leafNeighbour(c.want), n); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// TestDecodeLLDPPadding: whatever follows the End TLV (Ethernet padding,
// a trailer) is ignored, and a frame without the End TLV (optional since
// 802.1AB-2016) decodes too.
func TestDecodeLLDPPadding(t *testing.T) {
	du := leafLLDP(lag8021)
	noEnd := du[:len(du)-2]
	want := leafNeighbour(&topology.LinkAgg{Capable: true, Enabled: true, PortID: 1007})
	garbage := bytes.Repeat([]byte{0xff}, 24)
	for name, b := range map[string][]byte{
		"exact":                    du,
		"zero padding":             cat(du, make([]byte, 40)),
		"garbage after End":        cat(du, garbage),
		"no End TLV":               noEnd,
		"no End TLV, zero padding": cat(noEnd, make([]byte, 40)),
	} {
		t.Run(name, func(t *testing.T) {
			n, err := l2.DecodeLLDP(b)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, n); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
	// The trap this avoids: mdlayher/lldp alone reads past the End TLV.
	var f lldp.Frame
	if err := f.UnmarshalBinary(cat(du, garbage)); err == nil {
		t.Error("mdlayher/lldp accepted a frame with bytes after the End TLV; the cut may no longer be needed")
	}
}

// TestDecodeLLDPSubtypes: chassis and port ID subtypes map to topology's.
func TestDecodeLLDPSubtypes(t *testing.T) {
	for _, c := range []struct {
		chassis, port            []byte
		chSub, chID, ptSub, ptID string
	}{
		{str(1, "FOC1234"), str(1, "Uplink to S1"), topology.IDChassisComponent, "FOC1234", topology.IDIfAlias, "Uplink to S1"},
		{str(2, "mgmt0"), str(2, "slot1"), topology.IDIfAlias, "mgmt0", topology.IDPortComponent, "slot1"},
		{str(3, "lc1"), []byte{3, 0x52, 0x54, 0x00, 0xAA, 0xBB, 0xCC}, topology.IDPortComponent, "lc1", topology.IDMAC, "52:54:00:aa:bb:cc"},
		{[]byte{5, 1, 198, 51, 100, 7}, []byte{4, 2, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1},
			topology.IDNetwork, "198.51.100.7", topology.IDNetwork, "2001:db8::1"},
		{str(6, "eth0"), str(5, "swp1"), topology.IDIfName, "eth0", topology.IDIfName, "swp1"},
		{str(7, "sw-7"), str(6, "circuit-9"), topology.IDLocal, "sw-7", topology.IDAgentCircuit, "circuit-9"},
		{str(4, "\x00\x1c\x73\x01\x02\x03"), str(7, "Fa0/13"), topology.IDMAC, "00:1c:73:01:02:03", topology.IDLocal, "Fa0/13"},
	} {
		n, err := l2.DecodeLLDP(cat(tlv(1, c.chassis...), tlv(2, c.port...), ttl120, endTLV))
		if err != nil {
			t.Errorf("%s/%s: %v", c.chSub, c.ptSub, err)
			continue
		}
		got := []string{n.ChassisIDSubtype, n.ChassisID, n.PortIDSubtype, n.PortID}
		if diff := cmp.Diff([]string{c.chSub, c.chID, c.ptSub, c.ptID}, got); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
	}
}

// TestDecodeLLDPErrors: a malformed TLV is an error naming it and its
// offset; missing mandatory TLVs wrap ErrMissingMandatory.
func TestDecodeLLDPErrors(t *testing.T) {
	mand := cat(chassisMAC, portName, ttl120)
	off := len(mand) // offset of the first optional TLV
	for _, c := range []struct {
		name    string
		b       []byte
		tlv     string
		offset  int
		reason  string
		wrapped error
	}{
		{"truncated System Name", cat(mand, tlv(4, []byte("eth0")...), []byte{5<<1 | 0, 20}, []byte("leaf1")),
			"System Name (5)", off + 6, "length 20 exceeds the 5 bytes left", io.ErrUnexpectedEOF},
		{"half a TLV header", cat(mand, []byte{0x08}), "header", off, "1 byte left", io.ErrUnexpectedEOF},
		{"TTL of 3 bytes", cat(chassisMAC, portName, tlv(3, 0, 0, 120), endTLV), "Time To Live (3)", len(chassisMAC) + len(portName), "length 3, want 2", nil},
		{"empty chassis ID", cat(tlv(1, 4), portName, ttl120, endTLV), "Chassis ID (1)", 0, "length 1", nil},
		{"reserved chassis subtype", cat(tlv(1, str(0, "x")...), portName, ttl120, endTLV), "Chassis ID (1)", 0, "reserved subtype 0", nil},
		{"reserved port subtype", cat(chassisMAC, tlv(2, str(9, "x")...), ttl120, endTLV), "Port ID (2)", len(chassisMAC), "reserved subtype 9", nil},
		{"short 802.1 link aggregation", cat(mand, org(oui8021, 7, 0x03, 0, 0, 0), endTLV),
			"802.1 Link Aggregation (127, 00-80-c2/7)", off, "length 8, want 9", nil},
		{"long 802.3 link aggregation", cat(mand, org(oui8023, 3, 0x03, 0, 0, 0, 1, 0), endTLV),
			"802.3 Link Aggregation (127, 00-12-0f/3)", off, "length 10, want 9", nil},
		{"short max frame size", cat(mand, org(oui8023, 4, 0x05), endTLV),
			"802.3 Maximum Frame Size (127, 00-12-0f/4)", off, "length 5, want 6", nil},
		{"short PVID", cat(mand, org(oui8021, 1), endTLV), "802.1 Port VLAN ID (127, 00-80-c2/1)", off, "length 4, want 6", nil},
		{"VLAN name longer than its TLV", cat(mand, org(oui8021, 3, 0, 10, 9, 'a'), endTLV),
			"802.1 VLAN Name (127, 00-80-c2/3)", off, "VLAN name length 9 does not fit", nil},
		{"org TLV without subtype", cat(mand, tlv(127, 0x00, 0x80), endTLV), "Organizationally Specific (127)", off, "length 2, want at least 4", nil},
		{"management address too long", cat(mand, tlv(8, cat([]byte{40, 1, 10, 0, 0, 1}, []byte{2}, be32(1), []byte{0})...), endTLV),
			"Management Address (8)", off, "string length 40, want 2..32", nil},
		{"management IPv4 of 5 bytes", cat(mand, tlv(8, cat([]byte{6, 1, 10, 0, 0, 1, 1}, []byte{2}, be32(1), []byte{0})...), endTLV),
			"Management Address (8)", off, "address family 1 with 5 address bytes", nil},
		{"management OID past the TLV", cat(mand, tlv(8, cat([]byte{5, 1, 10, 0, 0, 1}, []byte{2}, be32(1), []byte{3, 1})...), endTLV),
			"Management Address (8)", off, "OID length 3 does not fit", nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			n, err := l2.DecodeLLDP(c.b)
			var te *l2.TLVError
			if !errors.As(err, &te) {
				t.Fatalf("got %+v, %v; want a *TLVError", n, err)
			}
			if n != nil || te.Protocol != "lldp" || te.TLV != c.tlv || te.Offset != c.offset || !strings.Contains(err.Error(), c.reason) {
				t.Errorf("got %q (TLV %q offset %d), want TLV %q at offset %d: %q", err, te.TLV, te.Offset, c.tlv, c.offset, c.reason)
			}
			if c.wrapped != nil && !errors.Is(err, c.wrapped) {
				t.Errorf("%v does not wrap %v", err, c.wrapped)
			}
		})
	}

	for name, c := range map[string]struct {
		b    []byte
		msg  string
		want *topology.Neighbour
	}{
		"empty":            {nil, "ends after 0 TLVs, want Chassis ID (1) next", &topology.Neighbour{Protocol: "lldp"}},
		"only End":         {endTLV, "ends after 0 TLVs", &topology.Neighbour{Protocol: "lldp"}},
		"no TTL":           {cat(chassisMAC, portName, tlv(5, []byte("sw")...), endTLV), "TLV 3 is System Name (5) at offset 23, want Time To Live (3)", &topology.Neighbour{Protocol: "lldp", SystemName: "sw"}},
		"port ID first":    {cat(portName, chassisMAC, ttl120, endTLV), "TLV 1 is Port ID (2) at offset 0, want Chassis ID (1)", &topology.Neighbour{Protocol: "lldp"}},
		"only a LAG TLV":   {lag8021, "TLV 1 is Organizationally Specific (127) at offset 0", &topology.Neighbour{Protocol: "lldp", LinkAgg: &topology.LinkAgg{Capable: true, Enabled: true, PortID: 1007}}},
		"only a PVID TLV+": {cat(org(oui8021, 1, be16(7)...), endTLV, []byte{0xff}), "TLV 1 is Organizationally Specific (127)", &topology.Neighbour{Protocol: "lldp", PVID: 7}},
	} {
		t.Run(name, func(t *testing.T) {
			n, err := l2.DecodeLLDP(c.b)
			if !errors.Is(err, l2.ErrMissingMandatory) || !strings.Contains(err.Error(), c.msg) {
				t.Fatalf("error %v, want ErrMissingMandatory with %q", err, c.msg)
			}
			if diff := cmp.Diff(c.want, n); diff != "" {
				t.Errorf("partial neighbour (-want +got):\n%s", diff)
			}
		})
	}
}

// Hand-built LACPDUs (802.1AX 6.4.2: 110 bytes from the subtype on).

func lacpInfo(typ byte, prio int, sys []byte, key, pprio, port int, state byte) []byte {
	return cat([]byte{typ, 20}, be16(prio), sys, be16(key), be16(pprio), be16(port), []byte{state, 0, 0, 0})
}

func lacpdu(version byte, actor, partner []byte) []byte {
	b := cat([]byte{1, version}, actor, partner, []byte{3, 16}, be16(0), make([]byte, 12), []byte{0, 0}, make([]byte, 50))
	return b
}

var (
	hostSys   = []byte{0x52, 0x54, 0x00, 0x12, 0x34, 0x56}
	switchSys = []byte{0x00, 0x1C, 0x73, 0x00, 0x00, 0x99}
	hostPDU   = lacpdu(1, lacpInfo(1, 65535, hostSys, 15, 255, 1, 0x3f), lacpInfo(2, 32768, switchSys, 1007, 32768, 7, 0x3d))
)

func TestDecodeLACPDU(t *testing.T) {
	if len(hostPDU) != 110 {
		t.Fatalf("test LACPDU is %d bytes", len(hostPDU))
	}
	a, p, err := l2.DecodeLACPDU(hostPDU)
	if err != nil {
		t.Fatal(err)
	}
	wantA := &topology.LACPPort{SystemPriority: 65535, System: "52:54:00:12:34:56", Key: 15, PortPriority: 255, Port: 1, State: 0x3f, StateKnown: true}
	wantP := &topology.LACPPort{SystemPriority: 32768, System: "00:1c:73:00:00:99", Key: 1007, PortPriority: 32768, Port: 7, State: 0x3d, StateKnown: true}
	if diff := cmp.Diff([]*topology.LACPPort{wantA, wantP}, []*topology.LACPPort{a, p}); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	// Later versions are read as version 1, as 802.1AX asks.
	v2 := bytes.Clone(hostPDU)
	v2[1] = 2
	if a2, _, err := l2.DecodeLACPDU(v2); err != nil || !cmp.Equal(a2, wantA) {
		t.Errorf("version 2: %+v, %v", a2, err)
	}
	// Only the actor and partner TLVs are needed.
	if _, _, err := l2.DecodeLACPDU(hostPDU[:42]); err != nil {
		t.Errorf("42 bytes: %v", err)
	}
}

func TestDecodeLACPDUErrors(t *testing.T) {
	marker := cat([]byte{2, 1, 1, 16}, be16(1), hostSys, be32(7), []byte{0, 0}, []byte{0, 0}, make([]byte, 90))
	wrongPartner := bytes.Clone(hostPDU)
	wrongPartner[22] = 3
	for _, c := range []struct {
		name string
		b    []byte
		msg  string
		is   error
		tlv  string
		off  int
	}{
		{"marker PDU", marker, "slow-protocols subtype 2 (Marker)", l2.ErrNotLACPDU, "", 0},
		{"OAM PDU", []byte{3, 0x00, 0x50}, "subtype 3 (OAM)", l2.ErrNotLACPDU, "", 0},
		{"empty", nil, "0 bytes", io.ErrUnexpectedEOF, "", 0},
		{"version 0", cat([]byte{1, 0}, hostPDU[2:]), "version 0", nil, "", 0},
		{"truncated partner", hostPDU[:30], "8 bytes left", io.ErrUnexpectedEOF, "Partner Information (2)", 22},
		{"partner TLV of type 3", wrongPartner, "type 3 length 20, want type 2 length 20", nil, "Partner Information (2)", 22},
	} {
		t.Run(c.name, func(t *testing.T) {
			a, p, err := l2.DecodeLACPDU(c.b)
			if err == nil || a != nil || p != nil || !strings.Contains(err.Error(), c.msg) {
				t.Fatalf("got %+v %+v %v, want an error with %q", a, p, err, c.msg)
			}
			if c.is != nil && !errors.Is(err, c.is) {
				t.Errorf("%v does not wrap %v", err, c.is)
			}
			var te *l2.TLVError
			if c.tlv != "" && (!errors.As(err, &te) || te.TLV != c.tlv || te.Offset != c.off) {
				t.Errorf("%v: want TLV %q at offset %d", err, c.tlv, c.off)
			}
		})
	}
}

// Hand-built CDP PDUs.

func cdpTLV(typ int, val ...byte) []byte { return cat(be16(typ), be16(4+len(val)), val) }

func cdpAddrs(ips ...[]byte) []byte {
	b := be32(len(ips))
	for _, ip := range ips {
		b = cat(b, []byte{1, 1, 0xcc}, be16(len(ip)), ip)
	}
	return b
}

func cdpPDU(tlvs ...[]byte) []byte { return cat([]byte{2, 180, 0, 0}, cat(tlvs...)) }

var nexusCDP = cdpPDU(
	cdpTLV(0x01, []byte("leaf2(FDO21120U8N)")...),
	cdpTLV(0x02, cdpAddrs([]byte{10, 0, 0, 2})...),
	cdpTLV(0x03, []byte("Ethernet1/7")...),
	cdpTLV(0x04, 0, 0, 0x02, 0x29),
	cdpTLV(0x05, []byte("Cisco Nexus Operating System (NX-OS) Software, Version 9.3(8)\n")...),
	cdpTLV(0x06, []byte("N9K-C93180YC-EX")...),
	cdpTLV(0x0a, be16(100)...),
	cdpTLV(0x16, cdpAddrs([]byte{192, 0, 2, 2}, []byte{10, 0, 0, 2})...),
	cdpTLV(0x99, 1, 2, 3), // unknown: kept by gopacket, ignored here
)

func TestDecodeCDP(t *testing.T) {
	n, err := l2.DecodeCDP(nexusCDP)
	if err != nil {
		t.Fatal(err)
	}
	want := &topology.Neighbour{Protocol: "cdp", ChassisIDSubtype: "local", ChassisID: "leaf2(FDO21120U8N)",
		SystemName: "leaf2(FDO21120U8N)", PortIDSubtype: "ifname", PortID: "Ethernet1/7",
		SystemDescr: "N9K-C93180YC-EX\nCisco Nexus Operating System (NX-OS) Software, Version 9.3(8)",
		MgmtAddrs:   []string{"192.0.2.2", "10.0.0.2"}, PVID: 100}
	if diff := cmp.Diff(want, n); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestDecodeCDPErrors(t *testing.T) {
	for _, c := range []struct {
		name string
		b    []byte
		msg  string
		tlv  string
		off  int
	}{
		{"short header", []byte{2, 180}, "2 bytes, the header needs 4", "", 0},
		{"version 3", cat([]byte{3, 180, 0, 0}, cdpTLV(1, 'x')), "version 3", "", 0},
		{"TLV length 2", cdpPDU(cdpTLV(1, []byte("sw")...), []byte{0, 3, 0, 2}), "length 2, want at least 4", "Port-ID (0x0003)", 10},
		{"TLV past the end", cdpPDU(cdpTLV(1, []byte("sw")...), []byte{0, 6, 0, 40, 'N'}), "length 40 exceeds the 5 bytes left", "Platform (0x0006)", 10},
		{"3 bytes left", cdpPDU(cdpTLV(1, []byte("sw")...), []byte{0, 6, 0}), "3 bytes left", "header", 10},
		{"no device ID", cdpPDU(cdpTLV(3, []byte("Gi0/1")...)), "no Device-ID TLV", "", 0},
		{"bad native VLAN", cdpPDU(cdpTLV(1, []byte("sw")...), cdpTLV(0x0a, 1)), "cdp: ", "", 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			n, err := l2.DecodeCDP(c.b)
			if err == nil || n != nil || !strings.Contains(err.Error(), c.msg) {
				t.Fatalf("got %+v, %v; want an error with %q", n, err, c.msg)
			}
			var te *l2.TLVError
			if c.tlv != "" && (!errors.As(err, &te) || te.TLV != c.tlv || te.Offset != c.off) {
				t.Errorf("%v: want TLV %q at offset %d", err, c.tlv, c.off)
			}
		})
	}
}

// TestNeighbours: repeated frames from one sender collapse to the last,
// per local port; the host's own and mirrored frames are left out.
func TestNeighbours(t *testing.T) {
	lldpN := func(chassis, port, src string, vlans ...int) *topology.Neighbour {
		return &topology.Neighbour{Protocol: "lldp", ChassisIDSubtype: "mac", ChassisID: chassis,
			PortIDSubtype: "ifname", PortID: port, VLANs: vlans, Source: src}
	}
	lacpN := func(sys string, port int, st topology.LACPState, src string) *topology.Neighbour {
		return &topology.Neighbour{Protocol: "lacp", LACP: &topology.LACPPort{System: sys, Port: port, State: st, StateKnown: true}, Source: src}
	}
	frames := []l2.Frame{
		{Kind: "lldp", Neighbour: lldpN("00:00:00:00:00:02", "Ethernet1/7", "f1", 10)},
		{Kind: "lacp", Neighbour: lacpN("00:00:00:00:00:02", 7, 0x05, "f2")},
		{Kind: "lldp", Neighbour: lldpN("00:00:00:00:00:02", "Ethernet1/7", "f3", 10, 20)},
		{Kind: "lldp", Interface: "eth1", Neighbour: lldpN("00:00:00:00:00:02", "Ethernet1/7", "f4")},
		{Kind: "lldp", Neighbour: lldpN("00:00:00:00:00:01", "Ethernet2/7", "f5")},
		{Kind: "lldp", Outgoing: true, Neighbour: lldpN("52:54:00:00:00:01", "eth0", "f6")},
		{Kind: "lldp", Tunnel: l2.TunnelERSPAN, Neighbour: lldpN("00:00:00:00:00:09", "Ethernet9/9", "f7")},
		{Kind: "lacp", Neighbour: lacpN("00:00:00:00:00:02", 7, 0x3d, "f8")},
		{Kind: "cdp", SrcMAC: "00:00:00:00:00:03", Neighbour: &topology.Neighbour{Protocol: "cdp", Source: "f9"}},
		{Kind: "cdp", SrcMAC: "00:00:00:00:00:03", Neighbour: &topology.Neighbour{Protocol: "cdp", Source: "f10"}},
	}
	got := l2.Neighbours(frames, "eth0")
	var srcs []string
	for _, n := range got {
		srcs = append(srcs, n.LocalPort+":"+n.Source)
	}
	if diff := cmp.Diff([]string{"eth0:f10", "eth0:f8", "eth0:f5", "eth0:f3", "eth1:f4"}, srcs); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	got[3].VLANs[0] = 99
	got[1].LACP.Port = 99
	if frames[2].Neighbour.VLANs[0] != 10 || frames[7].Neighbour.LACP.Port != 7 || frames[2].Neighbour.LocalPort != "" {
		t.Error("Neighbours shares or changes the frames' data")
	}
}
