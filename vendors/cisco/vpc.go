package cisco

import (
	"fmt"
	"net/netip"
	"strconv"

	"github.com/bondaudit/bondaudit/topology"
	"github.com/bondaudit/bondaudit/vendors"
)

// CISCO-VPC-MIB columns (OIDS.md), indexed by the vPC domain ID, host
// links by domain ID and vPC ID.
const (
	oidVpcKeepAliveDestType = "1.3.6.1.4.1.9.9.807.1.1.1.1.2" // InetAddressType
	oidVpcKeepAliveDestAddr = "1.3.6.1.4.1.9.9.807.1.1.1.1.3"
	oidVpcKeepAliveStatus   = "1.3.6.1.4.1.9.9.807.1.1.2.1.2"
	oidVpcRoleStatus        = "1.3.6.1.4.1.9.9.807.1.2.1.1.2"
	oidVpcDualActive        = "1.3.6.1.4.1.9.9.807.1.2.1.1.3"
	oidVpcSystemOperMAC     = "1.3.6.1.4.1.9.9.807.1.2.1.1.5"
	oidVpcPeerLinkIfIndex   = "1.3.6.1.4.1.9.9.807.1.4.1.1.2"
	oidVpcHostLinkIfIndex   = "1.3.6.1.4.1.9.9.807.1.4.2.1.3"
	oidVpcHostLinkStatus    = "1.3.6.1.4.1.9.9.807.1.4.2.1.4"
	oidVpcHostLinkConsist   = "1.3.6.1.4.1.9.9.807.1.4.2.1.5"
)

var (
	vpcKeepAlive = map[int]string{1: "disabled", 2: "alive", 3: "peerUnreachable", 4: "aliveButDomainIdDismatch",
		5: "suspendedAsISSU", 6: "suspendedAsDestIPUnreachable", 7: "suspendedAsVRFUnusable", 8: "misconfigured"}
	vpcRoleEnum = map[int]string{1: "primarySecondary", 2: "primary", 3: "secondaryPrimary", 4: "secondary", 5: "noneEstablished"}
	// vpcRole is the role as "show vpc" words it.
	vpcRole = map[int]string{1: "primary, operational secondary", 2: "primary", 3: "secondary, operational primary",
		4: "secondary", 5: "none established"}
	vpcHostStatus = map[int]string{1: "down", 2: "downStar (down here, forwarding through the peer link)", 3: "up"}
	vpcConsist    = map[int]string{1: "success", 2: "failed", 3: "notApplicable"}
)

// vpc decodes the NX-OS vPC domain: Switch.MLAG (kind vpc, domain
// "vpc-<domain ID>", role, vPC system MAC, peer-keepalive destination as
// peer, peer link and its ifOperStatus), the peer-link port-channel
// (PeerLink; it is no multi-chassis LAG, so its MLAG stays empty) and every
// vPC port-channel (MLAG = the domain, MLAGID = the vPC ID, which is the
// same on both peers).
//
// CISCO-VPC-MIB has no peer-link status object: PeerLinkUp is the
// ifOperStatus of the peer-link port-channel.
func (v *view) vpc() {
	keepType := v.intColumn("CISCO-VPC-MIB", "cVpcPeerKeepAliveDestAddrType", oidVpcKeepAliveDestType)
	keepAddr := v.intColumn("CISCO-VPC-MIB", "cVpcPeerKeepAliveDestAddr", oidVpcKeepAliveDestAddr)
	keepStatus := v.intColumn("CISCO-VPC-MIB", "cVpcPeerKeepAliveStatus", oidVpcKeepAliveStatus)
	role := v.intColumn("CISCO-VPC-MIB", "cVpcRoleStatus", oidVpcRoleStatus)
	dual := v.intColumn("CISCO-VPC-MIB", "cVpcDualActiveDetectionStatus", oidVpcDualActive)
	sysMAC := v.intColumn("CISCO-VPC-MIB", "cVpcSystemOperMacAddress", oidVpcSystemOperMAC)
	peerLink := v.intColumn("CISCO-VPC-MIB", "cVpcStatusPeerLinkIfIndex", oidVpcPeerLinkIfIndex)
	hostIf := v.pairColumn("CISCO-VPC-MIB", "cVpcStatusHostLinkIfIndex", oidVpcHostLinkIfIndex)
	hostStatus := v.pairColumn("CISCO-VPC-MIB", "cVpcStatusHostLinkStatus", oidVpcHostLinkStatus)
	hostConsist := v.pairColumn("CISCO-VPC-MIB", "cVpcStatusHostLinkConsistencyStatus", oidVpcHostLinkConsist)

	domains := map[int]int{} // domain ID -> first line seen
	for _, m := range []map[int]cell{keepStatus, role, sysMAC, peerLink} {
		for d, c := range m {
			if l, ok := domains[d]; !ok || c.line < l {
				domains[d] = c.line
			}
		}
	}
	for k, c := range hostIf {
		if l, ok := domains[k[0]]; !ok || c.line < l {
			domains[k[0]] = c.line
		}
	}
	delete(domains, 0) // 0 = no vPC domain configured
	if len(domains) == 0 {
		return
	}
	ids := sortedKeys(domains)
	dom := ids[0]
	if len(ids) > 1 {
		v.problemf(domains[ids[1]], "CISCO-VPC-MIB: rows for vPC domains %v; one domain per switch expected, domain %d decoded", ids, dom)
	}
	name := "vpc-" + strconv.Itoa(dom)
	m := &topology.MLAG{Kind: "vpc", Domain: name}
	m.Evidence = append(m.Evidence, fmt.Sprintf("CISCO-VPC-MIB: vPC domain %d", dom))
	if c, ok := role[dom]; ok {
		n, _ := c.number()
		if r, ok := vpcRole[n]; ok {
			m.Role = r
		}
		m.Evidence = append(m.Evidence, fmt.Sprintf("CISCO-VPC-MIB cVpcRoleStatus.%d = %s", dom, enumText(vpcRoleEnum, n)))
	}
	if c, ok := dual[dom]; ok {
		if n, _ := c.number(); n == 1 {
			m.Evidence = append(m.Evidence, fmt.Sprintf("CISCO-VPC-MIB cVpcDualActiveDetectionStatus.%d = true: dual-active (split brain) detected", dom))
		}
	}
	if c, ok := sysMAC[dom]; ok && len(c.val.Bytes) == 6 {
		m.SystemID = vendors.HexString(c.val.Bytes)
		m.Evidence = append(m.Evidence, fmt.Sprintf("CISCO-VPC-MIB cVpcSystemOperMacAddress.%d = %s (the LACP system ID of the vPC port-channels)", dom, m.SystemID))
	}
	if c, ok := keepStatus[dom]; ok {
		n, _ := c.number()
		m.Evidence = append(m.Evidence, fmt.Sprintf("CISCO-VPC-MIB cVpcPeerKeepAliveStatus.%d = %s", dom, enumText(vpcKeepAlive, n)))
	}
	if c, ok := keepAddr[dom]; ok {
		t := 0
		if tc, ok := keepType[dom]; ok {
			t, _ = tc.number()
		}
		if a := inetAddr(t, c.val.Bytes); a != "" {
			m.Peer = a
			m.Evidence = append(m.Evidence, fmt.Sprintf("CISCO-VPC-MIB cVpcPeerKeepAliveDestAddr.%d = %s (peer-keepalive destination: the vPC peer)", dom, a))
		}
	}
	if c, ok := peerLink[dom]; ok {
		ifx, _ := c.number()
		pl := v.portName(ifx)
		m.PeerLink = pl
		ev := fmt.Sprintf("CISCO-VPC-MIB cVpcStatusPeerLinkIfIndex.%d = %d (%s)", dom, ifx, pl)
		if l := v.lag[ifx]; l != nil {
			l.PeerLink = true
			l.Evidence = append(l.Evidence, ev+": the vPC peer link")
		} else {
			v.problemf(c.line, "%s: not a port-channel of the walk", ev)
		}
		if p := v.port[ifx]; p != nil {
			if up := vendors.OperUp(p.Oper); up != nil {
				m.PeerLinkUp = up
			}
			if p.Oper != "" {
				ev += fmt.Sprintf(", ifOperStatus %s", p.Oper)
			}
		}
		m.Evidence = append(m.Evidence, ev)
	}
	for _, k := range sortedPairs(hostIf) {
		if k[0] != dom {
			continue
		}
		c := hostIf[k]
		ifx, _ := c.number()
		if ifx == 0 {
			continue // vPC configured, no port-channel bound
		}
		l := v.lag[ifx]
		if l == nil {
			v.problemf(c.line, "CISCO-VPC-MIB cVpcStatusHostLinkIfIndex.%d.%d = %d: not a port-channel of the walk", k[0], k[1], ifx)
			continue
		}
		l.MLAG, l.MLAGID = name, k[1]
		ev := fmt.Sprintf("CISCO-VPC-MIB cVpcStatusHostLinkIfIndex.%d.%d = %d: %s is vPC %d", k[0], k[1], ifx, l.Name, k[1])
		if sc, ok := hostStatus[k]; ok {
			n, _ := sc.number()
			ev += fmt.Sprintf(", cVpcStatusHostLinkStatus %s", enumText(vpcHostStatus, n))
		}
		if cc, ok := hostConsist[k]; ok {
			n, _ := cc.number()
			ev += fmt.Sprintf(", consistency %s", enumText(vpcConsist, n))
		}
		l.Evidence = append(l.Evidence, ev)
	}
	v.s.MLAG = m
}

// inetAddr decodes an InetAddress by InetAddressType: ipv4(1), ipv6(2).
func inetAddr(t int, b []byte) string {
	switch {
	case (t == 1 || t == 0) && len(b) == 4:
		return netip.AddrFrom4([4]byte(b)).String()
	case (t == 2 || t == 0) && len(b) == 16:
		return netip.AddrFrom16([16]byte(b)).String()
	}
	return ""
}
