package rules

import (
	"slices"
	"strings"
)

// registry is the one list of rules, sorted by ID (a test keeps it so). No
// init-time registration: what runs is what is listed here.
var registry = []Rule{
	bondALBInBridge,
	bondARPInBridge,
	bondARPMonitorWrongMode,
	bondARPNoTargets,
	bondDelayNotMultiple,
	bondHalfDuplex,
	bondHashLayer2,
	bondLACPRateSlow,
	bondModeInBridge,
	bondNICMismatch,
	bondNoLinkMonitor,
	bondSingleSlave,
	bondSlaveDown,
	bondSlaveFlapping,
	bondSpeedMismatch,
	fdbMACFlap,
	independentSwitchAggregated,
	lacpAggregatorSplit,
	lacpBothPassive,
	lacpChurn,
	lacpMultiSwitchNoMLAG,
	lacpNoPartner,
	lacpNotSynced,
	lacpPartnerKeyMismatch,
	lacpPartnerMismatch,
	lacpSharedPartner,
	lacpSplitAcrossLAGs,
	lacpSwitchNotAggregated,
	lacpSwitchPortNotBundled,
	lacpSwitchStaticLAG,
	lagForeignMember,
	lagMemberMissing,
	linkMTUTooSmall,
	linkSpeedMismatch,
	linkStateMismatch,
	mapHostMissing,
	mapHostUnreachable,
	mapLLDPConflict,
	mapStaleCapture,
	mapSwitchMissing,
	mapSwitchUnreachable,
	mapUnmappedSlave,
	waiverExpired,
	redundancySingleModule,
	redundancySingleSwitch,
	staticMultiSwitchNoMLAG,
	staticSwitchLACPLAG,
	staticSwitchNotAggregated,
	stpHostPortNotEdge,
	switchLAGSpeedMismatch,
	switchMLAGInconsistent,
	switchMLAGPeerLinkDown,
	vlanHostVLANNotCarried,
	vlanMemberMismatch,
}

// bondwiseIDs are the rules whose Check only walks c.bonds() once (or
// runs perSlave once) and judges each bond alone: no state across bonds
// but indexes built once for all (fdbByMAC), no other loop. Run checks
// them a chunk of bonds at a time. TestBondwiseRulesChunk runs each on
// single bonds against the whole site.
var bondwiseIDs = []string{
	"bond.alb-in-bridge", "bond.arp-monitor-in-bridge", "bond.arp-monitor-wrong-mode", "bond.arp-no-targets",
	"bond.delay-not-multiple", "bond.half-duplex", "bond.hash-layer2", "bond.lacp-rate-slow",
	"bond.mode-in-bridge", "bond.nic-mismatch", "bond.no-link-monitor", "bond.single-slave",
	"bond.slave-down", "bond.slave-flapping", "bond.speed-mismatch",
	"fdb.mac-flap",
	"lacp.aggregator-split", "lacp.both-passive", "lacp.churn", "lacp.multi-switch-no-mlag",
	"lacp.no-partner", "lacp.not-synced", "lacp.partner-key-mismatch", "lacp.partner-mismatch",
	"lacp.split-across-lags", "lacp.switch-not-aggregated", "lacp.switch-port-not-bundled", "lacp.switch-static-lag",
	"lag.foreign-member", "lag.member-missing",
	"link.mtu-too-small", "link.speed-mismatch", "link.state-mismatch",
	"map.unmapped-slave",
	"redundancy.single-module", "redundancy.single-switch",
	"static.multi-switch-no-mlag", "static.switch-lacp-lag", "static.switch-not-aggregated",
	"stp.host-port-not-edge",
	"vlan.host-vlan-not-carried", "vlan.member-mismatch",
}

// bondwise tells, per registry entry, whether the rule is in bondwiseIDs.
var bondwise = func() []bool {
	bw := make([]bool, len(registry))
	for i := range registry {
		bw[i] = slices.Contains(bondwiseIDs, registry[i].ID)
	}
	return bw
}()

// Registry returns every rule, sorted by ID.
func Registry() []Rule { return slices.Clone(registry) }

// Lookup returns the rule with the given ID.
func Lookup(id string) (Rule, bool) {
	i, ok := slices.BinarySearchFunc(registry, id, func(r Rule, id string) int {
		switch {
		case r.ID < id:
			return -1
		case r.ID > id:
			return 1
		}
		return 0
	})
	if !ok {
		return Rule{}, false
	}
	return registry[i], true
}

// Similar lists the IDs an unknown id may have meant: those containing it,
// and those of the theme it names (the part before the first dot).
func Similar(id string) []string {
	var near []string
	for _, r := range registry {
		if strings.Contains(r.ID, id) || strings.HasPrefix(id, strings.SplitN(r.ID, ".", 2)[0]+".") {
			near = append(near, r.ID)
		}
	}
	return near
}
