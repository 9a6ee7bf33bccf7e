package topology

import (
	"cmp"
	"fmt"
	"net/netip"
	"strings"
)

// lldpPeers ties a switch that declares an MLAG role (Switch.MLAG, from a
// vendor MIB) to another switch of the site that it hears over LLDP or CDP
// where only its MLAG peer can be:
//
//   - on its peer link: the LAG (or port) its MLAG config names, or a LAG a
//     vendor MIB flags as the peer link, heard on the LAG itself or on one of
//     its members (a FortiSwitch hears its MCLAG peer on the ICL trunk);
//   - advertising, among its LLDP management addresses, the keepalive peer
//     address the MLAG config names (MLAG.Peer);
//   - on its out-of-band management port, which IF-MIB does not list
//     (Neighbour.LocalPortUnlisted), from the other switch's management
//     port, when both declare the same MLAG kind: two management ports
//     cabled back to back are the keepalive link (AOS-CX VSX). This one is
//     an inference, and its evidence says so.
//
// A switch heard anywhere else says nothing about MLAG. None of these
// neighbours is joined to a host (switchNeighbours skips ports the switch
// does not have). Switches the other steps already joined are left as
// they are (joined reports that), so their domain's evidence is unchanged.
func (b *builder) lldpPeers(union func(a, c *SwitchNode, why string), joined func(a, c *SwitchNode) bool) {
	next := 0 // where the next switch's neighbours start in b.heard
	for _, s := range b.m.Switches {
		first := next // s's first neighbour in b.heard
		next += len(s.Neighbours)
		if s.MLAG == nil {
			continue
		}
		kind := cmp.Or(s.MLAG.Kind, "MLAG")
		for i := range s.Neighbours {
			n := &s.Neighbours[i]
			if n.LocalPort == "" || n.Protocol != ProtoLLDP && n.Protocol != ProtoCDP {
				continue
			}
			t := b.heardSwitch(first+i, n)
			if t == nil || t == s || joined(s, t) {
				continue
			}
			proto := strings.ToUpper(string(n.Protocol))
			remote := cmp.Or(n.PortID, n.PortDescr)
			switch {
			case n.LocalPortUnlisted:
				if t.MLAG != nil && t.MLAG.Kind == s.MLAG.Kind && isMgmtPortName(n.LocalPort) &&
					(isMgmtPortName(n.PortID) || isMgmtPortName(n.PortDescr)) {
					union(s, t, fmt.Sprintf("%s hears %s over %s on its management port %s (not in IF-MIB) from %s's management port %s, and both declare %s: taken as the %s keepalive link",
						s.Name, t.Name, proto, n.LocalPort, t.Name, remote, kind, kind))
				}
			default:
				if pl := peerLinkOf(s, n.LocalPort); pl != "" {
					on := pl
					if !SamePort(pl, n.LocalPort) {
						on = pl + " member " + n.LocalPort
					}
					union(s, t, fmt.Sprintf("%s hears %s over %s on its %s peer link %s", s.Name, t.Name, proto, kind, on))
				}
			}
			if s.MLAG.Peer != "" && hasAddr(n.MgmtAddrs, s.MLAG.Peer) {
				union(s, t, fmt.Sprintf("%s's %s keepalive peer %s is %s (its %s management address, heard on %s)",
					s.Name, kind, s.MLAG.Peer, t.Name, proto, n.LocalPort))
			}
		}
	}
}

// peerLinkOf returns the name of s's peer link when port is it (a LAG
// flagged PeerLink or named by MLAG.PeerLink, or the port MLAG.PeerLink
// names) or a member of it; "" otherwise.
func peerLinkOf(s *SwitchNode, port string) string {
	named := ""
	if s.MLAG != nil {
		named = s.MLAG.PeerLink
	}
	if named != "" && SamePort(named, port) {
		return named
	}
	for _, l := range []*LAG{s.LAG(port), s.LAGOf(port)} {
		if l != nil && (l.PeerLink || named != "" && SamePort(named, l.Name)) {
			return l.Name
		}
	}
	return ""
}

// isMgmtPortName reports names devices give an out-of-band management
// port: mgmt, mgmt0, oobm, Management1, management0/0 (case-insensitive).
func isMgmtPortName(s string) bool {
	l := strings.ToLower(strings.TrimSpace(s))
	for _, p := range []string{"management", "mgmt", "oobm"} {
		if rest, ok := strings.CutPrefix(l, p); ok {
			return strings.Trim(rest, "0123456789/") == ""
		}
	}
	return false
}

// hasAddr reports whether addrs holds addr (compared as IP addresses when
// both parse, as text otherwise).
func hasAddr(addrs []string, addr string) bool {
	want, err := netip.ParseAddr(strings.TrimSpace(addr))
	for _, a := range addrs {
		if err == nil {
			if got, err2 := netip.ParseAddr(strings.TrimSpace(a)); err2 == nil && got.Unmap() == want.Unmap() {
				return true
			}
		}
		if strings.EqualFold(strings.TrimSpace(a), strings.TrimSpace(addr)) {
			return true
		}
	}
	return false
}
