package rules

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/bondaudit/bondaudit/topology"
)

// Switch only: facts about the switches themselves that break bonds.

var switchLAGSpeedMismatch = Rule{
	ID: "switch.lag-speed-mismatch", Title: "Port-channel members at different speeds", Severity: Warning,
	Summary: "Members of one LAG run at different speeds.",
	Why: `LACP puts ports of different speeds in different aggregators (the slower ones
are suspended); static bundles hash flows evenly over unequal links, so the
slow member saturates first.`,
	FixHost: `Nothing on the host to configure; check the NICs facing this LAG (ethtool eth0: Speed): a slow NIC is bond.speed-mismatch's finding.`,
	FixSwitch: `Cisco IOS/NX-OS: show interfaces status; interface Ethernet1/2 / speed 10000 (the other members' speed; IOS: speed auto); replace a mismatched optic
Arista EOS: show interfaces status; interface Ethernet2 / speed forced 10000full (the other members' speed) or speed auto
Junos: set interfaces ae0 aggregated-ether-options link-speed 10g (members at another speed stay out); show interfaces ae0 extensive`,
	Evidence: "IF-MIB ifHighSpeed of each up member of the LAG.",
	Check: func(c *Context) {
		for si := range c.ix.sws {
			sv := &c.ix.sws[si]
			sw := sv.sw
			if sw.Unreachable {
				continue
			}
			for li := range sv.lags {
				lv := &sv.lags[li]
				l := lv.lag
				// most LAGs run at one speed: group only when two differ
				if !mixed(lv.members, func(mv memberView) (int, bool) { return mv.upSpeed, mv.upSpeed > 0 }) {
					continue
				}
				speeds := map[int][]string{}
				for mi := range lv.members {
					if sp := lv.members[mi].upSpeed; sp > 0 {
						speeds[sp] = append(speeds[sp], lv.members[mi].name)
					}
				}
				if len(speeds) < 2 {
					continue
				}
				var parts, ev []string
				var keys []int
				for s := range speeds {
					keys = append(keys, s)
				}
				slices.Sort(keys)
				for _, s := range keys {
					parts = append(parts, fmt.Sprintf("%s at %s", strings.Join(speeds[s], ", "), mbps(s)))
					for _, m := range speeds[s] {
						ev = append(ev, fmt.Sprintf("switch %s: %s ifHighSpeed %d Mb/s, up", sw.Name, m, s))
					}
				}
				f := Finding{Switch: sw.Name, Port: l.Name}
				for _, mv := range lv.members {
					for _, lk := range mv.links {
						f.Host = lk.Host
						if h := c.Model.Host(lk.Host); h != nil {
							if n := h.NIC(lk.NIC); n != nil {
								f.Bond = n.Master
							}
						}
					}
				}
				f.Message = fmt.Sprintf("%s %s mixes speeds: %s", sw.Name, l.Name, strings.Join(parts, "; "))
				f.Fix = fmt.Sprintf("on %s, run every member of %s at one speed", sw.Name, l.Name)
				f.Evidence = ev
				c.Report(f)
			}
		}
	},
}

// peerLinks returns the LAGs of sw that link it to the other switches of
// its domain: flagged as peer link by a vendor MIB, named by the MLAG
// config, or with a member cabled (switch-to-switch LLDP) to a peer.
func peerLinks(c *Context, sw *topology.SwitchNode) []*lagView {
	d := sw.Domain
	var out []*lagView
	sv := c.ix.swOf(c.Model, sw)
	if sv == nil {
		return nil
	}
	for li := range sv.lags {
		lv := &sv.lags[li]
		l := lv.lag
		is := l.PeerLink || (sw.MLAG != nil && sw.MLAG.PeerLink != "" && topology.SamePort(sw.MLAG.PeerLink, l.Name))
		if !is && d != nil {
			for _, mv := range lv.members {
				if u := mv.uplink; u != nil {
					other := u.A
					if other == sw.Name {
						other = u.B
					}
					if other != sw.Name && slices.Contains(d.Switches, other) {
						is = true
					}
				}
			}
		}
		if is {
			out = append(out, lv)
		}
	}
	return out
}

var switchMLAGPeerLinkDown = Rule{
	ID: "switch.mlag-peer-link-down", Title: "MLAG/vPC peer link down", Severity: Error,
	Summary: "The MLAG/vPC peer link is down.",
	Why: `Without the peer link the two switches stop acting as one LACP partner: the
secondary suspends its MLAG port-channels (or both keep forwarding, split-brain),
and dual-homed bonds lose half their links or see two partners.`,
	FixHost: `Nothing on the host; expect lacp.partner-mismatch or bond.slave-down findings until the peer link is back.`,
	FixSwitch: `Cisco IOS/NX-OS: show vpc; show vpc peer-keepalive; show port-channel summary; bring up the peer-link's members: interface Ethernet1/49 / no shutdown
Arista EOS: show mlag detail; show port-channel; bring up the peer-link Port-Channel's members (interface Ethernet49 / no shutdown)
Junos: show iccp; show interfaces ae1 extensive (the ICL); bring up its members (delete interfaces xe-0/0/48 disable)`,
	Evidence: "Vendor MLAG MIBs (peer-link state), or the ifOperStatus of the port-channel that links the domain's switches (found from switch-to-switch LLDP).",
	Check: func(c *Context) {
		for _, d := range c.Model.Domains {
			reported := false
			for _, name := range d.Switches {
				sw := c.Model.Switch(name)
				if sw == nil || sw.Unreachable {
					continue
				}
				for _, lv := range peerLinks(c, sw) {
					l, lp := lv.lag, lv.port
					oper := l.Oper
					if lp != nil && lp.Oper != "" {
						oper = lp.Oper
					}
					if oper.Up() {
						continue
					}
					f := Finding{Switch: sw.Name, Port: l.Name, Domain: d.Name}
					f.Message = fmt.Sprintf("the peer link %s of %s domain %s on %s is %s", l.Name, d.Kind, d.Name, sw.Name, oper)
					f.Fix = fmt.Sprintf("restore %s on %s (members %s)", l.Name, sw.Name, strings.Join(l.Members, ", "))
					f.Evidence = []string{fmt.Sprintf("switch %s: %s ifOperStatus %s", sw.Name, l.Name, oper),
						fmt.Sprintf("domain %s (%s): %s", d.Name, d.Kind, strings.Join(d.Evidence, "; "))}
					c.Report(f)
					reported = true
				}
			}
			if !reported && d.PeerLinkUp != nil && !*d.PeerLinkUp {
				f := Finding{Switch: d.Switches[0], Domain: d.Name}
				f.Message = fmt.Sprintf("the peer link of %s domain %s (%s) is down", d.Kind, d.Name, strings.Join(d.Switches, ", "))
				f.Fix = "restore the peer link (show mlag / show vpc)"
				f.Evidence = []string{fmt.Sprintf("domain %s: peer link down (vendor MLAG MIB)", d.Name)}
				c.Report(f)
			}
		}
	},
}

var switchMLAGInconsistent = Rule{
	ID: "switch.mlag-inconsistent", Title: "MLAG port-channel on one peer only", Severity: Warning,
	Summary: "An MLAG port-channel exists, or is up, on one peer only.",
	Why: `The bond believes it is dual-homed, but one switch has no (or a down)
port-channel for it: the bond silently runs on one switch and loses its second
path.`,
	FixHost: `Nothing on the host; expect the bond to run on one switch until both peers have the port-channel up.`,
	FixSwitch: `Cisco IOS/NX-OS: on both vPC peers: interface port-channel10 / vpc 10 / no shutdown; show vpc consistency-parameters interface port-channel 10
Arista EOS: on both MLAG peers: interface Port-Channel10 / mlag 10 / no shutdown; show mlag interfaces; show mlag config-sanity
Junos: on both MC-LAG peers: set interfaces ae0 aggregated-ether-options mc-ae mc-ae-id 10 (same lacp system-id and admin-key); show interfaces mc-ae`,
	Evidence: "The MLAG IDs and ifOperStatus of the port-channels on both peers (vendor MLAG MIBs), or of the two port-channels a dual-homed bond lands in.",
	Check: func(c *Context) {
		mlagByID(c)
		mlagDualHomed(c)
	},
	siteCheck: mlagByID,
	bondCheck: mlagDualHomed,
}

// mlagByID is switch.mlag-inconsistent by MLAG ID, where the vendor MIB
// gives one.
func mlagByID(c *Context) {
	for _, d := range c.Model.Domains {
		type at struct {
			sw  *topology.SwitchNode
			lag *topology.LAG
		}
		byID := map[int][]at{}
		exposes := map[string]bool{}
		for _, name := range d.Switches {
			sw := c.Model.Switch(name)
			if sw == nil || sw.Unreachable {
				continue
			}
			for li := range sw.LAGs {
				if id := sw.LAGs[li].MLAGID; id > 0 {
					byID[id] = append(byID[id], at{sw, &sw.LAGs[li]})
					exposes[name] = true
				}
			}
		}
		for _, id := range slices.Sorted(maps.Keys(byID)) {
			ls := byID[id]
			var missingOn []string
			for _, name := range d.Switches {
				has := false
				for _, x := range ls {
					has = has || x.sw.Name == name
				}
				if !has && exposes[name] {
					missingOn = append(missingOn, name)
				}
			}
			if len(missingOn) > 0 {
				f := Finding{Switch: ls[0].sw.Name, Port: ls[0].lag.Name}
				f.Message = fmt.Sprintf("MLAG %d (%s on %s) does not exist on %s", id, ls[0].lag.Name, ls[0].sw.Name, strings.Join(missingOn, ", "))
				f.Fix = fmt.Sprintf("configure MLAG %d on %s", id, strings.Join(missingOn, ", "))
				f.Evidence = []string{fmt.Sprintf("switch %s: %s MLAG ID %d", ls[0].sw.Name, ls[0].lag.Name, id)}
				for _, n := range missingOn {
					f.Evidence = append(f.Evidence, fmt.Sprintf("switch %s: no port-channel with MLAG ID %d", n, id))
				}
				c.Report(f)
			}
		}
	}
}

// mlagDualHomed is switch.mlag-inconsistent for dual-homed bonds: the
// port-channels on the two peers disagree about being up.
func mlagDualHomed(c *Context) {
	for _, b := range c.bonds() {
		type lagAt struct {
			s    *slaveView
			oper topology.LinkState // folded: shown in lower case
		}
		var lsBuf [4]lagAt
		ls := lsBuf[:0]
		seen := map[*topology.LAG]bool{}
		for _, s := range b.mapped() {
			if s.lag == nil || !s.switchUsable() || seen[s.lag] || s.sw.Domain == nil {
				continue
			}
			seen[s.lag] = true
			oper := s.lag.Oper
			if lp := s.lv.port; lp != nil && lp.Oper != "" {
				oper = lp.Oper
			}
			if oper != "" {
				ls = append(ls, lagAt{s, oper.Folded()})
			}
		}
		for i := 1; i < len(ls); i++ {
			a, z := ls[0], ls[i]
			// usable slaves: switches of the site, one node per name
			if a.s.sw == z.s.sw || !sameDomain(a.s.sw, z.s.sw) || a.oper.Up() == z.oper.Up() {
				continue
			}
			down := z
			if !a.oper.Up() {
				down = a
			}
			f := b.finding(down.s)
			f.Port = down.s.lag.Name
			f.NIC = ""
			f.Message = fmt.Sprintf("%s's MLAG port-channels disagree: %s %s is %s, %s %s is %s: the bond runs on one switch",
				b.bond.Name, a.s.link.Switch, a.s.lag.Name, a.oper, z.s.link.Switch, z.s.lag.Name, z.oper)
			f.Fix = fmt.Sprintf("bring %s up on %s (check its members and MLAG/vPC config)", down.s.lag.Name, down.s.link.Switch)
			f.Evidence = []string{linkEv(a.s), linkEv(z.s),
				fmt.Sprintf("switch %s: %s ifOperStatus %s", a.s.link.Switch, a.s.lag.Name, a.oper),
				fmt.Sprintf("switch %s: %s ifOperStatus %s", z.s.link.Switch, z.s.lag.Name, z.oper)}
			c.Report(f)
		}
	}
}
