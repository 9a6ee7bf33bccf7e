package l2

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/bondaudit/bondaudit/topology"
)

// Neighbours collapses frames into the neighbours a host collector
// records: one per local port, protocol and sender, keeping the last frame
// heard (a sender's LLDP/CDP re-advertisements and LACPDUs repeat). The
// sender is the LLDP MSAP (chassis ID + port ID), the CDP device ID + port
// ID, or the LACP actor system + port; the source MAC when those are empty.
//
// LocalPort is the frame's Interface when known, else localPort (the NIC
// the capture or listen was done on). Frames the host sent itself
// (Outgoing) and frames mirrored through a tunnel are left out: neither was
// heard on a local port. The result is sorted by local port, protocol,
// chassis ID and port ID; slices are copied, not shared with the frames.
func Neighbours(frames []Frame, localPort string) []topology.Neighbour {
	var out []topology.Neighbour
	at := map[string]int{}
	for i := range frames {
		f := &frames[i]
		if f.Neighbour == nil || f.Outgoing || f.Tunnel != "" {
			continue
		}
		n := clone(f.Neighbour)
		n.LocalPort = f.Interface
		if n.LocalPort == "" {
			n.LocalPort = localPort
		}
		key := n.LocalPort + "\x00" + string(n.Protocol) + "\x00" + sender(f, &n)
		if j, ok := at[key]; ok {
			out[j] = n
			continue
		}
		at[key] = len(out)
		out = append(out, n)
	}
	slices.SortStableFunc(out, func(a, b topology.Neighbour) int {
		return cmp.Or(cmp.Compare(a.LocalPort, b.LocalPort), cmp.Compare(a.Protocol, b.Protocol),
			cmp.Compare(a.ChassisID, b.ChassisID), cmp.Compare(a.PortID, b.PortID),
			cmp.Compare(lacpKey(a.LACP), lacpKey(b.LACP)))
	})
	return out
}

func sender(f *Frame, n *topology.Neighbour) string {
	var id string
	switch {
	case n.LACP != nil:
		id = lacpKey(n.LACP)
	case n.ChassisID != "" || n.PortID != "":
		id = n.ChassisIDSubtype + "|" + n.ChassisID + "|" + n.PortIDSubtype + "|" + n.PortID
	}
	if id == "" {
		id = "mac|" + f.SrcMAC
	}
	return id
}

func lacpKey(p *topology.LACPPort) string {
	if p == nil {
		return ""
	}
	return fmt.Sprintf("%s|%05d", p.System, p.Port)
}

func clone(n *topology.Neighbour) topology.Neighbour {
	c := *n
	c.MgmtAddrs = slices.Clone(n.MgmtAddrs)
	c.VLANs = slices.Clone(n.VLANs)
	if n.LinkAgg != nil {
		la := *n.LinkAgg
		c.LinkAgg = &la
	}
	if n.LACP != nil {
		p := *n.LACP
		c.LACP = &p
	}
	return c
}
