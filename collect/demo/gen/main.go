// Command gen writes the embedded demo site (collect/demo/site) from the
// scenario table below, with the sitegen builder and format writers, so
// that every MAC, LACP key, port number and LLDP neighbour agrees between
// hosts and switches. Run it with `go generate ./collect/demo`.
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"

	sg "github.com/bondaudit/bondaudit/internal/sitegen"
)

// scenario is one host's story and what an audit should say about it.
type scenario struct {
	host, bond, ports, story string
	rules                    []string // every rule expected to fire for the host
	note                     string
}

var scenarios = []scenario{
	{host: "web01", bond: "802.3ad, lacp_rate fast, layer3+4, miimon 100",
		ports: "leaf1a Ethernet1 + leaf1b Ethernet1 (MLAG Port-Channel1)",
		story: "The correct build: LACP across an MLAG pair, negotiated on both ends."},
	{host: "db01", bond: "active-backup, miimon 100",
		ports: "leaf2 Ethernet5 + access2 Gi1/0/5 (plain ports)",
		story: "The correct build for active-backup: plain ports on two switches, same VLAN. lldpd sends the interface name as port ID; access2 numbers LLDP ports apart from ifIndex."},
	{host: "web02", bond: "802.3ad, lacp_rate fast, layer3+4, miimon 100",
		ports: "leaf2 Ethernet7 + Ethernet8 (no port-channel)",
		story: "LACP on the host, nothing on the switch: the partner is 00:00:00:00:00:00 and defaulted, never collecting or distributing.",
		rules: []string{"lacp.no-partner", "lacp.switch-not-aggregated", "lacp.not-synced", "lacp.churn", "redundancy.single-switch"},
		note:  "redundancy.single-switch is info for class lacp; lacp.churn comes from the partner churn state"},
	{host: "app01", bond: "active-backup, miimon 100",
		ports: "access2 Gi1/0/9 + Gi1/0/10 (LACP Port-channel9)",
		story: "The switch bundles what the host keeps apart: both ports are in an LACP port-channel that never forms; the switch runs them as individual ports.",
		rules: []string{"independent.switch-aggregated", "redundancy.single-switch"},
		note:  "redundancy.single-switch is a warning for class independent"},
	{host: "app02", bond: "balance-xor, layer2+3, miimon 100",
		ports: "leaf2 Ethernet11 + Ethernet12 (no port-channel)",
		story: "A static bond on ports the switch does not aggregate: one source MAC on two ports.",
		rules: []string{"static.switch-not-aggregated", "redundancy.single-switch"},
		note:  "redundancy.single-switch is info for class static"},
	{host: "kvm01", bond: "802.3ad, lacp_rate fast, layer3+4, miimon 100, in bridge br0",
		ports: "leaf1a Ethernet3 (Port-Channel3) + leaf2 Ethernet3 (Port-Channel3), not one MLAG",
		story: "LACP across two switches that are not an MLAG pair: two partner systems, two aggregators, only the first carries traffic; the other slave never syncs and churns.",
		rules: []string{"lacp.partner-mismatch", "lacp.aggregator-split", "lacp.multi-switch-no-mlag", "lacp.split-across-lags", "lacp.not-synced", "lacp.churn", "lacp.switch-port-not-bundled"},
		note:  "leaf2 holds Ethernet3 attached but not collecting/distributing (standby), so the switch side reports it too"},
	{host: "stor01", bond: "balance-alb, miimon 0, arp_interval 0, in bridge br0",
		ports: "access2 Gi1/0/20 + Gi1/0/21 (plain ports)",
		story: "ALB under a Linux bridge and no link monitoring at all, on one switch.",
		rules: []string{"bond.alb-in-bridge", "bond.no-link-monitor", "redundancy.single-switch"},
		note:  "redundancy.single-switch is a warning for class independent"},
	{host: "backup01", bond: "802.3ad, lacp_rate slow, layer2, miimon 100",
		ports: "leaf1a Ethernet2 + leaf1b Ethernet2 (MLAG Port-Channel2); ens1f1np1's link is down",
		story: "Slow LACP, layer2 hashing, and a dead link to leaf1b: the kernel gives the failed slave key 0 and an aggregator of its own, and Port-Channel2 on leaf1b is down. The failed slave is mapped by the LACP partner it last heard only (system, port 1002); it has no LLDP neighbour.",
		rules: []string{"bond.lacp-rate-slow", "bond.hash-layer2", "bond.slave-down", "lag.member-missing", "switch.mlag-inconsistent"},
		note:  "the failed slave's leftover LACP state (key 0, an aggregator of its own, no sync) is a consequence of the dead link, reported once as bond.slave-down"},
}

func main() {
	out := flag.String("o", "site", "site folder to (re)write")
	flag.Parse()
	if err := run(*out); err != nil {
		log.Fatal(err)
	}
}

func run(out string) error {
	s, err := build()
	if err != nil {
		return err
	}
	for _, sub := range []string{"hosts", "switches"} {
		if err := os.RemoveAll(filepath.Join(out, sub)); err != nil {
			return err
		}
	}
	if _, err := sg.WriteSite(out, s); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(out, "README.md"), []byte(readme()), 0o644)
}

func mac(v uint64) sg.MAC { return sg.MACFromUint64(v) }

func build() (*sg.Site, error) {
	s := &sg.Site{}
	leaf := func(name string, id int, rack string) *sg.Switch {
		return s.NewSwitch(sg.SwitchSpec{Name: name, Vendor: sg.Arista, ID: id, Ports: 56,
			UplinkFrom: 49, UplinkSpeed: 100000, Location: "dc1 row A " + rack})
	}
	leaf1a := leaf("leaf1a", 1, "rack 1")
	leaf1b := leaf("leaf1b", 2, "rack 1")
	leaf2 := leaf("leaf2", 3, "rack 2")
	access2 := s.NewSwitch(sg.SwitchSpec{Name: "access2", Vendor: sg.CiscoIOS, ID: 4, Ports: 48, Location: "dc1 row B rack 7"})

	sg.PairMLAG(leaf1a, leaf1b, mac(0x021c731a1b01), 1000,
		[]*sg.Port{leaf1a.Port("Ethernet49"), leaf1a.Port("Ethernet50")},
		[]*sg.Port{leaf1b.Port("Ethernet49"), leaf1b.Port("Ethernet50")})
	up, down := leaf2.Port("Ethernet48"), access2.Port("Gi1/0/48")
	sg.CableSwitches(up, down)
	up.Speed = 1000
	up.Alias, down.Alias = "uplink access2 Gi1/0/48", "uplink leaf2 Ethernet48"

	var missing []string
	port := func(sw *sg.Switch, name, alias string, pvid int) *sg.Port {
		p := sw.Port(name)
		if p == nil {
			missing = append(missing, sw.Name+" "+name)
			p = sw.AddPort()
		}
		p.Alias, p.PVID = alias, pvid
		return p
	}
	// NIC addresses: Mellanox ConnectX (b8:ce:f6) and Intel I350 (a0:36:9f),
	// one block per host.
	cx := func(h *sg.Host, n int, p0, p1 *sg.Port) (*sg.NIC, *sg.NIC) {
		a := h.AddNIC("ens1f0np0", sg.ConnectX25G, mac(0xb8cef6a10000|uint64(n)<<8), "0000:3b:00.0", p0)
		b := h.AddNIC("ens1f1np1", sg.ConnectX25G, mac(0xb8cef6a10001|uint64(n)<<8), "0000:3b:00.1", p1)
		return a, b
	}
	intel := func(h *sg.Host, n int, p0, p1 *sg.Port) (*sg.NIC, *sg.NIC) {
		a := h.AddNIC("eno1", sg.I350, mac(0xa0369fb20000|uint64(n)<<8), "0000:03:00.0", p0)
		b := h.AddNIC("eno2", sg.I350, mac(0xa0369fb20001|uint64(n)<<8), "0000:03:00.1", p1)
		return a, b
	}
	lacp := func(rate, hash string) *sg.Bond {
		return &sg.Bond{Name: "bond0", Mode: sg.Mode8023AD, MIIMon: 100, LACPRate: rate, XmitHashPolicy: hash, MTU: 9000}
	}

	// 1. web01
	h := s.NewHost("web01", sg.Debian12)
	a, b := cx(h, 1, port(leaf1a, "Ethernet1", "web01 ens1f0np0", 100), port(leaf1b, "Ethernet1", "web01 ens1f1np1", 100))
	h.AddBond(lacp("fast", "layer3+4"), a, b)
	leaf1a.AddLAG(1, true, true, 100, a.Port).Alias = "web01 bond0"
	leaf1b.AddLAG(1, true, true, 100, b.Port).Alias = "web01 bond0"

	// 2. db01
	h = s.NewHost("db01", sg.Ubuntu22)
	h.LLDPPortIDIfName = true
	p5 := port(leaf2, "Ethernet5", "db01 eno1", 20)
	p5.Speed = 1000
	a, b = intel(h, 2, p5, port(access2, "Gi1/0/5", "db01 eno2", 20))
	h.AddBond(&sg.Bond{Name: "bond0", Mode: sg.ModeAB, MIIMon: 100}, a, b)

	// 3. web02
	h = s.NewHost("web02", sg.Debian12)
	a, b = cx(h, 3, port(leaf2, "Ethernet7", "web02 ens1f0np0", 100), port(leaf2, "Ethernet8", "web02 ens1f1np1", 100))
	h.AddBond(lacp("fast", "layer3+4"), a, b)

	// 4. app01
	h = s.NewHost("app01", sg.Ubuntu22)
	a, b = intel(h, 4, port(access2, "Gi1/0/9", "app01 eno1", 30), port(access2, "Gi1/0/10", "app01 eno2", 30))
	h.AddBond(&sg.Bond{Name: "bond0", Mode: sg.ModeAB, MIIMon: 100}, a, b)
	access2.AddLAG(9, true, false, 30, a.Port, b.Port).Alias = "app01 bond0"

	// 5. app02
	h = s.NewHost("app02", sg.Ubuntu24)
	a, b = cx(h, 5, port(leaf2, "Ethernet11", "app02 ens1f0np0", 120), port(leaf2, "Ethernet12", "app02 ens1f1np1", 120))
	h.AddBond(&sg.Bond{Name: "bond0", Mode: sg.ModeXOR, MIIMon: 100, XmitHashPolicy: "layer2+3", MTU: 9000}, a, b)

	// 6. kvm01
	h = s.NewHost("kvm01", sg.Debian12)
	a, b = cx(h, 6, port(leaf1a, "Ethernet3", "kvm01 ens1f0np0", 200), port(leaf2, "Ethernet3", "kvm01 ens1f1np1", 200))
	bd := h.AddBond(lacp("fast", "layer3+4"), a, b)
	h.AddBridge("br0", bd)
	leaf1a.AddLAG(3, true, false, 200, a.Port).Alias = "kvm01 bond0"
	leaf2.AddLAG(3, true, false, 200, b.Port).Alias = "kvm01 bond0"

	// 7. stor01
	h = s.NewHost("stor01", sg.Ubuntu24)
	a, b = intel(h, 7, port(access2, "Gi1/0/20", "stor01 eno1", 40), port(access2, "Gi1/0/21", "stor01 eno2", 40))
	bd = h.AddBond(&sg.Bond{Name: "bond0", Mode: sg.ModeALB, MIIMon: 0}, a, b)
	h.AddBridge("br0", bd)

	// 8. backup01
	h = s.NewHost("backup01", sg.Debian12)
	a, b = cx(h, 8, port(leaf1a, "Ethernet2", "backup01 ens1f0np0", 110), port(leaf1b, "Ethernet2", "backup01 ens1f1np1", 110))
	b.Down = true
	h.AddBond(lacp("slow", "layer2"), a, b)
	leaf1a.AddLAG(2, true, true, 110, a.Port).Alias = "backup01 bond0"
	leaf1b.AddLAG(2, true, true, 110, b.Port).Alias = "backup01 bond0"

	if len(missing) > 0 {
		return nil, fmt.Errorf("no such ports: %s", strings.Join(missing, ", "))
	}
	if err := s.Resolve(); err != nil {
		return nil, err
	}
	return s, nil
}

func readme() string {
	var b strings.Builder
	b.WriteString(`# Demo site

The site ` + "`bondaudit demo`" + ` audits: 8 hosts (raw capture folders under hosts/) and 4
switches (snmprec walks under switches/): leaf1a and leaf1b, an Arista MLAG pair
(shared LACP system ID 02:1c:73:1a:1b:01, peer-link Port-Channel1000 on
Ethernet49+50); leaf2, a standalone Arista leaf; access2, a Cisco Catalyst access
switch uplinked to leaf2 Ethernet48. Generated by collect/demo/gen (` + "`go generate ./collect/demo`" + `);
do not edit the files by hand.

For each host, the rules listed are all the rules expected to fire for it; no
other rule should fire for that host, its NICs or its switch ports.

| host | bond | switch ports | story | expected rule IDs |
|---|---|---|---|---|
`)
	for _, sc := range scenarios {
		rules := "none"
		if len(sc.rules) > 0 {
			rules = "`" + strings.Join(sc.rules, "`, `") + "`"
		}
		story := sc.story
		if sc.note != "" {
			story += " Note: " + sc.note + "."
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s |\n", sc.host, sc.bond, sc.ports, story, rules)
	}
	return b.String()
}
