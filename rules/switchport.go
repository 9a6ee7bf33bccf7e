package rules

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/bondaudit/bondaudit/topology"
)

// Host against switch, per port: the LAG around a bond's ports, VLANs,
// speed, MTU, link state, FDB and STP. Every rule stays silent for a slave
// whose switch was not read or whose port the switch does not list.

// lagPort returns the switch's interface entry for a LAG (the port-channel
// itself), or nil.
func lagPort(sw *topology.SwitchNode, l *topology.LAG) *topology.Port {
	if p := sw.Port(l.Name); p != nil {
		return p
	}
	for i := range sw.Ports {
		if l.IfIndex != 0 && sw.Ports[i].IfIndex == l.IfIndex {
			return &sw.Ports[i]
		}
	}
	return nil
}

// uplinkOn returns the switch-to-switch link on a port, or nil.
func (c *Context) uplinkOn(sw, port string) *topology.Uplink {
	m := c.ix.uplinks[sw]
	if m == nil {
		return nil
	}
	var buf [topology.PortKeyMax]byte
	return m[string(topology.NormalizePortNameTo(&buf, port))]
}

// fdbHit is one FDB entry with its switch.
type fdbHit struct {
	sw *topology.SwitchNode
	e  *topology.FDBEntry
}

// fdbByMAC returns the FDB entries of every readable switch for a MAC
// (normalised), in switch order.
func (c *Context) fdbByMAC(mac string) []fdbHit {
	c.ix.fdbOnce.Do(func() {
		n := 0
		for _, sw := range c.Model.Switches {
			if !sw.Unreachable {
				n += len(sw.FDB)
			}
		}
		c.ix.fdb = make(map[macKey][]fdbHit, n)
		for _, sw := range c.Model.Switches {
			if sw.Unreachable {
				continue
			}
			for i := range sw.FDB {
				e := &sw.FDB[i]
				k := keyOfMAC(e.MAC)
				c.ix.fdb[k] = append(c.ix.fdb[k], fdbHit{sw, e})
			}
		}
	})
	return c.ix.fdb[keyOfMAC(mac)]
}

// vlanPort is the interface whose VLAN settings apply to a slave's
// traffic: the port-channel when the port is a LAG member (switches keep
// VLAN membership on the LAG), else the port itself. nil when unknown.
func vlanPort(s *slaveView) *topology.Port {
	if !s.switchUsable() || !s.sw.VLANsKnown {
		return nil
	}
	if s.lag != nil {
		if p := s.lv.port; p != nil && (p.PVID > 0 || len(p.Tagged)+len(p.Untagged) > 0) {
			return p
		}
	}
	return s.port
}

// vlanSource names where a switch's VLAN membership came from, for
// evidence: the MIB its decoder read (Q-BRIDGE-MIB or a vendor's), or a
// neutral word for a snapshot that does not say.
func vlanSource(sw *topology.SwitchNode) string {
	return cmp.Or(sw.VLANSource, "VLAN tables")
}

func vlanList(v []int) string {
	if len(v) == 0 {
		return "none"
	}
	parts := make([]string, len(v))
	for i, x := range v {
		parts[i] = fmt.Sprint(x)
	}
	return strings.Join(parts, ",")
}

func vlanSig(p *topology.Port) string {
	return fmt.Sprintf("PVID %d, untagged %s, tagged %s", p.PVID, vlanList(p.Untagged), vlanList(p.Tagged))
}

var lagForeignMember = Rule{
	ID: "lag.foreign-member", Title: "Port-channel shared with another device", Severity: Error,
	Summary: "A LAG that holds a bond's slave also holds a port cabled to another host or switch.",
	Why: `Two devices in one bundle: the switch hashes traffic for the bond onto the
other device's link (and the reverse), so a share of each one's frames is
delivered to the wrong machine.`,
	FixHost: `Nothing on the host; the switch has another device's port in the bond's port-channel.`,
	FixSwitch: `Cisco IOS/NX-OS: interface Gi1/0/3 / no channel-group (the foreign port); give that device its own port-channel (channel-group 11 mode active)
Arista EOS: interface Ethernet3 / no channel-group; give that device its own port-channel (channel-group 11 mode active)
Junos: delete interfaces xe-0/0/3 ether-options 802.3ad; set interfaces xe-0/0/3 ether-options 802.3ad ae1 (its own ae)`,
	Evidence: "The LAG's member list (ifStackTable, IEEE8023-LAG-MIB) and the map of every member port (LLDP/CDP/LACP/FDB, switch-to-switch LLDP).",
	Check: func(c *Context) {
		for _, b := range c.bonds() {
			done := map[*topology.LAG]bool{}
			for _, s := range b.mapped() {
				if s.lag == nil || !s.switchUsable() || done[s.lag] {
					continue
				}
				done[s.lag] = true
				var foreign, ev []string
				for _, mv := range s.lv.members {
					m := mv.name
					for _, l := range mv.links {
						if l.Host != b.host.Name {
							foreign = append(foreign, fmt.Sprintf("%s (host %s %s)", m, l.Host, l.NIC))
							ev = append(ev, mapEv(l))
						}
					}
					if u := mv.uplink; u != nil {
						other, op := u.B, u.BPort
						if u.B == s.sw.Name && topology.SamePort(u.BPort, m) {
							other, op = u.A, u.APort
						}
						foreign = append(foreign, fmt.Sprintf("%s (switch %s %s)", m, other, op))
						ev = append(ev, fmt.Sprintf("uplink: %s %s ↔ %s %s (%s)", u.A, u.APort, u.B, u.BPort, strings.Join(u.Evidence, ", ")))
					}
				}
				if len(foreign) == 0 {
					continue
				}
				f := b.lagFinding(s, ev)
				f.Message = fmt.Sprintf("%s %s holds %s's port %s and also %s", s.sw.Name, s.lag.Name, b.host.Name, s.link.Port, strings.Join(foreign, ", "))
				f.Fix = fmt.Sprintf("on %s, remove %s from %s", s.sw.Name, strings.Join(foreign, ", "), s.lag.Name)
				c.Report(f)
			}
		}
	},
}

var lagMemberMissing = Rule{
	ID: "lag.member-missing", Title: "Port-channel serving a bond is missing a member", Severity: Warning,
	Summary: "A LAG serving a bond has a member that is down or cabled to nothing known, or a bond slave's port is outside the LAG the other slaves use (same switch).",
	Why: `Half of the bundle is missing: the bond runs on fewer links than planned, or
one of its ports is not in the bundle and gets no share of the traffic (or
flaps the bond's MAC).`,
	FixHost: `Check that every slave is cabled and enslaved (ethtool eth1: Link detected; lldpcli show neighbors ports eth1):
iproute2: ip link set eth1 down; ip link set eth1 master bond0 (if the port's NIC is not a slave yet)
NetworkManager: nmcli connection add type ethernet slave-type bond con-name bond0-eth1 ifname eth1 master bond0; nmcli connection up bond0-eth1
netplan: bonds.bond0.interfaces: [eth0, eth1], then netplan apply`,
	FixSwitch: `Cisco IOS/NX-OS: show etherchannel summary; interface Gi1/0/2 / no shutdown (or no channel-group); a stray bond port: channel-group 10 mode active
Arista EOS: show port-channel; interface Ethernet2 / no shutdown, or no channel-group; add a stray bond port: channel-group 10 mode active
Junos: show lacp interfaces; delete interfaces xe-0/0/2 disable; a stray bond port: set interfaces xe-0/0/2 ether-options 802.3ad ae0`,
	Evidence: "The LAG's members with their IF-MIB ifOperStatus, the map of each member, and the bond's slaves.",
	Check: func(c *Context) {
		for _, b := range c.bonds() {
			ms := b.mapped()
			allMapped := len(ms) == len(b.slaves)
			// the LAGs seen: a bond has a few slaves, a scan beats a map
			var doneBuf [4]*topology.LAG
			done := doneBuf[:0]
			for _, s := range ms {
				if s.lag == nil || !s.switchUsable() || slices.Contains(done, s.lag) {
					continue
				}
				done = append(done, s.lag)
				var missing []string
				for mi := range s.lv.members {
					mv := &s.lv.members[mi]
					m, p := mv.name, mv.port
					if onSlave(ms, s.sw.Name, mv) {
						if mv.down {
							missing = append(missing, fmt.Sprintf("%s (the bond's own port) is %s", m, p.Oper))
						}
						continue
					}
					links := mv.links
					switch {
					case mv.notUp:
						missing = append(missing, fmt.Sprintf("%s is %s (admin %s)", m, p.Oper, orUnknown(p.Admin)))
					case len(links) > 0:
						for _, l := range links {
							if l.Host == b.host.Name {
								missing = append(missing, fmt.Sprintf("%s is cabled to %s %s, which is not a slave of %s", m, l.Host, l.NIC, b.bond.Name))
							}
						}
					case allMapped && mv.uplink == nil && !hasNeighbour(s.sw, m):
						missing = append(missing, fmt.Sprintf("%s is up but cabled to nothing known", m))
					}
				}
				if len(missing) == 0 {
					continue
				}
				f := b.lagFinding(s, missing)
				f.Message = fmt.Sprintf("%s %s serves %s %s but %s", s.sw.Name, s.lag.Name, b.host.Name, b.bond.Name, strings.Join(missing, "; "))
				f.Fix = fmt.Sprintf("on %s, bring the member up or take it out of %s, and check the cabling", s.sw.Name, s.lag.Name)
				c.Report(f)
			}
			// A slave outside the LAG the other slaves use on the same switch.
			for _, s := range ms {
				if s.lag != nil || !s.lagKnown() {
					continue
				}
				for _, o := range ms {
					if o.lag != nil && o.link.Switch == s.link.Switch && o.switchUsable() {
						f := b.finding(s)
						f.Message = fmt.Sprintf("%s slave %s is on %s %s, outside %s which holds the bond's other ports", b.bond.Name, s.s.Name, s.link.Switch, s.link.Port, o.lag.Name)
						f.Fix = fmt.Sprintf("on %s, add %s to %s", s.link.Switch, s.link.Port, o.lag.Name)
						f.Evidence = append([]string{linkEv(s), linkEv(o), fmt.Sprintf("switch %s: %s members %s", o.link.Switch, o.lag.Name, strings.Join(o.lag.Members, ", "))}, portEv(s)...)
						c.Report(f)
						break
					}
				}
			}
		}
	},
}

// onSlave reports whether the LAG member mv of switch sw is the port of
// one of the mapped slaves ms (the same switch and port name, in any
// common form).
func onSlave(ms []*slaveView, sw string, mv *memberView) bool {
	for _, s := range ms {
		if s.link.Switch != sw {
			continue
		}
		// on one switch a listed port is the slave's when it is the port
		// the slave's link resolved to: both come from the switch's ports
		// by normalised name, without normalising again
		if mv.port != nil && s.port != nil {
			if mv.port == s.port {
				return true
			}
			continue
		}
		if topology.SamePort(s.link.Port, mv.name) {
			return true
		}
	}
	return false
}

func orUnknown[S ~string](s S) string {
	if s == "" {
		return "unknown"
	}
	return string(s)
}

// hasNeighbour reports whether the switch hears any LLDP/CDP neighbour on a port.
func hasNeighbour(sw *topology.SwitchNode, port string) bool {
	for i := range sw.Neighbours {
		if topology.SamePort(sw.Neighbours[i].LocalPort, port) {
			return true
		}
	}
	return false
}

var vlanMemberMismatch = Rule{
	ID: "vlan.member-mismatch", Title: "Switch ports of one bond carry different VLANs", Severity: Error,
	Summary: "The switch ports under one bond differ in access VLAN, native VLAN or allowed tagged VLANs.",
	Why: `A bond moves traffic between its slaves (failover, re-hashing): a VLAN that is
missing on one port is dropped whenever its traffic lands there, so the fault
shows up only after a failover or for some flows.`,
	FixHost: `Nothing on the host; the switch ports must carry the same VLANs.`,
	FixSwitch: `Give every port (or both MLAG port-channels) the same access, native and allowed VLANs:
Cisco IOS/NX-OS: interface port-channel10 / switchport trunk allowed vlan 10,20,100 / switchport trunk native vlan 10 (access: switchport access vlan 10)
Arista EOS: interface Port-Channel10 / switchport trunk allowed vlan 10,20,100 / switchport trunk native vlan 10 (on both MLAG peers)
Junos: set interfaces ae0 unit 0 family ethernet-switching interface-mode trunk vlan members [ 10 20 100 ]; set interfaces ae0 native-vlan-id 10`,
	Evidence: "Q-BRIDGE-MIB dot1qPvid and the VLAN egress/untagged port lists of each slave's port (the port-channel's for LAG members).",
	Check: func(c *Context) {
		for _, b := range c.bonds() {
			type pv struct {
				s *slaveView
				p *topology.Port
			}
			var ports []pv
			seen := map[*topology.Port]bool{}
			for _, s := range b.mapped() {
				if p := vlanPort(s); p != nil && !seen[p] {
					seen[p] = true
					ports = append(ports, pv{s, p})
				}
			}
			if len(ports) < 2 {
				continue
			}
			differ := false
			for _, x := range ports[1:] {
				if vlanSig(x.p) != vlanSig(ports[0].p) {
					differ = true
				}
			}
			if !differ {
				continue
			}
			var ev, where []string
			for _, x := range ports {
				ev = append(ev, fmt.Sprintf("switch %s: %s %s (%s)", x.s.link.Switch, x.p.Name, vlanSig(x.p), vlanSource(x.s.sw)))
				where = append(where, x.s.link.Switch+" "+x.p.Name)
			}
			f := b.finding(nil)
			f.Message = fmt.Sprintf("the switch ports under %s carry different VLANs (%s): some VLANs drop after a failover or re-hash", b.bond.Name, strings.Join(where, " vs "))
			f.Fix = "give every port of the bond the same access/native/tagged VLANs"
			f.Evidence = ev
			c.Report(f)
		}
	},
}

var vlanHostVLANNotCarried = Rule{
	ID: "vlan.host-vlan-not-carried", Title: "Host VLAN not carried tagged by a slave's port", Severity: Error,
	Summary: "The host has VLAN interfaces on the bond (bond0.100) and a slave's switch port does not carry that VLAN tagged.",
	Why: `Frames of that VLAN leave the host tagged; a switch port that does not carry
the VLAN tagged drops them (or, when it is the port's native VLAN, sends the
replies untagged where the host's VLAN interface never sees them).`,
	FixHost: `Only if that VLAN does not belong on this bond, remove its VLAN interface instead:
iproute2: ip link delete bond0.100
NetworkManager: nmcli connection delete bond0.100 (the VLAN connection's name: nmcli connection show)
netplan: remove vlans.bond0.100 ({id: 100, link: bond0}), then netplan apply`,
	FixSwitch: `Allow the VLAN tagged on every port (or port-channel) of the bond, on both MLAG peers:
Cisco IOS/NX-OS: interface port-channel10 / switchport trunk allowed vlan add 100 (not the native VLAN)
Arista EOS: interface Port-Channel10 / switchport trunk allowed vlan add 100
Junos: set interfaces ae0 unit 0 family ethernet-switching interface-mode trunk vlan members 100`,
	Evidence: "ip -details link (vlan interfaces and their parent) and the port's VLAN egress/untagged port lists (Q-BRIDGE-MIB).",
	Check: func(c *Context) {
		for _, b := range c.bonds() {
			var ids []int
			for _, v := range b.host.VLANs {
				if v.Parent == b.bond.Name && v.ID > 0 {
					ids = append(ids, v.ID)
				}
			}
			if len(ids) == 0 {
				continue
			}
			slices.Sort(ids)
			for _, s := range b.mapped() {
				p := vlanPort(s)
				if p == nil {
					continue
				}
				var missing []string
				for _, id := range ids {
					if slices.Contains(p.Tagged, id) {
						continue
					}
					if slices.Contains(p.Untagged, id) || p.PVID == id {
						missing = append(missing, fmt.Sprintf("%d (untagged there)", id))
					} else {
						missing = append(missing, fmt.Sprint(id))
					}
				}
				if len(missing) == 0 {
					continue
				}
				f := b.finding(s)
				f.Message = fmt.Sprintf("%s carries VLAN %s on %s but %s %s does not carry it tagged", b.host.Name, strings.Join(missing, ", "), b.bond.Name, s.link.Switch, p.Name)
				f.Fix = fmt.Sprintf("on %s, allow VLAN %s tagged on %s", s.link.Switch, vlanList(ids), p.Name)
				f.Evidence = []string{b.hostEv("VLAN interfaces %s on %s", vlanList(ids), b.bond.Name), linkEv(s),
					fmt.Sprintf("switch %s: %s %s (%s)", s.link.Switch, p.Name, vlanSig(p), vlanSource(s.sw))}
				c.Report(f)
			}
		}
	},
}

var linkSpeedMismatch = Rule{
	ID: "link.speed-mismatch", Title: "NIC and switch port run at different speeds", Severity: Warning,
	Summary: "A slave's NIC speed differs from its switch port's speed.",
	Why: `Both ends of a working link run at one speed. A difference means the map is
wrong, or autonegotiation/cabling has the link at a lower rate than planned
(a 25G port at 10G, a 10G port at 1G) on one side.`,
	FixHost: `iproute2: ethtool eth0 (Speed, Auto-negotiation, advertised modes) and ethtool -m eth0 (optic/DAC type); ethtool -s eth0 autoneg on
NetworkManager: nmcli connection modify bond0-eth0 ethernet.auto-negotiate yes (or ethernet.speed 25000 to match the port); nmcli connection up bond0-eth0
netplan: has no speed key: fix it with ethtool or the optic, persist it in a systemd .link file ([Link] BitsPerSecond=25G)`,
	FixSwitch: `Cisco IOS/NX-OS: show interfaces Ethernet1/1 status; show interfaces Ethernet1/1 transceiver; interface Ethernet1/1 / speed 25000 (or speed auto), as on the NIC
Arista EOS: show interfaces Ethernet1 status; show interfaces Ethernet1 transceiver; interface Ethernet1 / speed forced 25gfull or speed auto
Junos: show interfaces et-0/0/1 media; set interfaces et-0/0/1 ether-options auto-negotiation (or the same fixed speed on both ends)`,
	Evidence: "The slave's speed (/proc/net/bonding, ethtool) and the port's IF-MIB ifHighSpeed.",
	Check: func(c *Context) {
		for _, b := range c.bonds() {
			for _, s := range b.mapped() {
				if !s.switchUsable() || !s.up() || s.down() || s.port.Oper.UpDown() != topology.LinkUp {
					continue
				}
				hs, ps := s.speed(), s.port.Speed
				if hs <= 0 || ps <= 0 || hs == ps {
					continue
				}
				f := b.finding(s)
				f.Message = fmt.Sprintf("%s runs at %s but %s %s runs at %s", s.s.Name, mbps(hs), s.link.Switch, s.link.Port, mbps(ps))
				f.Fix = fmt.Sprintf("check negotiation and optics on %s and %s %s", s.s.Name, s.link.Switch, s.link.Port)
				f.Evidence = []string{b.slaveEv(s, "speed %s", mbps(hs)), linkEv(s), fmt.Sprintf("switch %s: %s ifHighSpeed %d Mb/s", s.link.Switch, s.link.Port, ps)}
				c.Report(f)
			}
		}
	},
}

// bondMTU is the bond's MTU: its own, else its first slave NIC's.
func bondMTU(b *bondView) int {
	if b.bond.MTU > 0 {
		return b.bond.MTU
	}
	for _, s := range b.slaves {
		if s.nic != nil && s.nic.MTU > 0 {
			return s.nic.MTU
		}
	}
	return 0
}

var linkMTUTooSmall = Rule{
	ID: "link.mtu-too-small", Title: "Switch port MTU below the bond's", Severity: Warning,
	Summary: "The switch port MTU is smaller than the bond MTU (plus 4 bytes when VLANs ride on it).",
	Why: `Jumbo frames larger than the port's MTU are dropped by the switch without any
ICMP: small packets work, large transfers stall. Only jumbo bonds are judged:
a 1500-byte payload with an 802.1Q tag is standard and accepted by every port.`,
	FixHost: `Alternatively, lower the bond's MTU to what the network carries:
iproute2: ip link set bond0 mtu 1500
NetworkManager: nmcli connection modify bond0 802-3-ethernet.mtu 1500; nmcli connection up bond0
netplan: bonds.bond0.mtu: 1500, then netplan apply`,
	FixSwitch: `Raise the MTU of the port and its port-channel to at least the bond's MTU (+4 with VLANs):
Cisco IOS/NX-OS: interface port-channel10 / mtu 9216 (NX-OS); IOS: system mtu 9198 (older Catalysts: system mtu jumbo 9198, then reload)
Arista EOS: interface Port-Channel10 / mtu 9214 (and on Ethernet1)
Junos: set interfaces ae0 mtu 9216 (and set interfaces xe-0/0/1 mtu 9216 for a plain port)`,
	Evidence: "The bond's MTU (ip -details link), its VLAN interfaces, and the port's IF-MIB ifMtu.",
	Check: func(c *Context) {
		for _, b := range c.bonds() {
			mtu := bondMTU(&b)
			if mtu <= 1500 {
				continue
			}
			need, vlan := mtu, (*topology.VLANIf)(nil)
			for i := range b.host.VLANs {
				if v := &b.host.VLANs[i]; v.Parent == b.bond.Name {
					need, vlan = mtu+4, v
					break
				}
			}
			// why the port needs need, said only in a finding
			why := func() string {
				if vlan != nil {
					return fmt.Sprintf("bond MTU %d + 4 for VLAN %d", mtu, vlan.ID)
				}
				return fmt.Sprintf("bond MTU %d", mtu)
			}
			for _, s := range b.mapped() {
				if !s.switchUsable() {
					continue
				}
				pm := s.port.MTU
				if pm <= 0 && s.lag != nil {
					if lp := s.lv.port; lp != nil {
						pm = lp.MTU
					}
				}
				if pm <= 0 || pm >= need {
					continue
				}
				f := b.finding(s)
				f.Message = fmt.Sprintf("%s %s has MTU %d, below %s's %s: jumbo frames are dropped", s.link.Switch, s.link.Port, pm, b.bond.Name, why())
				f.Fix = fmt.Sprintf("raise the MTU of %s %s to at least %d, or lower %s's MTU", s.link.Switch, s.link.Port, need, b.bond.Name)
				f.Evidence = []string{b.hostEv("MTU %d", mtu), linkEv(s), fmt.Sprintf("switch %s: %s ifMtu %d", s.link.Switch, s.link.Port, pm)}
				c.Report(f)
			}
		}
	},
}

var linkStateMismatch = Rule{
	ID: "link.state-mismatch", Title: "NIC and switch port disagree about the link", Severity: Warning,
	Summary: "The NIC is up and its mapped switch port is down, or the reverse.",
	Why: `A cable has two ends with one state. When they disagree the map is stale or
wrong (a moved cable, an old LLDP entry), or the captures were taken at very
different times: every other finding about this link is suspect.`,
	FixHost: `Nothing on the host to configure; re-capture it (ip -details -json link, /proc/net/bonding/bond0, lldpcli -f json show neighbors details).`,
	FixSwitch: `Re-read the switch, then compare the port with the cabling record:
Cisco IOS/NX-OS: show interfaces Gi1/0/1 status; show lldp neighbors Gi1/0/1 detail
Arista EOS: show interfaces Ethernet1 status; show lldp neighbors Ethernet1 detail
Junos: show interfaces xe-0/0/1 terse; show lldp neighbors interface xe-0/0/1`,
	Evidence: "The slave's MII status (/proc/net/bonding) and the port's IF-MIB ifOperStatus.",
	Check: func(c *Context) {
		for _, b := range c.bonds() {
			for _, s := range b.mapped() {
				if !s.switchUsable() {
					continue
				}
				hostUp := s.f.MII.UpDown()
				ps := s.port.Oper.UpDown()
				if ps == "" || hostUp == "" || hostUp == ps {
					continue
				}
				f := b.finding(s)
				f.Message = fmt.Sprintf("%s is %s but %s %s is %s: the map is stale or wrong", s.s.Name, hostUp, s.link.Switch, s.link.Port, s.port.Oper)
				f.Fix = "re-capture both ends and check the cabling record"
				f.Evidence = []string{b.slaveEv(s, "MII status %s", hostUp), linkEv(s), fmt.Sprintf("switch %s: %s ifOperStatus %s", s.link.Switch, s.link.Port, s.port.Oper)}
				c.Report(f)
			}
		}
	},
}

var fdbMACFlap = Rule{
	ID: "fdb.mac-flap", Title: "Bond MAC learned on several edge ports", Severity: Warning,
	Summary: "The switch FDB holds the bond's MAC on more than one non-aggregated port, or on edge ports of two switches at once.",
	Why: `One source MAC on several independent ports is MAC flapping: the switches keep
moving the address and deliver replies to whichever port saw it last. It is the
symptom of a bond whose mode and switch disagree (balance-rr/xor on plain
ports, a split static bundle).`,
	FixHost: `If the switch side cannot aggregate the ports, make the bond active-backup:
` + fixModeActiveBackup,
	FixSwitch: `Aggregate the ports the bond uses to match its mode (802.3ad: mode active; balance-rr/xor: mode on), on one switch or one MLAG pair:
Cisco IOS/NX-OS: interface Gi1/0/1 / channel-group 10 mode active (static bonds: mode on); show mac address-table address aaaa.bbbb.cccc
Arista EOS: interface Ethernet1 / channel-group 10 mode active (static bonds: mode on); MLAG: interface Port-Channel10 / mlag 10 on both
Junos: set interfaces xe-0/0/1 ether-options 802.3ad ae0 (lacp active under ae0 for 802.3ad; none for static bonds)`,
	Evidence: "The switches' FDB (Q-BRIDGE-MIB dot1qTpFdbTable / BRIDGE-MIB dot1dTpFdbTable); LAG membership and switch-to-switch links exclude aggregated ports and uplinks.",
	Check: func(c *Context) {
		for _, b := range c.bonds() {
			mac := string(b.f.MAC)
			if mac == "" {
				continue
			}
			var where, ev []string
			seen := map[string]bool{}
			for _, h := range c.fdbByMAC(mac) {
				sw, e := h.sw, h.e
				key := sw.Name + "\x00" + e.Port
				if seen[key] {
					continue
				}
				p := sw.Port(e.Port)
				if p == nil || p.Type == "lag" || sw.LAG(e.Port) != nil || sw.LAGOf(e.Port) != nil || c.uplinkOn(sw.Name, e.Port) != nil {
					continue
				}
				seen[key] = true
				where = append(where, sw.Name+" "+e.Port)
				ev = append(ev, fmt.Sprintf("switch %s: FDB %s VLAN %d on %s (not aggregated, no switch behind it)", sw.Name, mac, e.VLAN, e.Port))
			}
			if len(where) < 2 {
				continue
			}
			f := b.finding(nil)
			f.Message = fmt.Sprintf("%s's MAC %s is learned on %d independent ports (%s): MAC flapping", b.bond.Name, mac, len(where), strings.Join(where, ", "))
			f.Fix = "aggregate the bond's ports to match its mode, or make the bond active-backup"
			f.Evidence = append([]string{b.hostEv("mode %s, MAC %s", b.bond.Mode, mac)}, ev...)
			c.Report(f)
		}
	},
}

var stpHostPortNotEdge = Rule{
	ID: "stp.host-port-not-edge", Title: "Host-facing port is not an STP edge port", Severity: Warning,
	Summary: "The switch port facing a slave is not an edge (portfast) port and the bond's updelay is below the switch's forward delay.",
	Why: `When a non-edge port comes up it listens and learns for twice the forward
delay (up to 30 s) before forwarding. The bond declares the slave usable after
updelay and fails over onto a port that still drops everything. Ports inside a
port-channel are not judged: a member failing over does not restart STP on
the port-channel.`,
	FixHost: `Alternatively, raise updelay above the switch's listening plus learning time (it slows every recovery):
iproute2: ip link set bond0 type bond updelay 30000 (a multiple of miimon)
NetworkManager: nmcli connection modify bond0 bond.options "mode=<mode>,miimon=100,updelay=30000"; nmcli connection up bond0
netplan: bonds.bond0.parameters: {mii-monitor-interval: 100, up-delay: 30000}, then netplan apply (networkd: reboot to apply)`,
	FixSwitch: `Cisco IOS/NX-OS: interface Gi1/0/1 / spanning-tree portfast (trunk ports: spanning-tree portfast trunk); NX-OS: spanning-tree port type edge (trunk)
Arista EOS: interface Ethernet1 / spanning-tree portfast
Junos: set protocols rstp interface xe-0/0/1 edge`,
	Evidence: "RSTP-MIB dot1dStpPortOperEdgePort (or AdminEdgePort), BRIDGE-MIB dot1dStpForwardDelay, and the bond's updelay.",
	Check: func(c *Context) {
		for _, b := range c.bonds() {
			for _, s := range b.mapped() {
				if !s.switchUsable() || s.lag != nil || !s.lagKnown() {
					continue
				}
				p := s.port
				fd := s.sw.STPForwardDelay
				if p.Edge == nil || *p.Edge || fd <= 0 || b.bond.UpDelay >= fd {
					continue
				}
				f := b.finding(s)
				f.Message = fmt.Sprintf("%s %s (%s) is not an STP edge port and %s's updelay %d ms is below the forward delay %d ms: after a failover the port drops traffic for up to %d s",
					s.link.Switch, s.link.Port, s.s.Name, b.bond.Name, b.bond.UpDelay, fd, 2*fd/1000)
				f.Fix = fmt.Sprintf("on %s, make %s an edge port (spanning-tree portfast)", s.link.Switch, s.link.Port)
				f.Evidence = []string{b.hostEv("updelay %d ms", b.bond.UpDelay), linkEv(s),
					fmt.Sprintf("switch %s: %s is not an edge port (RSTP-MIB dot1dStpPortOperEdgePort)", s.link.Switch, s.link.Port),
					fmt.Sprintf("switch %s: forward delay %d ms (BRIDGE-MIB dot1dStpForwardDelay)", s.link.Switch, fd)}
				c.Report(f)
			}
		}
	},
}
