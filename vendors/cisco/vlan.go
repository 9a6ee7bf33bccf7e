package cisco

import (
	"fmt"
	"slices"
	"strings"

	"github.com/bondaudit/bondaudit/topology"
)

// CISCO-VTP-MIB and CISCO-VLAN-MEMBERSHIP-MIB columns.
const (
	oidVtpVlanState = "1.3.6.1.4.1.9.9.46.1.3.1.1.2" // index managementDomainIndex.vlan
	oidVtpVlanType  = "1.3.6.1.4.1.9.9.46.1.3.1.1.3" // ethernet(1), fddi(2), tokenRing(3), fddiNet(4), trNet(5)

	oidTrunkEntry       = "1.3.6.1.4.1.9.9.46.1.6.1.1" // vlanTrunkPortEntry, index ifIndex
	trunkVlansEnabled   = 4                            // VLANs 0-1023
	trunkNativeVlan     = 5
	trunkDynamicStatus  = 14 // trunking(1), notTrunking(2)
	trunkEncapOperType  = 16 // isl(1), dot10(2), lane(3), dot1Q(4), negotiating(5), notApplicable(6)
	trunkVlansEnabled2k = 17 // VLANs 1024-2047
	trunkVlansEnabled3k = 18 // VLANs 2048-3071
	trunkVlansEnabled4k = 19 // VLANs 3072-4095

	oidVmVlanType = "1.3.6.1.4.1.9.9.68.1.2.2.1.1" // static(1), dynamic(2), multiVlan(3); index ifIndex
	oidVmVlan     = "1.3.6.1.4.1.9.9.68.1.2.2.1.2"
)

// vlanBits returns the VLANs set in a CISCO-VTP-MIB VLAN bitmap whose first
// bit (the most significant bit of the first octet) is VLAN base. Octets
// missing from a short value count as zero (the MIB allows 0..128 octets
// for the 2k/3k/4k columns); octets past 128 are ignored.
func vlanBits(b []byte, base int) []int {
	var out []int
	for i, c := range b[:min(len(b), 128)] {
		if c == 0 {
			continue
		}
		for bit := 0; bit < 8; bit++ {
			if c&(0x80>>bit) != 0 {
				out = append(out, base+i*8+bit)
			}
		}
	}
	return out
}

// vlans fills VLAN membership from the Cisco MIBs when Q-BRIDGE-MIB said
// nothing (IOS and NX-OS do not implement its VLAN tables):
//
//   - a trunking port (vlanTrunkPortDynamicStatus trunking, else
//     vlanTrunkPortEncapsulationOperType isl/dot1Q): PVID = native VLAN
//     (vlanTrunkPortNativeVlan); with the allowed-VLAN bitmaps
//     (vlanTrunkPortVlansEnabled, …2k, …3k, …4k), Tagged = allowed VLANs
//     that exist, minus the native one, and Untagged = the native VLAN when
//     it is allowed;
//   - a port that is not trunking, with a vmMembershipTable row: PVID and
//     Untagged = vmVlan, its access VLAN.
//
// The VLANs that exist are the ethernet VLANs of vtpVlanTable (any
// vtpVlanState: the recordings show suspended(2) on VLANs ports use). When the
// table lacks a VLAN some port uses (the ios_2960x recording's lists VLANs 1
// and 99 while its ports use 511, 525, …), it is not used to filter the
// allowed lists. VLANsKnown is set only when
// every trunking port's allowed list was read: without the bitmaps a
// trunk's tagged VLANs are unknown, and VLANsKnown would make the rules
// read "no tagged VLANs" as a fact.
func (v *view) vlans() {
	if v.s.VLANsKnown {
		return
	}
	for i := range v.s.Ports {
		p := &v.s.Ports[i]
		if p.PVID > 0 || len(p.Tagged)+len(p.Untagged) > 0 {
			return // Q-BRIDGE-MIB data, partial or not: not mixed with the vendor view
		}
	}
	col := func(c int, name string) map[int]cell {
		return v.intColumn("CISCO-VTP-MIB", name, fmt.Sprintf("%s.%d", oidTrunkEntry, c))
	}
	native := col(trunkNativeVlan, "vlanTrunkPortNativeVlan")
	dyn := col(trunkDynamicStatus, "vlanTrunkPortDynamicStatus")
	encap := col(trunkEncapOperType, "vlanTrunkPortEncapsulationOperType")
	bitmaps := []struct {
		base  int
		cells map[int]cell
	}{
		{0, col(trunkVlansEnabled, "vlanTrunkPortVlansEnabled")},
		{1024, col(trunkVlansEnabled2k, "vlanTrunkPortVlansEnabled2k")},
		{2048, col(trunkVlansEnabled3k, "vlanTrunkPortVlansEnabled3k")},
		{3072, col(trunkVlansEnabled4k, "vlanTrunkPortVlansEnabled4k")},
	}
	vmType := v.intColumn("CISCO-VLAN-MEMBERSHIP-MIB", "vmVlanType", oidVmVlanType)
	vmVlan := v.intColumn("CISCO-VLAN-MEMBERSHIP-MIB", "vmVlan", oidVmVlan)

	idx := map[int]bool{}
	for _, m := range []map[int]cell{native, dyn, encap, vmVlan} {
		for i := range m {
			idx[i] = true
		}
	}
	if len(idx) == 0 {
		return
	}
	exists := v.existingVLANs()

	type trunkPort struct {
		p       *topology.Port
		native  int
		allowed []int
		known   bool // the allowed bitmaps were present
	}
	var trunks []trunkPort
	used := map[int]string{} // VLAN in use -> first row using it, to check vtpVlanTable against
	use := func(vlan int, where string) {
		if _, ok := used[vlan]; !ok {
			used[vlan] = where
		}
	}
	filled, unknown := 0, []string{}
	fromVTP, fromVM := false, false
	for _, i := range sortedKeys(idx) {
		p := v.port[i]
		if p == nil || p.Type == "vlan" {
			continue
		}
		trunking, decided := trunkState(i, dyn, encap)
		switch {
		case decided && trunking:
			t := trunkPort{p: p}
			if c, ok := native[i]; ok {
				if n, ok := c.number(); ok && n > 0 && n < 4095 {
					t.native = n
					use(n, fmt.Sprintf("vlanTrunkPortNativeVlan.%d", i))
				}
			}
			for _, bm := range bitmaps {
				if c, ok := bm.cells[i]; ok {
					t.known = true
					t.allowed = append(t.allowed, vlanBits(c.val.Bytes, bm.base)...)
				}
			}
			if !t.known {
				unknown = append(unknown, p.Name)
			}
			trunks = append(trunks, t)
		case decided && !trunking:
			c, ok := vmVlan[i]
			if !ok {
				continue // not a trunk, no access VLAN: routed, or a channel member configured on its port-channel
			}
			n, ok := c.number()
			if tc, ok := vmType[i]; ok {
				if t, _ := tc.number(); t == 3 {
					continue // multiVlan: vmVlans bitmaps, not read
				}
			}
			if ok && n > 0 && n < 4095 {
				p.PVID, p.Untagged = n, []int{n}
				use(n, fmt.Sprintf("vmVlan.%d", i))
				filled++
				fromVM = true
			}
		default:
			_, inDyn := dyn[i]
			_, inEncap := encap[i]
			if c, ok := vmVlan[i]; ok && !inDyn && !inEncap {
				// no trunk state for the port: its vmMembershipTable row makes it an access port
				if n, ok := c.number(); ok && n > 0 && n < 4095 {
					p.PVID, p.Untagged = n, []int{n}
					use(n, fmt.Sprintf("vmVlan.%d", i))
					filled++
					fromVM = true
				}
				continue
			}
			unknown = append(unknown, p.Name)
		}
	}
	if exists != nil {
		var missing []string
		for _, vlan := range sortedKeys(used) {
			if !exists[vlan] {
				missing = append(missing, fmt.Sprintf("%d (%s)", vlan, used[vlan]))
			}
		}
		if len(missing) > 0 {
			v.problemf(0, "CISCO-VTP-MIB vtpVlanTable lacks VLAN(s) in use %s: not used to filter trunk allowed-VLAN lists", shortList(missing))
			exists = nil
		}
	}
	for _, t := range trunks {
		if t.native > 0 {
			t.p.PVID = t.native
		}
		if !t.known {
			continue
		}
		nativeAllowed := false
		var tagged []int
		for _, vlan := range t.allowed {
			if vlan < 1 || vlan > 4094 || exists != nil && !exists[vlan] {
				continue
			}
			if vlan == t.native {
				nativeAllowed = true
				continue
			}
			tagged = append(tagged, vlan)
		}
		slices.Sort(tagged)
		t.p.Tagged = slices.Compact(tagged)
		if nativeAllowed {
			t.p.Untagged = []int{t.native}
		}
		filled++
		fromVTP = true
	}
	switch {
	case fromVTP && fromVM:
		v.s.VLANSource = "CISCO-VTP-MIB, CISCO-VLAN-MEMBERSHIP-MIB"
	case fromVTP:
		v.s.VLANSource = "CISCO-VTP-MIB"
	case fromVM:
		v.s.VLANSource = "CISCO-VLAN-MEMBERSHIP-MIB"
	}
	if filled > 0 && len(unknown) == 0 {
		v.s.VLANsKnown = true
	} else if filled > 0 {
		v.problemf(0, "CISCO-VTP-MIB: VLANs of %s unknown (trunk without vlanTrunkPortVlansEnabled bitmaps, or trunk state negotiating): VLAN membership left incomplete", shortList(unknown))
	}
}

// trunkState says whether a port trunks: vlanTrunkPortDynamicStatus, else
// the operational encapsulation (notApplicable when not trunking).
func trunkState(i int, dyn, encap map[int]cell) (trunking, decided bool) {
	if c, ok := dyn[i]; ok {
		switch n, _ := c.number(); n {
		case 1:
			return true, true
		case 2:
			return false, true
		}
	}
	if c, ok := encap[i]; ok {
		switch n, _ := c.number(); n {
		case 1, 4:
			return true, true
		case 6:
			return false, true
		}
	}
	return false, false
}

// existingVLANs returns the ethernet VLANs of vtpVlanTable, nil when the
// table is absent.
func (v *view) existingVLANs() map[int]bool {
	types := v.pairColumn("CISCO-VTP-MIB", "vtpVlanType", oidVtpVlanType)
	states := v.pairColumn("CISCO-VTP-MIB", "vtpVlanState", oidVtpVlanState)
	if len(types)+len(states) == 0 {
		return nil
	}
	out, other := map[int]bool{}, map[int]bool{}
	for k := range states {
		out[k[1]] = true
	}
	for k, c := range types {
		if t, _ := c.number(); t == 1 {
			out[k[1]] = true
		} else {
			other[k[1]] = true // fddi / token ring defaults 1002-1005
		}
	}
	for vlan := range other {
		if !typesSay(types, vlan, 1) {
			delete(out, vlan)
		}
	}
	return out
}

// typesSay reports whether some vtpVlanType row of vlan has type t.
func typesSay(types map[[2]int]cell, vlan, t int) bool {
	for k, c := range types {
		if n, _ := c.number(); k[1] == vlan && n == t {
			return true
		}
	}
	return false
}

func shortList(names []string) string {
	if len(names) > 6 {
		return fmt.Sprintf("%s and %d more", strings.Join(names[:6], ", "), len(names)-6)
	}
	return strings.Join(names, ", ")
}
