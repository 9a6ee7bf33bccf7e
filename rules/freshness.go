package rules

import (
	"fmt"
	"time"

	"github.com/bondaudit/bondaudit/topology"
)

// Freshness and disappearance: findings describe the network as its inputs
// saw it. An old capture, or a host or switch that stopped arriving, is a
// blind spot said out loud (DESIGN.md "a rule never fires on missing data":
// these rules report the missing data itself).

var mapStaleCapture = Rule{
	ID: "map.stale-capture", Title: "A host's or switch's capture is old", Severity: Warning,
	Summary: "A host's or switch's capture is older than the policy's max_capture_age (default 24h) at the audit's time.",
	Why: `Findings about a host or switch describe the network as its capture saw it.
A capture that stopped arriving (a broken cron job, a host that no longer
reaches the collector, a switch whose walk is no longer refreshed) leaves the
report judging yesterday's network: a cable moved or a bond fixed since then
is not seen, and a problem that appeared since is not reported.

The capture time is the snapshot's "collected" time: set by collect host and
collect switches when they read the live host or switch; for a raw capture
folder the newest modification time of the files read from it; for a walk
file (.snmprec, .walk) or a snapshot without "collected", the file's
modification time. When the time is unknown (the built-in demo site, a file
system that keeps no times) the rule stays silent; so it does for a capture
time in the future of the audit's clock (clock skew between the host and the
collector), which cannot be stale. max_capture_age: 0 (or off) in
policy.yaml turns the check off.`,
	FixHost: `Nothing on the host's network: restore its capture job (systemctl list-timers 'bondaudit*', or its cron line) so a fresh capture reaches the site's hosts/ folder.`,
	FixSwitch: `Nothing on the switch when its walk is written by hand: refresh it (snmpwalk -v2c -c <community> -ObentU <switch> .1 > site/switches/<switch>.walk). When it is polled, check it still answers:
Cisco IOS/NX-OS: show snmp (input packets and requests from the collector); show snmp community
Arista EOS: show snmp; show snmp community (and snmp-server vrf if the collector reaches the management VRF)
Junos: show snmp statistics; show configuration snmp`,
	Evidence: "The host's or switch's input (file or source), its capture time, its age at the audit's time and the threshold.",
	Check: func(c *Context) {
		limit, on := c.Params.maxCaptureAge()
		now := c.Params.Now
		if !on || now.IsZero() {
			return
		}
		stale := func(kind, name, source string, at time.Time, ok bool) (Finding, bool) {
			if !ok || !now.After(at) || now.Sub(at) <= limit {
				return Finding{}, false
			}
			age := now.Sub(at)
			f := Finding{
				Message: fmt.Sprintf("%s %s's capture is %s old (captured %s); findings about it describe the network as it was then",
					kind, name, formatAge(age), at.UTC().Format("2006-01-02 15:04 UTC")),
				Evidence: []string{fmt.Sprintf("%s %s: %s: captured %s, %s before the audit (%s); max_capture_age %s",
					kind, name, orUnknown(source), at.UTC().Format(time.RFC3339), formatAge(age), now.UTC().Format(time.RFC3339), formatLimit(limit))},
			}
			return f, true
		}
		for _, h := range c.Model.Hosts {
			at, ok := h.CollectedAt()
			if f, ok := stale("host", h.Name, h.Source, at, ok); ok {
				f.Host = h.Name
				f.Fix = "make the host's capture arrive again (its cron job or systemd timer), or raise max_capture_age in policy.yaml"
				c.Report(f)
			}
		}
		for _, s := range c.Model.Switches {
			at, ok := s.CollectedAt()
			if f, ok := stale("switch", s.Name, s.Source, at, ok); ok {
				f.Switch = s.Name
				f.Fix = "poll the switch again (bondaudit collect switches) or refresh its walk, or raise max_capture_age in policy.yaml"
				c.Report(f)
			}
		}
	},
}

var mapHostMissing = Rule{
	ID: "map.host-missing", Title: "A host of the previous run is missing", Severity: Warning,
	Summary: "A host that was in the site's previous run (audit --baseline, diff, the scheduled run) is missing now.",
	Why: `A host whose capture stops arriving is not a host whose problems were fixed:
its bonds are simply no longer checked. Its earlier findings are counted as
gone with the host, not as resolved, and this finding says so until the
host is back or its removal is confirmed (the next run no longer has it in
its previous run). Silent when no previous run is known.`,
	FixHost: `Nothing on the host's network: if it still exists, restore its capture job (systemctl list-timers 'bondaudit*', or its cron line); a renamed host arrives under its new name.`,
	FixSwitch: `Is the host still cabled? The ports it used (bondaudit diff OLD NEW lists them) show it:
Cisco IOS/NX-OS: show interfaces status | include notconnect; show lldp neighbors
Arista EOS: show interfaces status notconnect; show lldp neighbors
Junos: show interfaces terse | match down; show lldp neighbors`,
	Evidence: "The previous run the host was in (its report or site, and when it ran).",
	Check: func(c *Context) {
		hosts, _ := c.Model.Previous.Gone(c.Model.Inventory())
		for _, n := range hosts {
			c.Report(Finding{Host: n,
				Message:  fmt.Sprintf("host %s was in the previous run and is missing now: its bonds were not checked, and its earlier findings are gone with it, not resolved", n),
				Fix:      "restore the host's capture (its cron job or systemd timer) if it still exists; if it was removed, nothing to do",
				Evidence: []string{previousEvidence(c.Model.Previous)},
			})
		}
	},
}

var mapSwitchMissing = Rule{
	ID: "map.switch-missing", Title: "A switch of the previous run is missing", Severity: Warning,
	Summary: "A switch that was in the site's previous run (audit --baseline, diff, the scheduled run) is missing now.",
	Why: `A switch whose walk or snapshot stops arriving takes every port-channel,
VLAN and placement check of the bonds cabled to it with it. Its earlier
findings are counted as gone with the switch, not as resolved. Silent when no
previous run is known; a switch still in the site but unreachable is
map.switch-unreachable instead.`,
	FixHost: `Nothing on the host.`,
	FixSwitch: `Check it is still in targets.yaml (or its walk still written to switches/) and answers SNMP: snmpget -v2c -c <community> <switch> SNMPv2-MIB::sysName.0
Cisco IOS/NX-OS: show snmp community; show snmp (is the collector's traffic arriving?)
Arista EOS: show snmp community; show snmp
Junos: show configuration snmp; show snmp statistics`,
	Evidence: "The previous run the switch was in (its report or site, and when it ran).",
	Check: func(c *Context) {
		_, switches := c.Model.Previous.Gone(c.Model.Inventory())
		for _, n := range switches {
			c.Report(Finding{Switch: n,
				Message:  fmt.Sprintf("switch %s was in the previous run and is missing now: the bonds cabled to it were not checked against it, and its earlier findings are gone with it, not resolved", n),
				Fix:      "restore the switch's polling or walk if it still exists; if it was removed, nothing to do",
				Evidence: []string{previousEvidence(c.Model.Previous)},
			})
		}
	},
}

// previousEvidence is "present in the previous run (<source>, <time>)",
// without the time when it is unknown (diff's OLD side is a folder).
func previousEvidence(inv *topology.Inventory) string {
	if inv.Generated.IsZero() {
		return fmt.Sprintf("present in the previous run (%s)", orUnknown(inv.Source))
	}
	return fmt.Sprintf("present in the previous run (%s, %s)", orUnknown(inv.Source), inv.Generated.UTC().Format(time.RFC3339))
}

// formatLimit is the threshold as a policy writes it: 24h, 36h, 90m, 4d.
func formatLimit(d time.Duration) string {
	if d < 72*time.Hour && d%time.Hour == 0 {
		return fmt.Sprintf("%dh", d/time.Hour)
	}
	if d < time.Hour {
		return fmt.Sprintf("%dm", d/time.Minute)
	}
	return formatAge(d)
}

// formatAge is a duration as an operator reads an age: 3d4h, 5h20m, 45m.
func formatAge(d time.Duration) string {
	d = d.Round(time.Minute)
	days, hours, mins := int(d/(24*time.Hour)), int(d%(24*time.Hour)/time.Hour), int(d%time.Hour/time.Minute)
	switch {
	case days > 0 && hours > 0:
		return fmt.Sprintf("%dd%dh", days, hours)
	case days > 0:
		return fmt.Sprintf("%dd", days)
	case hours > 0 && mins > 0:
		return fmt.Sprintf("%dh%dm", hours, mins)
	case hours > 0:
		return fmt.Sprintf("%dh", hours)
	}
	return fmt.Sprintf("%dm", mins)
}
