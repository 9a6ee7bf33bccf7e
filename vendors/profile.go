// Package vendors turns SNMP walks of switches into topology snapshots.
//
// Vendor knowledge is data: a Profile says how a device is recognised
// (sysObjectID enterprise, sysDescr), which subtrees a poller must walk,
// which decoder fixes up what the standard MIBs do not say (or say wrong) on
// that family, and what the family can do. Each family's profile lives in
// its package (vendors/<family>); vendors/all lists them. The standard MIBs (SNMPv2-MIB, IF-MIB, IEEE8023-LAG-MIB,
// LLDP-MIB and LLDP-V2-MIB, BRIDGE-MIB and Q-BRIDGE-MIB) are always decoded
// first, and CISCO-CDP-MIB's cdpCacheTable wherever a device has it.
//
// No I/O and no gosnmp types: decoders take a Walk of plain values, so they
// can be tested from recordings and fuzzed. It imports only topology.
package vendors

import (
	"slices"
	"strconv"
	"strings"

	"github.com/bondaudit/bondaudit/topology"
)

// Profile is one vendor family's knowledge, all of it in the family's
// package (vendors/<family>): how a device is recognised, what a poller
// walks, the decoder and what the family can do. vendors/all lists the
// families in recognition order.
type Profile struct {
	// Name is the family, recorded as Switch.Vendor: "arista", "cisco-ios", …
	Name string
	// Enterprises are the IANA enterprise numbers under 1.3.6.1.4.1 whose
	// sysObjectIDs belong to the family.
	Enterprises []int
	// DescrAny, when set, additionally requires sysDescr to contain one of
	// these (case-insensitive), to split families sharing an enterprise.
	DescrAny []string
	// OIDs are the subtrees a live poller walks for this family, on top of
	// StandardOIDs, in walk order.
	OIDs []string
	// Decode runs after the standard decoder and may override or add facts.
	// Its problems carry the walk line they were found at.
	Decode func(w *Walk, s *topology.Switch, problems *[]topology.Problem)
	// PerVLANFDB: the agent serves BRIDGE-MIB's FDB per VLAN context only
	// (community@VLAN, SNMPv3 context vlan-N), so a poller whose main walk
	// found no learned MACs reads them once per VLAN.
	PerVLANFDB bool
	// Tested lists the models/recordings this profile was tested on.
	Tested []string
}

// Match reports whether a device with these system values belongs to p.
func (p *Profile) Match(sysObjectID, sysDescr string) bool {
	ent, ok := enterprise(sysObjectID)
	if !ok || !slices.Contains(p.Enterprises, ent) {
		return false
	}
	if len(p.DescrAny) == 0 {
		return true
	}
	d := strings.ToLower(sysDescr)
	for _, s := range p.DescrAny {
		if strings.Contains(d, strings.ToLower(s)) {
			return true
		}
	}
	return false
}

// enterprise extracts N from 1.3.6.1.4.1.N…
func enterprise(oid string) (int, bool) {
	rest, ok := strings.CutPrefix(strings.TrimPrefix(oid, "."), "1.3.6.1.4.1.")
	if !ok {
		return 0, false
	}
	n, _, _ := strings.Cut(rest, ".")
	v, err := strconv.Atoi(n)
	return v, err == nil
}

// StandardOIDs are the subtrees every profile walks.
var StandardOIDs = []string{
	"1.3.6.1.2.1.1",          // SNMPv2-MIB system
	"1.3.6.1.2.1.2.2",        // IF-MIB ifTable
	"1.3.6.1.2.1.31.1.1",     // IF-MIB ifXTable
	"1.3.6.1.2.1.31.1.2",     // IF-MIB ifStackTable
	"1.2.840.10006.300.43",   // IEEE8023-LAG-MIB
	"1.0.8802.1.1.2",         // LLDP-MIB (+ dot1/dot3 extensions)
	"1.3.111.2.802.1.1.13",   // LLDP-V2-MIB
	OIDCdpCacheTable,         // CISCO-CDP-MIB cdpCacheTable (any vendor implementing it)
	"1.3.6.1.2.1.17.1",       // BRIDGE-MIB base
	"1.3.6.1.2.1.17.4.3",     // BRIDGE-MIB dot1dTpFdbTable
	"1.3.6.1.2.1.17.7.1.2.2", // Q-BRIDGE-MIB dot1qTpFdbTable
	"1.3.6.1.2.1.17.7.1.4.2", // Q-BRIDGE-MIB dot1qVlanCurrentTable
	"1.3.6.1.2.1.17.7.1.4.3", // Q-BRIDGE-MIB dot1qVlanStaticTable
	"1.3.6.1.2.1.17.7.1.4.5", // Q-BRIDGE-MIB dot1qPortVlanTable
	"1.3.6.1.2.1.17.2",       // BRIDGE-MIB dot1dStp (+ RSTP-MIB dot1dStpExtPortTable)
	"1.3.6.1.2.1.47.1.1.1",   // ENTITY-MIB entPhysicalTable
	"1.3.6.1.2.1.47.1.3.2",   // ENTITY-MIB entAliasMappingTable
}

// Standard is the fallback profile: standard MIBs only.
var Standard = Profile{Name: "standard"}

// Identify returns the first of profs (in recognition order) that matches
// a device, Standard when none does.
func Identify(profs []Profile, sysObjectID, sysDescr string) Profile {
	for i := range profs {
		if profs[i].Name != Standard.Name && profs[i].Match(sysObjectID, sysDescr) {
			return profs[i]
		}
	}
	return Standard
}
