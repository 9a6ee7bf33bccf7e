package topology

import (
	"fmt"
	"strings"
)

// chassisKey normalises a chassis ID as Build's chassis lookups did before
// their MAC keys: a MAC in colon form, else the lower-cased text.
func chassisKey(id string) string {
	if mac := NormalizeMAC(id); mac != "" {
		return mac
	}
	return chassisText(id)
}

// CheckJoinIndexes builds the join indexes of Build for the snapshots and
// compares every lookup Build can make of them with a scan of the
// snapshots (the lookups the indexes replace); it returns the
// disagreements.
func CheckJoinIndexes(hosts []*Host, switches []*Switch) []string {
	b := newBuilder(hosts, switches, BuildOptions{})
	b.index()
	var bad []string
	errf := func(f string, a ...any) { bad = append(bad, fmt.Sprintf(f, a...)) }

	// every MAC-ish string and every LACP key the site holds
	var texts []string
	var keys []sysPort
	for _, s := range b.m.Switches {
		texts = append(texts, s.ChassisID, s.BaseMAC)
		for i := range s.Ports {
			p := &s.Ports[i]
			texts = append(texts, p.MAC)
			if l := p.LACP; l != nil {
				for _, e := range []*LACPPort{l.Actor, l.Partner} {
					if e != nil {
						texts = append(texts, e.System)
						if k, ok := usableMACKey(e.System); ok {
							keys = append(keys, sysPort{k, e.Port})
						}
					}
				}
			}
		}
		for i := range s.Neighbours {
			texts = append(texts, s.Neighbours[i].ChassisID, s.Neighbours[i].PortID, s.Neighbours[i].PortDescr)
		}
	}
	for _, h := range b.m.Hosts {
		for _, n := range h.NICs {
			texts = append(texts, n.MAC, n.PermMAC)
		}
		for i := range h.Neighbours {
			texts = append(texts, h.Neighbours[i].ChassisID, h.Neighbours[i].PortID)
		}
		for _, bd := range h.Bonds {
			texts = append(texts, bd.MAC, bd.AdActorSystem)
			for _, sl := range bd.Slaves {
				texts = append(texts, sl.PermMAC)
				for _, e := range []*LACPPort{sl.Actor, sl.Partner} {
					if e != nil {
						texts = append(texts, e.System)
						if k, ok := usableMACKey(e.System); ok {
							keys = append(keys, sysPort{k, e.Port})
						}
					}
				}
			}
		}
	}
	texts = append(texts, "", ZeroMAC, "not-a-mac")

	for _, x := range texts {
		mac := NormalizeMAC(x)
		// switch by chassis: the first switch (in order) with the key
		var wantSw *SwitchNode
		if k := chassisKey(x); k != "" && k != ZeroMAC {
			for _, s := range b.m.Switches {
				if chassisKey(s.ChassisID) == k || chassisKey(s.BaseMAC) == k {
					wantSw = s
					break
				}
			}
		}
		if got := b.switchByChassis(x); got != wantSw {
			errf("switchByChassis(%q) = %v, want %v", x, name(got), name(wantSw))
		}
		if mac == "" || mac == ZeroMAC {
			continue
		}
		k, _ := macKey(x)
		// port by MAC: the one port with the MAC
		var ports []*Port
		var wantPort swPort
		for _, s := range b.m.Switches {
			for i := range s.Ports {
				if NormalizeMAC(s.Ports[i].MAC) == mac {
					ports = append(ports, &s.Ports[i])
					wantPort = swPort{s, &s.Ports[i]}
				}
			}
		}
		if got, ok := b.portOfMAC(k); ok != (len(ports) == 1) || ok && got != wantPort {
			errf("portOfMAC(%s) = %v %v, want one of %d ports", mac, got, ok, len(ports))
		}
		// host by MAC: the one host owning the MAC
		var owners []*HostNode
		var nics []hostNIC
		for _, h := range b.m.Hosts {
			owns := false
			for _, n := range h.NICs {
				perm, cur := NormalizeMAC(n.PermMAC), NormalizeMAC(n.MAC)
				owns = owns || perm == mac || cur == mac
				key := perm
				if key == "" && n.Master == "" {
					key = cur
				}
				if key == mac {
					nics = append(nics, hostNIC{h, n.Name})
				}
			}
			for _, bd := range h.Bonds {
				owns = owns || NormalizeMAC(bd.MAC) == mac
				for _, sl := range bd.Slaves {
					if NormalizeMAC(sl.PermMAC) == mac {
						owns = true
						hn := hostNIC{h, sl.Name}
						dup := false
						for _, c := range nics {
							dup = dup || c == hn
						}
						if !dup {
							nics = append(nics, hn)
						}
					}
				}
			}
			if owns {
				owners = append(owners, h)
			}
		}
		var wantHost *HostNode
		if len(owners) == 1 {
			wantHost = owners[0]
		}
		if got := b.hostOfMAC(k); got != wantHost {
			errf("hostOfMAC(%s) = %v, want %v (of %d)", mac, hostName(got), hostName(wantHost), len(owners))
		}
		var one [1]hostNIC
		if got := b.nicByMAC.get(k, &one); fmt.Sprint(got) != fmt.Sprint(nics) {
			errf("nicByMAC(%s) = %v, want %v", mac, got, nics)
		}
	}

	// each port's record: its name, normalised name and LAG (the last LAG
	// listing it, as SwitchNode.lagOf keeps it)
	for _, s := range b.m.Switches {
		for i := range s.Ports {
			p := &s.Ports[i]
			var lag *LAG
			for li := range s.LAGs {
				for _, mem := range s.LAGs[li].Members {
					if NormalizePortName(mem) == NormalizePortName(p.Name) {
						lag = &s.LAGs[li]
					}
				}
			}
			want := portInfo{name: p.Name, norm: NormalizePortName(p.Name), lag: lag}
			if got := s.pinfo[i]; got != want {
				errf("switch %s port %d: pinfo %+v, want %+v", s.Name, i, got, want)
			}
		}
	}

	// a switch's port by any name a neighbour gives (portNamed) against a
	// scan of the switch's ports, on every switch
	var names []string
	for _, s := range b.m.Switches {
		for _, p := range s.Ports {
			names = append(names, p.Name, strings.ToUpper(p.Name), " "+p.Name, p.Alias, p.Descr)
		}
		for _, n := range s.Neighbours {
			names = append(names, n.LocalPort, n.PortID, n.PortDescr)
		}
	}
	for _, h := range b.m.Hosts {
		for _, n := range h.Neighbours {
			names = append(names, n.PortID, n.PortDescr)
		}
	}
	names = append(names, "", "Eth1", "Gi1/0/1", "Po1", "nope")
	for _, s := range b.m.Switches {
		for _, x := range names {
			var want *Port
			for i := range s.Ports {
				if NormalizePortName(s.Ports[i].Name) == NormalizePortName(x) {
					want = &s.Ports[i]
					break
				}
			}
			var got *Port
			if i := b.portNamed(s, x); i >= 0 {
				got = &s.Ports[i]
			}
			if got != want {
				errf("switch %s: portNamed(%q) = %p, want %p", s.Name, x, got, want)
			}
		}
	}

	for _, k := range keys {
		// the switch port sending the key as its actor, when one does
		var ports []swPort
		for _, s := range b.m.Switches {
			for i := range s.Ports {
				p := &s.Ports[i]
				if p.LACP != nil && p.LACP.Actor != nil && p.LACP.Actor.Port > 0 && p.LACP.Actor.Port == k.port &&
					NormalizeMAC(p.LACP.Actor.System) == macString(k.system) {
					ports = append(ports, swPort{s, p})
				}
			}
		}
		if v, ok := b.lacpPort.get(k); ok != (len(ports) == 1) || ok && b.swPortOf(v) != ports[0] {
			errf("lacpPort(%s, %d): %v, want one of %d ports", macString(k.system), k.port, ok, len(ports))
		}
		// the bond slave sending the key as its actor
		var slaves []hostNIC
		for _, h := range b.m.Hosts {
			for _, bd := range h.Bonds {
				for _, sl := range bd.Slaves {
					if sl.Actor == nil || sl.Actor.Port <= 0 || sl.Actor.Port != k.port {
						continue
					}
					sys := NormalizeMAC(sl.Actor.System)
					if sys == "" {
						sys = actorSystemOf(&bd)
					}
					if sys == macString(k.system) {
						slaves = append(slaves, hostNIC{h, sl.Name})
					}
				}
			}
		}
		if v, ok := b.bondActorOf.get(k); ok != (len(slaves) == 1) || ok && b.actorNICs[v] != slaves[0] {
			errf("bondActorOf(%s, %d): %v, want one of %d slaves", macString(k.system), k.port, ok, len(slaves))
		}
	}
	return bad
}

func name(s *SwitchNode) string {
	if s == nil {
		return "<nil>"
	}
	return s.Name
}

func hostName(h *HostNode) string {
	if h == nil {
		return "<nil>"
	}
	return h.Name
}

// PortRecords counts the switches of m that still hold Build's per-port
// records.
func PortRecords(m *Model) int {
	n := 0
	for _, s := range m.Switches {
		if s.pinfo != nil {
			n++
		}
	}
	return n
}

// get answers one lookup.
func (j *sortJoin) get(k sysPort) (uint64, bool) {
	v := j.join([]sysPort{k})[0]
	return v, v != joinMany
}

// CheckHeard runs the switch-side producer and compares what it recorded
// of each switch neighbour (heard) with findSwitch; it returns the
// disagreements and how many neighbours were recorded.
func CheckHeard(hosts []*Host, switches []*Switch) (bad []string, recorded int) {
	b := newBuilder(hosts, switches, BuildOptions{})
	b.index()
	b.heardBy()
	b.switchNeighbours()
	j := 0
	for _, s := range b.m.Switches {
		for i := range s.Neighbours {
			n := &s.Neighbours[i]
			if b.heard[j] != 0 {
				recorded++
			}
			if got, want := b.heardSwitch(j, n), b.findSwitch(n); got != want {
				bad = append(bad, fmt.Sprintf("switch %s neighbour %d: heard %v, findSwitch %v", s.Name, i, name(got), name(want)))
			}
			j++
		}
	}
	return bad, recorded
}

// SetSpans sets how Build's per-host passes are cut into runs (spans)
// until restore is called: at most max runs, each of at least minWeight.
func SetSpans(max, minWeight int) (restore func()) {
	m, w := spanMax, spanMinWeight
	spanMax, spanMinWeight = max, minWeight
	return func() { spanMax, spanMinWeight = m, w }
}

// DiffVLANsBoth is the port VLAN drift from old to new as Diff finds it
// and as the naive version (diff_test.go) does.
func DiffVLANsBoth(old, new *Model) (got, naive []PortVLANDrift) {
	var g, n Drift
	g.diffVLANs(old, new)
	naiveDiffVLANs(&n, old, new)
	return g.PortVLANs, n.PortVLANs
}

// DiffLAGsBoth is the LAG drift from old to new as Diff finds it, and
// with its skip of unchanged switches off.
func DiffLAGsBoth(old, new *Model) (got, slow Drift) {
	got.diffLAGs(old, new)
	lagFastPath = false
	defer func() { lagFastPath = true }()
	slow.diffLAGs(old, new)
	return got, slow
}
