package host

import (
	"bytes"
	"fmt"
	"slices"
	"strings"

	"github.com/bondaudit/bondaudit/collect/l2"
	"github.com/bondaudit/bondaudit/topology"
)

// FramesToNeighbours turns frames heard on the host's NICs (a pcap or the
// passive listener) into neighbours per NIC: LLDP, CDP and LACPDUs (the
// switch port's actor). Frames whose interface cannot be told (a
// `tcpdump -i any` pcap in the old cooked format) are skipped, and said so.
func FramesToNeighbours(frames []l2.Frame, ifNames map[int]string, nics []topology.NIC) ([]topology.Neighbour, []string) {
	known := map[string]bool{}
	for _, n := range nics {
		known[n.Name] = true
	}
	var problems []string
	unnamed := 0
	byPort := map[string][]l2.Frame{}
	for _, f := range frames {
		name := f.Interface
		if name == "" && f.IfIndex > 0 {
			name = ifNames[f.IfIndex]
		}
		if name == "" || name == "any" {
			unnamed++
			continue
		}
		f.Interface = name
		byPort[name] = append(byPort[name], f)
	}
	if unnamed > 0 {
		problems = append(problems, fmt.Sprintf("%d frame(s) heard on an interface the capture does not name (capture with tcpdump ≥ 4.99 -i any, which records the interface, or one pcap per NIC)", unnamed))
	}
	var ports []string
	for p := range byPort {
		ports = append(ports, p)
	}
	slices.Sort(ports)
	var out []topology.Neighbour
	for _, p := range ports {
		if !known[p] {
			continue // the bond, a bridge, a VLAN interface: not a physical slave
		}
		for _, n := range l2.Neighbours(byPort[p], p) {
			n.LinkAgg = canonLinkAgg(n.LinkAgg)
			out = append(out, n)
		}
	}
	return out, problems
}

// readPcap adds the neighbours of a capture's l2.pcap to h.
func readPcapInto(h *topology.Host, b []byte, file string, ifNames map[int]string) []string {
	frames, errs := l2.ReadPcap(bytes.NewReader(b), file)
	var problems []string
	for i, e := range errs {
		if i == 5 {
			problems = append(problems, fmt.Sprintf("%s: %d more unreadable frames", file, len(errs)-5))
			break
		}
		problems = append(problems, e.Error())
	}
	nbs, p := FramesToNeighbours(frames, ifNames, h.NICs)
	for _, x := range p {
		problems = append(problems, file+": "+x)
	}
	h.Neighbours = mergeNeighbours(h.Neighbours, nbs)
	return problems
}

// mergeNeighbours joins two lists of neighbours, lldpd's and the heard
// ones, in either order: a neighbour both name (same NIC, protocol, chassis
// and port ID, or for a LACPDU the same actor system and port) is listed once,
// the copy in have completed with what only the other copy says. Whichever
// list comes first, each neighbour appears once (the live collector with
// --listen appends the heard frames before asking lldpcli).
func mergeNeighbours(have, add []topology.Neighbour) []topology.Neighbour {
	at := map[string]int{}
	var out []topology.Neighbour
	for _, list := range [][]topology.Neighbour{have, add} {
		for _, n := range list {
			k := neighbourKey(&n)
			if i, ok := at[k]; ok {
				fillNeighbour(&out[i], &n)
				continue
			}
			at[k] = len(out)
			out = append(out, n)
		}
	}
	return out
}

func neighbourKey(n *topology.Neighbour) string {
	k := n.LocalPort + "\x00" + string(n.Protocol) + "\x00" + strings.ToLower(n.ChassisID) + "\x00" + strings.ToLower(n.PortID)
	if n.LACP != nil {
		k += fmt.Sprintf("\x00%s|%d", strings.ToLower(n.LACP.System), n.LACP.Port)
	}
	return k
}

// fillNeighbour completes n with the fields only o has.
func fillNeighbour(n, o *topology.Neighbour) {
	fill := func(dst *string, src string) {
		if *dst == "" {
			*dst = src
		}
	}
	fill(&n.ChassisIDSubtype, o.ChassisIDSubtype)
	fill(&n.PortIDSubtype, o.PortIDSubtype)
	fill(&n.PortID, o.PortID)
	fill(&n.PortDescr, o.PortDescr)
	fill(&n.SystemName, o.SystemName)
	fill(&n.SystemDescr, o.SystemDescr)
	if len(n.MgmtAddrs) == 0 {
		n.MgmtAddrs = o.MgmtAddrs
	}
	if n.PVID == 0 {
		n.PVID = o.PVID
	}
	if len(n.VLANs) == 0 {
		n.VLANs = o.VLANs
	}
	if n.MaxFrameSize == 0 {
		n.MaxFrameSize = o.MaxFrameSize
	}
	if n.LinkAgg == nil {
		n.LinkAgg = o.LinkAgg
	}
	if n.LACP == nil {
		n.LACP = o.LACP
	}
}
