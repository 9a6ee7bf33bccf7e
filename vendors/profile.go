// Package vendors turns SNMP walks of switches into topology snapshots.
//
// Vendor knowledge is data: a Profile says how a device is recognised
// (sysObjectID enterprise, sysDescr), which columns its decoder reads (what
// a poller's lean walk reads) and which subtrees a full walk reads, which
// decoder fixes up what the standard MIBs do not say (or say wrong) on
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
	// StandardOIDs, in walk order, when told to walk whole subtrees
	// (collect/snmp PollOptions.FullWalk).
	OIDs []string
	// Columns are what the family's decoder (and the poller, for a
	// capability such as PerVLANFDB) reads on top of StandardColumns: table
	// columns (every row below the OID) and scalars (an instance ending in
	// .0). A poller's lean walk, the default, reads only StandardColumns
	// and these. vendors/all's tests trace every decoder over every
	// recording and fail when it reads an OID no column covers, or when a
	// column is never read.
	Columns []string
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

// StandardColumns are the columns and scalars the standard decoder reads
// (what every lean walk reads; see Profile.Columns), grouped by table.
var StandardColumns = []string{
	// SNMPv2-MIB system: sysDescr, sysObjectID, sysName
	"1.3.6.1.2.1.1.1.0", "1.3.6.1.2.1.1.2.0", "1.3.6.1.2.1.1.5.0",
	// IF-MIB ifTable: ifDescr, ifType, ifMtu, ifSpeed, ifPhysAddress, ifAdminStatus, ifOperStatus
	"1.3.6.1.2.1.2.2.1.2", "1.3.6.1.2.1.2.2.1.3", "1.3.6.1.2.1.2.2.1.4", "1.3.6.1.2.1.2.2.1.5",
	"1.3.6.1.2.1.2.2.1.6", "1.3.6.1.2.1.2.2.1.7", "1.3.6.1.2.1.2.2.1.8",
	// IF-MIB ifXTable: ifName, ifHighSpeed, ifAlias
	"1.3.6.1.2.1.31.1.1.1.1", "1.3.6.1.2.1.31.1.1.1.15", "1.3.6.1.2.1.31.1.1.1.18",
	// IF-MIB ifStackStatus
	"1.3.6.1.2.1.31.1.2.1.3",
	// IEEE8023-LAG-MIB dot3adAggTable: ActorSystemID, ActorOperKey, PartnerSystemID
	"1.2.840.10006.300.43.1.1.1.1.4", "1.2.840.10006.300.43.1.1.1.1.7", "1.2.840.10006.300.43.1.1.1.1.8",
	// IEEE8023-LAG-MIB dot3adAggPortTable
	"1.2.840.10006.300.43.1.2.1.1.2", "1.2.840.10006.300.43.1.2.1.1.3", "1.2.840.10006.300.43.1.2.1.1.5",
	"1.2.840.10006.300.43.1.2.1.1.7", "1.2.840.10006.300.43.1.2.1.1.9", "1.2.840.10006.300.43.1.2.1.1.11",
	"1.2.840.10006.300.43.1.2.1.1.12", "1.2.840.10006.300.43.1.2.1.1.13", "1.2.840.10006.300.43.1.2.1.1.14",
	"1.2.840.10006.300.43.1.2.1.1.15", "1.2.840.10006.300.43.1.2.1.1.17", "1.2.840.10006.300.43.1.2.1.1.19",
	"1.2.840.10006.300.43.1.2.1.1.21", "1.2.840.10006.300.43.1.2.1.1.23", "1.2.840.10006.300.43.1.2.1.1.24",
	// LLDP-MIB local chassis ID subtype and ID
	"1.0.8802.1.1.2.1.3.1.0", "1.0.8802.1.1.2.1.3.2.0",
	// LLDP-MIB lldpLocPortTable: port ID subtype, ID, description
	"1.0.8802.1.1.2.1.3.7.1.2", "1.0.8802.1.1.2.1.3.7.1.3", "1.0.8802.1.1.2.1.3.7.1.4",
	// LLDP-MIB lldpRemTable: chassis ID subtype .. system name
	"1.0.8802.1.1.2.1.4.1.1.4", "1.0.8802.1.1.2.1.4.1.1.5", "1.0.8802.1.1.2.1.4.1.1.6", "1.0.8802.1.1.2.1.4.1.1.7",
	"1.0.8802.1.1.2.1.4.1.1.8", "1.0.8802.1.1.2.1.4.1.1.9", "1.0.8802.1.1.2.1.4.1.1.10",
	// LLDP-MIB lldpRemManAddrIfSubtype
	"1.0.8802.1.1.2.1.4.2.1.3",
	// LLDP-EXT-DOT3-MIB link aggregation status and port ID, max frame size
	"1.0.8802.1.1.2.1.5.4623.1.3.3.1.1", "1.0.8802.1.1.2.1.5.4623.1.3.3.1.2",
	"1.0.8802.1.1.2.1.5.4623.1.3.4.1.1",
	// LLDP-EXT-DOT1-MIB remote port VLAN ID
	"1.0.8802.1.1.2.1.5.32962.1.3.1.1.1",
	// LLDP-V2-MIB lldpV2LocPortTable and lldpV2RemTable
	"1.3.111.2.802.1.1.13.1.3.7.1.2", "1.3.111.2.802.1.1.13.1.3.7.1.3", "1.3.111.2.802.1.1.13.1.3.7.1.4",
	"1.3.111.2.802.1.1.13.1.4.1.1.5", "1.3.111.2.802.1.1.13.1.4.1.1.6", "1.3.111.2.802.1.1.13.1.4.1.1.7",
	"1.3.111.2.802.1.1.13.1.4.1.1.8", "1.3.111.2.802.1.1.13.1.4.1.1.9", "1.3.111.2.802.1.1.13.1.4.1.1.10",
	"1.3.111.2.802.1.1.13.1.4.1.1.11",
	// CISCO-CDP-MIB cdpCacheTable (any vendor implementing it)
	"1.3.6.1.4.1.9.9.23.1.2.1.1.3", "1.3.6.1.4.1.9.9.23.1.2.1.1.4", "1.3.6.1.4.1.9.9.23.1.2.1.1.5",
	"1.3.6.1.4.1.9.9.23.1.2.1.1.6", "1.3.6.1.4.1.9.9.23.1.2.1.1.7", "1.3.6.1.4.1.9.9.23.1.2.1.1.8",
	"1.3.6.1.4.1.9.9.23.1.2.1.1.11", "1.3.6.1.4.1.9.9.23.1.2.1.1.17", "1.3.6.1.4.1.9.9.23.1.2.1.1.19",
	"1.3.6.1.4.1.9.9.23.1.2.1.1.20", "1.3.6.1.4.1.9.9.23.1.2.1.1.21", "1.3.6.1.4.1.9.9.23.1.2.1.1.22",
	// BRIDGE-MIB dot1dBaseBridgeAddress, dot1dBasePortIfIndex
	"1.3.6.1.2.1.17.1.1.0", "1.3.6.1.2.1.17.1.4.1.2",
	// BRIDGE-MIB dot1dStpForwardDelay, dot1dStpBridgeForwardDelay (read
	// as columns of one row, .0), RSTP-MIB dot1dStpPortAdminEdgePort and
	// dot1dStpPortOperEdgePort
	"1.3.6.1.2.1.17.2.11.0", "1.3.6.1.2.1.17.2.14.0", "1.3.6.1.2.1.17.2.19.1.2", "1.3.6.1.2.1.17.2.19.1.3",
	// BRIDGE-MIB dot1dTpFdbPort, dot1dTpFdbStatus
	"1.3.6.1.2.1.17.4.3.1.2", "1.3.6.1.2.1.17.4.3.1.3",
	// Q-BRIDGE-MIB dot1qTpFdbPort, dot1qTpFdbStatus
	"1.3.6.1.2.1.17.7.1.2.2.1.2", "1.3.6.1.2.1.17.7.1.2.2.1.3",
	// Q-BRIDGE-MIB dot1qVlanCurrentTable: FdbId, egress and untagged ports
	"1.3.6.1.2.1.17.7.1.4.2.1.3", "1.3.6.1.2.1.17.7.1.4.2.1.4", "1.3.6.1.2.1.17.7.1.4.2.1.5",
	// Q-BRIDGE-MIB dot1qVlanStaticTable: egress and untagged ports
	"1.3.6.1.2.1.17.7.1.4.3.1.2", "1.3.6.1.2.1.17.7.1.4.3.1.4",
	// Q-BRIDGE-MIB dot1qPvid
	"1.3.6.1.2.1.17.7.1.4.5.1.1",
	// ENTITY-MIB entPhysicalContainedIn, Class, ParentRelPos; entAliasMappingIdentifier
	"1.3.6.1.2.1.47.1.1.1.1.4", "1.3.6.1.2.1.47.1.1.1.1.5", "1.3.6.1.2.1.47.1.1.1.1.6",
	"1.3.6.1.2.1.47.1.3.2.1.2",
}

// VLANFDBOIDs are the subtrees a full walk reads in each VLAN context
// (collect/snmp's per-VLAN FDB read): BRIDGE-MIB dot1dBasePortEntry and
// dot1dTpFdbEntry.
var VLANFDBOIDs = []string{"1.3.6.1.2.1.17.1.4.1", "1.3.6.1.2.1.17.4.3.1"}

// VLANFDBColumns are what VLANFDB reads of one VLAN context's walk:
// dot1dBasePortIfIndex, dot1dTpFdbPort and dot1dTpFdbStatus.
var VLANFDBColumns = []string{oidBasePortIfIndex, oidDot1dTpFdbPort, oidDot1dTpFdbStatus}

// EntryColumns names columns of a table entry: entry.c for each c.
func EntryColumns(entry string, cols ...int) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = entry + "." + strconv.Itoa(c)
	}
	return out
}

// Covers reports whether reading oid (a Get, a Column, or with any a
// HasSubtree) is within what cols declare: oid is a declared column or
// scalar or lies below one; a Column of a scalar object X is covered by
// X.0 (its one row); HasSubtree asks whether anything lies below, which a
// declared column below it answers.
func Covers(cols []string, oid string, any bool) bool {
	for _, c := range cols {
		if c == oid || strings.HasPrefix(oid, c+".") || c == oid+".0" || any && strings.HasPrefix(c, oid+".") {
			return true
		}
	}
	return false
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
