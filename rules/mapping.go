package rules

import (
	"fmt"
	"strings"
)

// Mapping blind spots: what could not be checked, said out loud.

var mapUnmappedSlave = Rule{
	ID: "map.unmapped-slave", Title: "Bond slave with no known switch port", Severity: Warning,
	Summary: "A bond slave has no known switch port: no LLDP, CDP, LACP partner or FDB evidence maps it.",
	Why: `Nothing about this link can be verified: not the port-channel, not the
VLANs, not the placement. Rules that need the switch side stay silent for it.`,
	FixHost:   "Run lldpd on the host (apt install lldpd) and include lldpcli -f json show neighbors details in the capture.",
	FixSwitch: "Enable LLDP on the switch port (Arista/Cisco NX-OS: lldp transmit/receive; IOS: lldp run; Junos: set protocols lldp interface all) and include the switch in the site.",
	Evidence:  "The host's LLDP/CDP neighbours, its LACP partner, the switches' lldpRemTable and FDB.",
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
						name := n.SystemName
						if name == "" {
							name = n.ChassisID
						}
						tried = append(tried, fmt.Sprintf("%s neighbour %s port %s is not a switch in the site", n.Protocol, name, n.PortID))
					}
				}
				if p := s.s.Partner; p == nil || zeroMAC(p.System) {
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
