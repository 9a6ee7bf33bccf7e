package rules

import (
	"cmp"
	"fmt"
	"strconv"
	"strings"

	"github.com/bondaudit/bondaudit/topology"
)

// Mapping blind spots: what could not be checked, said out loud.

var mapUnmappedSlave = Rule{
	ID: "map.unmapped-slave", Title: "Bond slave with no known switch port", Severity: Warning,
	Summary: "A bond slave has no known switch port: no LLDP, CDP, LACP partner or FDB evidence maps it.",
	Why: `Nothing about this link can be verified: not the port-channel, not the
VLANs, not the placement. Rules that need the switch side stay silent for it.`,
	FixHost: `Run lldpd (apt install lldpd, or dnf install lldpd; systemctl enable --now lldpd) and capture lldpcli -f json show neighbors details:
iproute2: ip link show eth0 (LLDP needs the link up); lldpcli show neighbors ports eth0 shows what lldpd hears
NetworkManager: nmcli connection modify bond0-eth0 connection.lldp enable-rx; nmcli device lldp list ifname eth0 (to look; the capture reads lldpd)
netplan: ethernets.eth0: {emit-lldp: true} so that the switch's LLDP table names the host (networkd), then netplan apply`,
	FixSwitch: `Cisco IOS/NX-OS: lldp run (IOS; NX-OS: feature lldp); interface Gi1/0/1 / lldp transmit / lldp receive; show lldp neighbors
Arista EOS: lldp run (on by default); interface Ethernet1 / lldp transmit / lldp receive; show lldp neighbors
Junos: set protocols lldp interface all; show lldp neighbors
And include the switch in the site (its walk or snapshot in switches/).`,
	Evidence: "The host's LLDP/CDP neighbours, its LACP partner, the switches' lldpRemTable and FDB.",
	Check: func(c *Context) {
		for _, b := range c.bonds() {
			for i := range b.slaves {
				s := &b.slaves[i]
				if s.link != nil {
					continue
				}
				var tried []string
				if len(s.nb) == 0 {
					tried = append(tried, "no LLDP/CDP neighbour heard on the host")
				} else {
					for _, n := range s.nb {
						tried = append(tried, neighbourNotASwitch(n))
					}
				}
				if p := s.s.Partner; p == nil || s.f.PartnerSystem == "" {
					tried = append(tried, "no LACP partner")
				} else {
					tried = append(tried, fmt.Sprintf("LACP partner %s port %d matches no switch in the site", p.System, p.Port))
				}
				tried = append(tried, "not in the LLDP tables or FDB of any switch read")
				f := b.finding(s)
				f.Message = fmt.Sprintf("%s slave %s maps to no switch port: %s", b.bond.Name, s.s.Name, strings.Join(tried, "; "))
				f.Fix = "enable LLDP on the host (lldpd) and the switch, and include the switch in the site"
				f.Evidence = []string{b.slaveEv(s, "%s", strings.Join(tried, "; "))}
				c.Report(f)
			}
		}
	},
}

// neighbourNotASwitch says which neighbour matched no switch, naming it by
// what it sent: its system name or chassis ID and port ID (LLDP, CDP), or
// for a LACPDU the actor's system and port number; what it did not send is
// left out rather than printed as an empty name.
func neighbourNotASwitch(n *topology.Neighbour) string {
	name, port := n.SystemName, n.PortID
	if name == "" {
		name = n.ChassisID
	}
	if n.LACP != nil {
		if name == "" {
			name = n.LACP.System
		}
		if port == "" && n.LACP.Port > 0 {
			port = strconv.Itoa(n.LACP.Port)
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s neighbour", n.Protocol)
	if name != "" {
		b.WriteString(" " + name)
	}
	if port != "" {
		b.WriteString(" port " + port)
	}
	if name == "" && port == "" {
		b.WriteString(" that sent no name")
	}
	b.WriteString(" is not a switch in the site")
	return b.String()
}

var mapLLDPConflict = Rule{
	ID: "map.lldp-conflict", Title: "Sources disagree about where a NIC is cabled", Severity: Error,
	Summary: "Host-side and switch-side evidence disagree about the far end of a NIC.",
	Why: `LLDP heard by the host, LLDP heard by the switch, CDP, the LACP partner and
the FDB should all name the same switch port. When they do not, the cabling
record is wrong or a cable was moved, and the findings about this NIC rest on
a guess.`,
	FixHost: `Nothing on the host to configure; find the real far end (lldpcli show neighbors ports eth0 details; ethtool -p eth0 10 blinks it), then fix cable or record.`,
	FixSwitch: `Cisco IOS/NX-OS: show lldp neighbors Gi1/0/1 detail (NX-OS: show lldp neighbors interface ethernet 1/1 detail); show mac address-table address aaaa.bbbb.cccc
Arista EOS: show lldp neighbors Ethernet1 detail; show mac address-table address aaaa.bbbb.cccc
Junos: show lldp neighbors interface xe-0/0/1; show ethernet-switching table | match aa:bb:cc:dd:ee:ff`,
	Evidence: "Every claim about the NIC's far end, each with its source.",
	Check: func(c *Context) {
		for _, cf := range c.Model.Conflicts {
			f := Finding{Host: cf.Host, NIC: cf.NIC}
			f.Bond = bondOfSlave(c.Model.Host(cf.Host), cf.NIC)
			if l := c.Model.LinkOf(cf.Host, cf.NIC); l != nil {
				f.Switch, f.Port = l.Switch, l.Port
			}
			f.Message = fmt.Sprintf("the sources disagree about where %s %s is cabled: %s", cf.Host, cf.NIC, strings.Join(cf.Claims, "; "))
			f.Fix = "find the real far end (blink the port, read both LLDP tables) and correct the cabling or the records"
			f.Evidence = append([]string(nil), cf.Claims...)
			c.Report(f)
		}
	},
}

var mapSwitchUnreachable = Rule{
	ID: "map.switch-unreachable", Title: "Switch could not be read", Severity: Warning,
	Summary: "A switch named in the inputs, or seen as a neighbour on a bond slave, could not be read.",
	Why: `Its ports, port-channels and VLANs cannot be checked: every rule that needs
the switch side stays silent for the bonds cabled to it.`,
	FixHost: `Nothing on the host; from the collector, check that the switch answers: snmpget -v2c -c <community> <switch> SNMPv2-MIB::sysName.0`,
	FixSwitch: `Cisco IOS/NX-OS: snmp-server community <community> ro (IOS: snmp-server community <community> RO <acl>, the ACL permitting the collector)
Arista EOS: snmp-server community <community> ro; snmp-server vrf MGMT if the collector reaches the management VRF
Junos: set snmp community <community> authorization read-only; set snmp community <community> clients 192.0.2.10/32
Or add a walk or snapshot of the switch to the site's switches/ folder.`,
	Evidence: "The switch input's read error, or the LLDP/CDP neighbour naming a switch that is not in the site.",
	Check: func(c *Context) {
		for _, sw := range c.Model.Switches {
			if !sw.Unreachable {
				continue
			}
			f := Finding{Switch: sw.Name}
			f.Message = fmt.Sprintf("switch %s could not be read: %s", sw.Name, orUnknown(sw.Error))
			f.Fix = "fix the switch input (or SNMP access) and re-run"
			f.Evidence = []string{fmt.Sprintf("switch %s: %s: %s", sw.Name, orUnknown(sw.Source), orUnknown(sw.Error))}
			c.Report(f)
		}
		// Switches heard on bond slaves that are not in the site.
		type seen struct {
			bonds, ev []string
		}
		missing := map[string]*seen{}
		var order []string
		for _, u := range c.Model.Unresolved {
			if u.Host == "" || u.Known != "" {
				continue
			}
			bond, ok := slaveBond(c.Model.Host(u.Host), u.Neighbour.LocalPort)
			if !ok {
				continue
			}
			name := cmp.Or(u.Neighbour.SystemName, u.Neighbour.ChassisID)
			if name == "" {
				continue
			}
			m := missing[name]
			if m == nil {
				m = &seen{}
				missing[name] = m
				order = append(order, name)
			}
			m.bonds = append(m.bonds, fmt.Sprintf("%s %s (%s)", u.Host, bond, u.Neighbour.LocalPort))
			m.ev = append(m.ev, fmt.Sprintf("host %s: %s neighbour on %s: system %s, chassis %s, port %s", u.Host, u.Neighbour.Protocol, u.Neighbour.LocalPort, orUnknown(u.Neighbour.SystemName), orUnknown(u.Neighbour.ChassisID), orUnknown(u.Neighbour.PortID)))
		}
		for _, name := range order {
			m := missing[name]
			f := Finding{Switch: name}
			f.Message = fmt.Sprintf("switch %s faces bond slaves (%s) but is not in the site: its ports cannot be checked", name, strings.Join(m.bonds, ", "))
			f.Fix = fmt.Sprintf("add %s's walk or snapshot to the site's switches/ folder", name)
			f.Evidence = m.ev
			c.Report(f)
		}
	},
}

// slaveBond returns the bond that has a slave called nic on host h (the
// last such bond in h.Bonds order), and whether there is one; false when h
// is nil. A host's bonds are few: this replaces a site-wide index.
func slaveBond(h *topology.HostNode, nic string) (string, bool) {
	if h == nil {
		return "", false
	}
	bond, ok := "", false
	for _, bf := range h.BondFacts() {
		for _, s := range bf.Slaves {
			if s.Slave.Name == nic {
				bond, ok = bf.Bond.Name, true
			}
		}
	}
	return bond, ok
}

// bondOfSlave is slaveBond's bond name ("" when none).
func bondOfSlave(h *topology.HostNode, nic string) string {
	b, _ := slaveBond(h, nic)
	return b
}
