package l2

import (
	"encoding/binary"
	"fmt"
	"io"

	"github.com/bondaudit/bondaudit/topology"
)

// Slow protocols (IEEE 802.3 Annex 57A): EtherType and the subtypes that
// matter here.
const (
	EtherTypeSlowProtocols = 0x8809

	slowLACP   = 1
	slowMarker = 2
)

var slowSubtypes = map[byte]string{
	slowLACP: "LACP", slowMarker: "Marker", 3: "OAM", 10: "OSSP/ESMC",
}

// DecodeLACPDU decodes the Ethernet payload of a slow-protocols frame
// (EtherType 0x8809) holding an LACPDU (IEEE 802.1AX): the actor and
// partner information TLVs. Both ports come back with StateKnown set.
//
// gopacket has no LACP layer (its layers package names LACP only in LLDP
// and sFlow counters), so this decoder is written by hand from 802.1AX
// clause 6.4.2. A PDU of another slow protocol (Marker, OAM, …) is an error
// wrapping ErrNotLACPDU. Versions above 1 are read as version 1, as
// 802.1AX asks of a receiver; the TLVs after the partner's are not read.
func DecodeLACPDU(payload []byte) (actor, partner *topology.LACPPort, err error) {
	if len(payload) < 2 {
		return nil, nil, fmt.Errorf("lacp: %d bytes, the slow-protocols header needs 2: %w", len(payload), io.ErrUnexpectedEOF)
	}
	if st := payload[0]; st != slowLACP {
		name := slowSubtypes[st]
		if name == "" {
			name = "unknown"
		}
		return nil, nil, fmt.Errorf("lacp: slow-protocols subtype %d (%s): %w", st, name, ErrNotLACPDU)
	}
	if payload[1] == 0 {
		return nil, nil, fmt.Errorf("lacp: LACP version 0, want 1")
	}
	actor, err = lacpInfo(payload, 2, 1, "Actor Information (1)")
	if err != nil {
		return nil, nil, err
	}
	partner, err = lacpInfo(payload, 22, 2, "Partner Information (2)")
	if err != nil {
		return nil, nil, err
	}
	return actor, partner, nil
}

// lacpInfo decodes an actor or partner information TLV at off: type,
// length 20, system priority, system, key, port priority, port, state and
// three reserved bytes.
func lacpInfo(b []byte, off int, typ byte, name string) (*topology.LACPPort, error) {
	if len(b)-off < 20 {
		return nil, &TLVError{Protocol: "lacp", TLV: name, Offset: off,
			Err: fmt.Errorf("%d bytes left, the TLV needs 20: %w", max(len(b)-off, 0), io.ErrUnexpectedEOF)}
	}
	v := b[off : off+20]
	if v[0] != typ || v[1] != 20 {
		return nil, &TLVError{Protocol: "lacp", TLV: name, Offset: off,
			Err: fmt.Errorf("type %d length %d, want type %d length 20", v[0], v[1], typ)}
	}
	return &topology.LACPPort{
		SystemPriority: int(binary.BigEndian.Uint16(v[2:])),
		System:         macString(v[4:10]),
		Key:            int(binary.BigEndian.Uint16(v[10:])),
		PortPriority:   int(binary.BigEndian.Uint16(v[12:])),
		Port:           int(binary.BigEndian.Uint16(v[14:])),
		State:          topology.LACPState(v[16]),
		StateKnown:     true,
	}, nil
}
