// Package arista is bondaudit's knowledge of Arista EOS switches: what the standard
// MIBs miss or get wrong on them, decoded from their vendor MIBs.
//
// EOS implements the standard MIBs bondaudit reads (IEEE8023-LAG-MIB,
// LLDP-MIB, Q-BRIDGE-MIB) but has no MLAG MIB. The decoder infers MLAG from
// standard data only, and only where the data proves it:
//
//   - MLAG: the LACP port-channels of an MLAG pair send one system ID that
//     both peers share, which is not the switch's own MAC; a port-channel
//     whose dot3adAggActorSystemID differs from the bridge address (and LLDP
//     chassis MAC) is an MLAG interface. Switch.MLAG gets kind "mlag" and
//     that system ID, and each such LAG MLAG = the shared system ID. No MLAG
//     ID is inferred: EOS may send the shared system ID on single-homed
//     port-channels of a peer too, so "Port-Channel10 exists on one peer
//     only" would not prove a half-configured MLAG (a generated site of 400
//     switches showed 169 such false alarms when the number was taken as ID).
//   - The peer link is a port-channel that is not an MLAG interface (it runs
//     with the switch's own system ID) and is either the one whose members
//     hear, over LLDP, the switch whose MAC is the MLAG system ID with the
//     locally administered bit cleared (EOS is understood to derive the
//     MLAG system ID from the primary's MAC that way; an exact match of the
//     other 47 bits is the proof asked for, and the neighbour is then the
//     peer, recorded in MLAG.Peer; where the assumption is wrong, nothing
//     matches and nothing is set), or the only one whose description (ifAlias) names it:
//     "peer-link"/"peer link"/"peerlink"/"mlag peer" first, else "mlag" or
//     "peer". Descriptions are what an operator typed: they mark the LAG
//     (PeerLink, which the topology pairs with the peer's own peer link) but
//     never declare a peer.
//
// Like vendors, it does no I/O and imports only vendors and topology.
package arista

import (
	"cmp"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/bondaudit/bondaudit/topology"
	"github.com/bondaudit/bondaudit/vendors"
)

// EOS is Arista EOS, with MLAG. It needs no OIDs beyond the standard ones:
// there is no Arista MLAG MIB (OIDS.md, "Gaps").
var EOS = vendors.Profile{
	Name:        "arista",
	Enterprises: []int{30065},
	Decode:      decode,
	Tested: []string{
		"librenms arista_eos",
		"librenms arista_eos_vrf",
		"bondaudit demo leaf1a/leaf1b/leaf2",
		"librenms arista_eos (DCS-7050TX-128, EOS 4.15.3F): no IEEE8023-LAG-MIB rows and no bridge address, so no MLAG inference; Port-Channel1 is not a peer link",
		"librenms arista_eos_vrf (DCS-7150S-24, EOS 4.20.12.1M): no IEEE8023-LAG-MIB rows; Port-Channel1 (ifAlias \"MLAG-SW1-SW2\", members to one LLDP neighbour) marked peer link by its description, no Switch.MLAG",
		"untested on real data (no Arista recording has LACP rows): the shared-system-ID MLAG inference and the LLDP peer identification; unit tests from hand-written walks, and the generated demo walks leaf1a/leaf1b/leaf2",
	},
}

// decode adds the MLAG facts to an Arista switch.
func decode(w *vendors.Walk, s *topology.Switch, problems *[]topology.Problem) {
	own := ownMACs(s)
	// LACP LAGs by the system ID they send, when it is not the switch's own.
	foreign := map[string][]int{}
	for i := range s.LAGs {
		l := &s.LAGs[i]
		sys := topology.NormalizeMAC(l.ActorSystem)
		if l.Kind != topology.LAGLACP || sys == "" || sys == topology.ZeroMAC {
			continue
		}
		if len(own) == 0 {
			vendors.AddProblem(problems, 0, "arista: %s sends LACP system ID %s but the walk has no bridge address (dot1dBaseBridgeAddress) nor LLDP chassis MAC to compare it with: MLAG not inferred", l.Name, sys)
			foreign = nil
			break
		}
		if !slices.Contains(own, sys) {
			foreign[sys] = append(foreign[sys], i)
		}
	}
	var sys string
	switch len(foreign) {
	case 0:
	case 1:
		for k := range foreign {
			sys = k
		}
	default:
		var ids []string
		for k := range foreign {
			ids = append(ids, k)
		}
		slices.Sort(ids)
		vendors.AddProblem(problems, 0, "arista: port-channels send %d LACP system IDs other than the switch's own MAC (%s): MLAG system ID ambiguous, not inferred", len(ids), strings.Join(ids, ", "))
	}
	mlagLAG := make(map[int]bool, len(foreign[sys]))
	if sys != "" {
		m := &topology.MLAG{Kind: "mlag", SystemID: sys}
		names := make([]string, 0, len(foreign[sys]))
		owns := strings.Join(own, ", ")
		// Each MLAG interface's evidence line is cut from one string
		// holding them all: one allocation, not one per port-channel.
		const sends, notOwn, mlagIf = " sends LACP system ID ", ", not the switch's own MAC (", "): an MLAG interface"
		lineLen := func(l *topology.LAG) int {
			return len(l.Name) + len(sends) + len(sys) + len(notOwn) + len(owns) + len(mlagIf)
		}
		var lines strings.Builder
		size := 0
		for _, i := range foreign[sys] {
			size += lineLen(&s.LAGs[i])
		}
		lines.Grow(size)
		for _, i := range foreign[sys] {
			for _, part := range [...]string{s.LAGs[i].Name, sends, sys, notOwn, owns, mlagIf} {
				lines.WriteString(part)
			}
		}
		all, off := lines.String(), 0
		for _, i := range foreign[sys] {
			l := &s.LAGs[i]
			mlagLAG[i] = true
			names = append(names, l.Name)
			l.MLAG = sys
			n := lineLen(l)
			l.Evidence = append(l.Evidence, all[off:off+n])
			off += n
		}
		m.Evidence = append(m.Evidence, fmt.Sprintf("IEEE8023-LAG-MIB dot3adAggActorSystemID of %s = %s, which is not this switch's MAC (%s): the system ID an MLAG pair shares",
			strings.Join(names, ", "), sys, owns))
		s.MLAG = m
	}
	peerLink(s, own, sys, mlagLAG)
}

// ownMACs are the switch's own addresses: the bridge address and the LLDP
// chassis ID when it is a MAC.
func ownMACs(s *topology.Switch) []string {
	var out []string
	for _, m := range []string{s.BaseMAC, chassisMAC(s)} {
		if n := topology.NormalizeMAC(m); n != "" && n != topology.ZeroMAC && !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out
}

func chassisMAC(s *topology.Switch) string {
	if s.ChassisIDSubtype == topology.IDMAC {
		return s.ChassisID
	}
	return ""
}

var (
	strongPeer = regexp.MustCompile(`(?i)peer[\s_-]*link|mlag[\s_-]*peer`)
	weakPeer   = regexp.MustCompile(`(?i)mlag|peer`)
)

// peerLink finds and marks the MLAG peer link (package comment).
func peerLink(s *topology.Switch, own []string, sys string, mlagLAG map[int]bool) {
	idx := -1
	var ev, peer string
	// 1. The LLDP neighbour whose MAC the MLAG system ID was derived from.
	if base := derivedFrom(sys); base != "" && !slices.Contains(own, base) {
		cands := map[int]bool{}
		var heard topology.Neighbour
		for _, n := range s.Neighbours {
			if n.Protocol != topology.ProtoLLDP || n.ChassisIDSubtype != topology.IDMAC || topology.NormalizeMAC(n.ChassisID) != base {
				continue
			}
			if li := lagOfMember(s, n.LocalPort); li >= 0 && !mlagLAG[li] {
				cands[li] = true
				heard = n
			}
		}
		if len(cands) == 1 {
			for li := range cands {
				idx = li
			}
			peer = cmp.Or(heard.SystemName, heard.ChassisID)
			ev = fmt.Sprintf("members of %s hear over LLDP %s (chassis %s), whose MAC with the locally administered bit set is the MLAG system ID %s: the MLAG peer, over the peer link",
				s.LAGs[idx].Name, peer, base, sys)
		}
	}
	// 2. The description.
	if idx < 0 {
		var strong, weak []int
		for i := range s.LAGs {
			if mlagLAG[i] {
				continue
			}
			text := lagText(s, &s.LAGs[i])
			switch {
			case strongPeer.MatchString(text):
				strong = append(strong, i)
			case weakPeer.MatchString(text):
				weak = append(weak, i)
			}
		}
		pick := strong
		if len(pick) == 0 {
			pick = weak
		}
		switch len(pick) {
		case 1:
			idx = pick[0]
			ev = fmt.Sprintf("%s is described %q: the MLAG peer link (by its description)", s.LAGs[idx].Name, lagText(s, &s.LAGs[idx]))
		case 0:
		default:
			var names []string
			for _, i := range pick {
				names = append(names, s.LAGs[i].Name)
			}
			if s.MLAG != nil {
				s.MLAG.Evidence = append(s.MLAG.Evidence, fmt.Sprintf("descriptions of %s all suggest a peer link: none marked", strings.Join(names, ", ")))
			}
		}
	}
	if idx < 0 {
		return
	}
	l := &s.LAGs[idx]
	l.PeerLink = true
	l.Evidence = append(l.Evidence, ev)
	if s.MLAG == nil {
		return
	}
	m := s.MLAG
	m.PeerLink = l.Name
	m.Peer = peer
	m.Evidence = append(m.Evidence, ev)
	oper := l.Oper
	for i := range s.Ports {
		if s.Ports[i].IfIndex == l.IfIndex && l.IfIndex > 0 && s.Ports[i].Oper != "" {
			oper = s.Ports[i].Oper
		}
	}
	if up := vendors.OperUp(oper); up != nil {
		m.PeerLinkUp = up
	}
	if oper != "" {
		m.Evidence = append(m.Evidence, fmt.Sprintf("peer link %s ifOperStatus %s", l.Name, oper))
	}
}

// derivedFrom is the MAC an MLAG system ID was derived from (the locally
// administered bit cleared), "" when the ID has no such bit set.
func derivedFrom(sys string) string {
	if sys == "" {
		return ""
	}
	b, ok := macBytes(sys)
	if !ok || b[0]&0x02 == 0 {
		return ""
	}
	b[0] &^= 0x02
	return vendors.HexString(b[:])
}

func macBytes(mac string) ([6]byte, bool) {
	var out [6]byte
	parts := strings.Split(mac, ":")
	if len(parts) != 6 {
		return out, false
	}
	for i, p := range parts {
		n, err := strconv.ParseUint(p, 16, 8)
		if err != nil {
			return out, false
		}
		out[i] = byte(n)
	}
	return out, true
}

// lagText is what an operator wrote about a LAG: the port-channel's ifAlias
// (ifDescr on EOS is the interface name, which says nothing).
func lagText(s *topology.Switch, l *topology.LAG) string {
	for i := range s.Ports {
		p := &s.Ports[i]
		if p.IfIndex == l.IfIndex && l.IfIndex > 0 || l.IfIndex == 0 && p.Name == l.Name {
			if p.Descr != "" && !strings.EqualFold(p.Descr, p.Name) {
				return strings.TrimSpace(p.Alias + " " + p.Descr)
			}
			return p.Alias
		}
	}
	return ""
}

func lagOfMember(s *topology.Switch, port string) int {
	for i := range s.LAGs {
		if slices.Contains(s.LAGs[i].Members, port) {
			return i
		}
	}
	return -1
}
