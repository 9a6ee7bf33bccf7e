// Package cisco is bondaudit's knowledge of Cisco (IOS, IOS-XE, NX-OS) switches: what the standard
// MIBs miss or get wrong on them, decoded from their vendor MIBs.
//
// Cisco agents implement IEEE8023-LAG-MIB and Q-BRIDGE-MIB partly or not at
// all, and speak CDP more often than LLDP. CDP neighbours (CISCO-CDP-MIB
// cdpCacheTable) are decoded by the standard decoder for every device that
// has the table (vendors/cdp.go), Cisco or not. The decoders here add, after
// the standard decoder (vendors.DecodeWith):
//
//   - the configured channel mode of each port (CISCO-LAG-MIB
//     clagAggPortAdminStatus, CISCO-PAGP-MIB pagpEthcOperationMode and
//     pagpOperationMode), and from it the LAG kind where the standard MIBs
//     left it unknown;
//   - VLAN membership (CISCO-VTP-MIB vlanTrunkPortTable and vtpVlanTable,
//     CISCO-VLAN-MEMBERSHIP-MIB vmMembershipTable) where Q-BRIDGE-MIB says
//     nothing;
//   - on NX-OS, the vPC domain (CISCO-VPC-MIB).
//
// Like vendors, it does no I/O and imports only vendors and topology.
package cisco

import (
	"strconv"

	"github.com/bondaudit/bondaudit/topology"
	"github.com/bondaudit/bondaudit/vendors"
)

// OIDs walked on top of vendors.StandardOIDs (OIDS.md has every column).
const (
	oidPAgP      = "1.3.6.1.4.1.9.9.98"       // CISCO-PAGP-MIB (pagpEtherChannelTable .1.1.1.1, pagpProtocolConfigTable .1.2.1.1)
	oidLAG       = "1.3.6.1.4.1.9.9.225.1"    // CISCO-LAG-MIB clagMIBObjects (clagAggProtocolTable, clagAggPortTable)
	oidVTP       = "1.3.6.1.4.1.9.9.46"       // CISCO-VTP-MIB (vtpVlanTable .1.3.1.1, vlanTrunkPortTable .1.6.1.1)
	oidVMMembers = "1.3.6.1.4.1.9.9.68.1.2.2" // CISCO-VLAN-MEMBERSHIP-MIB vmMembershipTable
	oidVPC       = "1.3.6.1.4.1.9.9.807"      // CISCO-VPC-MIB (NX-OS)
)

// PerVLANOIDs are the standard subtrees that Cisco IOS / IOS-XE (Catalyst)
// agents answer per VLAN only: walked with the plain community they cover
// VLAN 1 (or nothing), so a poller must walk them once per VLAN of
// vtpVlanTable with the community "community@<vlan>" (SNMPv1/v2c) or the
// SNMPv3 context "vlan-<vlan>", and merge the results. The learned MACs of
// dot1dTpFdbTable are then in the VLAN of the context they were read in, and
// dot1dTpFdbPort is a dot1dBasePort of that context's dot1dBasePortTable
// (base port numbers are per VLAN instance too). NX-OS answers these
// without per-VLAN contexts. The per-VLAN poll is the poller's job; the
// decoder reads whatever was merged into the walk.
var PerVLANOIDs = []string{
	"1.3.6.1.2.1.17.1.4", // BRIDGE-MIB dot1dBasePortTable
	"1.3.6.1.2.1.17.4.3", // BRIDGE-MIB dot1dTpFdbTable
	"1.3.6.1.2.1.17.2",   // BRIDGE-MIB dot1dStp (per-VLAN spanning tree instance)
}

// IOS is Cisco IOS and IOS-XE (Catalyst): every Cisco device that none of
// NXOS, IOSXR and SB claims by its sysDescr (vendors/all tries them first).
// Its FDB is served per VLAN context (PerVLANOIDs).
var IOS = vendors.Profile{
	Name:        "cisco-ios",
	Enterprises: []int{9},
	OIDs:        []string{oidPAgP, oidVTP, oidLAG, oidVMMembers},
	// vtpVlanState: the poller's per-VLAN FDB read lists the VLANs from it.
	Columns:    append(channelColumns(), append(vlanColumns(), oidVtpVlanState, oidVtpVlanType)...),
	PerVLANFDB: true,
	Decode: func(w *vendors.Walk, s *topology.Switch, problems *[]topology.Problem) {
		v := newView(w, s, problems)
		v.channels()
		v.vlans()
		v.sortNeighbours()
	},
	Tested: []string{
		"bondaudit demo access2 (Catalyst 2960-X)",
		"librenms ios_2960x (Catalyst 2960-X stack, IOS 15.0(2a)EX5): 7 CDP neighbours, trunk native VLANs and access VLANs (vlanTrunkPortTable without allowed-VLAN bitmaps, so trunk tagged lists stay unknown and VLANsKnown false); Po1 members from ifStack",
		"librenms iosxe_c9600-svl (Catalyst 9600 StackWise Virtual, IOS-XE 17.12.4): 23 CDP neighbours (the SVL links hear the switch itself), 2 access ports",
		"librenms iosxe_ie32008t2s-ios17-12 (IE3200, IOS-XE 17.12): no CDP rows, one trunk and 9 access ports",
		"untested on real data (no recording has the rows; unit tests from hand-written walks only): CISCO-PAGP-MIB, CISCO-LAG-MIB channel modes, vlanTrunkPortVlansEnabled* bitmaps, vlanTrunkPortDynamicStatus",
	},
}

// NXOS is Cisco NX-OS (Nexus), with vPC.
var NXOS = vendors.Profile{
	Name:        "cisco-nxos",
	Enterprises: []int{9},
	DescrAny:    []string{"NX-OS"},
	OIDs:        []string{oidVPC, oidLAG, oidVTP, oidVMMembers},
	Columns: append(append(channelColumns(), vlanColumns()...), oidVtpVlanState, oidVtpVlanType,
		oidVpcKeepAliveDestType, oidVpcKeepAliveDestAddr, oidVpcKeepAliveStatus,
		oidVpcRoleStatus, oidVpcDualActive, oidVpcSystemOperMAC,
		oidVpcPeerLinkIfIndex, oidVpcHostLinkIfIndex, oidVpcHostLinkStatus, oidVpcHostLinkConsist),
	Decode: func(w *vendors.Walk, s *topology.Switch, problems *[]topology.Problem) {
		v := newView(w, s, problems)
		v.channels()
		v.vlans()
		v.vpc()
		v.sortNeighbours()
	},
	Tested: []string{
		"librenms nxos_n3k-3064pq (Nexus 3064PQ, NX-OS 7.0(3)I7(8)): 2 CDP neighbours (mgmt0, Ethernet1/49), trunk native VLANs (no allowed-VLAN bitmaps)",
		"untested on real data: CISCO-VPC-MIB (no recording has vPC rows; unit tests from hand-written walks only), CISCO-LAG-MIB channel modes",
	},
}

// IOSXR is Cisco IOS XR: recognised; no vendor decoder. Its CDP
// neighbours come from the standard decoder (vendors/cdp.go): CDP runs on
// the Bundle-Ether members, so cdpCacheIfIndex names the physical port
// (TenGigE0/0/0/1), and the bundle's members come from ifStackTable.
var IOSXR = vendors.Profile{
	Name:        "cisco-iosxr",
	Enterprises: []int{9},
	DescrAny:    []string{"IOS XR"},
	Tested: []string{
		"hand-written walk only (vendors/testdata/cdp/iosxr-asr9k.snmprec, the layout of librenms iosxr: ASR9K, IOS XR 5.3.4; TenGigE ifIndex 31-50, Bundle-Ether ifType 161): CDP neighbours on Bundle-Ether members",
	},
}

// SB is Cisco's small-business line (CBS, SG300/500, SF300): recognised;
// no vendor decoder. Its CDP neighbours come from the standard decoder
// (vendors/cdp.go): cdpCacheIfIndex is the gi/te port's ifIndex (gi1/0/1 =
// 1, te1/0/1 = 49, Po1 = 1000, VLAN interfaces from 100000).
var SB = vendors.Profile{
	Name:        "cisco-sb",
	Enterprises: []int{9},
	DescrAny:    []string{"CBS", "SG3", "SG5", "SF3"},
	Tested: []string{
		"librenms ciscosb_cbs350-4x (CBS350-24P-4X): no CDP rows, no neighbour",
		"hand-written walk (vendors/testdata/cdp/cbs350.snmprec, the ifIndex/ifName layout of librenms ciscosb_cbs350-4x): CDP neighbours on gi/te ports",
	},
}

// channelColumns are what channels reads: CISCO-PAGP-MIB and CISCO-LAG-MIB.
func channelColumns() []string {
	return []string{oidPagpEthcOperationMode, oidPagpGroupIfIndex, oidPagpOperationMode,
		oidClagAggProtocolType, oidClagAggPortAdminStatus}
}

// vlanColumns are what vlans reads of vlanTrunkPortTable and
// vmMembershipTable.
func vlanColumns() []string {
	out := []string{oidVmVlanType, oidVmVlan}
	for _, c := range []int{trunkVlansEnabled, trunkNativeVlan, trunkDynamicStatus, trunkEncapOperType,
		trunkVlansEnabled2k, trunkVlansEnabled3k, trunkVlansEnabled4k} {
		out = append(out, oidTrunkEntry+"."+strconv.Itoa(c))
	}
	return out
}
