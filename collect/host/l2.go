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
		out = append(out, l2.Neighbours(byPort[p], p)...)
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

// mergeNeighbours adds heard neighbours, skipping ones lldpd already
// reported (same NIC, protocol and chassis).
func mergeNeighbours(have, add []topology.Neighbour) []topology.Neighbour {
	key := func(n *topology.Neighbour) string {
		return n.LocalPort + "\x00" + string(n.Protocol) + "\x00" + strings.ToLower(n.ChassisID)
	}
	seen := map[string]bool{}
	for i := range have {
		seen[key(&have[i])] = true
	}
	for i := range add {
		if !seen[key(&add[i])] {
			have = append(have, add[i])
		}
	}
	return have
}
