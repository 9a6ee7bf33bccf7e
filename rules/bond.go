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
	FixHost: `iproute2: ip link set bond0 type bond miimon 100
NetworkManager: nmcli connection modify bond0 bond.options "mode=<mode>,miimon=100"; nmcli connection up bond0
netplan: bonds.bond0.parameters: {mii-monitor-interval: 100}, then netplan apply (networkd: reboot to apply)`,
	FixSwitch:  `Nothing on the switch: link monitoring (miimon, arp_interval) is host configuration.`,
	Evidence:   "/proc/net/bonding/<bond> \"MII Polling Interval (ms)\" and \"ARP Polling Interval (ms)\", or ip -details link's miimon/arp_interval.",
	References: []string{"https://www.kernel.org/doc/html/latest/networking/bonding.html (miimon, arp_interval)"},
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
	Summary: "arp_interval > 0 but no arp_ip_target is set.",
	Why:     "ARP monitoring judges a slave by replies from its targets; with no target nothing is probed and no failure is detected.",
	FixHost: `iproute2: ip link set bond0 type bond arp_ip_target 192.0.2.1,192.0.2.2 (the gateway and another always-up address), or miimon 100
NetworkManager: nmcli connection modify bond0 bond.options "mode=<mode>,arp_interval=1000,arp_ip_target=192.0.2.1"; nmcli connection up bond0
netplan: bonds.bond0.parameters: {arp-interval: 1000, arp-ip-targets: [192.0.2.1, 192.0.2.2]}, then netplan apply (networkd: reboot to apply)`,
	FixSwitch:  `Nothing on the switch; pick ARP targets every slave's path reaches and that always answer (the gateway, not a host behind this bond).`,
	Evidence:   "/proc/net/bonding/<bond> \"ARP Polling Interval\" and \"ARP IP target/s\"; ip -details link arp_interval/arp_ip_target.",
	References: []string{"https://www.kernel.org/doc/html/latest/networking/bonding.html (arp_interval, arp_ip_target)"},
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
	FixHost: `iproute2: ip link set bond0 type bond miimon 100 (enabling miimon turns ARP monitoring off)
NetworkManager: nmcli connection modify bond0 bond.options "mode=<mode>,miimon=100" (no arp_interval, arp_ip_target); nmcli connection up bond0
netplan: bonds.bond0.parameters: {mii-monitor-interval: 100}, no arp-interval or arp-ip-targets, then netplan apply (networkd: reboot to apply)`,
	FixSwitch: `Nothing on the switch: the bridge on the host, not the switch, takes the ARP replies.`,
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
	FixHost: fixModeActiveBackup + `
For load sharing use 802.3ad instead (mode=802.3ad, netplan mode: 802.3ad) with the LACP port-channel below.`,
	FixSwitch: `Nothing on the switch for active-backup (plain access/trunk ports with the same VLANs). For 802.3ad, an LACP port-channel:
Cisco IOS/NX-OS: interface Gi1/0/1 / channel-group 10 mode active, on every bond port (NX-OS: feature lacp first); VLANs on interface port-channel10
Arista EOS: interface Ethernet1 / channel-group 10 mode active, on every bond port; VLANs on Port-Channel10 (MLAG: mlag 10 on both peers)
Junos: set chassis aggregated-devices ethernet device-count 1; set interfaces xe-0/0/1 ether-options 802.3ad ae0; set interfaces ae0 aggregated-ether-options lacp active`,
	Evidence:   "/proc/net/bonding/<bond> \"Bonding Mode: adaptive load balancing\"; ip -details link master of the bond.",
	References: []string{"https://bugzilla.redhat.com/show_bug.cgi?id=584872"},
	Check: func(c *Context) {
		for _, b := range c.bonds() {
			if linuxMode(b.bond) == topology.ModeBalanceALB && b.bond.Bridge != "" {
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
	Summary: "The bond has 0 or 1 slave.",
	Why:     "A bond with one slave has no redundancy at all; the next NIC, cable or switch-port fault is an outage.",
	FixHost: `Add a second NIC, ideally on another card and cabled to a second switch:
iproute2: ip link set eth1 down; ip link set eth1 master bond0
NetworkManager: nmcli connection add type ethernet slave-type bond con-name bond0-eth1 ifname eth1 master bond0; nmcli connection up bond0-eth1
netplan: ethernets: {eth1: {}} and bonds.bond0.interfaces: [eth0, eth1], then netplan apply`,
	FixSwitch: `Configure the new port like the first: same VLANs, and the same port-channel for 802.3ad and static bonds (on the MLAG/vPC peer):
Cisco IOS/NX-OS: interface Gi2/0/1 / the first port's switchport config; 802.3ad: channel-group 10 mode active (static: mode on; vPC: vpc 10)
Arista EOS: interface Ethernet1 on the MLAG peer / the first port's switchport config; 802.3ad: channel-group 10 mode active (static: mode on)
Junos: set interfaces xe-1/0/1 ether-options 802.3ad ae0 (802.3ad and static bonds); active-backup: the first port's unit 0 family ethernet-switching config`,
	Evidence: "/proc/net/bonding/<bond> \"Slave Interface\" entries; ip -details link master.",
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
	Summary: "A slave's MII status is down (error when no slave is up).",
	Why:     "The bond already runs without the redundancy it was built for; with no slave up the bond is down.",
	FixHost: `iproute2: ip link show eth0 (admin down? then ip link set eth0 up); ethtool eth0 (Link detected); ethtool -m eth0 (optic levels)
NetworkManager: nmcli device status; nmcli connection up bond0-eth0 if the port's profile is not active
netplan: eth0 must be under ethernets and in bonds.bond0.interfaces, then netplan apply; if the link stays down, replace the cable or optic`,
	FixSwitch: `Cisco IOS/NX-OS: show interfaces Gi1/0/1 status (err-disabled?); interface Gi1/0/1 / shutdown / no shutdown; show interfaces Gi1/0/1 transceiver
Arista EOS: show interfaces Ethernet1 status (errdisabled?); interface Ethernet1 / shutdown / no shutdown; show interfaces Ethernet1 transceiver
Junos: show interfaces xe-0/0/1 extensive; show interfaces diagnostics optics xe-0/0/1; delete interfaces xe-0/0/1 disable (if set)`,
	Evidence: "/proc/net/bonding/<bond> per-slave \"MII Status\"; ip -details link operstate.",
	Check: func(c *Context) {
		for _, b := range c.bonds() {
			anyUp := false
			var down []*slaveView
			for i := range b.slaves {
				s := &b.slaves[i]
				if s.f.Up && s.f.MII != "" { // reported up, not merely unreported
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
	Summary: "A slave's link failure count reaches the policy threshold (default 3).",
	Why:     "Repeated link failures point at a bad cable, optic or port; each one costs a failover or a re-hash.",
	FixHost: `Find the failing part (errors climbing on one end) and reseat or replace it; meanwhile updelay keeps a flapping slave out until its link holds:
iproute2: ethtool -S eth0 | grep -iE 'crc|err'; ethtool -m eth0; ip link set bond0 type bond updelay 2000 (a multiple of miimon)
NetworkManager: nmcli connection modify bond0 bond.options "mode=<mode>,miimon=100,updelay=2000"; nmcli connection up bond0
netplan: bonds.bond0.parameters: {mii-monitor-interval: 100, up-delay: 2000}, then netplan apply (networkd: reboot to apply)`,
	FixSwitch: `Cisco IOS/NX-OS: show interfaces Gi1/0/1 counters errors; show interfaces Gi1/0/1 transceiver detail; show logging | include Gi1/0/1
Arista EOS: show interfaces Ethernet1 counters errors; show interfaces Ethernet1 transceiver; show logging | include Ethernet1
Junos: show interfaces xe-0/0/1 extensive | match "error|flapped"; show interfaces diagnostics optics xe-0/0/1`,
	Evidence: "/proc/net/bonding/<bond> per-slave \"Link Failure Count\".",
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
	FixHost: `Run every slave at one speed: same NIC and optic type, autonegotiation on both ends:
iproute2: ethtool eth1 (Speed, Supported and Advertised link modes); ethtool -s eth1 autoneg on, or force it: ethtool -s eth1 speed 10000 duplex full autoneg off
NetworkManager: nmcli connection modify bond0-eth1 ethernet.auto-negotiate yes (or ethernet.speed 10000 ethernet.duplex full); nmcli connection up bond0-eth1
netplan: has no speed or duplex key: fix it with ethtool or the optic, persist it in a systemd .link file ([Link] AutoNegotiation=yes)`,
	FixSwitch: `Cisco IOS/NX-OS: interface Gi1/0/2 / speed auto (or the same fixed speed as the other ports; NX-OS: speed 10000); show interfaces Gi1/0/2 transceiver
Arista EOS: interface Ethernet2 / speed auto (or speed forced 10000full, as the other ports); show interfaces Ethernet2 transceiver
Junos: set interfaces xe-0/0/2 ether-options auto-negotiation; show interfaces xe-0/0/2 media; LACP bundles: set interfaces ae0 aggregated-ether-options link-speed 10g`,
	Evidence: "/proc/net/bonding/<bond> per-slave \"Speed\"; ethtool.",
	Check: func(c *Context) {
		for _, b := range c.bonds() {
			n, parts, ev := splitSlaves(&b,
				func(s *slaveView) (int, bool) { sp := s.speed(); return sp, sp > 0 },
				func(names string, sp int) string { return fmt.Sprintf("%s at %s", names, mbps(sp)) },
				"speed %d Mb/s")
			if n < 2 {
				continue
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
	Summary: "A slave runs half duplex.",
	Why:     "Half duplex on a modern link means autonegotiation failed; the link runs slow with collisions, and 802.3ad refuses half-duplex ports.",
	FixHost: `iproute2: ethtool eth0 (Duplex, Auto-negotiation); ethtool -s eth0 autoneg on; replace the cable if it still comes up half duplex
NetworkManager: nmcli connection modify bond0-eth0 ethernet.auto-negotiate yes (and no forced duplex); nmcli connection up bond0-eth0
netplan: has no duplex key: remove a forced Duplex= from any systemd .link file for eth0 and let both ends autonegotiate`,
	FixSwitch: `Cisco IOS/NX-OS: interface Gi1/0/1 / speed auto / duplex auto (or the same forced speed with duplex full on both ends)
Arista EOS: interface Ethernet1 / speed auto (or speed forced 1000full on both ends)
Junos: set interfaces ge-0/0/1 ether-options auto-negotiation (and remove any forced speed or link-mode)`,
	Evidence: "/proc/net/bonding/<bond> per-slave \"Duplex\"; ethtool.",
	Check: func(c *Context) {
		for _, b := range c.bonds() {
			for i := range b.slaves {
				s := &b.slaves[i]
				if s.s.Duplex.Half() && s.up() {
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
	Summary: "Slaves use different drivers (NIC models).",
	Why:     "Matching NICs are recommended: drivers differ in link-state reporting and offloads, which shows up as uneven failover behaviour.",
	FixHost: `Prefer slaves of one NIC model on different cards; at least run the same driver and firmware versions:
iproute2: ethtool -i eth0; ethtool -i eth1 (driver, firmware); to swap a port: ip link set eth1 nomaster; ip link set eth2 down; ip link set eth2 master bond0
NetworkManager: nmcli connection delete bond0-eth1; nmcli connection add type ethernet slave-type bond con-name bond0-eth2 ifname eth2 master bond0
netplan: bonds.bond0.interfaces: [eth0, eth2] (eth2 defined under ethernets), then netplan apply`,
	FixSwitch: `Nothing on the switch; a slave moved to another NIC port keeps its cable or gets a port configured like the old one.`,
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
	Summary: "updelay or downdelay is not a multiple of miimon.",
	Why:     "The kernel rounds the delay down to a multiple of miimon without saying so; the bond waits less than configured.",
	FixHost: `iproute2: ip link set bond0 type bond miimon 100 updelay 200 downdelay 200
NetworkManager: nmcli connection modify bond0 bond.options "mode=<mode>,miimon=100,updelay=200,downdelay=200"; nmcli connection up bond0
netplan: bonds.bond0.parameters: {mii-monitor-interval: 100, up-delay: 200, down-delay: 200}, then netplan apply (networkd: reboot to apply)`,
	FixSwitch:  `Nothing on the switch: updelay and downdelay are host configuration.`,
	Evidence:   "/proc/net/bonding/<bond> \"Up Delay\", \"Down Delay\", \"MII Polling Interval\".",
	References: []string{"https://www.kernel.org/doc/html/latest/networking/bonding.html (updelay, downdelay)"},
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
	Summary: "An 802.3ad bond uses lacp_rate slow.",
	Why:     "With slow LACPDUs (every 30 s, timeout 90 s) a partner that dies without losing link is noticed after 90 s instead of 3 s.",
	FixHost: `iproute2: ip link set bond0 down; ip link set bond0 type bond lacp_rate fast; ip link set bond0 up (lacp_rate needs the bond down)
NetworkManager: nmcli connection modify bond0 bond.options "mode=802.3ad,miimon=100,lacp_rate=fast" (plus the other options); nmcli connection up bond0
netplan: bonds.bond0.parameters: {mode: 802.3ad, lacp-rate: fast}, then netplan apply (networkd: reboot to apply)`,
	FixSwitch: `Optional, so that the switch also notices a dead host within 3 s (the host's lacp_rate sets how often the switch sends):
Cisco IOS/NX-OS: interface Gi1/0/1 / lacp rate fast, on every member
Arista EOS: interface Ethernet1 / lacp timer fast, on every member
Junos: set interfaces ae0 aggregated-ether-options lacp periodic fast`,
	Evidence:   "/proc/net/bonding/<bond> \"LACP rate\"; ip -details link lacp_rate.",
	References: []string{"https://www.kernel.org/doc/html/latest/networking/bonding.html (lacp_rate)"},
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
	Summary: "A balance-xor or 802.3ad bond uses xmit_hash_policy layer2.",
	Why:     "layer2 hashes on MAC addresses only: all traffic to one gateway or router MAC leaves on one slave, so a routed host never uses more than one link.",
	FixHost: `iproute2: ip link set bond0 type bond xmit_hash_policy layer3+4 (or layer2+3, which never reorders fragmented traffic)
NetworkManager: nmcli connection modify bond0 bond.options "mode=802.3ad,miimon=100,xmit_hash_policy=layer3+4" (plus the other options); nmcli connection up bond0
netplan: bonds.bond0.parameters: {transmit-hash-policy: layer3+4}, then netplan apply (networkd: reboot to apply)`,
	FixSwitch:  `Nothing on the switch: it hashes the return direction itself (Cisco IOS: show etherchannel load-balance; NX-OS: show port-channel load-balance).`,
	Evidence:   "/proc/net/bonding/<bond> \"Transmit Hash Policy\".",
	References: []string{"https://www.kernel.org/doc/html/latest/networking/bonding.html (xmit_hash_policy)"},
	Check: func(c *Context) {
		for _, b := range c.bonds() {
			if m := linuxMode(b.bond); m != topology.Mode8023AD && m != topology.ModeBalanceXOR {
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

// linuxMode returns a Linux bond's mode name (see BondMode.LinuxName), or
// "" for OVS bonds and teams.
func linuxMode(b *topology.Bond) topology.BondMode {
	if !isLinuxBond(b) {
		return ""
	}
	return b.Mode.LinuxName()
}

var bondModeInBridge = Rule{
	ID: "bond.mode-in-bridge", Title: "Bond mode that misbehaves inside a bridge", Severity: Warning,
	Summary: "A balance-rr, broadcast or balance-tlb bond is a port of a Linux or OVS bridge (info for balance-tlb).",
	Why: `Guests and containers behind the bridge see their own frames come back, duplicated
(broadcast) or reordered (balance-rr), and the bridge's forwarding table flaps
between the slaves. Red Hat's virtualization guide lists modes 0, 3, 5 and 6 as
likely to fail behind a bridge; balance-tlb (5) is reported working in practice,
hence info for it (balance-alb has its own rule, bond.alb-in-bridge).`,
	FixHost: fixMode8023AD + `
For active-backup instead use mode active-backup (mode=active-backup; netplan mode: active-backup) and plain switch ports.`,
	FixSwitch: `802.3ad needs an LACP port-channel (replacing a static mode on one: no channel-group first); active-backup needs plain ports:
Cisco IOS/NX-OS: interface range Gi1/0/1 - 2 / no channel-group / channel-group 10 mode active (NX-OS: feature lacp; interface Ethernet1/1-2)
Arista EOS: interface Ethernet1-2 / channel-group 10 mode active; MLAG pair: interface Port-Channel10 / mlag 10 on both
Junos: set interfaces xe-0/0/1 ether-options 802.3ad ae0; set interfaces xe-0/0/2 ether-options 802.3ad ae0; set interfaces ae0 aggregated-ether-options lacp active`,
	Evidence: "The bond's mode (/proc/net/bonding, ip -details link) and its bridge master (ip link master / brctl / ovs-vsctl).",
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
	FixHost: `iproute2: ip link set bond0 type bond miimon 100 (enabling miimon turns ARP monitoring off)
NetworkManager: nmcli connection modify bond0 bond.options "mode=<mode>,miimon=100" (no arp_interval, arp_ip_target); nmcli connection up bond0
netplan: bonds.bond0.parameters: {mii-monitor-interval: 100}, no arp-interval or arp-ip-targets, then netplan apply (networkd: reboot to apply)
Where ARP monitoring is wanted (active-backup, balance-rr, balance-xor), keep it and drop miimon: ip link set bond0 type bond arp_interval 1000 turns miimon off.`,
	FixSwitch:  `Nothing on the switch: which link monitor the bond uses is host configuration.`,
	Evidence:   "The bond's mode, miimon and arp_interval (/proc/net/bonding, ip -details link).",
	References: []string{"https://www.kernel.org/doc/html/latest/networking/bonding.html (arp_interval, miimon)"},
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
