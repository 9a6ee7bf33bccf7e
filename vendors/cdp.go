package vendors

import (
	"cmp"
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/bondaudit/bondaudit/topology"
)

// CISCO-CDP-MIB cdpCacheTable: the CDP neighbours of any device that
// implements the MIB (Cisco IOS, IOS-XE, NX-OS, IOS-XR, the SB/CBS line,
// and other vendors' agents), decoded like the LLDP tables, whatever the
// device's profile. cdpCacheEntry is INDEX {cdpCacheIfIndex,
// cdpCacheDeviceIndex}; cdpCacheIfIndex is the ifIndex of the port the
// neighbour was heard on (on IOS-XR a Bundle-Ether member, never the
// bundle; on SB/CBS the gi/te port's ifIndex).
const (
	// OIDCdpCacheTable is the subtree a poller walks for the CDP cache
	// (StandardOIDs has it).
	OIDCdpCacheTable = "1.3.6.1.4.1.9.9.23.1.2.1"
	oidCdpCacheEntry = OIDCdpCacheTable + ".1"

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

var cdpColumns = []int{cdpAddressType, cdpAddress, cdpVersion, cdpDeviceID, cdpDevicePort, cdpPlatform, cdpNativeVLAN,
	cdpSysName, cdpPrimaryMgmtType, cdpPrimaryMgmtAddr, cdpSecondaryMgmType, cdpSecondaryMgmAddr}

// cdpCacheCols are the cdpCacheEntry column prefixes by column number.
var cdpCacheCols = columnOIDs(oidCdpCacheEntry, cdpSecondaryMgmAddr)

var cdpColumnName = map[int]string{
	cdpAddressType: "cdpCacheAddressType", cdpAddress: "cdpCacheAddress", cdpVersion: "cdpCacheVersion",
	cdpDeviceID: "cdpCacheDeviceId", cdpDevicePort: "cdpCacheDevicePort", cdpPlatform: "cdpCachePlatform",
	cdpNativeVLAN: "cdpCacheNativeVLAN", cdpSysName: "cdpCacheSysName",
	cdpPrimaryMgmtType: "cdpCachePrimaryMgmtAddrType", cdpPrimaryMgmtAddr: "cdpCachePrimaryMgmtAddr",
	cdpSecondaryMgmType: "cdpCacheSecondaryMgmtAddrType", cdpSecondaryMgmAddr: "cdpCacheSecondaryMgmtAddr",
}

type cdpCell struct {
	val  Value
	line int
}

// cdp appends the CDP cache as neighbours: local port by cdpCacheIfIndex
// ("ifIndex<n>" and a problem when the walk has no such interface), the
// device ID as chassis ID (CDP has no other; lldpd reports CDP neighbours
// the same way) and system name, cdpCacheDevicePort as port ID,
// cdpCachePlatform as system description, the native VLAN and the
// addresses. A walk without the table gives no neighbour.
func (d *decoder) cdp() {
	type entry struct {
		cols map[int]cdpCell
		line int
	}
	rows := map[[2]int]*entry{}
	var ixBuf [4]int64
	for _, c := range cdpColumns {
		for _, r := range d.w.Rows(cdpCacheCols[c]) {
			ix, ok := appendIndexInts(ixBuf[:0], r.Index)
			if !ok || len(ix) != 2 || ix[0] < 0 || ix[1] < 0 || ix[0] > 1<<31 || ix[1] > 1<<31 {
				d.problemf(r.Line, "CISCO-CDP-MIB %s.%s: index is not two integers", cdpColumnName[c], r.Index)
				continue
			}
			if !r.Value.Exists() {
				continue
			}
			k := [2]int{int(ix[0]), int(ix[1])}
			e := rows[k]
			if e == nil {
				e = &entry{cols: map[int]cdpCell{}, line: r.Line}
				rows[k] = e
			}
			e.cols[c] = cdpCell{r.Value, r.Line}
			e.line = min(e.line, r.Line)
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
		number := func(c int) (int, bool) {
			cl, ok := e.cols[c]
			if !ok {
				return 0, false
			}
			n, ok := cl.val.Number()
			if !ok || n < -1<<31 || n > 1<<32 {
				return 0, false
			}
			return int(n), true
		}
		dev, port := text(cdpDeviceID), text(cdpDevicePort)
		if dev == "" && port == "" {
			continue // nothing to identify the neighbour by
		}
		local := d.portName(k[0])
		if local == "" {
			local = "ifIndex" + strconv.Itoa(k[0])
		}
		n := topology.Neighbour{
			Protocol:   topology.ProtoCDP,
			LocalPort:  local,
			SystemName: cdpDeviceName(dev, text(cdpSysName)),
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
		if vlan, ok := number(cdpNativeVLAN); ok && vlan > 0 && vlan < 4095 {
			n.PVID = vlan
		}
		for _, pair := range [][2]int{{cdpAddressType, cdpAddress}, {cdpPrimaryMgmtType, cdpPrimaryMgmtAddr}, {cdpSecondaryMgmType, cdpSecondaryMgmAddr}} {
			cl, ok := e.cols[pair[1]]
			if !ok {
				continue
			}
			t, _ := number(pair[0])
			if a := cdpAddr(t, cl.val); a != "" && !slices.Contains(n.MgmtAddrs, a) {
				n.MgmtAddrs = append(n.MgmtAddrs, a)
			}
		}
		if d.sc.ports[k[0]] == nil {
			d.problemf(e.line, "CISCO-CDP-MIB cdpCacheTable.%d.%d: cdpCacheIfIndex %d is no interface of the walk", k[0], k[1], k[0])
		}
		d.s.Neighbours = append(d.s.Neighbours, n)
	}
}

// cdpDeviceName is a CDP neighbour's system name: cdpCacheSysName when the
// neighbour sent one, else the device ID without the serial number NX-OS
// appends in parentheses ("n3k-a(FOC1234X5YZ)").
func cdpDeviceName(dev, sysName string) string {
	if sysName != "" {
		return sysName
	}
	if i := strings.LastIndexByte(dev, '('); i > 0 && strings.HasSuffix(dev, ")") {
		return strings.TrimSpace(dev[:i])
	}
	return dev
}

// cdpAddr decodes a CiscoNetworkAddress of type ip(1) or ipv6(20): 4 or 16
// octets (snmprec recordings hex-encode them); an address written as text
// (some recordings) is accepted when it parses. Other types and lengths
// give "".
func cdpAddr(typ int, v Value) string {
	b := v.Bytes
	if v.Kind == KindIPAddress && len(b) == 4 {
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
