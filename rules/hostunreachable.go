package rules

import "fmt"

var mapHostUnreachable = Rule{
	ID: "map.host-unreachable", Title: "Host could not be collected", Severity: Warning,
	Summary: "A host of the inventory could not be collected over SSH (refused, timed out, authentication, host key, a command that failed).",
	Why: `bondaudit collect hosts writes a snapshot saying why for each host it could
not read, instead of leaving the host out: a host that silently drops out of the
site would look like a host without problems. Its bonds are not checked until it
is collected again, and the rules that need its side of a link stay silent.`,
	FixHost: `Nothing on the host's network: let the collector in (sshd running, firewall, its key in authorized_keys, known_hosts current; ssh-keygen -R HOST only for a checked reinstall).`,
	FixSwitch: `A host that never answers may be down or cut off: check the ports it is cabled to (bondaudit diff of an earlier run lists them) and its management port.
Cisco IOS/NX-OS: show interfaces status | include <port>; show mac address-table address <host MAC>
Arista EOS: show interfaces status <port>; show mac address-table address <host MAC>
Junos: show interfaces terse <port>; show ethernet-switching table | match <host MAC>`,
	Evidence: "The host's unreachable snapshot (hosts/<name>.json): why it could not be collected and when.",
	Check: func(c *Context) {
		for _, h := range c.Model.Hosts {
			if !h.Unreachable {
				continue
			}
			f := Finding{Host: h.Name}
			f.Message = fmt.Sprintf("host %s could not be collected: %s", h.Name, orUnknown(h.Error))
			f.Fix = "make the host reachable for the collector (sshd, firewall, key, known_hosts) and collect again"
			when := ""
			if h.Collected != "" {
				when = " at " + h.Collected
			}
			f.Evidence = []string{fmt.Sprintf("host %s: %s: not collected%s: %s", h.Name, orUnknown(h.Source), when, orUnknown(h.Error))}
			c.Report(f)
		}
	},
}
