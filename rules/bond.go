package rules

import (
	"fmt"
	"slices"
	"strings"

	"github.com/bondaudit/bondaudit/topology"
)

// Host bond configuration: rules that read host facts only.

func isLinuxBond(b *topology.Bond) bool { return b.Kind == "" || b.Kind == topology.BondKindLinux }

var bondNoLinkMonitor = Rule{
	ID: "bond.no-link-monitor", Title: "Bond has no link monitoring", Severity: Error,
	Summary: "A Linux bond with miimon = 0 and arp_interval = 0: nothing watches the slaves' links.",
	Why: `Without MII or ARP monitoring the bonding driver never notices a dead link
and keeps sending into it: every flow hashed (or failed over) onto that slave
is lost until someone intervenes (kernel bonding documentation, "miimon").`,
	FixHost: `Set miimon=100 (ip link set bond0 type bond miimon 100; in netplan
"mii-monitor-interval: 100"; in ifcfg BONDING_OPTS="miimon=100").`,
	FixSwitch: "Nothing to change on the switch.",
	Evidence:  "/proc/net/bonding/<bond> \"MII Polling Interval (ms)\" and \"ARP Polling Interval (ms)\", or ip -details link's miimon/arp_interval.",
	Check: func(c *Context) {
		for _, b := range c.bonds() {
			if !isLinuxBond(b.bond) || b.bond.MIIMon != 0 || b.bond.ARPInterval != 0 {
				continue
			}
			f := b.finding(nil)
			f.Message = fmt.Sprintf("%s (%s) has no link monitoring: miimon 0 and arp_interval 0, so a dead slave is never taken out", b.bond.Name, b.bond.Mode)
			f.Fix = "set miimon=100 on " + b.bond.Name
			f.Evidence = []string{b.hostEv("MII polling interval 0 ms, ARP polling interval 0 ms")}
			c.Report(f)
		}
	},
}

var bondARPNoTargets = Rule{
	ID: "bond.arp-no-targets", Title: "ARP monitoring without targets", Severity: Error,
	Summary:   "arp_interval > 0 but no arp_ip_target is set.",
	Why:       "ARP monitoring judges a slave by replies from its targets; with no target nothing is probed and no failure is detected.",
	FixHost:   "Add arp_ip_target (e.g. the default gateway and a second always-on address), or use miimon instead.",
	FixSwitch: "Nothing to change on the switch.",
	Evidence:  "/proc/net/bonding/<bond> \"ARP Polling Interval\" and \"ARP IP target/s\"; ip -details link arp_interval/arp_ip_target.",
	Check: func(c *Context) {
		for _, b := range c.bonds() {
			if b.bond.ARPInterval > 0 && len(b.bond.ARPTargets) == 0 {
				f := b.finding(nil)
				f.Message = fmt.Sprintf("%s polls ARP every %d ms but has no ARP target: no failure is detected", b.bond.Name, b.bond.ARPInterval)
				f.Fix = "add arp_ip_target (the gateway) or switch to miimon=100"
				f.Evidence = []string{b.hostEv("ARP polling interval %d ms, no ARP IP target", b.bond.ARPInterval)}
				c.Report(f)
			}
		}
	},
}

var bondARPInBridge = Rule{
	ID: "bond.arp-monitor-in-bridge", Title: "ARP-monitored bond inside a bridge", Severity: Error,
	Summary: "A bond with arp_interval > 0 is a port of a Linux or OVS bridge.",
	Why: `The bridge consumes the ARP replies the bonding driver waits for (they are
addressed to the bridge, not the bond), so slaves are declared down and flap;
with active-backup the bond ends up with no active slave.`,
	FixHost:   "Use miimon=100 and arp_interval=0 on bonds that are bridge ports.",
	FixSwitch: "Nothing to change on the switch.",
	Evidence:  "/proc/net/bonding/<bond> ARP polling interval; ip -details link: the bond's master is a bridge.",
	Check: func(c *Context) {
		for _, b := range c.bonds() {
			if b.bond.ARPInterval > 0 && b.bond.Bridge != "" {
				f := b.finding(nil)
				f.Message = fmt.Sprintf("%s uses ARP monitoring and is a port of bridge %s: the bridge takes the ARP replies, slaves flap", b.bond.Name, b.bond.Bridge)
				f.Fix = "use miimon=100, arp_interval=0 on " + b.bond.Name
				f.Evidence = []string{b.hostEv("ARP polling interval %d ms", b.bond.ARPInterval), fmt.Sprintf("host %s: %s is a port of bridge %s", b.host.Name, b.bond.Name, b.bond.Bridge)}
				c.Report(f)
			}
		}
	},
}

var bondALBInBridge = Rule{
	ID: "bond.alb-in-bridge", Title: "balance-alb bond inside a bridge", Severity: Error,
	Summary: "A balance-alb (mode 6) bond is a bridge port.",
	Why: `balance-alb balances receive traffic by answering ARP with a different slave
MAC per peer. Guests behind the bridge have their own MACs, which the bond's
ARP rewriting does not know: they lose connectivity intermittently (Red Hat bug
584872; the RHEL virtualization guide lists modes 0, 5 and 6 as unsuitable).`,
	FixHost:   "Use active-backup (no switch change) or 802.3ad with an LACP port-channel for bonds under a bridge.",
	FixSwitch: "For 802.3ad: configure an LACP port-channel (Arista/Cisco: channel-group N mode active; Junos: ae with lacp active).",
	Evidence:  "/proc/net/bonding/<bond> \"Bonding Mode: adaptive load balancing\"; ip -details link master of the bond.",
	Check: func(c *Context) {
		for _, b := range c.bonds() {
			if isLinuxBond(b.bond) && b.bond.Mode == topology.ModeBalanceALB && b.bond.Bridge != "" {
				f := b.finding(nil)
				f.Message = fmt.Sprintf("%s is balance-alb inside bridge %s: ALB's per-peer ARP rewriting breaks the bridged guests", b.bond.Name, b.bond.Bridge)
				f.Fix = "change " + b.bond.Name + " to active-backup, or to 802.3ad with an LACP port-channel on the switch"
				f.Evidence = []string{b.hostEv("mode balance-alb"), fmt.Sprintf("host %s: %s is a port of bridge %s", b.host.Name, b.bond.Name, b.bond.Bridge)}
				c.Report(f)
			}
		}
	},
}

var bondSingleSlave = Rule{
	ID: "bond.single-slave", Title: "Bond with fewer than two slaves", Severity: Warning,
	Summary:   "The bond has 0 or 1 slave.",
	Why:       "A bond with one slave has no redundancy at all; the next NIC, cable or switch-port fault is an outage.",
	FixHost:   "Add the second NIC to the bond (and cable it, ideally to a second switch).",
	FixSwitch: "Provide a second port (on the MLAG peer for 802.3ad).",
	Evidence:  "/proc/net/bonding/<bond> \"Slave Interface\" entries; ip -details link master.",
	Check: func(c *Context) {
		for _, b := range c.bonds() {
			if len(b.bond.Slaves) < 2 {
				f := b.finding(nil)
				if len(b.bond.Slaves) == 1 {
					f.NIC = b.bond.Slaves[0].Name
				}
				f.Message = fmt.Sprintf("%s has %d slave(s): no redundancy", b.bond.Name, len(b.bond.Slaves))
				f.Fix = "add a second slave to " + b.bond.Name
				f.Evidence = []string{b.hostEv("%d slave(s)", len(b.bond.Slaves))}
				c.Report(f)
			}
		}
	},
}

var bondSlaveDown = Rule{
	ID: "bond.slave-down", Title: "Bond slave link down", Severity: Warning,
	Summary:   "A slave's MII status is down (error when no slave is up).",
	Why:       "The bond already runs without the redundancy it was built for; with no slave up the bond is down.",
	FixHost:   "Check the NIC (ip link, ethtool), optics and cable; replace what failed.",
	FixSwitch: "Check the switch port: admin state, errdisable, optics (show interfaces status).",
	Evidence:  "/proc/net/bonding/<bond> per-slave \"MII Status\"; ip -details link operstate.",
	Check: func(c *Context) {
		for _, b := range c.bonds() {
			anyUp := false
			var down []*slaveView
			for i := range b.slaves {
				s := &b.slaves[i]
				if strings.ToLower(s.s.MIIStatus) == "up" {
					anyUp = true
				}
				if s.down() {
					down = append(down, s)
				}
			}
			sev := Warning
			if !anyUp && len(down) == len(b.slaves) {
				sev = Error
			}
			for _, s := range down {
				f := b.finding(s)
				if sev == Error {
					f.Message = fmt.Sprintf("%s slave %s is down and no slave of %s is up: the bond is down", b.bond.Name, s.s.Name, b.bond.Name)
				} else {
					f.Message = fmt.Sprintf("%s slave %s is down: the bond runs without redundancy", b.bond.Name, s.s.Name)
				}
				f.Fix = "check " + s.s.Name + "'s cable, optics and switch port"
				f.Evidence = []string{b.slaveEv(s, "MII status down")}
				if s.link != nil {
					f.Evidence = append(f.Evidence, linkEv(s))
				}
				c.ReportAt(sev, f)
			}
		}
	},
}

var bondSlaveFlapping = Rule{
	ID: "bond.slave-flapping", Title: "Bond slave link flapping", Severity: Warning,
	Summary:   "A slave's link failure count reaches the policy threshold (default 3).",
	Why:       "Repeated link failures point at a bad cable, optic or port; each one costs a failover or a re-hash.",
	FixHost:   "Check the NIC and its optic/cable (ethtool -S for errors); reseat or replace.",
	FixSwitch: "Check the port's error counters and optics (show interfaces counters errors, show interfaces transceiver).",
	Evidence:  "/proc/net/bonding/<bond> per-slave \"Link Failure Count\".",
	Check: func(c *Context) {
		th := c.Params.flapThreshold()
		for _, b := range c.bonds() {
			for i := range b.slaves {
				s := &b.slaves[i]
				if s.s.LinkFailures >= th {
					f := b.finding(s)
					f.Message = fmt.Sprintf("%s slave %s has failed %d times (threshold %d): flapping link", b.bond.Name, s.s.Name, s.s.LinkFailures, th)
					f.Fix = "check " + s.s.Name + "'s cable and optics and the switch port's error counters"
					f.Evidence = []string{b.slaveEv(s, "link failure count %d", s.s.LinkFailures)}
					c.Report(f)
				}
			}
		}
	},
}

var bondSpeedMismatch = Rule{
	ID: "bond.speed-mismatch", Title: "Bond slaves at different speeds", Severity: Warning,
	Summary: "Slaves that are up run at different speeds (error for 802.3ad).",
	Why: `802.3ad only aggregates ports of equal speed: the odd ones end up in another
aggregator and carry nothing. Other modes hash or fail over onto a slower link.`,
	FixHost:   "Use NICs of the same speed; check autonegotiation (ethtool) on the slow one.",
	FixSwitch: "Set the ports to the same speed; check optics.",
	Evidence:  "/proc/net/bonding/<bond> per-slave \"Speed\"; ethtool.",
	Check: func(c *Context) {
		for _, b := range c.bonds() {
			speeds := map[int][]*slaveView{}
			var keys []int
			for i := range b.slaves {
				s := &b.slaves[i]
				sp := s.speed()
				if !s.up() || sp <= 0 {
					continue
				}
				if _, ok := speeds[sp]; !ok {
					keys = append(keys, sp)
				}
				speeds[sp] = append(speeds[sp], s)
			}
			if len(keys) < 2 {
				continue
			}
			slices.Sort(keys)
			var parts, ev []string
			for _, k := range keys {
				parts = append(parts, fmt.Sprintf("%s at %s", names(speeds[k]), mbps(k)))
				for _, s := range speeds[k] {
					ev = append(ev, b.slaveEv(s, "speed %d Mb/s", k))
				}
			}
			sev := Warning
			if b.class == ClassLACP {
				sev = Error
			}
			f := b.finding(nil)
			f.Message = fmt.Sprintf("%s slaves run at different speeds: %s", b.bond.Name, strings.Join(parts, "; "))
			if sev == Error {
				f.Message += " — 802.3ad puts the slower ports in another aggregator"
			}
			f.Fix = "run every slave of " + b.bond.Name + " at the same speed"
			f.Evidence = ev
			c.ReportAt(sev, f)
		}
	},
}

func mbps(v int) string {
	if v >= 1000 && v%1000 == 0 {
		return fmt.Sprintf("%dG", v/1000)
	}
	return fmt.Sprintf("%dM", v)
}

var bondHalfDuplex = Rule{
	ID: "bond.half-duplex", Title: "Bond slave at half duplex", Severity: Error,
	Summary:   "A slave runs half duplex.",
	Why:       "Half duplex on a modern link means autonegotiation failed; the link runs slow with collisions, and 802.3ad refuses half-duplex ports.",
	FixHost:   "Fix autonegotiation (ethtool -s <nic> autoneg on); replace the cable.",
	FixSwitch: "Set the port to auto/auto (or the same forced speed and full duplex on both ends).",
	Evidence:  "/proc/net/bonding/<bond> per-slave \"Duplex\"; ethtool.",
	Check: func(c *Context) {
		for _, b := range c.bonds() {
			for i := range b.slaves {
				s := &b.slaves[i]
				if strings.EqualFold(s.s.Duplex, "half") && s.up() {
					f := b.finding(s)
					f.Message = fmt.Sprintf("%s slave %s runs half duplex: autonegotiation failed", b.bond.Name, s.s.Name)
					f.Fix = "fix autonegotiation on " + s.s.Name + " and its switch port"
					f.Evidence = []string{b.slaveEv(s, "duplex half")}
					c.Report(f)
				}
			}
		}
	},
}

var bondNICMismatch = Rule{
	ID: "bond.nic-mismatch", Title: "Bond slaves on different NIC drivers", Severity: Info,
	Summary:   "Slaves use different drivers (NIC models).",
	Why:       "Matching NICs are recommended: drivers differ in link-state reporting and offloads, which shows up as uneven failover behaviour.",
	FixHost:   "Prefer slaves on the same NIC model (but on different cards or ports for redundancy).",
	FixSwitch: "Nothing to change on the switch.",
	Evidence:  "The host snapshot's NIC driver (ethtool -i / sysfs).",
	Check: func(c *Context) {
		for _, b := range c.bonds() {
			drivers := map[string][]*slaveView{}
			var keys []string
			known := true
			for i := range b.slaves {
				s := &b.slaves[i]
				if s.nic == nil || s.nic.Driver == "" {
					known = false
					break
				}
				if _, ok := drivers[s.nic.Driver]; !ok {
					keys = append(keys, s.nic.Driver)
				}
				drivers[s.nic.Driver] = append(drivers[s.nic.Driver], s)
			}
			if !known || len(keys) < 2 {
				continue
			}
			slices.Sort(keys)
			var parts, ev []string
			for _, k := range keys {
				parts = append(parts, fmt.Sprintf("%s on %s", names(drivers[k]), k))
				for _, s := range drivers[k] {
					ev = append(ev, fmt.Sprintf("host %s: NIC %s driver %s", b.host.Name, s.s.Name, k))
				}
			}
			f := b.finding(nil)
			f.Message = fmt.Sprintf("%s mixes NIC drivers: %s", b.bond.Name, strings.Join(parts, "; "))
			f.Fix = "prefer slaves on the same NIC model"
			f.Evidence = ev
			c.Report(f)
		}
	},
}

var bondDelayNotMultiple = Rule{
	ID: "bond.delay-not-multiple", Title: "updelay/downdelay not a multiple of miimon", Severity: Info,
	Summary:   "updelay or downdelay is not a multiple of miimon.",
	Why:       "The kernel rounds the delay down to a multiple of miimon without saying so; the bond waits less than configured.",
	FixHost:   "Set updelay/downdelay to multiples of miimon (e.g. miimon 100, updelay 200).",
	FixSwitch: "Nothing to change on the switch.",
	Evidence:  "/proc/net/bonding/<bond> \"Up Delay\", \"Down Delay\", \"MII Polling Interval\".",
	Check: func(c *Context) {
		for _, b := range c.bonds() {
			mi := b.bond.MIIMon
			if mi <= 0 {
				continue
			}
			var bad []string
			if b.bond.UpDelay%mi != 0 {
				bad = append(bad, fmt.Sprintf("updelay %d", b.bond.UpDelay))
			}
			if b.bond.DownDelay%mi != 0 {
				bad = append(bad, fmt.Sprintf("downdelay %d", b.bond.DownDelay))
			}
			if len(bad) == 0 {
				continue
			}
			f := b.finding(nil)
			f.Message = fmt.Sprintf("%s: %s ms is not a multiple of miimon %d ms; the kernel rounds it down", b.bond.Name, strings.Join(bad, " and "), mi)
			f.Fix = "use multiples of miimon"
			f.Evidence = []string{b.hostEv("miimon %d, updelay %d, downdelay %d", mi, b.bond.UpDelay, b.bond.DownDelay)}
			c.Report(f)
		}
	},
}

var bondLACPRateSlow = Rule{
	ID: "bond.lacp-rate-slow", Title: "LACP rate slow", Severity: Info,
	Summary:   "An 802.3ad bond uses lacp_rate slow.",
	Why:       "With slow LACPDUs (every 30 s, timeout 90 s) a partner that dies without losing link is noticed after 90 s instead of 3 s.",
	FixHost:   "Set lacp_rate=fast (netplan: lacp-rate: fast).",
	FixSwitch: "Optionally match: Arista/Cisco NX-OS \"lacp rate fast\" on the members; Junos \"lacp periodic fast\".",
	Evidence:  "/proc/net/bonding/<bond> \"LACP rate\"; ip -details link lacp_rate.",
	Check: func(c *Context) {
		for _, b := range c.bonds() {
			if b.class == ClassLACP && strings.EqualFold(b.bond.LACPRate, "slow") {
				f := b.finding(nil)
				f.Message = fmt.Sprintf("%s uses lacp_rate slow: a dead partner is noticed after 90 s instead of 3 s", b.bond.Name)
				f.Fix = "set lacp_rate=fast on " + b.bond.Name
				f.Evidence = []string{b.hostEv("LACP rate slow")}
				c.Report(f)
			}
		}
	},
}

var bondHashLayer2 = Rule{
	ID: "bond.hash-layer2", Title: "Layer 2 transmit hash", Severity: Info,
	Summary:   "A balance-xor or 802.3ad bond uses xmit_hash_policy layer2.",
	Why:       "layer2 hashes on MAC addresses only: all traffic to one gateway or router MAC leaves on one slave, so a routed host never uses more than one link.",
	FixHost:   "Use xmit_hash_policy layer3+4 (or layer2+3).",
	FixSwitch: "Nothing required; the switch hashes its own direction (port-channel load-balance src-dst-ip-l4port).",
	Evidence:  "/proc/net/bonding/<bond> \"Transmit Hash Policy\".",
	Check: func(c *Context) {
		for _, b := range c.bonds() {
			if !isLinuxBond(b.bond) || (b.bond.Mode != topology.Mode8023AD && b.bond.Mode != topology.ModeBalanceXOR) {
				continue
			}
			if strings.EqualFold(b.bond.XmitHashPolicy, "layer2") {
				f := b.finding(nil)
				f.Message = fmt.Sprintf("%s (%s) hashes on layer2: traffic to one gateway MAC always uses one link", b.bond.Name, b.bond.Mode)
				f.Fix = "set xmit_hash_policy=layer3+4 on " + b.bond.Name
				f.Evidence = []string{b.hostEv("transmit hash policy layer2")}
				c.Report(f)
			}
		}
	},
}

// linuxModes maps the numeric Linux bonding modes to their names.
var linuxModes = [...]string{topology.ModeBalanceRR, topology.ModeActiveBackup, topology.ModeBalanceXOR,
	topology.ModeBroadcast, topology.Mode8023AD, topology.ModeBalanceTLB, topology.ModeBalanceALB}

// linuxMode returns a Linux bond's mode name (numeric modes translated), or
// "" for OVS bonds and teams.
func linuxMode(b *topology.Bond) string {
	if !isLinuxBond(b) {
		return ""
	}
	m := strings.ToLower(strings.TrimSpace(b.Mode))
	if len(m) == 1 && m[0] >= '0' && m[0] <= '6' {
		return linuxModes[m[0]-'0']
	}
	if i := strings.IndexByte(m, ' '); i > 0 { // "802.3ad 4"
		m = m[:i]
	}
	return m
}

var bondModeInBridge = Rule{
	ID: "bond.mode-in-bridge", Title: "Bond mode that misbehaves inside a bridge", Severity: Warning,
	Summary: "A balance-rr, broadcast or balance-tlb bond is a port of a Linux or OVS bridge (info for balance-tlb).",
	Why: `Guests and containers behind the bridge see their own frames come back, duplicated
(broadcast) or reordered (balance-rr), and the bridge's forwarding table flaps
between the slaves. Red Hat's virtualization guide lists modes 0, 3, 5 and 6 as
likely to fail behind a bridge; balance-tlb (5) is reported working in practice,
hence info for it (balance-alb has its own rule, bond.alb-in-bridge).`,
	FixHost: `Use 802.3ad (with an LACP port-channel) or active-backup for bridged bonds:
ip link set bond0 type bond mode 802.3ad (the bond must be down and without
slaves); NetworkManager: nmcli con mod bond0 bond.options "mode=802.3ad,miimon=100";
netplan: bonds.bond0.parameters.mode: 802.3ad.`,
	FixSwitch: "For 802.3ad: an LACP port-channel (Cisco/Arista: channel-group N mode active; Junos: ether-options 802.3ad aeN + lacp active). For active-backup: plain ports.",
	Evidence:  "The bond's mode (/proc/net/bonding, ip -details link) and its bridge master (ip link master / brctl / ovs-vsctl).",
	Check: func(c *Context) {
		for _, b := range c.bonds() {
			mode := linuxMode(b.bond)
			if b.bond.Bridge == "" {
				continue
			}
			sev := Warning
			switch mode {
			case topology.ModeBalanceRR, topology.ModeBroadcast:
			case topology.ModeBalanceTLB:
				sev = Info
			default:
				continue
			}
			f := b.finding(nil)
			f.Message = fmt.Sprintf("%s is %s inside bridge %s: bridged guests see duplicated or reordered frames", b.bond.Name, mode, b.bond.Bridge)
			f.Fix = fmt.Sprintf("make %s 802.3ad (with an LACP port-channel) or active-backup", b.bond.Name)
			f.Evidence = []string{b.hostEv("mode %s", mode), fmt.Sprintf("host %s: %s is a port of bridge %s", b.host.Name, b.bond.Name, b.bond.Bridge)}
			c.ReportAt(sev, f)
		}
	},
}

var bondARPMonitorWrongMode = Rule{
	ID: "bond.arp-monitor-wrong-mode", Title: "ARP monitoring where it does not belong", Severity: Warning,
	Summary: "ARP monitoring on an 802.3ad, balance-tlb or balance-alb bond, or ARP monitoring and miimon both set.",
	Why: `802.3ad mandates MII link monitoring; balance-tlb and balance-alb cannot use
ARP monitoring (the kernel documentation says so and newer kernels refuse it);
and with both monitors configured the kernel uses only one of them, so the
configuration does not mean what it says.`,
	FixHost: `Use MII monitoring: ip link set bond0 type bond arp_interval 0 miimon 100;
NetworkManager: nmcli con mod bond0 bond.options "mode=802.3ad,miimon=100";
netplan: parameters: {mii-monitor-interval: 100} and no arp-interval.`,
	FixSwitch: "Nothing to change on the switch.",
	Evidence:  "The bond's mode, miimon and arp_interval (/proc/net/bonding, ip -details link).",
	Check: func(c *Context) {
		for _, b := range c.bonds() {
			if !isLinuxBond(b.bond) || b.bond.ARPInterval <= 0 {
				continue
			}
			mode := linuxMode(b.bond)
			var why string
			switch {
			case mode == topology.Mode8023AD || mode == topology.ModeBalanceTLB || mode == topology.ModeBalanceALB:
				why = fmt.Sprintf("%s cannot use ARP monitoring", mode)
			case b.bond.MIIMon > 0:
				why = fmt.Sprintf("ARP monitoring (%d ms) and miimon (%d ms) are both set; only one is used", b.bond.ARPInterval, b.bond.MIIMon)
			default:
				continue
			}
			f := b.finding(nil)
			f.Message = fmt.Sprintf("%s: %s", b.bond.Name, why)
			f.Fix = "use miimon=100 and arp_interval=0 on " + b.bond.Name
			f.Evidence = []string{b.hostEv("mode %s, ARP polling interval %d ms, MII polling interval %d ms", mode, b.bond.ARPInterval, b.bond.MIIMon)}
			c.Report(f)
		}
	},
}
