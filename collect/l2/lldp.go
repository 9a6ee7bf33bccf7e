package l2

import (
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"slices"
	"strings"

	"github.com/mdlayher/lldp"

	"github.com/bondaudit/bondaudit/topology"
)

// LLDP EtherType and the OUIs of the organisationally specific TLVs we decode.
const (
	EtherTypeLLDP = 0x88cc

	oui8021 = 0x0080c2 // IEEE 802.1
	oui8023 = 0x00120f // IEEE 802.3
)

// 802.1 (00-80-C2) and 802.3 (00-12-0F) TLV subtypes.
const (
	dot1PVID     = 1
	dot1VLANName = 3
	dot1LinkAgg  = 7 // 802.1AB-2009 and later

	dot3MACPHY       = 1
	dot3LinkAgg      = 3 // 802.1AB-2005 Annex G; deprecated, still sent
	dot3MaxFrameSize = 4
)

var lldpTLVNames = map[uint8]string{
	0: "End of LLDPDU", 1: "Chassis ID", 2: "Port ID", 3: "Time To Live",
	4: "Port Description", 5: "System Name", 6: "System Description",
	7: "System Capabilities", 8: "Management Address", 127: "Organizationally Specific",
}

func lldpTLVName(t uint8) string {
	if n, ok := lldpTLVNames[t]; ok {
		return fmt.Sprintf("%s (%d)", n, t)
	}
	return fmt.Sprintf("type %d", t)
}

// rawTLV is one TLV as found by our own walk: its type, the offset of its
// header in the payload, and its value.
type rawTLV struct {
	typ uint8
	off int
	val []byte
}

// walkLLDP splits an LLDPDU into TLVs up to (not including) the End TLV and
// returns the offset where the End TLV starts (or len(b) when there is none:
// 802.1AB-2016 made it optional). Whatever follows the End TLV — Ethernet
// padding, a trailer — is not looked at.
func walkLLDP(b []byte) ([]rawTLV, int, error) {
	var tlvs []rawTLV
	off := 0
	for off < len(b) {
		if len(b)-off < 2 {
			return nil, 0, &TLVError{Protocol: "lldp", TLV: "header", Offset: off,
				Err: fmt.Errorf("%d byte left, a TLV header needs 2: %w", len(b)-off, io.ErrUnexpectedEOF)}
		}
		h := binary.BigEndian.Uint16(b[off:])
		typ, l := uint8(h>>9), int(h&0x1ff)
		if typ == 0 {
			return tlvs, off, nil
		}
		if off+2+l > len(b) {
			return nil, 0, &TLVError{Protocol: "lldp", TLV: lldpTLVName(typ), Offset: off,
				Err: fmt.Errorf("length %d exceeds the %d bytes left: %w", l, len(b)-off-2, io.ErrUnexpectedEOF)}
		}
		tlvs = append(tlvs, rawTLV{typ: typ, off: off, val: b[off+2 : off+2+l]})
		off += 2 + l
	}
	return tlvs, off, nil
}

// DecodeLLDP decodes the Ethernet payload of an LLDP frame (EtherType
// 0x88cc): chassis and port ID, port and system description, system name,
// management addresses, and the 802.1 (PVID, VLAN names, link aggregation)
// and 802.3 (link aggregation, maximum frame size) TLVs. Both encodings of
// the link-aggregation TLV are decoded; when a frame carries both, the 802.1
// one (the current standard) wins.
//
// The payload is cut at the End TLV first, so Ethernet padding is ignored.
// Unknown TLVs are skipped; a malformed TLV is a *TLVError naming the TLV
// and its offset. When the mandatory TLVs are missing the error wraps
// ErrMissingMandatory and the Neighbour holds what the other TLVs said.
func DecodeLLDP(payload []byte) (*topology.Neighbour, error) {
	tlvs, end, err := walkLLDP(payload)
	if err != nil {
		return nil, err
	}
	n := &topology.Neighbour{Protocol: topology.ProtoLLDP}
	if len(tlvs) < 3 || tlvs[0].typ != 1 || tlvs[1].typ != 2 || tlvs[2].typ != 3 {
		for _, t := range tlvs {
			if err := decodeOptional(n, t); err != nil {
				return nil, err
			}
		}
		finish(n)
		return n, missingMandatory(tlvs)
	}
	// Check what mdlayher/lldp would only answer with a bare
	// io.ErrUnexpectedEOF or ErrInvalidFrame, so the error names the TLV.
	for i, t := range tlvs[:3] {
		if l := len(t.val); i < 2 && l < 2 || i == 2 && l != 2 {
			want := "at least 2 (subtype and ID)"
			if i == 2 {
				want = "2"
			}
			return nil, &TLVError{Protocol: "lldp", TLV: lldpTLVName(t.typ), Offset: t.off,
				Err: fmt.Errorf("length %d, want %s", l, want)}
		}
	}

	// The End TLV is optional since 802.1AB-2016 and mdlayher/lldp wants
	// one: hand it the TLVs we found followed by a fresh End TLV.
	du := make([]byte, end+2)
	copy(du, payload[:end])
	var f lldp.Frame
	if err := f.UnmarshalBinary(du); err != nil {
		return nil, fmt.Errorf("lldp: %w", err)
	}
	if len(f.Optional) != len(tlvs)-3 {
		return nil, fmt.Errorf("lldp: %d optional TLVs decoded, %d found", len(f.Optional), len(tlvs)-3)
	}

	sub, id, err := chassisID(f.ChassisID)
	if err != nil {
		return nil, &TLVError{Protocol: "lldp", TLV: lldpTLVName(1), Offset: tlvs[0].off, Err: err}
	}
	n.ChassisIDSubtype, n.ChassisID = sub, id
	sub, id, err = portID(f.PortID)
	if err != nil {
		return nil, &TLVError{Protocol: "lldp", TLV: lldpTLVName(2), Offset: tlvs[1].off, Err: err}
	}
	n.PortIDSubtype, n.PortID = sub, id

	for i, t := range f.Optional {
		if err := decodeOptional(n, rawTLV{typ: uint8(t.Type), off: tlvs[3+i].off, val: t.Value}); err != nil {
			return nil, err
		}
	}
	finish(n)
	return n, nil
}

// missingMandatory says which of the first three TLVs is not what
// 802.1AB requires there.
func missingMandatory(tlvs []rawTLV) error {
	for i, want := range []uint8{1, 2, 3} {
		if i >= len(tlvs) {
			return fmt.Errorf("lldp: the LLDPDU ends after %d TLVs, want %s next: %w", i, lldpTLVName(want), ErrMissingMandatory)
		}
		if tlvs[i].typ != want {
			return fmt.Errorf("lldp: TLV %d is %s at offset %d, want %s: %w",
				i+1, lldpTLVName(tlvs[i].typ), tlvs[i].off, lldpTLVName(want), ErrMissingMandatory)
		}
	}
	return nil
}

func finish(n *topology.Neighbour) {
	slices.Sort(n.VLANs)
	n.VLANs = slices.Compact(n.VLANs)
}

// chassisSubtypes and portSubtypes name the ID subtypes of each TLV (IEEE
// 802.1AB 8.5.2.2, 8.5.3.2); the two number them differently.
var chassisSubtypes = map[lldp.ChassisIDSubtype]string{
	lldp.ChassisIDSubtypeChassisComponenent: topology.IDChassisComponent,
	lldp.ChassisIDSubtypeInterfaceAlias:     topology.IDIfAlias,
	lldp.ChassisIDSubtypePortComponent:      topology.IDPortComponent,
	lldp.ChassisIDSubtypeMACAddress:         topology.IDMAC,
	lldp.ChassisIDSubtypeNetworkAddress:     topology.IDNetwork,
	lldp.ChassisIDSubtypeInterfaceName:      topology.IDIfName,
	lldp.ChassisIDSubtypeLocallyAssigned:    topology.IDLocal,
}

var portSubtypes = map[lldp.PortIDSubtype]string{
	lldp.PortIDSubtypeInterfaceAlias:  topology.IDIfAlias,
	lldp.PortIDSubtypePortComponent:   topology.IDPortComponent,
	lldp.PortIDSubtypeMACAddress:      topology.IDMAC,
	lldp.PortIDSubtypeNetworkAddress:  topology.IDNetwork,
	lldp.PortIDSubtypeInterfaceName:   topology.IDIfName,
	lldp.PortIDSubtypeAgentCircuitID:  topology.IDAgentCircuit,
	lldp.PortIDSubtypeLocallyAssigned: topology.IDLocal,
}

func chassisID(c *lldp.ChassisID) (string, string, error) {
	return idValue(chassisSubtypes[c.Subtype], uint8(c.Subtype), c.ID)
}

func portID(p *lldp.PortID) (string, string, error) {
	return idValue(portSubtypes[p.Subtype], uint8(p.Subtype), p.ID)
}

// idValue decodes a chassis or port ID of subtype sub ("" for a reserved
// subtype, numbered n): a MAC or a network address in text form, anything
// else as text.
func idValue(sub string, n uint8, id []byte) (string, string, error) {
	switch sub {
	case "":
		return "", "", fmt.Errorf("reserved subtype %d", n)
	case topology.IDMAC:
		return sub, macString(id), nil
	case topology.IDNetwork:
		a, err := networkAddress(id)
		return sub, a, err
	}
	return sub, text(id), nil
}

// macString is a MAC in lower-case colon form (any length, as tcpdump
// prints an odd-sized one).
func macString(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return net.HardwareAddr(b).String()
}

// networkAddress decodes an IANA address family number followed by the
// address, as the chassis/port ID network-address subtypes and the
// management address TLV carry it.
func networkAddress(b []byte) (string, error) {
	if len(b) < 1 {
		return "", errors.New("empty network address")
	}
	fam, a := b[0], b[1:]
	switch {
	case fam == 1 && len(a) == 4, fam == 2 && len(a) == 16:
		ip, _ := netip.AddrFromSlice(a)
		return ip.String(), nil
	case fam == 6 && len(a) == 6: // 802 (MAC)
		return macString(a), nil
	case fam == 1 || fam == 2:
		return "", fmt.Errorf("address family %d with %d address bytes", fam, len(a))
	}
	return fmt.Sprintf("af%d:%s", fam, hex.EncodeToString(a)), nil
}

func decodeOptional(n *topology.Neighbour, t rawTLV) error {
	bad := func(format string, args ...any) error {
		return &TLVError{Protocol: "lldp", TLV: lldpTLVName(t.typ), Offset: t.off, Err: fmt.Errorf(format, args...)}
	}
	switch t.typ {
	case 4:
		n.PortDescr = text(t.val)
	case 5:
		n.SystemName = text(t.val)
	case 6:
		n.SystemDescr = text(t.val)
	case 8:
		// address string length (subtype + address, 2..32), subtype,
		// address, interface numbering subtype, interface number, OID
		// string length, OID.
		v := t.val
		if len(v) < 9 {
			return bad("length %d, want at least 9", len(v))
		}
		al := int(v[0])
		if al < 2 || al > 32 {
			return bad("management address string length %d, want 2..32", al)
		}
		if 1+al+6 > len(v) {
			return bad("management address string length %d does not fit in %d bytes", al, len(v))
		}
		oidLen := int(v[1+al+5])
		if 1+al+6+oidLen > len(v) {
			return bad("OID length %d does not fit in %d bytes", oidLen, len(v))
		}
		a, err := networkAddress(v[1 : 1+al])
		if err != nil {
			return bad("%v", err)
		}
		if !slices.Contains(n.MgmtAddrs, a) {
			n.MgmtAddrs = append(n.MgmtAddrs, a)
		}
	case 127:
		return decodeOrg(n, t)
	}
	// 7 (capabilities), 1–3 out of place, reserved types: skipped.
	return nil
}

func decodeOrg(n *topology.Neighbour, t rawTLV) error {
	v := t.val
	if len(v) < 4 {
		return &TLVError{Protocol: "lldp", TLV: lldpTLVName(127), Offset: t.off,
			Err: fmt.Errorf("length %d, want at least 4 (OUI and subtype)", len(v))}
	}
	oui := uint32(v[0])<<16 | uint32(v[1])<<8 | uint32(v[2])
	st := v[3]
	body := v[4:]
	name := func(what string) string {
		return fmt.Sprintf("%s (127, %02x-%02x-%02x/%d)", what, v[0], v[1], v[2], st)
	}
	bad := func(what, format string, args ...any) error {
		return &TLVError{Protocol: "lldp", TLV: name(what), Offset: t.off, Err: fmt.Errorf(format, args...)}
	}
	wantLen := func(what string, l int) error {
		if len(body) != l {
			return bad(what, "length %d, want %d", len(v), 4+l)
		}
		return nil
	}
	linkAgg := func(what string) error {
		if err := wantLen(what, 5); err != nil {
			return err
		}
		n.LinkAgg = &topology.LinkAgg{
			Capable: body[0]&1 != 0,
			Enabled: body[0]&2 != 0,
			PortID:  int(binary.BigEndian.Uint32(body[1:5])),
		}
		return nil
	}
	switch {
	case oui == oui8021 && st == dot1PVID:
		if err := wantLen("802.1 Port VLAN ID", 2); err != nil {
			return err
		}
		n.PVID = int(binary.BigEndian.Uint16(body))
	case oui == oui8021 && st == dot1VLANName:
		const what = "802.1 VLAN Name"
		if len(body) < 3 {
			return bad(what, "length %d, want at least 7", len(v))
		}
		if nl := int(body[2]); 3+nl > len(body) {
			return bad(what, "VLAN name length %d does not fit in %d bytes", nl, len(body)-3)
		}
		n.VLANs = append(n.VLANs, int(binary.BigEndian.Uint16(body)&0x0fff))
	case oui == oui8021 && st == dot1LinkAgg:
		return linkAgg("802.1 Link Aggregation")
	case oui == oui8023 && st == dot3LinkAgg:
		if n.LinkAgg != nil { // the 802.1 form was seen first: it wins
			return wantLen("802.3 Link Aggregation", 5)
		}
		return linkAgg("802.3 Link Aggregation")
	case oui == oui8023 && st == dot3MaxFrameSize:
		if err := wantLen("802.3 Maximum Frame Size", 2); err != nil {
			return err
		}
		n.MaxFrameSize = int(binary.BigEndian.Uint16(body))
	case oui == oui8023 && st == dot3MACPHY:
		// Autonegotiation and MAU type: topology has no field for them.
	}
	return nil
}

// text is a TLV string as sent, with invalid UTF-8 replaced so JSON
// snapshots round-trip.
func text(b []byte) string {
	return strings.ToValidUTF8(string(b), "\uFFFD")
}
