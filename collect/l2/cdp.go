package l2

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/bondaudit/bondaudit/topology"
)

var cdpTLVNames = map[layers.CDPTLVType]string{
	layers.CDPTLVDevID: "Device-ID", layers.CDPTLVAddress: "Address", layers.CDPTLVPortID: "Port-ID",
	layers.CDPTLVCapabilities: "Capabilities", layers.CDPTLVVersion: "Version String",
	layers.CDPTLVPlatform: "Platform", layers.CDPTLVNativeVLAN: "Native VLAN ID",
	layers.CDPTLVMgmtAddresses: "Management Addresses",
}

func cdpTLVName(t layers.CDPTLVType) string {
	if n, ok := cdpTLVNames[t]; ok {
		return fmt.Sprintf("%s (0x%04x)", n, uint16(t))
	}
	return fmt.Sprintf("type 0x%04x", uint16(t))
}

// DecodeCDP decodes a CDP PDU (what follows the LLC/SNAP header with OUI
// 00-00-0C, protocol 0x2000) with gopacket's CiscoDiscovery layers. The
// device ID becomes SystemName and ChassisID (subtype local), the port ID
// PortID (subtype ifname), platform and software version SystemDescr (one
// line each), the addresses MgmtAddrs, and the native VLAN PVID.
func DecodeCDP(payload []byte) (*topology.Neighbour, error) {
	// gopacket says what is wrong but not where: walk the TLVs first so a
	// malformed one is reported with its offset.
	if len(payload) < 4 {
		return nil, fmt.Errorf("cdp: %d bytes, the header needs 4: %w", len(payload), io.ErrUnexpectedEOF)
	}
	if v := payload[0]; v != 1 && v != 2 {
		return nil, fmt.Errorf("cdp: version %d, want 1 or 2", v)
	}
	for off := 4; off < len(payload); {
		if len(payload)-off < 4 {
			return nil, &TLVError{Protocol: "cdp", TLV: "header", Offset: off,
				Err: fmt.Errorf("%d bytes left, a TLV header needs 4: %w", len(payload)-off, io.ErrUnexpectedEOF)}
		}
		typ := layers.CDPTLVType(binary.BigEndian.Uint16(payload[off:]))
		l := int(binary.BigEndian.Uint16(payload[off+2:]))
		if l < 4 {
			return nil, &TLVError{Protocol: "cdp", TLV: cdpTLVName(typ), Offset: off,
				Err: fmt.Errorf("length %d, want at least 4", l)}
		}
		if off+l > len(payload) {
			return nil, &TLVError{Protocol: "cdp", TLV: cdpTLVName(typ), Offset: off,
				Err: fmt.Errorf("length %d exceeds the %d bytes left: %w", l, len(payload)-off, io.ErrUnexpectedEOF)}
		}
		off += l
	}

	p := gopacket.NewPacket(payload, layers.LayerTypeCiscoDiscovery, gopacket.DecodeOptions{NoCopy: true})
	if el := p.ErrorLayer(); el != nil {
		return nil, fmt.Errorf("cdp: %w", el.Error())
	}
	l, ok := p.Layer(layers.LayerTypeCiscoDiscoveryInfo).(*layers.CiscoDiscoveryInfo)
	if !ok {
		return nil, errors.New("cdp: no CDP information decoded")
	}
	if l.DeviceID == "" {
		return nil, errors.New("cdp: no Device-ID TLV")
	}
	n := &topology.Neighbour{
		Protocol:         topology.ProtoCDP,
		ChassisIDSubtype: topology.IDLocal,
		ChassisID:        text([]byte(l.DeviceID)),
		SystemName:       text([]byte(l.DeviceID)),
		PVID:             int(l.NativeVLAN),
	}
	if l.PortID != "" {
		n.PortIDSubtype, n.PortID = topology.IDIfName, text([]byte(l.PortID))
	}
	var descr []string
	for _, s := range []string{l.Platform, l.Version} {
		if s = strings.TrimSpace(text([]byte(s))); s != "" {
			descr = append(descr, s)
		}
	}
	n.SystemDescr = strings.Join(descr, "\n")
	for _, ip := range slices.Concat(l.MgmtAddresses, l.Addresses) {
		if len(ip) != 4 && len(ip) != 16 {
			continue
		}
		if s := ip.String(); !slices.Contains(n.MgmtAddrs, s) {
			n.MgmtAddrs = append(n.MgmtAddrs, s)
		}
	}
	return n, nil
}
