package rules

import (
	"strings"
	"testing"
	"time"

	"github.com/bondaudit/bondaudit/topology"
)

// Every rule of the registry, from small hand-written snapshots (site_test.go):
// at least one site where it fires and one near miss where it must stay
// silent. TestEveryRuleHasCases keeps the table complete.

const (
	fires = true
	quiet = false
)

type ruleCase struct {
	rule   string
	fires  bool
	name   string
	build  func(s *site)
	params Params
	policy string // policy.yaml applied after Run
}

// Common shapes: host web01's bond0 with eth0 and eth1, on ports Ethernet1
// and Ethernet2 of leaf1, or on Ethernet1 of leaf1 and of leaf2.

func onOneSwitch(s *site, mode topology.BondMode) {
	s.sw("leaf1", "Ethernet1", "Ethernet2", "Ethernet3", "Ethernet4")
	s.bond("web01", "bond0", mode, "eth0 leaf1 Ethernet1", "eth1 leaf1 Ethernet2")
}

func onTwoSwitches(s *site, mode topology.BondMode) {
	s.sw("leaf1", "Ethernet1", "Ethernet2")
	s.sw("leaf2", "Ethernet1", "Ethernet2")
	s.bond("web01", "bond0", mode, "eth0 leaf1 Ethernet1", "eth1 leaf2 Ethernet1")
}

func onMLAGPair(s *site, mode topology.BondMode) {
	s.sw("leaf1", "Ethernet1", "Ethernet2")
	s.sw("leaf2", "Ethernet1", "Ethernet2")
	s.mlag("leaf1", "leaf2")
	s.bond("web01", "bond0", mode, "eth0 leaf1 Ethernet1", "eth1 leaf2 Ethernet1")
}

// inPortChannel puts leaf1 Ethernet1 and Ethernet2 in Port-Channel10.
func inPortChannel(s *site, kind topology.LAGKind) {
	s.lag("leaf1", "Port-Channel10", kind, "Ethernet1", "Ethernet2")
}

func bond0(s *site) *topology.Bond { return s.bondOf("web01", "bond0") }

func eth(s *site, n string) *topology.Slave { return s.slave("web01", "bond0", n) }

// auditAt is the audit's clock of the map.stale-capture cases: 2026-06-01
// 12:00 UTC, the default max_capture_age (24h).
var auditAt = Params{Now: time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)}

var ruleCases = []ruleCase{
	// bond.* — host configuration
	{"bond.alb-in-bridge", fires, "balance-alb bond in a bridge", func(s *site) {
		onTwoSwitches(s, "balance-alb")
		bond0(s).Bridge = "br0"
	}, Params{}, ""},
	{"bond.alb-in-bridge", fires, "balance-alb given as mode 6 in a bridge", func(s *site) {
		onTwoSwitches(s, "6") // the kernel's number reads as its name, as bond.mode-in-bridge reads it
		bond0(s).Bridge = "br0"
	}, Params{}, ""},
	{"bond.alb-in-bridge", quiet, "active-backup bond in a bridge", func(s *site) {
		onTwoSwitches(s, "active-backup")
		bond0(s).Bridge = "br0"
	}, Params{}, ""},

	{"bond.arp-monitor-in-bridge", fires, "ARP-monitored bond in a bridge", func(s *site) {
		onTwoSwitches(s, "active-backup")
		b := bond0(s)
		b.MIIMon, b.ARPInterval, b.ARPTargets, b.Bridge = 0, 1000, []string{"192.0.2.1"}, "br0"
	}, Params{}, ""},
	{"bond.arp-monitor-in-bridge", quiet, "ARP-monitored bond outside a bridge", func(s *site) {
		onTwoSwitches(s, "active-backup")
		b := bond0(s)
		b.MIIMon, b.ARPInterval, b.ARPTargets = 0, 1000, []string{"192.0.2.1"}
	}, Params{}, ""},

	{"bond.arp-monitor-wrong-mode", fires, "ARP monitoring on 802.3ad", func(s *site) {
		onMLAGPair(s, "802.3ad")
		b := bond0(s)
		b.MIIMon, b.ARPInterval, b.ARPTargets = 0, 1000, []string{"192.0.2.1"}
	}, Params{}, ""},
	{"bond.arp-monitor-wrong-mode", fires, "ARP monitoring and miimon both set", func(s *site) {
		onTwoSwitches(s, "active-backup")
		b := bond0(s)
		b.ARPInterval, b.ARPTargets = 1000, []string{"192.0.2.1"}
	}, Params{}, ""},
	{"bond.arp-monitor-wrong-mode", quiet, "ARP monitoring alone on active-backup", func(s *site) {
		onTwoSwitches(s, "active-backup")
		b := bond0(s)
		b.MIIMon, b.ARPInterval, b.ARPTargets = 0, 1000, []string{"192.0.2.1"}
	}, Params{}, ""},

	{"bond.arp-no-targets", fires, "arp_interval without a target", func(s *site) {
		onTwoSwitches(s, "active-backup")
		bond0(s).MIIMon, bond0(s).ARPInterval = 0, 1000
	}, Params{}, ""},
	{"bond.arp-no-targets", quiet, "arp_interval with a target", func(s *site) {
		onTwoSwitches(s, "active-backup")
		b := bond0(s)
		b.MIIMon, b.ARPInterval, b.ARPTargets = 0, 1000, []string{"192.0.2.1"}
	}, Params{}, ""},

	{"bond.delay-not-multiple", fires, "updelay 250 with miimon 100", func(s *site) {
		onTwoSwitches(s, "active-backup")
		bond0(s).UpDelay = 250
	}, Params{}, ""},
	{"bond.delay-not-multiple", quiet, "updelay 200 with miimon 100", func(s *site) {
		onTwoSwitches(s, "active-backup")
		bond0(s).UpDelay = 200
	}, Params{}, ""},

	{"bond.half-duplex", fires, "an up slave at half duplex", func(s *site) {
		onTwoSwitches(s, "active-backup")
		eth(s, "eth1").Duplex = "half"
	}, Params{}, ""},
	{"bond.half-duplex", quiet, "a down slave at half duplex", func(s *site) {
		onTwoSwitches(s, "active-backup")
		eth(s, "eth1").Duplex, eth(s, "eth1").MIIStatus = "half", "down"
	}, Params{}, ""},

	{"bond.hash-layer2", fires, "802.3ad hashing on layer2", func(s *site) {
		onMLAGPair(s, "802.3ad")
		bond0(s).XmitHashPolicy = "layer2"
	}, Params{}, ""},
	{"bond.hash-layer2", fires, "balance-xor given as mode 2, hashing on layer2", func(s *site) {
		onTwoSwitches(s, "2")
		bond0(s).XmitHashPolicy = "layer2"
	}, Params{}, ""},
	{"bond.hash-layer2", quiet, "active-backup with layer2 (no hashing)", func(s *site) {
		onTwoSwitches(s, "active-backup")
		bond0(s).XmitHashPolicy = "layer2"
	}, Params{}, ""},

	{"bond.lacp-rate-slow", fires, "802.3ad at lacp_rate slow", func(s *site) {
		onMLAGPair(s, "802.3ad")
		bond0(s).LACPRate = "slow"
	}, Params{}, ""},
	{"bond.lacp-rate-slow", quiet, "802.3ad at lacp_rate fast", func(s *site) {
		onMLAGPair(s, "802.3ad")
	}, Params{}, ""},

	{"bond.mode-in-bridge", fires, "balance-rr in a bridge", func(s *site) {
		onOneSwitch(s, "balance-rr")
		inPortChannel(s, "static")
		bond0(s).Bridge = "br0"
	}, Params{}, ""},
	{"bond.mode-in-bridge", quiet, "balance-rr outside a bridge", func(s *site) {
		onOneSwitch(s, "balance-rr")
		inPortChannel(s, "static")
	}, Params{}, ""},

	{"bond.nic-mismatch", fires, "slaves on ixgbe and i40e", func(s *site) {
		onTwoSwitches(s, "active-backup")
		s.nic("web01", "eth1").Driver = "i40e"
	}, Params{}, ""},
	{"bond.nic-mismatch", quiet, "one slave's driver unknown", func(s *site) {
		onTwoSwitches(s, "active-backup")
		s.nic("web01", "eth1").Driver = ""
	}, Params{}, ""},

	{"bond.no-link-monitor", fires, "miimon 0 and arp_interval 0", func(s *site) {
		onTwoSwitches(s, "active-backup")
		bond0(s).MIIMon = 0
	}, Params{}, ""},
	{"bond.no-link-monitor", quiet, "an OVS bond (no miimon of its own)", func(s *site) {
		onTwoSwitches(s, "active-backup")
		bond0(s).MIIMon, bond0(s).Kind = 0, "ovs"
	}, Params{}, ""},

	{"bond.single-slave", fires, "one slave", func(s *site) {
		s.sw("leaf1", "Ethernet1")
		s.bond("web01", "bond0", "active-backup", "eth0 leaf1 Ethernet1")
	}, Params{}, ""},
	{"bond.single-slave", quiet, "two slaves", func(s *site) {
		onTwoSwitches(s, "active-backup")
	}, Params{}, ""},

	{"bond.slave-down", fires, "one slave down", func(s *site) {
		onTwoSwitches(s, "active-backup")
		eth(s, "eth1").MIIStatus = "down"
	}, Params{}, ""},
	{"bond.slave-down", quiet, "a slave going back", func(s *site) {
		onTwoSwitches(s, "active-backup")
		eth(s, "eth1").MIIStatus = "going back"
	}, Params{}, ""},

	{"bond.slave-flapping", fires, "3 link failures", func(s *site) {
		onTwoSwitches(s, "active-backup")
		eth(s, "eth1").LinkFailures = 3
	}, Params{}, ""},
	{"bond.slave-flapping", quiet, "2 link failures", func(s *site) {
		onTwoSwitches(s, "active-backup")
		eth(s, "eth1").LinkFailures = 2
	}, Params{}, ""},
	{"bond.slave-flapping", quiet, "3 link failures under threshold 5", func(s *site) {
		onTwoSwitches(s, "active-backup")
		eth(s, "eth1").LinkFailures = 3
	}, Params{FlapThreshold: 5}, ""},

	{"bond.speed-mismatch", fires, "slaves at 10G and 1G", func(s *site) {
		onTwoSwitches(s, "active-backup")
		eth(s, "eth1").Speed = 1000
	}, Params{}, ""},
	{"bond.speed-mismatch", quiet, "the 1G slave is down", func(s *site) {
		onTwoSwitches(s, "active-backup")
		eth(s, "eth1").Speed, eth(s, "eth1").MIIStatus = 1000, "down"
	}, Params{}, ""},

	// fdb.* — forwarding tables
	{"fdb.mac-flap", fires, "bond MAC on two plain ports", func(s *site) {
		onOneSwitch(s, "balance-rr")
		x := s.switchNamed("leaf1")
		x.FDB = []topology.FDBEntry{{MAC: bond0(s).MAC, VLAN: 10, Port: "Ethernet1"}, {MAC: bond0(s).MAC, VLAN: 10, Port: "Ethernet2"}}
	}, Params{}, ""},
	{"fdb.mac-flap", quiet, "bond MAC on two members of one port-channel", func(s *site) {
		onOneSwitch(s, "balance-rr")
		inPortChannel(s, "static")
		x := s.switchNamed("leaf1")
		x.FDB = []topology.FDBEntry{{MAC: bond0(s).MAC, VLAN: 10, Port: "Ethernet1"}, {MAC: bond0(s).MAC, VLAN: 10, Port: "Ethernet2"}}
	}, Params{}, ""},

	// independent.* — active-backup, tlb, alb
	{"independent.switch-aggregated", fires, "active-backup on a port-channel", func(s *site) {
		onOneSwitch(s, "active-backup")
		inPortChannel(s, "lacp")
	}, Params{}, ""},
	{"independent.switch-aggregated", fires, "active-backup hearing LACPDUs, switch not in the site", func(s *site) {
		s.bond("web01", "bond0", "active-backup", "eth0", "eth1")
		h := s.hostNamed("web01")
		h.Neighbours = append(h.Neighbours, topology.Neighbour{LocalPort: "eth0", Protocol: topology.ProtoLACP,
			LACP: &topology.LACPPort{System: "02:00:00:00:ff:09", Key: 10, Port: 7, State: full, StateKnown: true}})
	}, Params{}, ""},
	{"independent.switch-aggregated", quiet, "active-backup on plain ports", func(s *site) {
		onOneSwitch(s, "active-backup")
	}, Params{}, ""},

	// lacp.* — the 802.3ad negotiation and the switch side of LACP bonds
	{"lacp.aggregator-split", fires, "up slaves in aggregators 1 and 2", func(s *site) {
		onMLAGPair(s, "802.3ad")
		eth(s, "eth1").AggregatorID = 2
	}, Params{}, ""},
	{"lacp.aggregator-split", quiet, "the slave in aggregator 2 is down", func(s *site) {
		onMLAGPair(s, "802.3ad")
		eth(s, "eth1").AggregatorID, eth(s, "eth1").MIIStatus = 2, "down"
	}, Params{}, ""},

	{"lacp.both-passive", fires, "lacp_active off, switch member passive", func(s *site) {
		onOneSwitch(s, "802.3ad")
		inPortChannel(s, "lacp")
		off := false
		bond0(s).LACPActive = &off
		s.port("leaf1", "Ethernet1").LACP = &topology.PortLACP{Mode: "passive"}
	}, Params{}, ""},
	{"lacp.both-passive", quiet, "lacp_active off, switch member active", func(s *site) {
		onOneSwitch(s, "802.3ad")
		inPortChannel(s, "lacp")
		off := false
		bond0(s).LACPActive = &off
		s.port("leaf1", "Ethernet1").LACP = &topology.PortLACP{Mode: "active"}
	}, Params{}, ""},

	{"lacp.churn", fires, "actor churned", func(s *site) {
		onMLAGPair(s, "802.3ad")
		eth(s, "eth0").ActorChurn = "churned"
	}, Params{}, ""},
	{"lacp.churn", quiet, "actor monitoring", func(s *site) {
		onMLAGPair(s, "802.3ad")
		eth(s, "eth0").ActorChurn = "monitoring"
	}, Params{}, ""},

	{"lacp.multi-switch-no-mlag", fires, "802.3ad across two independent switches", func(s *site) {
		onTwoSwitches(s, "802.3ad")
	}, Params{}, ""},
	{"lacp.multi-switch-no-mlag", quiet, "802.3ad across an MLAG pair", func(s *site) {
		onMLAGPair(s, "802.3ad")
	}, Params{}, ""},

	{"lacp.no-partner", fires, "partner system 00:00:00:00:00:00", func(s *site) {
		onMLAGPair(s, "802.3ad")
		eth(s, "eth1").Partner.System = topology.ZeroMAC
	}, Params{}, ""},
	{"lacp.no-partner", fires, "partner state defaulted", func(s *site) {
		onMLAGPair(s, "802.3ad")
		eth(s, "eth1").Partner.State |= topology.LACPDefaulted
	}, Params{}, ""},
	{"lacp.no-partner", quiet, "no partner on a slave that is down", func(s *site) {
		onMLAGPair(s, "802.3ad")
		eth(s, "eth1").Partner.System, eth(s, "eth1").MIIStatus = topology.ZeroMAC, "down"
	}, Params{}, ""},

	{"lacp.not-synced", fires, "partner state without sync", func(s *site) {
		onMLAGPair(s, "802.3ad")
		eth(s, "eth1").Partner.State &^= topology.LACPSync
	}, Params{}, ""},
	{"lacp.not-synced", quiet, "partner state not reported", func(s *site) {
		onMLAGPair(s, "802.3ad")
		eth(s, "eth1").Partner.State, eth(s, "eth1").Partner.StateKnown = 0, false
	}, Params{}, ""},

	{"lacp.partner-key-mismatch", fires, "one partner system, keys 10 and 11", func(s *site) {
		onMLAGPair(s, "802.3ad")
		eth(s, "eth1").Partner.Key = 11
	}, Params{}, ""},
	{"lacp.partner-key-mismatch", quiet, "different keys from different systems", func(s *site) {
		onTwoSwitches(s, "802.3ad")
		eth(s, "eth1").Partner.Key = 11
	}, Params{}, ""},

	{"lacp.partner-mismatch", fires, "two partner systems", func(s *site) {
		onTwoSwitches(s, "802.3ad")
	}, Params{}, ""},
	{"lacp.partner-mismatch", quiet, "one MLAG system on both switches", func(s *site) {
		onMLAGPair(s, "802.3ad")
	}, Params{}, ""},

	{"lacp.shared-partner", fires, "two hosts, one partner system and key", func(s *site) {
		onOneSwitch(s, "802.3ad")
		s.bond("db01", "bond0", "802.3ad", "eth0 leaf1 Ethernet3", "eth1 leaf1 Ethernet4")
	}, Params{}, ""},
	{"lacp.shared-partner", quiet, "two hosts, one partner system, own keys", func(s *site) {
		onOneSwitch(s, "802.3ad")
		s.bond("db01", "bond0", "802.3ad", "eth0 leaf1 Ethernet3", "eth1 leaf1 Ethernet4")
		s.slave("db01", "bond0", "eth0").Partner.Key = 11
		s.slave("db01", "bond0", "eth1").Partner.Key = 11
	}, Params{}, ""},

	{"lacp.split-across-lags", fires, "slaves in Port-Channel10 and Port-Channel11", func(s *site) {
		onOneSwitch(s, "802.3ad")
		s.lag("leaf1", "Port-Channel10", "lacp", "Ethernet1")
		s.lag("leaf1", "Port-Channel11", "lacp", "Ethernet2")
	}, Params{}, ""},
	{"lacp.split-across-lags", quiet, "both slaves in Port-Channel10", func(s *site) {
		onOneSwitch(s, "802.3ad")
		inPortChannel(s, "lacp")
	}, Params{}, ""},

	{"lacp.switch-not-aggregated", fires, "802.3ad on plain ports", func(s *site) {
		onOneSwitch(s, "802.3ad")
	}, Params{}, ""},
	{"lacp.switch-not-aggregated", quiet, "a LAG whose members the switch does not list", func(s *site) {
		onOneSwitch(s, "802.3ad")
		s.lag("leaf1", "ae0", "lacp")
	}, Params{}, ""},

	{"lacp.switch-port-not-bundled", fires, "switch reports the member suspended", func(s *site) {
		onOneSwitch(s, "802.3ad")
		inPortChannel(s, "lacp")
		s.port("leaf1", "Ethernet2").LACP = &topology.PortLACP{Mode: "active", Status: "suspended"}
	}, Params{}, ""},
	{"lacp.switch-port-not-bundled", quiet, "switch reports the member bundled", func(s *site) {
		onOneSwitch(s, "802.3ad")
		inPortChannel(s, "lacp")
		s.port("leaf1", "Ethernet2").LACP = &topology.PortLACP{Mode: "active", Status: "bundled"}
	}, Params{}, ""},

	{"lacp.switch-static-lag", fires, "802.3ad on a static port-channel", func(s *site) {
		onOneSwitch(s, "802.3ad")
		inPortChannel(s, "static")
	}, Params{}, ""},
	{"lacp.switch-static-lag", quiet, "802.3ad on an LACP port-channel", func(s *site) {
		onOneSwitch(s, "802.3ad")
		inPortChannel(s, "lacp")
	}, Params{}, ""},

	// lag.* — the port-channel around a bond
	{"lag.foreign-member", fires, "another host's port in the bond's port-channel", func(s *site) {
		onOneSwitch(s, "802.3ad")
		s.bond("db01", "bond0", "active-backup", "eth0 leaf1 Ethernet3", "eth1")
		s.lag("leaf1", "Port-Channel10", "lacp", "Ethernet1", "Ethernet2", "Ethernet3")
	}, Params{}, ""},
	{"lag.foreign-member", quiet, "the other host's port outside it", func(s *site) {
		onOneSwitch(s, "802.3ad")
		s.bond("db01", "bond0", "active-backup", "eth0 leaf1 Ethernet3", "eth1")
		inPortChannel(s, "lacp")
	}, Params{}, ""},

	{"lag.member-missing", fires, "a third member is down", func(s *site) {
		onOneSwitch(s, "802.3ad")
		s.lag("leaf1", "Port-Channel10", "lacp", "Ethernet1", "Ethernet2", "Ethernet3")
		s.port("leaf1", "Ethernet3").Oper = "down"
	}, Params{}, ""},
	{"lag.member-missing", fires, "a slave outside the port-channel of the other", func(s *site) {
		onOneSwitch(s, "802.3ad")
		s.lag("leaf1", "Port-Channel10", "lacp", "Ethernet1")
	}, Params{}, ""},
	{"lag.member-missing", quiet, "every member is the bond's, up", func(s *site) {
		onOneSwitch(s, "802.3ad")
		inPortChannel(s, "lacp")
	}, Params{}, ""},

	// link.* — both ends of one cable
	{"link.mtu-too-small", fires, "MTU 9000 bond with a VLAN on MTU 9000 ports", func(s *site) {
		onTwoSwitches(s, "active-backup")
		bond0(s).MTU = 9000
		s.hostNamed("web01").VLANs = []topology.VLANIf{{Name: "bond0.100", Parent: "bond0", ID: 100}}
		s.port("leaf1", "Ethernet1").MTU = 9000
	}, Params{}, ""},
	{"link.mtu-too-small", quiet, "MTU 9000 bond without VLANs on MTU 9000 ports", func(s *site) {
		onTwoSwitches(s, "active-backup")
		bond0(s).MTU = 9000
		s.port("leaf1", "Ethernet1").MTU = 9000
	}, Params{}, ""},

	{"link.speed-mismatch", fires, "NIC at 10G, port at 25G", func(s *site) {
		onTwoSwitches(s, "active-backup")
		s.port("leaf2", "Ethernet1").Speed = 25000
	}, Params{}, ""},
	{"link.speed-mismatch", quiet, "the 25G port is down", func(s *site) {
		onTwoSwitches(s, "active-backup")
		s.port("leaf2", "Ethernet1").Speed, s.port("leaf2", "Ethernet1").Oper = 25000, "down"
	}, Params{}, ""},

	{"link.state-mismatch", fires, "slave up, port down", func(s *site) {
		onTwoSwitches(s, "active-backup")
		s.port("leaf2", "Ethernet1").Oper = "lowerLayerDown"
	}, Params{}, ""},
	{"link.state-mismatch", quiet, "slave up, port state testing (unknown)", func(s *site) {
		onTwoSwitches(s, "active-backup")
		s.port("leaf2", "Ethernet1").Oper = "testing"
	}, Params{}, ""},

	// map.* — blind spots of the NIC-to-port map
	{"map.host-missing", fires, "db01 was in the previous run", func(s *site) {
		onTwoSwitches(s, "active-backup")
		s.prev = &topology.Inventory{Hosts: []string{"db01", "web01"}, Switches: []string{"leaf1", "leaf2"}, Source: "run-1.json"}
	}, Params{}, ""},
	{"map.host-missing", quiet, "every host of the previous run is back", func(s *site) {
		onTwoSwitches(s, "active-backup")
		s.prev = &topology.Inventory{Hosts: []string{"web01"}, Switches: []string{"leaf1", "leaf2", "leaf9"}}
	}, Params{}, ""},
	{"map.host-missing", quiet, "no previous run known", func(s *site) {
		onTwoSwitches(s, "active-backup")
	}, Params{}, ""},

	{"map.lldp-conflict", fires, "LLDP says Ethernet1, the FDB says Ethernet3", func(s *site) {
		onOneSwitch(s, "active-backup")
		bond0(s).ActiveSlave = "eth0"
		s.switchNamed("leaf1").FDB = []topology.FDBEntry{{MAC: bond0(s).MAC, VLAN: 10, Port: "Ethernet3"}}
	}, Params{}, ""},
	{"map.lldp-conflict", quiet, "LLDP and the FDB agree", func(s *site) {
		onOneSwitch(s, "active-backup")
		bond0(s).ActiveSlave = "eth0"
		s.switchNamed("leaf1").FDB = []topology.FDBEntry{{MAC: bond0(s).MAC, VLAN: 10, Port: "Ethernet1"}}
	}, Params{}, ""},

	{"map.stale-capture", fires, "a host captured two days before the audit", func(s *site) {
		onTwoSwitches(s, "active-backup")
		s.hostNamed("web01").Collected = "2026-05-30T12:00:00Z"
	}, auditAt, ""},
	{"map.stale-capture", fires, "a switch walk 25h old", func(s *site) {
		onTwoSwitches(s, "active-backup")
		s.switchNamed("leaf2").Collected = "2026-05-31T11:00:00Z"
	}, auditAt, ""},
	{"map.stale-capture", fires, "a capture 2h old with max_capture_age 1h", func(s *site) {
		onTwoSwitches(s, "active-backup")
		s.hostNamed("web01").Collected = "2026-06-01T10:00:00+00:00"
	}, Params{Now: auditAt.Now, MaxCaptureAge: time.Hour}, ""},
	{"map.stale-capture", quiet, "captures 23h old", func(s *site) {
		onTwoSwitches(s, "active-backup")
		s.hostNamed("web01").Collected = "2026-05-31T13:00:00Z"
		s.switchNamed("leaf1").Collected = "2026-05-31T13:00:00Z"
	}, auditAt, ""},
	{"map.stale-capture", quiet, "capture time unknown", func(s *site) {
		onTwoSwitches(s, "active-backup")
		s.hostNamed("web01").Collected = ""
		s.switchNamed("leaf1").Collected = "not a time"
	}, auditAt, ""},
	{"map.stale-capture", quiet, "a capture time in the future (clock skew)", func(s *site) {
		onTwoSwitches(s, "active-backup")
		s.hostNamed("web01").Collected = "2026-06-03T12:00:00Z"
	}, auditAt, ""},
	{"map.stale-capture", quiet, "max_capture_age off", func(s *site) {
		onTwoSwitches(s, "active-backup")
		s.hostNamed("web01").Collected = "2026-01-01T00:00:00Z"
	}, Params{Now: auditAt.Now, MaxCaptureAge: CaptureAgeOff}, ""},
	{"map.stale-capture", quiet, "no audit clock", func(s *site) {
		onTwoSwitches(s, "active-backup")
		s.hostNamed("web01").Collected = "2026-01-01T00:00:00Z"
	}, Params{}, ""},

	{"map.switch-missing", fires, "leaf3 was in the previous run", func(s *site) {
		onTwoSwitches(s, "active-backup")
		s.prev = &topology.Inventory{Hosts: []string{"web01"}, Switches: []string{"leaf1", "leaf2", "leaf3"}, Source: "run-1.json"}
	}, Params{}, ""},
	{"map.switch-missing", quiet, "a switch unreachable now is still in the site", func(s *site) {
		onTwoSwitches(s, "active-backup")
		s.switches = append(s.switches, &topology.Switch{Name: "leaf3", Unreachable: true, Error: "timeout"})
		s.prev = &topology.Inventory{Hosts: []string{"web01", "db01"}, Switches: []string{"leaf1", "leaf2", "leaf3"}}
	}, Params{}, ""},

	{"map.host-unreachable", fires, "a host collect hosts could not reach", func(s *site) {
		onTwoSwitches(s, "active-backup")
		h := s.hostNamed("db01")
		h.Unreachable, h.Error = true, "10.0.0.9:22: connection refused (3 attempts)"
	}, Params{}, ""},
	{"map.host-unreachable", quiet, "every host collected", func(s *site) {
		onTwoSwitches(s, "active-backup")
		s.hostNamed("db01")
	}, Params{}, ""},

	{"map.switch-unreachable", fires, "a switch that could not be read", func(s *site) {
		onTwoSwitches(s, "active-backup")
		x := s.switchNamed("leaf2")
		x.Unreachable, x.Error = true, "timeout"
	}, Params{}, ""},
	{"map.switch-unreachable", fires, "a slave hears a switch that is not in the site", func(s *site) {
		s.sw("leaf1", "Ethernet1")
		s.bond("web01", "bond0", "active-backup", "eth0 leaf1 Ethernet1", "eth1 leaf9 Ethernet1")
	}, Params{}, ""},
	{"map.switch-unreachable", quiet, "every switch read and in the site", func(s *site) {
		onTwoSwitches(s, "active-backup")
	}, Params{}, ""},

	{"map.unmapped-slave", fires, "a slave heard from nothing", func(s *site) {
		s.sw("leaf1", "Ethernet1")
		s.bond("web01", "bond0", "active-backup", "eth0 leaf1 Ethernet1", "eth1")
	}, Params{}, ""},
	{"map.unmapped-slave", quiet, "every slave mapped", func(s *site) {
		onTwoSwitches(s, "active-backup")
	}, Params{}, ""},

	// policy.* — the policy file itself
	{"policy.waiver-expired", fires, "a waiver that expired", func(s *site) {
		onTwoSwitches(s, "active-backup")
	}, Params{}, "waivers:\n  - rule: bond.slave-down\n    reason: CHG-1\n    expires: 2026-05-31\n"},
	{"policy.waiver-expired", quiet, "a waiver that expires tomorrow", func(s *site) {
		onTwoSwitches(s, "active-backup")
	}, Params{}, "waivers:\n  - rule: bond.slave-down\n    reason: CHG-1\n    expires: 2026-06-02\n"},

	// redundancy.* — placement
	{"redundancy.single-module", fires, "both slaves on stack member 1", func(s *site) {
		s.sw("stack1", "Gi1/0/1", "Gi1/0/2", "Gi2/0/1")
		s.bond("web01", "bond0", "active-backup", "eth0 stack1 Gi1/0/1", "eth1 stack1 Gi1/0/2")
	}, Params{}, ""},
	{"redundancy.single-module", quiet, "slaves on stack members 1 and 2", func(s *site) {
		s.sw("stack1", "Gi1/0/1", "Gi1/0/2", "Gi2/0/1")
		s.bond("web01", "bond0", "active-backup", "eth0 stack1 Gi1/0/1", "eth1 stack1 Gi2/0/1")
	}, Params{}, ""},

	{"redundancy.single-switch", fires, "active-backup with both slaves on leaf1", func(s *site) {
		onOneSwitch(s, "active-backup")
	}, Params{}, ""},
	{"redundancy.single-switch", quiet, "active-backup across two switches", func(s *site) {
		onTwoSwitches(s, "active-backup")
	}, Params{}, ""},

	// static.* — balance-rr, balance-xor, broadcast
	{"static.multi-switch-no-mlag", fires, "balance-xor across two independent switches", func(s *site) {
		onTwoSwitches(s, "balance-xor")
	}, Params{}, ""},
	{"static.multi-switch-no-mlag", quiet, "balance-xor across an MLAG pair", func(s *site) {
		onMLAGPair(s, "balance-xor")
	}, Params{}, ""},

	{"static.switch-lacp-lag", fires, "balance-xor on an LACP port-channel", func(s *site) {
		onOneSwitch(s, "balance-xor")
		inPortChannel(s, "lacp")
	}, Params{}, ""},
	{"static.switch-lacp-lag", quiet, "balance-xor on a static port-channel", func(s *site) {
		onOneSwitch(s, "balance-xor")
		inPortChannel(s, "static")
	}, Params{}, ""},

	{"static.switch-not-aggregated", fires, "balance-xor on plain ports", func(s *site) {
		onOneSwitch(s, "balance-xor")
	}, Params{}, ""},
	{"static.switch-not-aggregated", quiet, "balance-xor on a static port-channel", func(s *site) {
		onOneSwitch(s, "balance-xor")
		inPortChannel(s, "static")
	}, Params{}, ""},

	// stp.*
	{"stp.host-port-not-edge", fires, "non-edge port, updelay below the forward delay", func(s *site) {
		onTwoSwitches(s, "active-backup")
		no := false
		s.port("leaf1", "Ethernet1").Edge = &no
		s.switchNamed("leaf1").STPForwardDelay = 15000
	}, Params{}, ""},
	{"stp.host-port-not-edge", quiet, "edge port", func(s *site) {
		onTwoSwitches(s, "active-backup")
		yes := true
		s.port("leaf1", "Ethernet1").Edge = &yes
		s.switchNamed("leaf1").STPForwardDelay = 15000
	}, Params{}, ""},

	// switch.* — the switches themselves
	{"switch.lag-speed-mismatch", fires, "members at 10G and 1G", func(s *site) {
		onOneSwitch(s, "802.3ad")
		inPortChannel(s, "lacp")
		s.port("leaf1", "Ethernet2").Speed = 1000
	}, Params{}, ""},
	{"switch.lag-speed-mismatch", quiet, "the 1G member is down", func(s *site) {
		onOneSwitch(s, "802.3ad")
		inPortChannel(s, "lacp")
		s.port("leaf1", "Ethernet2").Speed, s.port("leaf1", "Ethernet2").Oper = 1000, "down"
	}, Params{}, ""},

	{"switch.mlag-inconsistent", fires, "MLAG 10 on leaf1 only", func(s *site) {
		onMLAGPair(s, "802.3ad")
		s.lag("leaf1", "Port-Channel10", "lacp", "Ethernet1").MLAGID = 10
		s.lag("leaf2", "Port-Channel11", "lacp", "Ethernet1").MLAGID = 11
	}, Params{}, ""},
	{"switch.mlag-inconsistent", fires, "the bond's MLAG port-channel down on one peer", func(s *site) {
		onMLAGPair(s, "802.3ad")
		s.lag("leaf1", "Port-Channel10", "lacp", "Ethernet1")
		s.lag("leaf2", "Port-Channel10", "lacp", "Ethernet1")
		s.port("leaf2", "Port-Channel10").Oper = "down"
	}, Params{}, ""},
	{"switch.mlag-inconsistent", quiet, "MLAG 10 on both peers, both up", func(s *site) {
		onMLAGPair(s, "802.3ad")
		s.lag("leaf1", "Port-Channel10", "lacp", "Ethernet1").MLAGID = 10
		s.lag("leaf2", "Port-Channel10", "lacp", "Ethernet1").MLAGID = 10
	}, Params{}, ""},

	{"switch.mlag-peer-link-down", fires, "peer link down", func(s *site) {
		onMLAGPair(s, "802.3ad")
		s.lag("leaf1", "Port-Channel100", "lacp", "Ethernet2").PeerLink = true
		s.port("leaf1", "Port-Channel100").Oper = "down"
	}, Params{}, ""},
	{"switch.mlag-peer-link-down", quiet, "peer link up", func(s *site) {
		onMLAGPair(s, "802.3ad")
		s.lag("leaf1", "Port-Channel100", "lacp", "Ethernet2").PeerLink = true
	}, Params{}, ""},

	// vlan.*
	{"vlan.host-vlan-not-carried", fires, "bond0.100 on a port tagged 200 only", func(s *site) {
		onTwoSwitches(s, "active-backup")
		s.hostNamed("web01").VLANs = []topology.VLANIf{{Name: "bond0.100", Parent: "bond0", ID: 100}}
		s.switchNamed("leaf1").VLANsKnown = true
		s.port("leaf1", "Ethernet1").Tagged = []int{200}
	}, Params{}, ""},
	{"vlan.host-vlan-not-carried", quiet, "bond0.100 on a port tagged 100", func(s *site) {
		onTwoSwitches(s, "active-backup")
		s.hostNamed("web01").VLANs = []topology.VLANIf{{Name: "bond0.100", Parent: "bond0", ID: 100}}
		s.switchNamed("leaf1").VLANsKnown = true
		s.port("leaf1", "Ethernet1").Tagged = []int{100, 200}
	}, Params{}, ""},

	{"vlan.member-mismatch", fires, "access VLAN 10 on one port, 20 on the other", func(s *site) {
		onOneSwitch(s, "active-backup")
		s.switchNamed("leaf1").VLANsKnown = true
		s.port("leaf1", "Ethernet1").PVID = 10
		s.port("leaf1", "Ethernet2").PVID = 20
	}, Params{}, ""},
	{"vlan.member-mismatch", quiet, "access VLAN 10 on both", func(s *site) {
		onOneSwitch(s, "active-backup")
		s.switchNamed("leaf1").VLANsKnown = true
		s.port("leaf1", "Ethernet1").PVID = 10
		s.port("leaf1", "Ethernet2").PVID = 10
	}, Params{}, ""},
}

func TestRuleCases(t *testing.T) {
	for _, c := range ruleCases {
		what := "fires"
		if !c.fires {
			what = "quiet"
		}
		t.Run(c.rule+"/"+what+"/"+strings.ReplaceAll(c.name, " ", "_"), func(t *testing.T) {
			if _, ok := Lookup(c.rule); !ok {
				t.Fatalf("no rule %s", c.rule)
			}
			s := newSite()
			c.build(s)
			fs := s.run(t, c.rule, c.params, c.policy)
			switch {
			case c.fires && len(fs) == 0:
				t.Errorf("%s did not fire on %s", c.rule, c.name)
			case !c.fires && len(fs) > 0:
				t.Errorf("%s fired on %s: %s", c.rule, c.name, fs[0].Message)
			}
			for _, f := range fs {
				if f.Message == "" || f.Fix == "" || len(f.Evidence) == 0 {
					t.Errorf("finding without message, fix or evidence: %+v", f)
				}
			}
		})
	}
}

// TestEveryRuleHasCases: a rule added to the registry without a site
// where it fires and one where it must not fails here.
func TestEveryRuleHasCases(t *testing.T) {
	has := map[string][2]bool{}
	for _, c := range ruleCases {
		h := has[c.rule]
		if c.fires {
			h[0] = true
		} else {
			h[1] = true
		}
		has[c.rule] = h
	}
	for _, r := range Registry() {
		h := has[r.ID]
		if !h[0] {
			t.Errorf("%s has no case in ruleCases where it fires", r.ID)
		}
		if !h[1] {
			t.Errorf("%s has no case in ruleCases where it must stay quiet", r.ID)
		}
	}
}

// TestHealthySiteIsQuiet: the near miss of every rule at once. A site built
// the way RULES.md recommends (802.3ad on one MLAG port-channel across a
// pair, active-backup on plain ports of both peers) gives no finding at all.
func TestHealthySiteIsQuiet(t *testing.T) {
	s := newSite()
	s.sw("leaf1", "Ethernet1", "Ethernet2")
	s.sw("leaf2", "Ethernet1", "Ethernet2")
	s.mlag("leaf1", "leaf2")
	s.bond("web01", "bond0", "802.3ad", "eth0 leaf1 Ethernet1", "eth1 leaf2 Ethernet1")
	s.lag("leaf1", "Port-Channel10", "lacp", "Ethernet1").MLAGID = 10
	s.lag("leaf2", "Port-Channel10", "lacp", "Ethernet1").MLAGID = 10
	s.bond("db01", "bond0", "active-backup", "eth0 leaf1 Ethernet2", "eth1 leaf2 Ethernet2")
	m, err := topology.Build(s.hosts, s.switches, topology.BuildOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Domains) != 1 || len(m.Links) != 4 {
		t.Fatalf("the site joins into %d domains and %d links, want 1 and 4", len(m.Domains), len(m.Links))
	}
	for _, f := range Run(m, Params{}, nil) {
		t.Errorf("%s %s: %s", f.Rule, f.Severity, f.Message)
	}
}

// TestRuleSeverities: the rules whose severity depends on the facts or the
// policy (RULES.md) report at the severity it names.
func TestRuleSeverities(t *testing.T) {
	for _, c := range []struct {
		rule, name string
		build      func(s *site)
		params     Params
		want       Severity
	}{
		{"bond.slave-down", "one of two slaves down", func(s *site) {
			onTwoSwitches(s, "active-backup")
			eth(s, "eth1").MIIStatus = "down"
		}, Params{}, Warning},
		{"bond.slave-down", "every slave down", func(s *site) {
			onTwoSwitches(s, "active-backup")
			eth(s, "eth0").MIIStatus, eth(s, "eth1").MIIStatus = "down", "down"
		}, Params{}, Error},
		{"bond.speed-mismatch", "active-backup", func(s *site) {
			onTwoSwitches(s, "active-backup")
			eth(s, "eth1").Speed = 1000
		}, Params{}, Warning},
		{"bond.speed-mismatch", "802.3ad", func(s *site) {
			onMLAGPair(s, "802.3ad")
			eth(s, "eth1").Speed = 1000
		}, Params{}, Error},
		{"bond.mode-in-bridge", "balance-tlb", func(s *site) {
			onTwoSwitches(s, "balance-tlb")
			bond0(s).Bridge = "br0"
		}, Params{}, Info},
		{"redundancy.single-switch", "active-backup", func(s *site) { onOneSwitch(s, "active-backup") }, Params{}, Warning},
		{"redundancy.single-switch", "802.3ad", func(s *site) {
			onOneSwitch(s, "802.3ad")
			inPortChannel(s, "lacp")
		}, Params{}, Info},
		{"redundancy.single-switch", "require_switch_redundancy", func(s *site) { onOneSwitch(s, "active-backup") }, Params{RequireSwitchRedundancy: true}, Error},
	} {
		t.Run(c.rule+"/"+strings.ReplaceAll(c.name, " ", "_"), func(t *testing.T) {
			s := newSite()
			c.build(s)
			fs := s.run(t, c.rule, c.params, "")
			if len(fs) == 0 {
				t.Fatalf("%s did not fire", c.rule)
			}
			for _, f := range fs {
				if f.Severity != c.want {
					t.Errorf("%s at %s, want %s: %s", c.rule, f.Severity, c.want, f.Message)
				}
			}
		})
	}
}

// VLAN evidence names the MIB the switch's VLANs came from, not always
// Q-BRIDGE-MIB: a Cisco IOS switch's come from CISCO-VTP-MIB.
func TestVLANEvidenceNamesItsSource(t *testing.T) {
	for _, c := range []struct{ source, want string }{
		{"CISCO-VTP-MIB", "(CISCO-VTP-MIB)"},
		{"Q-BRIDGE-MIB", "(Q-BRIDGE-MIB)"},
		{"", "(VLAN tables)"},
	} {
		s := newSite()
		onOneSwitch(s, "active-backup")
		s.switchNamed("leaf1").VLANsKnown = true
		s.switchNamed("leaf1").VLANSource = c.source
		s.port("leaf1", "Ethernet1").PVID = 10
		s.port("leaf1", "Ethernet2").PVID = 20
		fs := s.run(t, "vlan.member-mismatch", Params{}, "")
		if len(fs) != 1 {
			t.Fatalf("source %q: %d findings, want 1", c.source, len(fs))
		}
		ev := strings.Join(fs[0].Evidence, "\n")
		if !strings.Contains(ev, c.want) || c.source != "Q-BRIDGE-MIB" && strings.Contains(ev, "Q-BRIDGE-MIB") {
			t.Errorf("source %q: evidence %q, want %s", c.source, ev, c.want)
		}
	}
}

// TestMTUTooSmallSaysWhy: link.mtu-too-small names the MTU the port needs
// and why (the bond's, or the bond's plus a VLAN tag's).
func TestMTUTooSmallSaysWhy(t *testing.T) {
	for _, vlan := range []bool{false, true} {
		s := newSite()
		onTwoSwitches(s, "active-backup")
		bond0(s).MTU = 9000
		want := "below bond0's bond MTU 9000: jumbo frames are dropped"
		if vlan {
			s.hostNamed("web01").VLANs = []topology.VLANIf{{Name: "bond0.100", Parent: "bond0", ID: 100}}
			want = "below bond0's bond MTU 9000 + 4 for VLAN 100: jumbo frames are dropped"
		}
		s.port("leaf1", "Ethernet1").MTU = 1500
		fs := s.run(t, "link.mtu-too-small", Params{}, "")
		if len(fs) == 0 || !strings.Contains(fs[0].Message, want) {
			t.Errorf("VLAN %v: findings %+v, want a message with %q", vlan, fs, want)
		}
	}
}
