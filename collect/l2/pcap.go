package l2

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"

	"github.com/bondaudit/bondaudit/topology"
)

// Frame kinds: the protocol a Frame carried.
const (
	KindLLDP = topology.ProtoLLDP
	KindCDP  = topology.ProtoCDP
	KindLACP = topology.ProtoLACP
)

// Tunnels a Frame can have been carried in (port mirroring to a collector).
const (
	TunnelERSPAN = "erspan"
	TunnelGRE    = "gre" // transparent Ethernet bridging over GRE
)

// Frame is one LLDP, CDP or LACP frame read from a capture or heard on a
// socket.
type Frame struct {
	Time time.Time
	// Interface is the capturing interface's name when the capture names it
	// (a pcapng interface block, or the socket the frame was read on). A
	// `tcpdump -i any` capture's "any" is not a name.
	Interface string
	// IfIndex is the Linux ifindex of the receiving interface when the
	// capture carries it (LINKTYPE_LINUX_SLL2); 0 when unknown. Classic
	// cooked captures (LINKTYPE_LINUX_SLL) do not.
	IfIndex int
	// Outgoing is set when a Linux cooked capture marks the frame as sent by
	// the capturing host itself (its own LLDP or LACPDUs).
	Outgoing bool
	// Tunnel is set when the frame was carried inside ERSPAN or GRE: it was
	// mirrored from elsewhere, not heard on the capturing interface.
	Tunnel string
	SrcMAC string            // lower-case colon form, when the link layer carries it
	Kind   topology.Protocol // lldp, cdp or lacp
	// Neighbour is what the frame said: LLDP or CDP fields, or for lacp the
	// actor in Neighbour.LACP. Source is set to "<source> frame <n>".
	Neighbour *topology.Neighbour
	// Partner is the LACPDU's partner information (lacp only).
	Partner *topology.LACPPort
}

const pcapngMagic = 0x0a0d0d0a

// ReadPcap reads the LLDP, CDP and LACP frames of a classic pcap or pcapng
// capture (told apart by their magic; gzip-compressed classic pcap too).
// Link types read: Ethernet, and the Linux cooked captures `tcpdump -i any`
// writes (LINKTYPE_LINUX_SLL and LINKTYPE_LINUX_SLL2). Frames are picked by
// EtherType (0x88cc LLDP, 0x8809 slow protocols subtype 1 LACP) or, for
// CDP, by the LLC/SNAP header (AA-AA-03, OUI 00-00-0C, protocol 0x2000) that
// frames to 01:00:0c:cc:cc:cc carry; 802.1Q/802.1ad tags are skipped, and
// frames mirrored inside ERSPAN (types I, II and III) or Ethernet-over-GRE
// are decoded too, with Frame.Tunnel set. Other frames are ignored.
//
// A frame that cannot be decoded becomes an error naming the source and
// the frame number (counted from 1 over all frames, as tcpdump numbers
// them) and the rest are still read. An error reading the capture itself
// ends the reading there.
func ReadPcap(r io.Reader, source string) ([]Frame, []error) {
	br := bufio.NewReader(r)
	magic, err := br.Peek(4)
	if err != nil {
		return nil, []error{fmt.Errorf("%s: reading the capture header: %w", source, err)}
	}
	var (
		read     func() ([]byte, gopacket.CaptureInfo, error)
		linkType layers.LinkType
		ifName   = func(int) string { return "" }
	)
	if binary.BigEndian.Uint32(magic) == pcapngMagic || binary.LittleEndian.Uint32(magic) == pcapngMagic {
		ng, err := pcapgo.NewNgReader(br, pcapgo.NgReaderOptions{WantMixedLinkType: true, SkipUnknownVersion: true})
		if err != nil {
			return nil, []error{fmt.Errorf("%s: reading the pcapng header: %w", source, err)}
		}
		read, linkType = ng.ReadPacketData, ng.LinkType()
		ifName = func(i int) string {
			if iface, err := ng.Interface(i); err == nil && iface.Name != "any" {
				return iface.Name
			}
			return ""
		}
	} else {
		pr, err := pcapgo.NewReader(br)
		if err != nil {
			return nil, []error{fmt.Errorf("%s: reading the pcap header: %w", source, err)}
		}
		read, linkType = pr.ReadPacketData, pr.LinkType()
	}

	var (
		frames []Frame
		errs   []error
		badLT  = map[layers.LinkType]bool{}
	)
	for i := 1; ; i++ {
		data, ci, err := read()
		if err == io.EOF {
			break
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: frame %d: %w (the rest of the capture was not read)", source, i, err))
			break
		}
		lt := linkType
		if len(ci.AncillaryData) > 0 {
			if l, ok := ci.AncillaryData[0].(layers.LinkType); ok {
				lt = l
			}
		}
		f, err := decodeFrame(lt, data, 0)
		if errors.Is(err, errLinkType) {
			if !badLT[lt] {
				badLT[lt] = true
				errs = append(errs, fmt.Errorf("%s: frame %d: %w (frames of this link type are skipped)", source, i, err))
			}
			continue
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: frame %d: %w", source, i, err))
			continue
		}
		if f == nil {
			continue
		}
		f.Time = ci.Timestamp.UTC()
		f.Interface = ifName(ci.InterfaceIndex)
		f.Neighbour.Source = fmt.Sprintf("%s frame %d", source, i)
		frames = append(frames, *f)
	}
	return frames, errs
}

var errLinkType = errors.New("link type not supported: only Ethernet and Linux cooked captures (SLL, SLL2) are read")

// linkHeader is what the link layer told about a frame.
type linkHeader struct {
	src      string
	etype    layers.EthernetType
	payload  []byte
	ifIndex  int
	outgoing bool
}

// cdpSNAP is the LLC/SNAP header of a CDP frame: DSAP AA, SSAP AA, UI,
// OUI 00-00-0C, protocol 0x2000.
var cdpSNAP = []byte{0xaa, 0xaa, 0x03, 0x00, 0x00, 0x0c, 0x20, 0x00}

// decodeFrame reads one captured frame. It returns nil, nil for frames of
// no interest, and decodes what is inside a tunnel once (depth 0 only).
func decodeFrame(lt layers.LinkType, data []byte, depth int) (*Frame, error) {
	var h linkHeader
	switch lt {
	case layers.LinkTypeEthernet:
		var eth layers.Ethernet
		if err := eth.DecodeFromBytes(data, gopacket.NilDecodeFeedback); err != nil {
			return nil, fmt.Errorf("ethernet: %w", err)
		}
		h = linkHeader{src: macString(eth.SrcMAC), etype: eth.EthernetType, payload: eth.Payload}
	case layers.LinkTypeLinuxSLL:
		var sll layers.LinuxSLL
		if err := sll.DecodeFromBytes(data, gopacket.NilDecodeFeedback); err != nil {
			return nil, fmt.Errorf("linux cooked (SLL): %w", err)
		}
		h = linkHeader{etype: sll.EthernetType, payload: sll.Payload,
			outgoing: sll.PacketType == layers.LinuxSLLPacketTypeOutgoing}
		if len(sll.Addr) == 6 {
			h.src = macString(sll.Addr)
		}
	case layers.LinkTypeLinuxSLL2:
		var sll layers.LinuxSLL2
		if err := sll.DecodeFromBytes(data, gopacket.NilDecodeFeedback); err != nil {
			return nil, fmt.Errorf("linux cooked (SLL2): %w", err)
		}
		h = linkHeader{etype: sll.ProtocolType, payload: sll.Payload, ifIndex: int(sll.InterfaceIndex),
			outgoing: sll.PacketType == layers.LinuxSLL2PacketTypeOutgoing}
		if len(sll.Addr) == 6 {
			h.src = macString(sll.Addr)
		}
	default:
		return nil, fmt.Errorf("%s (%d): %w", lt, int(lt), errLinkType)
	}

	// Skip up to two VLAN tags (802.1Q, 802.1ad).
	for range 2 {
		if h.etype != layers.EthernetTypeDot1Q && h.etype != layers.EthernetTypeQinQ {
			break
		}
		var tag layers.Dot1Q
		if err := tag.DecodeFromBytes(h.payload, gopacket.NilDecodeFeedback); err != nil {
			return nil, fmt.Errorf("802.1Q: %w", err)
		}
		h.etype, h.payload = tag.Type, tag.Payload
		if h.etype < 0x600 {
			h.etype = layers.EthernetTypeLLC
		}
	}

	f := &Frame{SrcMAC: h.src, IfIndex: h.ifIndex, Outgoing: h.outgoing}
	var err error
	switch h.etype {
	case EtherTypeLLDP:
		f.Kind = KindLLDP
		f.Neighbour, err = DecodeLLDP(h.payload)
		if err != nil {
			return nil, err
		}
	case EtherTypeSlowProtocols:
		if len(h.payload) > 0 && h.payload[0] != slowLACP {
			return nil, nil // Marker, OAM, ESMC: not ours
		}
		f.Kind = KindLACP
		var actor *topology.LACPPort
		actor, f.Partner, err = DecodeLACPDU(h.payload)
		if err != nil {
			return nil, err
		}
		f.Neighbour = &topology.Neighbour{Protocol: topology.ProtoLACP, LACP: actor}
	case layers.EthernetTypeLLC, layers.LinuxSLL2EthernetTypeLLC:
		if !bytes.HasPrefix(h.payload, cdpSNAP) {
			return nil, nil
		}
		f.Kind = KindCDP
		f.Neighbour, err = DecodeCDP(h.payload[len(cdpSNAP):])
		if err != nil {
			return nil, err
		}
	case layers.EthernetTypeIPv4, layers.EthernetTypeIPv6:
		if depth > 0 {
			return nil, nil
		}
		return tunnelled(h)
	default:
		return nil, nil
	}
	return f, nil
}

// tunnelled decodes an Ethernet frame mirrored inside ERSPAN or GRE. A
// packet that is not such a tunnel, or whose outer headers do not decode,
// is not ours and is ignored; a broken LLDP/CDP/LACP frame inside is an
// error like any other.
func tunnelled(h linkHeader) (*Frame, error) {
	var gre []byte
	switch h.etype {
	case layers.EthernetTypeIPv4:
		var ip layers.IPv4
		if ip.DecodeFromBytes(h.payload, gopacket.NilDecodeFeedback) != nil ||
			ip.Protocol != layers.IPProtocolGRE || ip.FragOffset != 0 || ip.Flags&layers.IPv4MoreFragments != 0 {
			return nil, nil
		}
		gre = ip.Payload
	case layers.EthernetTypeIPv6:
		var ip layers.IPv6
		if ip.DecodeFromBytes(h.payload, gopacket.NilDecodeFeedback) != nil || ip.NextHeader != layers.IPProtocolGRE {
			return nil, nil
		}
		gre = ip.Payload
	}
	var g layers.GRE
	if g.DecodeFromBytes(gre, gopacket.NilDecodeFeedback) != nil || g.Version != 0 {
		return nil, nil
	}
	inner, tunnel := g.Payload, TunnelERSPAN
	switch g.Protocol {
	case layers.EthernetTypeERSPAN: // 0x88be: type I without, type II with a sequence number
		if g.SeqPresent {
			var e layers.ERSPANII
			if e.DecodeFromBytes(inner, gopacket.NilDecodeFeedback) != nil {
				return nil, nil
			}
			inner = e.Payload
		}
	case 0x22eb: // ERSPAN type III: 12-byte header, 8 more with the O flag
		if len(inner) < 12 || inner[11]&1 != 0 && len(inner) < 20 {
			return nil, nil
		}
		if inner[11]&1 != 0 {
			inner = inner[20:]
		} else {
			inner = inner[12:]
		}
	case layers.EthernetTypeTransparentEthernetBridging:
		tunnel = TunnelGRE
	default:
		return nil, nil
	}
	f, err := decodeFrame(layers.LinkTypeEthernet, inner, 1)
	if f == nil || err != nil {
		if err != nil {
			err = fmt.Errorf("inside %s: %w", tunnel, err)
		}
		return nil, err
	}
	f.Tunnel, f.IfIndex, f.Outgoing = tunnel, h.ifIndex, h.outgoing
	return f, nil
}
