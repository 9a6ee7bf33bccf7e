package sitegen

import "fmt"

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

	w.open('{')
	w.kint("ifindex", h.loIndex)
	w.kstr("ifname", "lo")
	w.kstrs("flags", "LOOPBACK", "UP", "LOWER_UP")
	w.kint("mtu", 65536)
	w.kstr("qdisc", "noqueue")
	w.kstr("operstate", "UNKNOWN")
	w.kstr("linkmode", "DEFAULT")
	w.kstr("group", "default")
	w.kint("txqlen", 1000)
	w.kstr("link_type", "loopback")
	w.kmac("address", MAC{})
	w.kmac("broadcast", MAC{})
	w.kint("promiscuity", 0)
	w.kint("min_mtu", 0)
	w.kint("max_mtu", 0)
	w.kstr("inet6_addr_gen_mode", "eui64")
	w.kint("num_tx_queues", 1)
	w.kint("num_rx_queues", 1)
	gso(w, k, 524280)
	w.close('}')

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
	w.open('{')
	w.kint("ifindex", n.IfIndex)
	w.kstr("ifname", n.Name)
	w.key("flags")
	w.open('[')
	if !up {
		w.str("NO-CARRIER")
	}
	w.str("BROADCAST")
	w.str("MULTICAST")
	if n.Bond != nil {
		w.str("SLAVE")
	}
	w.str("UP")
	if up {
		w.str("LOWER_UP")
	}
	w.close(']')
	w.kint("mtu", n.MTU)
	w.kstr("qdisc", "mq")
	if n.Bond != nil {
		w.kstr("master", n.Bond.Name)
	}
	if up {
		w.kstr("operstate", "UP")
	} else {
		w.kstr("operstate", "DOWN")
	}
	w.kstr("linkmode", "DEFAULT")
	w.kstr("group", "default")
	w.kint("txqlen", 1000)
	w.kstr("link_type", "ether")
	w.kmac("address", n.MAC)
	w.kmac("broadcast", broadcastMAC)
	if n.MAC != n.PermMAC {
		w.kmac("permaddr", n.PermMAC)
	}
	w.kint("promiscuity", bondPromisc(n.Bond, n))
	w.kint("min_mtu", 68)
	w.kint("max_mtu", n.maxMTU())
	if bd := n.Bond; bd != nil {
		st := n.Slave
		w.key("linkinfo")
		w.open('{')
		w.kstr("info_slave_kind", "bond")
		w.key("info_slave_data")
		w.open('{')
		if st.Active {
			w.kstr("state", "ACTIVE")
		} else {
			w.kstr("state", "BACKUP")
		}
		if st.MIIUp {
			w.kstr("mii_status", "UP")
		} else {
			w.kstr("mii_status", "DOWN")
		}
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
	w.kstr("inet6_addr_gen_mode", "eui64")
	queues := 8
	tso := 65536
	if n.Driver == "mlx5_core" {
		queues, tso = 63, 524280
	}
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

func lacpStateStrs(w *jsonWriter, key string, st uint8) {
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
	w.open('{')
	w.kint("ifindex", bd.IfIndex)
	w.kstr("ifname", bd.Name)
	w.key("flags")
	w.open('[')
	if !up {
		w.str("NO-CARRIER")
	}
	w.str("BROADCAST")
	w.str("MULTICAST")
	w.str("MASTER")
	w.str("UP")
	if up {
		w.str("LOWER_UP")
	}
	w.close(']')
	w.kint("mtu", bd.MTU)
	w.kstr("qdisc", "noqueue")
	if bd.Bridge != nil {
		w.kstr("master", bd.Bridge.Name)
	}
	if up {
		w.kstr("operstate", "UP")
	} else {
		w.kstr("operstate", "DOWN")
	}
	w.kstr("linkmode", "DEFAULT")
	w.kstr("group", "default")
	w.kint("txqlen", 1000)
	w.kstr("link_type", "ether")
	w.kmac("address", bd.MAC)
	w.kmac("broadcast", broadcastMAC)
	w.kint("promiscuity", bondPromisc(bd, nil))
	w.kint("min_mtu", 68)
	w.kint("max_mtu", 65535)

	w.key("linkinfo")
	w.open('{')
	w.kstr("info_kind", "bond")
	w.key("info_data")
	w.open('{')
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
		w.kstr("info_slave_kind", "bridge")
		w.key("info_slave_data")
		w.open('{')
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
	w.kstr("inet6_addr_gen_mode", "eui64")
	w.kint("num_tx_queues", 16)
	w.kint("num_rx_queues", 16)
	gso(w, k, 524280)
	w.close('}')
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
	w.open('{')
	w.kint("ifindex", br.IfIndex)
	w.kstr("ifname", br.Name)
	w.kstrs("flags", "BROADCAST", "MULTICAST", "UP", "LOWER_UP")
	w.kint("mtu", mtu)
	w.kstr("qdisc", "noqueue")
	w.kstr("operstate", "UP")
	w.kstr("linkmode", "DEFAULT")
	w.kstr("group", "default")
	w.kint("txqlen", 1000)
	w.kstr("link_type", "ether")
	w.kmac("address", br.MAC)
	w.kmac("broadcast", broadcastMAC)
	w.kint("promiscuity", 0)
	w.kint("min_mtu", 68)
	w.kint("max_mtu", 65535)
	w.key("linkinfo")
	w.open('{')
	w.kstr("info_kind", "bridge")
	w.key("info_data")
	w.open('{')
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
	w.kstr("inet6_addr_gen_mode", "eui64")
	w.kint("num_tx_queues", 1)
	w.kint("num_rx_queues", 1)
	gso(w, k, 65536)
	w.close('}')
}

// appendVLAN writes an 802.1Q interface on a bond, as iproute2 prints it.
func appendVLAN(w *jsonWriter, bd *Bond, id, ifindex int) {
	mtu := bd.MTU
	if mtu == 0 {
		mtu = 1500
	}
	w.open('{')
	w.kint("ifindex", ifindex)
	w.kstr("link", bd.Name)
	w.kstr("ifname", fmt.Sprintf("%s.%d", bd.Name, id))
	w.kstrs("flags", "BROADCAST", "MULTICAST", "UP", "LOWER_UP")
	w.kint("mtu", mtu)
	w.kstr("qdisc", "noqueue")
	w.kstr("operstate", "UP")
	w.kstr("linkmode", "DEFAULT")
	w.kstr("group", "default")
	w.kint("txqlen", 1000)
	w.kstr("link_type", "ether")
	w.kmac("address", bd.MAC)
	w.kmac("broadcast", broadcastMAC)
	w.kint("promiscuity", 0)
	w.kint("min_mtu", 0)
	w.kint("max_mtu", 65535)
	w.key("linkinfo")
	w.open('{')
	w.kstr("info_kind", "vlan")
	w.key("info_data")
	w.open('{')
	w.kstr("protocol", "802.1Q")
	w.kint("id", id)
	w.kstrs("flags", "REORDER_HDR")
	w.close('}')
	w.close('}')
	w.kstr("inet6_addr_gen_mode", "eui64")
	w.kint("num_tx_queues", 1)
	w.kint("num_rx_queues", 1)
	gso(w, bd.host.OS.Kernel, 65536)
	w.close('}')
}
