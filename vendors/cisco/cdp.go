package cisco

import (
	"cmp"
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/bondaudit/bondaudit/topology"
	"github.com/bondaudit/bondaudit/vendors"
)

// CISCO-CDP-MIB cdpCacheEntry, INDEX {cdpCacheIfIndex, cdpCacheDeviceIndex}.
const (
	oidCdpCacheEntry = "1.3.6.1.4.1.9.9.23.1.2.1.1"

	cdpAddressType      = 3
	cdpAddress          = 4
	cdpVersion          = 5
	cdpDeviceID         = 6
	cdpDevicePort       = 7
	cdpPlatform         = 8
	cdpNativeVLAN       = 11
	cdpSysName          = 17
	cdpPrimaryMgmtType  = 19
	cdpPrimaryMgmtAddr  = 20
	cdpSecondaryMgmType = 21
	cdpSecondaryMgmAddr = 22
)

// cdp appends the CDP cache as neighbours: local port by cdpCacheIfIndex,
// the device ID as chassis ID (CDP has no other; lldpd reports CDP
// neighbours the same way) and system name, cdpCacheDevicePort as port ID,
// cdpCachePlatform as system description, and the addresses.
func (v *view) cdp() {
	type entry struct {
		key  [2]int
		cols map[int]cell
		line int
	}
	rows := map[[2]int]*entry{}
	for _, c := range []int{cdpAddressType, cdpAddress, cdpVersion, cdpDeviceID, cdpDevicePort, cdpPlatform, cdpNativeVLAN,
		cdpSysName, cdpPrimaryMgmtType, cdpPrimaryMgmtAddr, cdpSecondaryMgmType, cdpSecondaryMgmAddr} {
		for k, cl := range v.pairColumn("CISCO-CDP-MIB", cdpColumnName[c], fmt.Sprintf("%s.%d", oidCdpCacheEntry, c)) {
			e := rows[k]
			if e == nil {
				e = &entry{key: k, cols: map[int]cell{}, line: cl.line}
				rows[k] = e
			}
			e.cols[c] = cl
			e.line = min(e.line, cl.line)
		}
	}
	keys := make([][2]int, 0, len(rows))
	for k := range rows {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b [2]int) int { return cmp.Or(cmp.Compare(a[0], b[0]), cmp.Compare(a[1], b[1])) })
	for _, k := range keys {
		e := rows[k]
		text := func(c int) string {
			if cl, ok := e.cols[c]; ok {
				return strings.TrimSpace(cl.val.Text())
			}
			return ""
		}
		dev, port := text(cdpDeviceID), text(cdpDevicePort)
		if dev == "" && port == "" {
			continue // nothing to identify the neighbour by
		}
		n := topology.Neighbour{
			Protocol:   topology.ProtoCDP,
			LocalPort:  v.portName(k[0]),
			SystemName: deviceName(dev, text(cdpSysName)),
			PortID:     port,
			Source:     fmt.Sprintf("CISCO-CDP-MIB cdpCacheTable.%d.%d", k[0], k[1]),
		}
		if dev != "" {
			n.ChassisIDSubtype, n.ChassisID = topology.IDLocal, dev
		}
		if port != "" {
			n.PortIDSubtype = topology.IDIfName
		}
		n.SystemDescr = text(cdpPlatform)
		if cl, ok := e.cols[cdpNativeVLAN]; ok {
			if vlan, ok := cl.number(); ok && vlan > 0 && vlan < 4095 {
				n.PVID = vlan
			}
		}
		for _, pair := range [][2]int{{cdpAddressType, cdpAddress}, {cdpPrimaryMgmtType, cdpPrimaryMgmtAddr}, {cdpSecondaryMgmType, cdpSecondaryMgmAddr}} {
			cl, ok := e.cols[pair[1]]
			if !ok {
				continue
			}
			t := 0
			if tc, ok := e.cols[pair[0]]; ok {
				t, _ = tc.number()
			}
			if a := cdpAddr(t, cl.val); a != "" && !slices.Contains(n.MgmtAddrs, a) {
				n.MgmtAddrs = append(n.MgmtAddrs, a)
			}
		}
		if v.port[k[0]] == nil {
			v.problemf(e.line, "CISCO-CDP-MIB cdpCacheTable.%d.%d: cdpCacheIfIndex %d is no interface of the walk", k[0], k[1], k[0])
		}
		v.s.Neighbours = append(v.s.Neighbours, n)
	}
}

var cdpColumnName = map[int]string{
	cdpAddressType: "cdpCacheAddressType", cdpAddress: "cdpCacheAddress", cdpVersion: "cdpCacheVersion",
	cdpDeviceID: "cdpCacheDeviceId", cdpDevicePort: "cdpCacheDevicePort", cdpPlatform: "cdpCachePlatform",
	cdpNativeVLAN: "cdpCacheNativeVLAN", cdpSysName: "cdpCacheSysName",
	cdpPrimaryMgmtType: "cdpCachePrimaryMgmtAddrType", cdpPrimaryMgmtAddr: "cdpCachePrimaryMgmtAddr",
	cdpSecondaryMgmType: "cdpCacheSecondaryMgmtAddrType", cdpSecondaryMgmAddr: "cdpCacheSecondaryMgmtAddr",
}

// deviceName is the neighbour's system name: cdpCacheSysName when the
// neighbour sent one, else the device ID without the serial number NX-OS
// appends in parentheses ("n3k-a(FOC1234X5YZ)").
func deviceName(dev, sysName string) string {
	if sysName != "" {
		return sysName
	}
	if i := strings.LastIndexByte(dev, '('); i > 0 && strings.HasSuffix(dev, ")") {
		return strings.TrimSpace(dev[:i])
	}
	return dev
}

// cdpAddr decodes a CiscoNetworkAddress of type ip(1) or ipv6(20): 4 or 16
// octets; an address written as text (some recordings) is accepted when it
// parses. Other types and lengths give "".
func cdpAddr(typ int, v vendors.Value) string {
	b := v.Bytes
	if v.Kind == vendors.KindIPAddress && len(b) == 4 {
		return netip.AddrFrom4([4]byte(b)).String()
	}
	switch {
	case (typ == 1 || typ == 0) && len(b) == 4:
		return netip.AddrFrom4([4]byte(b)).String()
	case (typ == 20 || typ == 0) && len(b) == 16:
		return netip.AddrFrom16([16]byte(b)).String()
	}
	if a, err := netip.ParseAddr(strings.TrimSpace(v.Text())); err == nil && (typ == 0 || typ == 1 && a.Is4() || typ == 20 && a.Is6()) {
		return a.String()
	}
	return ""
}
