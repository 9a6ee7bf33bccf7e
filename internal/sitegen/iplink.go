package sitegen

import (
	"fmt"

	"github.com/bondaudit/bondaudit/topology"
)

var broadcastMAC = MAC{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}

// AppendIPLinkJSON appends what `ip -details -json link show` prints on h:
// one compact JSON array with lo, the NICs, the bonds and the bridges, with
// iproute2's key names and order (ipaddress.c print_linkinfo,
// iplink_bond.c, iplink_bond_slave.c, iplink_bridge*.c). As iproute2 does,
// "permaddr" is printed only when it differs from the current address, so
// the first slave of a bond has none; info_slave_data.perm_hwaddr always
// names a slave's permanent address. The site must be resolved.
func AppendIPLinkJSON(b []byte, h *Host) []byte {
	w := &jsonWriter{b: b}
	k := h.OS.Kernel
	w.open('[')

	w.ifHead(ifHead{index: h.loIndex, name: "lo", flags: []string{"LOOPBACK", "UP", "LOWER_UP"},
		mtu: 65536, qdisc: "noqueue", operstate: "UNKNOWN", linkType: "loopback"})
	w.ifTail(1, k, 524280)

	for _, n := range h.NICs {
		appendNIC(w, n)
	}
	for _, bd := range h.Bonds {
		appendBond(w, bd)
	}
	for _, br := range h.Bridges {
		appendBridge(w, br)
	}
	for _, bd := range h.Bonds {
		for i, v := range bd.VLANs {
			appendVLAN(w, bd, v, bd.vlanIndex[i])
		}
	}
	w.close(']')
	return w.b
}

// ifHead is what iproute2 prints first for every interface, in its order.
type ifHead struct {
	index     int
	link      string // a VLAN's lower device; "" prints no "link"
	name      string
	flags     []string
	mtu       int
	qdisc     string
	master    string // "" prints no "master"
	operstate string
	linkType  string
	addr, brd MAC
	permaddr  *MAC // nil prints no "permaddr"
	promisc   int
	minMTU    int
	maxMTU    int
}

// ifHead opens an interface's object and writes its head.
func (w *jsonWriter) ifHead(h ifHead) {
	w.open('{')
	w.kint("ifindex", h.index)
	if h.link != "" {
		w.kstr("link", h.link)
	}
	w.kstr("ifname", h.name)
	w.kstrs("flags", h.flags...)
	w.kint("mtu", h.mtu)
	w.kstr("qdisc", h.qdisc)
	if h.master != "" {
		w.kstr("master", h.master)
	}
	w.kstr("operstate", h.operstate)
	w.kstr("linkmode", "DEFAULT")
	w.kstr("group", "default")
	w.kint("txqlen", 1000)
	w.kstr("link_type", h.linkType)
	w.kmac("address", h.addr)
	w.kmac("broadcast", h.brd)
	if h.permaddr != nil {
		w.kmac("permaddr", *h.permaddr)
	}
	w.kint("promiscuity", h.promisc)
	w.kint("min_mtu", h.minMTU)
	w.kint("max_mtu", h.maxMTU)
}

// ifTail writes what every interface ends with and closes its object.
func (w *jsonWriter) ifTail(queues int, kernel string, tsoMax int) {
	w.kstr("inet6_addr_gen_mode", "eui64")
	w.kint("num_tx_queues", queues)
	w.kint("num_rx_queues", queues)
	gso(w, kernel, tsoMax)
	w.close('}')
}

// ifFlags is an Ethernet interface's flags: role is "SLAVE", "MASTER" or "".
func ifFlags(up bool, role string) []string {
	var f []string
	if !up {
		f = append(f, "NO-CARRIER")
	}
	f = append(f, "BROADCAST", "MULTICAST")
	if role != "" {
		f = append(f, role)
	}
	f = append(f, "UP")
	if up {
		f = append(f, "LOWER_UP")
	}
	return f
}

// upDown is how iproute2 names a link's state.
func upDown(up bool) string {
	if up {
		return "UP"
	}
	return "DOWN"
}

// openInfo writes "info[_slave]_kind" and opens "info[_slave]_data".
func (w *jsonWriter) openInfo(slave bool, kind string) {
	p := "info_"
	if slave {
		p = "info_slave_"
	}
	w.kstr(p+"kind", kind)
	w.key(p + "data")
	w.open('{')
}

// gso writes the segmentation limits; which ones exist depends on the kernel.
func gso(w *jsonWriter, kernel string, tsoMax int) {
	w.kint("gso_max_size", 65536)
	w.kint("gso_max_segs", 65535)
	if kernelAtLeast(kernel, 5, 19) {
		w.kint("tso_max_size", tsoMax)
		w.kint("tso_max_segs", 65535)
		w.kint("gro_max_size", 65536)
	}
	if kernelAtLeast(kernel, 6, 3) {
		w.kint("gso_ipv4_max_size", 65536)
		w.kint("gro_ipv4_max_size", 65536)
	}
}

func bondPromisc(bd *Bond, n *NIC) int {
	if bd == nil || bd.Bridge == nil {
		return 0
	}
	if n == nil || bd.Mode != ModeAB || n == bd.ActiveSlave {
		return 1
	}
	return 0
}

func appendNIC(w *jsonWriter, n *NIC) {
	up := nicUp(n)
	h := ifHead{index: n.IfIndex, name: n.Name, flags: ifFlags(up, ""), mtu: n.MTU, qdisc: "mq",
		operstate: upDown(up), linkType: "ether", addr: n.MAC, brd: broadcastMAC,
		promisc: bondPromisc(n.Bond, n), minMTU: 68, maxMTU: n.maxMTU()}
	if n.Bond != nil {
		h.flags = ifFlags(up, "SLAVE")
		h.master = n.Bond.Name
	}
	if n.MAC != n.PermMAC {
		h.permaddr = &n.PermMAC
	}
	w.ifHead(h)
	if bd := n.Bond; bd != nil {
		st := n.Slave
		w.key("linkinfo")
		w.open('{')
		w.openInfo(true, "bond")
		if st.Active {
			w.kstr("state", "ACTIVE")
		} else {
			w.kstr("state", "BACKUP")
		}
		w.kstr("mii_status", upDown(st.MIIUp))
		w.kint("link_failure_count", st.LinkFailures)
		w.kmac("perm_hwaddr", n.PermMAC)
		w.kint("queue_id", 0)
		if kernelAtLeast(n.Host.OS.Kernel, 6, 0) {
			w.kint("prio", 0)
		}
		if bd.Mode == Mode8023AD {
			w.kint("ad_aggregator_id", st.AggID)
			w.kint("ad_actor_oper_port_state", int(st.Actor.State))
			lacpStateStrs(w, "ad_actor_oper_port_state_str", st.Actor.State)
			w.kint("ad_partner_oper_port_state", int(st.Partner.State))
			lacpStateStrs(w, "ad_partner_oper_port_state_str", st.Partner.State)
		}
		w.close('}')
		w.close('}')
	}
	queues := 8
	tso := 65536
	if n.Driver == "mlx5_core" {
		queues, tso = 63, 524280
	}
	w.kstr("inet6_addr_gen_mode", "eui64")
	w.kint("num_tx_queues", queues)
	w.kint("num_rx_queues", queues)
	gso(w, n.Host.OS.Kernel, tso)
	if n.PCI != "" {
		w.kstr("parentbus", "pci")
		w.kstr("parentdev", n.PCI)
	}
	if n.AltName != "" {
		w.kstrs("altnames", n.AltName)
	}
	w.close('}')
}

func (n *NIC) maxMTU() int {
	switch n.Driver {
	case "mlx5_core":
		return 9978
	case "igb":
		return 9216
	}
	return 9000
}

var lacpStateNames = [8]string{"active", "short_timeout", "aggregating", "in_sync", "collecting", "distributing", "defaulted", "expired"}

func lacpStateStrs(w *jsonWriter, key string, st topology.LACPState) {
	w.key(key)
	w.open('[')
	for i, name := range lacpStateNames {
		if st&(1<<i) != 0 {
			w.str(name)
		}
	}
	w.close(']')
}

func appendBond(w *jsonWriter, bd *Bond) {
	k := bd.host.OS.Kernel
	up := bondCarrier(bd)
	h := ifHead{index: bd.IfIndex, name: bd.Name, flags: ifFlags(up, "MASTER"), mtu: bd.MTU,
		qdisc: "noqueue", operstate: upDown(up), linkType: "ether", addr: bd.MAC, brd: broadcastMAC,
		promisc: bondPromisc(bd, nil), minMTU: 68, maxMTU: 65535}
	if bd.Bridge != nil {
		h.master = bd.Bridge.Name
	}
	w.ifHead(h)

	w.key("linkinfo")
	w.open('{')
	w.openInfo(false, "bond")
	w.kstr("mode", bd.Mode)
	if bd.ActiveSlave != nil {
		w.kstr("active_slave", bd.ActiveSlave.Name)
	}
	w.kint("miimon", bd.MIIMon)
	w.kint("updelay", bd.UpDelay)
	w.kint("downdelay", bd.DownDelay)
	w.kint("peer_notify_delay", 0)
	w.kint("use_carrier", 1)
	w.kint("arp_interval", bd.ARPInterval)
	if kernelAtLeast(k, 6, 0) {
		w.kint("arp_missed_max", 2)
	}
	if len(bd.ARPTargets) > 0 {
		w.kstrs("arp_ip_target", bd.ARPTargets...)
	}
	w.key("arp_validate")
	w.null()
	w.kstr("arp_all_targets", "any")
	w.kstr("primary_reselect", "always")
	w.kstr("fail_over_mac", "none")
	w.kstr("xmit_hash_policy", bd.XmitHashPolicy)
	w.kint("resend_igmp", 1)
	w.kint("num_peer_notif", 1)
	w.kint("all_slaves_active", 0)
	w.kint("min_links", bd.MinLinks)
	w.kint("lp_interval", 1)
	w.kint("packets_per_slave", 1)
	w.kstr("ad_lacp_active", "on")
	w.kstr("ad_lacp_rate", bd.LACPRate)
	w.kstr("ad_select", bd.ADSelect)
	if bd.Mode == Mode8023AD {
		if agg := activeAggInfo(bd); agg != nil {
			w.key("ad_info")
			w.open('{')
			w.kint("aggregator", agg.id)
			w.kint("num_ports", len(agg.ports))
			w.kint("actor_key", agg.key)
			w.kint("partner_key", agg.partner.Key)
			w.kmac("partner_mac", agg.partner.System)
			w.close('}')
		}
		w.kint("ad_actor_sys_prio", 65535)
		w.kint("ad_user_port_key", 0)
		w.kmac("ad_actor_system", MAC{})
	}
	w.kint("tlb_dynamic_lb", 1)
	w.close('}')
	if br := bd.Bridge; br != nil {
		cost := 4
		if bondSpeed(bd) >= 10000 {
			cost = 2
		}
		w.openInfo(true, "bridge")
		w.kstr("state", "forwarding")
		w.kint("priority", 32)
		w.kint("cost", cost)
		w.kbool("hairpin", false)
		w.kbool("guard", false)
		w.kbool("root_block", false)
		w.kbool("fastleave", false)
		w.kbool("learning", true)
		w.kbool("flood", true)
		w.kstr("id", "0x8001")
		w.kstr("no", "0x1")
		w.kint("designated_port", 32769)
		w.kint("designated_cost", 0)
		w.kstr("bridge_id", bridgeID(br.MAC))
		w.kstr("root_id", bridgeID(br.MAC))
		w.kint("topology_change_ack", 0)
		w.kint("config_pending", 0)
		w.kbool("proxy_arp", false)
		w.kbool("proxy_arp_wifi", false)
		w.kint("multicast_router", 1)
		w.kbool("mcast_flood", true)
		w.kbool("bcast_flood", true)
		w.kbool("mcast_to_unicast", false)
		w.kbool("neigh_suppress", false)
		w.kstr("group_fwd_mask", "0")
		w.kstr("group_fwd_mask_str", "0x0")
		w.kbool("vlan_tunnel", false)
		w.kbool("isolated", false)
		w.close('}')
	}
	w.close('}')
	w.ifTail(16, k, 524280)
}

func bondSpeed(bd *Bond) int {
	s := 0
	for _, n := range bd.Slaves {
		if n.Slave.MIIUp {
			s += n.Speed
		}
	}
	return s
}

// bridgeID formats a bridge ID as iproute2's br_dump_bridge_id does.
func bridgeID(m MAC) string {
	b := []byte("8000.")
	return string(m.appendHex(b))
}

func appendBridge(w *jsonWriter, br *Bridge) {
	k := ""
	mtu := 1500
	if len(br.Bonds) > 0 {
		k = br.Bonds[0].host.OS.Kernel
		mtu = br.Bonds[0].MTU
	}
	w.ifHead(ifHead{index: br.IfIndex, name: br.Name, flags: ifFlags(true, ""), mtu: mtu,
		qdisc: "noqueue", operstate: "UP", linkType: "ether", addr: br.MAC, brd: broadcastMAC,
		minMTU: 68, maxMTU: 65535})
	w.key("linkinfo")
	w.open('{')
	w.openInfo(false, "bridge")
	w.kint("forward_delay", 1500)
	w.kint("hello_time", 200)
	w.kint("max_age", 2000)
	w.kint("ageing_time", 30000)
	w.kint("stp_state", 0)
	w.kint("priority", 32768)
	w.kint("vlan_filtering", 0)
	w.kstr("vlan_protocol", "802.1Q")
	w.kstr("bridge_id", bridgeID(br.MAC))
	w.kstr("root_id", bridgeID(br.MAC))
	w.kint("root_port", 0)
	w.kint("root_path_cost", 0)
	w.kint("topology_change", 0)
	w.kint("topology_change_detected", 0)
	w.kint("vlan_default_pvid", 1)
	w.kint("vlan_stats_enabled", 0)
	w.kstr("group_fwd_mask", "0")
	w.kstr("group_addr", "01:80:c2:00:00:00")
	w.kint("mcast_snooping", 1)
	w.kint("mcast_router", 1)
	w.kint("mcast_querier", 0)
	w.kint("nf_call_iptables", 0)
	w.kint("nf_call_ip6tables", 0)
	w.kint("nf_call_arptables", 0)
	w.close('}')
	w.close('}')
	w.ifTail(1, k, 65536)
}

// appendVLAN writes an 802.1Q interface on a bond, as iproute2 prints it.
func appendVLAN(w *jsonWriter, bd *Bond, id, ifindex int) {
	mtu := bd.MTU
	if mtu == 0 {
		mtu = 1500
	}
	w.ifHead(ifHead{index: ifindex, link: bd.Name, name: fmt.Sprintf("%s.%d", bd.Name, id),
		flags: ifFlags(true, ""), mtu: mtu, qdisc: "noqueue", operstate: "UP", linkType: "ether",
		addr: bd.MAC, brd: broadcastMAC, maxMTU: 65535})
	w.key("linkinfo")
	w.open('{')
	w.openInfo(false, "vlan")
	w.kstr("protocol", "802.1Q")
	w.kint("id", id)
	w.kstrs("flags", "REORDER_HDR")
	w.close('}')
	w.close('}')
	w.ifTail(1, bd.host.OS.Kernel, 65536)
}
