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
