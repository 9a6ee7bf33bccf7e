package rules

import (
	"fmt"
	"slices"
	"strings"

	"github.com/bondaudit/bondaudit/topology"
)

// Host against switch: rules that need the NIC-to-port map. Each stays
// silent for a slave whose switch was not read or whose LAG membership is
// not known.

// perSlave runs check for every mapped slave of class-cl bonds.
func perSlave(c *Context, cl Class, check func(b *bondView, s *slaveView)) {
	bs := c.bonds()
	for bi := range bs {
		b := &bs[bi] // the shared index: checks only read it
		if b.class != cl {
			continue
		}
		for i := range b.slaves {
			if b.slaves[i].link != nil {
				check(b, &b.slaves[i])
			}
		}
	}
}

var lacpSwitchNotAggregated = Rule{
	ID: "lacp.switch-not-aggregated", Title: "802.3ad slave on a port in no LAG", Severity: Error,
	Summary: "A class-lacp slave's switch port is in no LAG.",
	Why:     "802.3ad needs an LACP port-channel on the switch. Without one the switch treats the ports as independent: the bond's MAC moves between ports (MAC flapping) and frames are lost.",
	FixHost: `Nothing on the host if 802.3ad is intended; expect lacp.no-partner until the port-channel exists. If the ports must stay plain, make the bond active-backup:
` + fixModeActiveBackup,
	FixSwitch: `Cisco IOS/NX-OS: interface Gi1/0/1 / channel-group 10 mode active, on every bond port (NX-OS: feature lacp first); VLANs on interface port-channel10
Arista EOS: interface Ethernet1 / channel-group 10 mode active, on every bond port; VLANs on Port-Channel10 (MLAG: mlag 10 on both peers)
Junos: set chassis aggregated-devices ethernet device-count 1; set interfaces xe-0/0/1 ether-options 802.3ad ae0; set interfaces ae0 aggregated-ether-options lacp active`,
	Evidence: "Switch: IF-MIB ifStackTable and IEEE8023-LAG-MIB dot3adAggPortAttachedAggID/SelectedAggID (or vendor MIBs); the map from LLDP/LACP/FDB.",
	Check: func(c *Context) {
		perSlave(c, ClassLACP, func(b *bondView, s *slaveView) {
			if s.lag != nil || !s.lagKnown() {
				return
			}
			f := b.finding(s)
			f.Message = fmt.Sprintf("%s is 802.3ad but %s %s (%s) is in no port-channel", b.bond.Name, s.link.Switch, s.link.Port, s.s.Name)
			f.Fix = fmt.Sprintf("on %s, put %s in an LACP port-channel (channel-group N mode active) with the bond's other ports", s.link.Switch, s.link.Port)
			f.Evidence = append([]string{b.hostEv("mode 802.3ad"), linkEv(s)}, portEv(s)...)
			c.Report(f)
		})
	},
}

var lacpSwitchStaticLAG = Rule{
	ID: "lacp.switch-static-lag", Title: "802.3ad slave on a static LAG", Severity: Error,
	Summary: "A class-lacp slave's switch port is in a static (non-LACP) LAG.",
	Why:     "A static port-channel (\"mode on\") ignores LACPDUs: the host never finds a partner, keeps its slaves defaulted, and the two ends disagree about the bundle.",
	FixHost: `Nothing on the host if 802.3ad is intended. To match the static port-channel instead, make the bond balance-xor (no LACP: a dead port is detected by link only):
` + fixModeBalanceXOR,
	FixSwitch: `Cisco IOS/NX-OS: interface Gi1/0/1 / no channel-group / channel-group 10 mode active, on every member (mode on cannot become active in place)
Arista EOS: interface Ethernet1 / no channel-group / channel-group 10 mode active, on every member
Junos: set interfaces ae0 aggregated-ether-options lacp active (an ae without lacp is static)`,
	Evidence: "Switch: the LAG's kind (IEEE8023-LAG-MIB actor state without LACP activity, or vendor MIBs).",
	Check: func(c *Context) {
		perSlave(c, ClassLACP, func(b *bondView, s *slaveView) {
			if s.lag == nil || s.lag.Kind != topology.LAGStatic {
				return
			}
			f := b.finding(s)
			f.Message = fmt.Sprintf("%s is 802.3ad but %s %s (%s) is in static port-channel %s: LACPDUs are ignored", b.bond.Name, s.link.Switch, s.link.Port, s.s.Name, s.lag.Name)
			f.Fix = fmt.Sprintf("on %s, change %s to LACP (channel-group N mode active)", s.link.Switch, s.lag.Name)
			f.Evidence = append([]string{b.hostEv("mode 802.3ad"), linkEv(s)}, portEv(s)...)
			c.Report(f)
		})
	},
}

// notBundled are switch member states that take a port out of the bundle.
var notBundled = []string{"suspended", "individual", "standby", "defaulted"}

var lacpSwitchPortNotBundled = Rule{
	ID: "lacp.switch-port-not-bundled", Title: "Switch has the port out of the bundle", Severity: Error,
	Summary: "The switch reports a class-lacp slave's member port suspended, individual, standby or defaulted.",
	Why:     "The switch has taken the port out of the port-channel: it forwards nothing (suspended, standby) or runs it as a separate link (individual), whatever the host thinks.",
	FixHost: `Nothing on the host as such; check /proc/net/bonding/bond0: all slaves up, at one speed, with one partner system and key (else see bond.speed-mismatch).`,
	FixSwitch: `Cisco IOS/NX-OS: show etherchannel 10 detail; show lacp neighbor (NX-OS: show port-channel summary); fix the mismatch shown, then shutdown / no shutdown
Arista EOS: show port-channel 10 detailed; show lacp interface Ethernet1; fix the mismatch shown, then interface Ethernet1 / shutdown / no shutdown
Junos: show lacp interfaces xe-0/0/1 extensive; show interfaces ae0 extensive; fix the mismatch shown (speed, partner, ae membership)`,
	Evidence: "Switch: IEEE8023-LAG-MIB dot3adAggPortActorOperState / AttachedAggID, or vendor member status.",
	Check: func(c *Context) {
		perSlave(c, ClassLACP, func(b *bondView, s *slaveView) {
			if s.port == nil || s.port.LACP == nil || !s.switchUsable() || s.down() {
				return
			}
			st := strings.ToLower(s.port.LACP.Status)
			if !slices.Contains(notBundled, st) {
				return
			}
			f := b.finding(s)
			lag := "its port-channel"
			if s.lag != nil {
				lag = s.lag.Name
			}
			f.Message = fmt.Sprintf("%s reports %s (%s slave %s) %s, out of %s", s.link.Switch, s.link.Port, b.bond.Name, s.s.Name, st, lag)
			f.Fix = fmt.Sprintf("on %s, check why %s is %s (show lacp interface / show etherchannel detail)", s.link.Switch, s.link.Port, st)
			f.Evidence = append([]string{linkEv(s), fmt.Sprintf("switch %s: %s LACP status %s", s.link.Switch, s.link.Port, st)}, portEv(s)...)
			c.Report(f)
		})
	},
}

// oneMLAGPortChannel reports whether two LAGs on different switches of one
// domain are known to be one multi-chassis port-channel, and whether that
// is known at all.
func oneMLAGPortChannel(a, b *topology.LAG) (same, known bool) {
	if a.MLAGID != 0 && b.MLAGID != 0 {
		return a.MLAGID == b.MLAGID, true
	}
	sa, sb := a.ActorSystem, b.ActorSystem
	if sa != "" && sb != "" && a.ActorKey != 0 && b.ActorKey != 0 {
		return sa == sb && a.ActorKey == b.ActorKey, true
	}
	if a.MLAG != "" && b.MLAG != "" {
		return true, true
	}
	return false, false
}

var lacpSplitAcrossLAGs = Rule{
	ID: "lacp.split-across-lags", Title: "802.3ad slaves in different LAGs", Severity: Error,
	Summary: "Slaves of one bond land in different LAGs that are not one MLAG port-channel.",
	Why:     "Two bundles for one bond: the host aggregates with only one of them, the ports in the other carry nothing, and a misconfigured pair can loop.",
	FixHost: `Nothing on the host; the switch side has two bundles for one bond.`,
	FixSwitch: `Cisco IOS/NX-OS: interface Gi1/0/2 / no channel-group / channel-group 10 mode active (across a vPC pair: vpc 10 on both port-channel10)
Arista EOS: interface Ethernet2 / no channel-group / channel-group 10 mode active; across an MLAG pair: interface Port-Channel10 / mlag 10 on both
Junos: delete interfaces xe-0/0/2 ether-options 802.3ad; set interfaces xe-0/0/2 ether-options 802.3ad ae0 (MC-LAG: the same mc-ae-id on both peers)`,
	Evidence: "Switch: the LAG each slave's port belongs to; MLAG/domain membership.",
	Check: func(c *Context) {
		for _, b := range c.bonds() {
			if b.class != ClassLACP {
				continue
			}
			var inBuf [4]*slaveView
			in := inBuf[:0]
			for _, s := range b.mapped() {
				if s.lag != nil && s.switchUsable() {
					in = append(in, s)
				}
			}
			if len(in) < 2 {
				continue
			}
			split := false
			for _, s := range in[1:] {
				a := in[0]
				switch {
				case a.sw == s.sw: // usable: switches of the site, one node per name
					if a.lag.Name != s.lag.Name {
						split = true
					}
				case !sameDomain(a.sw, s.sw):
					split = true
				default:
					if same, known := oneMLAGPortChannel(a.lag, s.lag); known && !same {
						split = true
					}
				}
			}
			if !split {
				continue
			}
			var parts, ev []string
			for _, s := range in {
				parts = append(parts, fmt.Sprintf("%s → %s %s", s.s.Name, s.link.Switch, s.lag.Name))
				ev = append(ev, linkEv(s))
				ev = append(ev, portEv(s)...)
			}
			f := b.finding(nil)
			f.Message = fmt.Sprintf("%s is split across port-channels that are not one bundle: %s", b.bond.Name, strings.Join(parts, ", "))
			f.Fix = "put every port of the bond in one port-channel (one MLAG port-channel across a pair)"
			f.Evidence = ev
			c.Report(f)
		}
	},
}

// multiSwitch reports the bonds of class cl whose mapped slaves land on
// switches that are not one stack/MLAG domain.
func multiSwitch(c *Context, cl Class, what string) {
	for _, b := range c.bonds() {
		if b.class != cl {
			continue
		}
		sws := b.switches()
		if len(sws) < 2 {
			continue
		}
		one := true
		for _, sw := range sws[1:] {
			if !c.Model.SameDomain(sws[0], sw) {
				one = false
			}
		}
		if one {
			continue
		}
		ms := b.mapped()
		var ev []string
		for _, s := range ms {
			ev = append(ev, linkEv(s))
		}
		for _, sw := range sws {
			if n := c.Model.Switch(sw); n != nil && n.Domain != nil {
				ev = append(ev, fmt.Sprintf("switch %s: member of %s domain %s (%s)", sw, n.Domain.Kind, n.Domain.Name, strings.Join(n.Domain.Switches, ", ")))
			} else {
				ev = append(ev, fmt.Sprintf("switch %s: in no MLAG/stack domain (no shared LACP system ID, no vendor MLAG data)", sw))
			}
		}
		f := b.finding(nil)
		f.Message = fmt.Sprintf("%s (%s) spans %s, which are not one stack or MLAG domain: %s", b.bond.Name, b.bond.Mode, strings.Join(sws, " and "), what)
		f.Fix = "cable the bond to one switch or one MLAG pair, or make the switches an MLAG/vPC domain"
		f.Evidence = ev
		c.Report(f)
	}
}

var lacpMultiSwitchNoMLAG = Rule{
	ID: "lacp.multi-switch-no-mlag", Title: "802.3ad bond across switches that are not an MLAG pair", Severity: Error,
	Summary: "Class-lacp slaves land on two or more switches that are not one stack or MLAG/vPC/VLT domain.",
	Why:     "Independent switches send different LACP system IDs; the host can aggregate with only one of them, so only one switch carries traffic and the redundancy is an illusion.",
	FixHost: `Nothing on the host if the switches should be one MLAG/vPC pair. If they cannot be, make the bond active-backup across them (plain ports):
` + fixModeActiveBackup,
	FixSwitch: `Configure the two switches as one MLAG/vPC domain with one port-channel for the bond, or cable the bond to one switch:
Cisco IOS/NX-OS: vPC (NX-OS): feature vpc; vpc domain 1 with peer-keepalive and vpc peer-link; interface port-channel10 / vpc 10 on both (IOS: a stack)
Arista EOS: mlag configuration (domain-id, local-interface, peer-address, peer-link) on both peers; interface Port-Channel10 / mlag 10 on both
Junos: set interfaces ae0 aggregated-ether-options mc-ae mc-ae-id 10 redundancy-group 1 chassis-id 0 mode active-active status-control active
Junos: the peer: chassis-id 1, status-control standby; both: set interfaces ae0 aggregated-ether-options lacp system-id 00:00:00:00:00:0a admin-key 10; ICCP`,
	Evidence: "The map (LLDP/LACP/FDB) and MLAG domains (vendor MIBs or a shared LACP system ID).",
	Check: func(c *Context) {
		multiSwitch(c, ClassLACP, "the partner system IDs differ and only one switch carries traffic")
	},
}

var staticSwitchNotAggregated = Rule{
	ID: "static.switch-not-aggregated", Title: "Static bond on a port in no LAG", Severity: Error,
	Summary: "A class-static (balance-rr, balance-xor, broadcast) slave's switch port is in no LAG.",
	Why:     "The bond sends its one source MAC out of several ports; without a port-channel the switch sees the MAC flap between ports: intermittent connectivity, up to 50 % loss.",
	FixHost: `Instead of a port-channel on the switch, the bond can be active-backup, which needs none:
` + fixModeActiveBackup,
	FixSwitch: `Cisco IOS/NX-OS: interface Gi1/0/1 / channel-group 10 mode on, on every bond port; VLANs on interface port-channel10
Arista EOS: interface Ethernet1 / channel-group 10 mode on, on every bond port; VLANs on interface Port-Channel10
Junos: set interfaces xe-0/0/1 ether-options 802.3ad ae0, on every bond port (no lacp under ae0 keeps it static)`,
	Evidence: "Switch: IF-MIB ifStackTable and IEEE8023-LAG-MIB (or vendor MIBs); the map.",
	Check: func(c *Context) {
		perSlave(c, ClassStatic, func(b *bondView, s *slaveView) {
			if s.lag != nil || !s.lagKnown() {
				return
			}
			f := b.finding(s)
			f.Message = fmt.Sprintf("%s is %s but %s %s (%s) is in no port-channel: the bond's MAC flaps between ports", b.bond.Name, b.bond.Mode, s.link.Switch, s.link.Port, s.s.Name)
			f.Fix = fmt.Sprintf("on %s, put %s in a static port-channel (channel-group N mode on), or make the bond active-backup", s.link.Switch, s.link.Port)
			f.Evidence = append([]string{b.hostEv("mode %s", b.bond.Mode), linkEv(s)}, portEv(s)...)
			c.Report(f)
		})
	},
}

var staticSwitchLACPLAG = Rule{
	ID: "static.switch-lacp-lag", Title: "Static bond on an LACP LAG", Severity: Error,
	Summary: "A class-static slave's switch port is in an LACP LAG.",
	Why:     "The host sends no LACPDUs; the switch keeps the ports suspended or individual (or, with fallback, runs them unbundled).",
	FixHost: `Alternatively, make the bond 802.3ad to match the LACP port-channel:
` + fixMode8023AD,
	FixSwitch: `Cisco IOS/NX-OS: interface Gi1/0/1 / no channel-group / channel-group 10 mode on, on every member
Arista EOS: interface Ethernet1 / no channel-group / channel-group 10 mode on, on every member
Junos: delete interfaces ae0 aggregated-ether-options lacp`,
	Evidence: "Switch: the LAG's kind (IEEE8023-LAG-MIB LACP activity, or vendor MIBs).",
	Check: func(c *Context) {
		perSlave(c, ClassStatic, func(b *bondView, s *slaveView) {
			if s.lag == nil || s.lag.Kind != topology.LAGLACP {
				return
			}
			f := b.finding(s)
			f.Message = fmt.Sprintf("%s is %s (no LACP) but %s %s (%s) is in LACP port-channel %s: the switch waits for LACPDUs that never come", b.bond.Name, b.bond.Mode, s.link.Switch, s.link.Port, s.s.Name, s.lag.Name)
			f.Fix = fmt.Sprintf("on %s, make %s static (mode on), or change the bond to 802.3ad", s.link.Switch, s.lag.Name)
			f.Evidence = append([]string{b.hostEv("mode %s", b.bond.Mode), linkEv(s)}, portEv(s)...)
			c.Report(f)
		})
	},
}

var staticMultiSwitchNoMLAG = Rule{
	ID: "static.multi-switch-no-mlag", Title: "Static bond across switches that are not an MLAG pair", Severity: Error,
	Summary: "Class-static slaves land on several switches that are not one stack/MLAG.",
	Why:     "A static bundle cannot span independent switches: each sees the bond's MAC on its own port and the other switch's copy of the traffic, so frames loop or are lost.",
	FixHost: `Use active-backup across independent switches (plain ports on both):
` + fixModeActiveBackup,
	FixSwitch: `Alternatively, make the switches one MLAG/vPC domain (or a stack) with a static multi-chassis port-channel, or cable the bond to one switch:
Cisco IOS/NX-OS: vPC on NX-OS: interface port-channel10 / vpc 10 on both peers, members channel-group 10 mode on (IOS: a stack or StackWise Virtual)
Arista EOS: interface Port-Channel10 / mlag 10 on both MLAG peers, members channel-group 10 mode on
Junos: MC-LAG expects LACP; a static bundle across two switches needs one Virtual Chassis: set interfaces xe-1/0/1 ether-options 802.3ad ae0`,
	Evidence: `The map of each slave to its switch (LLDP/CDP, LACP partner, FDB) and the switches' MLAG/stack domains (vendor MLAG MIBs or a shared LACP system ID).`,
	Check: func(c *Context) {
		multiSwitch(c, ClassStatic, "a static bundle cannot span independent switches")
	},
}

var independentSwitchAggregated = Rule{
	ID: "independent.switch-aggregated", Title: "active-backup/tlb/alb slave on an aggregated port", Severity: Error,
	Summary: "A class-independent (active-backup, balance-tlb, balance-alb) slave's switch port is a LAG member (static or LACP).",
	Why: `The switch treats the ports as one bundle and hashes frames onto the inactive
slave, which drops them; the host logs "received packet with own address as
source address". With LACP the bundle never forms and the ports run individual
or suspended.`,
	FixHost: `If the port-channel should stay, make the bond 802.3ad to match it (a static port-channel: balance-xor):
` + fixMode8023AD,
	FixSwitch: `Cisco IOS/NX-OS: interface Gi1/0/1 / no channel-group, then the port-channel's switchport (VLAN) config on each former member
Arista EOS: interface Ethernet1 / no channel-group, then the Port-Channel's switchport (VLAN) config on each former member
Junos: delete interfaces xe-0/0/1 ether-options 802.3ad; set interfaces xe-0/0/1 unit 0 family ethernet-switching interface-mode trunk vlan members 100`,
	Evidence: `Switch: ifStackTable / IEEE8023-LAG-MIB membership of the port.
Without the switch: LACPDUs the host heard on the slave (the switch port runs LACP),
or the LLDP link-aggregation TLV the switch sends (port aggregated).`,
	Check: func(c *Context) {
		perSlave(c, ClassIndependent, func(b *bondView, s *slaveView) {
			if s.lag == nil || !s.switchUsable() {
				return
			}
			f := b.finding(s)
			f.Message = fmt.Sprintf("%s is %s but %s %s (%s) is in port-channel %s (%s): the switch sends frames to the inactive slave", b.bond.Name, b.bond.Mode, s.link.Switch, s.link.Port, s.s.Name, s.lag.Name, s.lag.Kind)
			f.Fix = fmt.Sprintf("on %s, remove %s from %s and configure it as a plain port", s.link.Switch, s.link.Port, s.lag.Name)
			f.Evidence = append([]string{b.hostEv("mode %s", b.bond.Mode), linkEv(s)}, portEv(s)...)
			c.Report(f)
		})
		// No switch data for the slave: what the switch told the host.
		for _, b := range c.bonds() {
			if b.class != ClassIndependent {
				continue
			}
			for i := range b.slaves {
				s := &b.slaves[i]
				if s.switchUsable() {
					continue
				}
				ev, what, sw, port := hostHeardAggregation(&b, s)
				if len(ev) == 0 {
					continue
				}
				f := b.finding(s)
				f.Switch, f.Port = sw, port
				f.Message = fmt.Sprintf("%s is %s but the switch port facing %s %s: the switch treats it as part of a bundle", b.bond.Name, b.bond.Mode, s.s.Name, what)
				f.Fix = "on the switch, remove the port from its port-channel (no channel-group) and configure it as a plain port"
				f.Evidence = append([]string{b.hostEv("mode %s", b.bond.Mode)}, ev...)
				c.Report(f)
			}
		}
	},
}

// hostHeardAggregation is what the host heard from the switch on a slave
// that says the switch port is aggregated: LACPDUs (the port runs LACP) or
// an LLDP link-aggregation TLV with "enabled". It returns the evidence and
// a phrase for the message, and the switch and port as LLDP/CDP name them;
// no evidence when nothing says so.
func hostHeardAggregation(b *bondView, s *slaveView) (ev []string, what, sw, port string) {
	for _, n := range s.nb {
		who := n.SystemName
		if who == "" {
			who = n.ChassisID
		}
		if n.Protocol != topology.ProtoLACP && sw == "" {
			sw, port = who, n.PortID
		}
		switch {
		case n.Protocol == topology.ProtoLACP && n.LACP != nil && !zeroMAC(n.LACP.System):
			ev = append(ev, b.slaveEv(s, "heard LACPDUs from system %s key %d port %d, state %s (%s)", n.LACP.System, n.LACP.Key, n.LACP.Port, n.LACP.State.String(), orUnknown(n.Source)))
			if what == "" {
				what = "sends LACPDUs (it runs LACP)"
			}
		case n.LinkAgg != nil && n.LinkAgg.Enabled:
			ev = append(ev, b.slaveEv(s, "LLDP from %s port %s: link aggregation enabled, aggregated port %d (%s)", orUnknown(who), orUnknown(n.PortID), n.LinkAgg.PortID, orUnknown(n.Source)))
			if what == "" {
				what = "says over LLDP it is aggregated"
			}
		}
	}
	if len(ev) == 0 {
		return nil, "", "", ""
	}
	return ev, what, sw, port
}

var redundancySingleSwitch = Rule{
	ID: "redundancy.single-switch", Title: "All slaves on one switch", Severity: Warning,
	Summary: "Every slave of a bond lands on one switch (one chassis). Warning for active-backup/tlb/alb, info for other modes, error with policy require_switch_redundancy.",
	Why: `The switch is a single point of failure: a reload or crash takes the whole
bond down. active-backup is chosen precisely to survive a switch failure.`,
	FixHost: `Nothing on the host to configure; recable one slave to a second switch (for 802.3ad and static bonds: the MLAG/vPC peer).`,
	FixSwitch: `Provide a port on a second switch configured like the first:
Cisco IOS/NX-OS: active-backup: the same switchport config on the second switch; 802.3ad: a vPC pair, interface port-channel10 / vpc 10 on both peers
Arista EOS: active-backup: the same switchport config on the second switch; 802.3ad: an MLAG pair, interface Port-Channel10 / mlag 10 on both peers
Junos: active-backup: the same family ethernet-switching config on the second switch; 802.3ad: MC-LAG ae0 with the same mc-ae-id on both peers`,
	Evidence: `The map of every slave to its switch (LLDP/CDP chassis ID, LACP partner, FDB).`,
	Check: func(c *Context) {
		for _, b := range c.bonds() {
			if len(b.slaves) < 2 || b.class == ClassUnknown {
				continue
			}
			ms := b.mapped()
			if len(ms) != len(b.slaves) {
				continue
			}
			sws := b.switches()
			if len(sws) != 1 {
				continue
			}
			sev := Info
			if b.class == ClassIndependent {
				sev = Warning
			}
			if c.Params.RequireSwitchRedundancy {
				sev = Error
			}
			var ev []string
			for _, s := range ms {
				ev = append(ev, linkEv(s))
			}
			f := b.finding(nil)
			f.Switch = sws[0]
			f.Message = fmt.Sprintf("every slave of %s (%s) is on %s: %s is a single point of failure (%s)", b.bond.Name, b.bond.Mode, sws[0], sws[0], placement(ms))
			f.Fix = "cable one slave to a second switch (the MLAG peer for 802.3ad)"
			f.Evidence = ev
			c.ReportAt(sev, f)
		}
	},
}

// nameModule returns the stack member / FPC number a three-part port name
// carries (Gi2/0/1 → 2, xe-1/0/3 → 1, Ethernet3/1/1 → 3), 0 when the name
// has another form. Two-part names (Ethernet1/49, Eth1/1) are left alone:
// on fixed switches their first number is a breakout or a constant.
func nameModule(name string) int {
	n, ok := topology.NameModule(name)
	if !ok {
		return 0
	}
	// Junos and some others number from 0: report FPC 0 as module 0+1 so
	// that 0 keeps meaning "unknown".
	return n + 1
}

// moduleOf returns the module of a switch port and how it is known: the
// ENTITY-MIB value, else the port name; either only when the switch's
// ports span at least two modules (a real stack or modular chassis).
// 0 = unknown.
func moduleOf(sw *topology.SwitchNode, p *topology.Port) (int, string) {
	if p.Module > 0 {
		// A one-member "stack" (some agents model every chassis so) or a
		// single card is not a module boundary worth reporting.
		mods := map[int]bool{}
		for i := range sw.Ports {
			if m := sw.Ports[i].Module; m > 0 {
				mods[m] = true
			}
		}
		if len(mods) < 2 {
			return 0, ""
		}
		return p.Module, fmt.Sprintf("switch %s: %s is on module %d of %d (ENTITY-MIB)", sw.Name, p.Name, p.Module, len(mods))
	}
	m := nameModule(p.Name)
	if m == 0 {
		return 0, ""
	}
	seen := map[int]bool{}
	for i := range sw.Ports {
		q := &sw.Ports[i]
		if q.Type == "" || q.Type == "ethernet" {
			if v := nameModule(q.Name); v > 0 {
				seen[v] = true
			}
		}
	}
	if len(seen) < 2 {
		return 0, ""
	}
	return m, fmt.Sprintf("switch %s: %s is on member/slot %d (from the port name; the switch has ports on %d members/slots)", sw.Name, p.Name, m-1, len(seen))
}

var redundancySingleModule = Rule{
	ID: "redundancy.single-module", Title: "All slaves on one stack member or line card", Severity: Info,
	Summary: "All slaves of a bond land on one member of a switch stack or one line card (from ENTITY-MIB or the port name's module number).",
	Why: `A stack member reload, a line-card failure or a card swap takes the whole bond
down although it looks spread over a redundant switch.`,
	FixHost: `Nothing on the host to configure; recable one slave to the new port on another stack member or line card.`,
	FixSwitch: `Configure a port on another stack member or line card like the current one (same port-channel; active-backup: same VLANs), then move one cable:
Cisco IOS/NX-OS: interface Gi2/0/1 / channel-group 10 mode active (stack member 2; NX-OS modular: a port in another slot)
Arista EOS: interface Ethernet4/1 / channel-group 10 mode active (a port on another line card)
Junos: set interfaces xe-1/0/1 ether-options 802.3ad ae0 (FPC 1: another Virtual Chassis member or line card)`,
	Evidence: "ENTITY-MIB entPhysicalContainedIn/entAliasMapping (stack member or card of each port), or the module number in three-part port names on switches whose ports span several modules.",
	Check: func(c *Context) {
		for _, b := range c.bonds() {
			ms := b.mapped()
			if len(b.slaves) < 2 || len(ms) != len(b.slaves) || len(b.switches()) != 1 {
				continue
			}
			module, ev := 0, []string(nil)
			same := true
			for _, s := range ms {
				if s.sw == nil || s.port == nil || s.sw.Unreachable {
					same = false
					break
				}
				m, e := moduleOf(s.sw, s.port)
				if m == 0 || (module != 0 && m != module) {
					same = false
					break
				}
				module = m
				ev = append(ev, linkEv(s), e)
			}
			if !same {
				continue
			}
			f := b.finding(nil)
			f.Switch = ms[0].link.Switch
			f.Message = fmt.Sprintf("every slave of %s is on one module of %s (%s): one member or card failure takes the bond down", b.bond.Name, f.Switch, placement(ms))
			f.Fix = "move one slave to a port on another stack member or line card"
			f.Evidence = ev
			c.Report(f)
		}
	},
}
