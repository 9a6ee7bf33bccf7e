package sitegen

import (
	"strconv"
	"strings"
)

// kernelAtLeast reports whether the kernel release (uname -r) is at least
// major.minor.
func kernelAtLeast(release string, major, minor int) bool {
	maj, rest, _ := strings.Cut(release, ".")
	minS, _, _ := strings.Cut(rest, ".")
	minS, _, _ = strings.Cut(minS, "-")
	a, err1 := strconv.Atoi(maj)
	b, err2 := strconv.Atoi(minS)
	if err1 != nil || err2 != nil {
		return true
	}
	return a > major || a == major && b >= minor
}

var bondModeNames = map[string]string{
	ModeRR:     "load balancing (round-robin)",
	ModeAB:     "fault-tolerance (active-backup)",
	ModeXOR:    "load balancing (xor)",
	ModeBcast:  "fault-tolerance (broadcast)",
	Mode8023AD: "IEEE 802.3ad Dynamic link aggregation",
	ModeTLB:    "transmit load balancing",
	ModeALB:    "adaptive load balancing",
}

var xmitHashIndex = map[string]int{
	"layer2": 0, "layer3+4": 1, "layer2+3": 2, "encap2+3": 3, "encap3+4": 4, "vlan+srcmac": 5,
}

func usesPrimary(mode string) bool { return mode == ModeAB || mode == ModeTLB || mode == ModeALB }

func usesXmitHash(mode string) bool { return mode == Mode8023AD || mode == ModeXOR }

func bondCarrier(b *Bond) bool {
	for _, n := range b.Slaves {
		if n.Slave.MIIUp {
			return true
		}
	}
	return false
}

// AppendProcBonding appends the text of /proc/net/bonding/<bond> as the
// bonding driver of the host's kernel prints it (bond_procfs.c, 5.15 and
// later: "LACP active", "Peer Notification Delay", the per-slave LACPDU
// details). The site must be resolved.
func AppendProcBonding(b []byte, bond *Bond) []byte {
	h := bond.host
	line := func(parts ...string) {
		for _, p := range parts {
			b = append(b, p...)
		}
		b = append(b, '\n')
	}
	itoa := strconv.Itoa
	mac := func(m MAC) string { return m.String() }

	line("Ethernet Channel Bonding Driver: v", h.OS.Kernel)
	line()
	line("Bonding Mode: ", bondModeNames[bond.Mode])
	if usesXmitHash(bond.Mode) {
		line("Transmit Hash Policy: ", bond.XmitHashPolicy, " (", itoa(xmitHashIndex[bond.XmitHashPolicy]), ")")
	}
	if usesPrimary(bond.Mode) {
		line("Primary Slave: None")
		active := "None"
		if bond.ActiveSlave != nil {
			active = bond.ActiveSlave.Name
		}
		line("Currently Active Slave: ", active)
	}
	if bondCarrier(bond) {
		line("MII Status: up")
	} else {
		line("MII Status: down")
	}
	line("MII Polling Interval (ms): ", itoa(bond.MIIMon))
	line("Up Delay (ms): ", itoa(bond.UpDelay))
	line("Down Delay (ms): ", itoa(bond.DownDelay))
	line("Peer Notification Delay (ms): 0")
	if bond.ARPInterval > 0 {
		line("ARP Polling Interval (ms): ", itoa(bond.ARPInterval))
		if kernelAtLeast(h.OS.Kernel, 6, 0) {
			line("ARP Missed Max: 2")
		}
		b = append(b, "ARP IP target/s (n.n.n.n form):"...)
		for i, t := range bond.ARPTargets {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, ' ')
			b = append(b, t...)
		}
		b = append(b, '\n')
		if kernelAtLeast(h.OS.Kernel, 6, 0) {
			line("NS IPv6 target/s (xx::xx form):")
		}
	}
	if bond.Mode == Mode8023AD {
		line()
		line("802.3ad info")
		if kernelAtLeast(h.OS.Kernel, 5, 15) {
			line("LACP active: on")
		}
		line("LACP rate: ", bond.LACPRate)
		line("Min links: ", itoa(bond.MinLinks))
		line("Aggregator selection policy (ad_select): ", bond.ADSelect)
		line("System priority: 65535")
		line("System MAC address: ", mac(bond.MAC))
		if agg := activeAggInfo(bond); agg != nil {
			line("Active Aggregator Info:")
			line("\tAggregator ID: ", itoa(agg.id))
			line("\tNumber of ports: ", itoa(len(agg.ports)))
			line("\tActor Key: ", itoa(agg.key))
			line("\tPartner Key: ", itoa(agg.partner.Key))
			line("\tPartner Mac Address: ", mac(agg.partner.System))
		} else {
			line("bond ", bond.Name, " has no active aggregator")
		}
	}
	for _, n := range bond.Slaves {
		st := n.Slave
		line()
		line("Slave Interface: ", n.Name)
		if st.MIIUp {
			line("MII Status: up")
			line("Speed: ", itoa(n.Speed), " Mbps")
			line("Duplex: full")
		} else {
			line("MII Status: down")
			line("Speed: Unknown")
			line("Duplex: Unknown")
		}
		line("Link Failure Count: ", itoa(st.LinkFailures))
		line("Permanent HW addr: ", mac(n.PermMAC))
		line("Slave queue ID: 0")
		if bond.Mode != Mode8023AD {
			continue
		}
		line("Aggregator ID: ", itoa(st.AggID))
		line("Actor Churn State: ", st.ActorChurn)
		line("Partner Churn State: ", st.PartnerChurn)
		line("Actor Churned Count: ", itoa(st.ActorChurned))
		line("Partner Churned Count: ", itoa(st.PartnerChurned))
		// The kernel calls the actor's key "port key", the partner's "oper key".
		for _, pdu := range []struct {
			who, key string
			l        LACPInfo
		}{{"actor", "port", st.Actor}, {"partner", "oper", st.Partner}} {
			line("details ", pdu.who, " lacp pdu:")
			line("    system priority: ", itoa(pdu.l.SystemPriority))
			line("    system mac address: ", mac(pdu.l.System))
			line("    ", pdu.key, " key: ", itoa(pdu.l.Key))
			line("    port priority: ", itoa(pdu.l.PortPriority))
			line("    port number: ", itoa(pdu.l.Port))
			line("    port state: ", itoa(int(pdu.l.State)))
		}
	}
	return b
}

// activeAggInfo rebuilds the active aggregator's summary from the slaves.
func activeAggInfo(bond *Bond) *aggregator {
	if bond.ActiveAgg == 0 {
		return nil
	}
	var a *aggregator
	for _, n := range bond.Slaves {
		if n.Slave.AggID != bond.ActiveAgg {
			continue
		}
		if a == nil {
			a = &aggregator{id: bond.ActiveAgg, key: n.Slave.Actor.Key, partner: n.Slave.Partner}
		}
		a.ports = append(a.ports, n)
	}
	return a
}
