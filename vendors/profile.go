// Package vendors turns SNMP walks of switches into topology snapshots.
//
// Vendor knowledge is data: a Profile says how a device is recognised
// (sysObjectID enterprise, sysDescr), which subtrees a poller must walk, and
// which decoder fixes up what the standard MIBs do not say (or say wrong) on
// that family. The standard MIBs (SNMPv2-MIB, IF-MIB, IEEE8023-LAG-MIB,
// LLDP-MIB and LLDP-V2-MIB, BRIDGE-MIB and Q-BRIDGE-MIB) are always decoded
// first.
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

// Profile is one vendor family's knowledge.
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
	// StandardOIDs.
	OIDs []string
	// Decode runs after the standard decoder and may override or add facts.
	Decode func(w *Walk, s *topology.Switch, problems *[]topology.Problem)
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

// standard is the fallback profile: standard MIBs only.
var standard = Profile{Name: "standard"}

// profiles lists the vendor families recognised. Vendor-specific MIB
// decoders (MLAG/vPC/VLT, vendor LAG tables) come with the vendor issue;
// recognition and the OIDs to walk are here.
var profiles = []Profile{
	// SONiC runs on hardware of many vendors and keeps their sysObjectID
	// (Dell: 674 or Broadcom's 4413): its sysDescr decides, so it comes first.
	{Name: "sonic", Enterprises: []int{8072, 4413, 674, 6027, 30065, 33049}, DescrAny: []string{"SONiC"}},
	{Name: "arista", Enterprises: []int{30065}, Tested: []string{"librenms arista_eos", "librenms arista_eos_vrf", "bondaudit demo leaf1a/leaf1b/leaf2"}},
	{Name: "cisco-nxos", Enterprises: []int{9}, DescrAny: []string{"NX-OS"}, OIDs: []string{"1.3.6.1.4.1.9.9.807", "1.3.6.1.4.1.9.9.23"}},
	{Name: "cisco-iosxr", Enterprises: []int{9}, DescrAny: []string{"IOS XR"}, OIDs: []string{"1.3.6.1.4.1.9.9.23"}},
	{Name: "cisco-sb", Enterprises: []int{9}, DescrAny: []string{"CBS", "SG3", "SG5", "SF3"}, OIDs: []string{"1.3.6.1.4.1.9.9.23"}},
	{Name: "cisco-ios", Enterprises: []int{9}, OIDs: []string{"1.3.6.1.4.1.9.9.23", "1.3.6.1.4.1.9.9.98", "1.3.6.1.4.1.9.9.46"}, Tested: []string{"bondaudit demo access2 (Catalyst 2960-X)"}},
	{Name: "junos", Enterprises: []int{2636}},
	{Name: "arubaos-cx", Enterprises: []int{47196}, OIDs: []string{"1.3.6.1.4.1.47196.4.1.1.3.7", "1.3.6.1.4.1.47196.4.1.1.3.2"}},
	{Name: "hpe-procurve", Enterprises: []int{11}},
	{Name: "dell-os10", Enterprises: []int{674}},
	{Name: "dell-os9", Enterprises: []int{6027}, OIDs: []string{"1.3.6.1.4.1.6027.3.17", "1.3.6.1.4.1.6027.3.2"}},
	{Name: "cumulus", Enterprises: []int{40310}},
	{Name: "extreme-voss", Enterprises: []int{2272}},
	{Name: "extreme", Enterprises: []int{1916, 1588, 1991}},
	{Name: "siae", Enterprises: []int{3373}},
	{Name: "huawei", Enterprises: []int{2011}, OIDs: []string{"1.3.6.1.4.1.2011.5.25.41.1.3.3", "1.3.6.1.4.1.2011.5.25.41.1.4.1", "1.3.6.1.4.1.2011.5.25.178.8"}},
	{Name: "alcatel-lucent", Enterprises: []int{6486, 6527}, OIDs: []string{"1.3.6.1.4.1.6486.801.1.2.1.13.1"}},
	{Name: "h3c", Enterprises: []int{25506}, OIDs: []string{"1.3.6.1.4.1.25506.8.25"}},
	{Name: "mikrotik", Enterprises: []int{14988}},
	{Name: "ubiquiti", Enterprises: []int{41112, 4413}},
	{Name: "mellanox", Enterprises: []int{33049}},
	{Name: "eltex", Enterprises: []int{35265}},
	{Name: "netgear", Enterprises: []int{4526}, OIDs: []string{"1.3.6.1.4.1.4413.1.1.200"}},
}

// Profiles returns every vendor profile (the standard fallback last).
func Profiles() []Profile { return append(slices.Clone(profiles), standard) }

// Identify returns the profile for a device, the standard one when no
// vendor profile matches.
func Identify(sysObjectID, sysDescr string) Profile {
	return identifyIn(nil, sysObjectID, sysDescr)
}

// identifyIn returns the first of profs (nil: this package's list) that
// matches, the standard profile when none does.
func identifyIn(profs []Profile, sysObjectID, sysDescr string) Profile {
	if profs == nil {
		profs = profiles
	}
	for i := range profs {
		if profs[i].Name != standard.Name && profs[i].Match(sysObjectID, sysDescr) {
			return profs[i]
		}
	}
	return standard
}
