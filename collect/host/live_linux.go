//go:build linux

package host

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/mdlayher/ethtool"
	"github.com/vishvananda/netlink"
	"golang.org/x/sys/unix"

	"github.com/bondaudit/bondaudit/collect/l2"
	"github.com/bondaudit/bondaudit/topology"
)

// Collect snapshots this host from the kernel: links, bonds, slaves,
// bridges and VLAN interfaces through netlink, what netlink leaves out of a
// bond (aggregator info, LACP active, partner details) from
// /proc/net/bonding, speed, duplex and the firmware-LLDP flag through
// ethtool, the driver from sysfs, and lldpd's neighbours when it runs.
// Problems are what could not be read; the rest is still returned.
func Collect(ctx context.Context, opt CollectOptions) (*topology.Host, []string, error) {
	opt.defaults()
	var problems []string
	problem := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	h := &topology.Host{Schema: topology.HostSchema, Source: "netlink", Collected: opt.Now().UTC().Format(time.RFC3339)}
	name := opt.Name
	if name == "" {
		var err error
		if name, err = os.Hostname(); err != nil {
			problem("hostname: %v", err)
		}
	}
	h.Name = name
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		h.Kernel = strings.TrimSpace(string(b))
	}

	links, err := netlinkLinks(opt)
	if err != nil {
		return nil, problems, err
	}
	procBonds := map[string]*topology.Bond{}
	var order []string
	for _, b := range links.Bonds {
		p := filepath.Join(opt.ProcBonding, b.Name)
		data, err := os.ReadFile(p)
		if err != nil {
			problem("%s: %v (aggregator and partner details unknown)", p, err)
			continue
		}
		bonds, errs, err := ParseProcBonding(data, p, b.Name)
		for _, e := range errs {
			problems = append(problems, e.Error())
		}
		if err != nil {
			problems = append(problems, err.Error())
			continue
		}
		for i := range bonds {
			procBonds[bonds[i].Name] = &bonds[i]
			order = append(order, bonds[i].Name)
		}
	}
	h.Bonds = append(h.Bonds, liveOVSAndTeams(ctx, links.teams, problem)...)
	mergeHost(h, links, procBonds, order, "netlink", func() string { return opt.ProcBonding }, problem)
	for _, b := range h.Bonds {
		if b.Source == "" {
			b.Source = "netlink"
		}
	}
	ethtoolFacts(h, opt, problem)
	if opt.Pcap != "" {
		b, err := os.ReadFile(opt.Pcap)
		if err != nil {
			return nil, problems, fmt.Errorf("--pcap: %w", err)
		}
		problems = append(problems, readPcapInto(h, b, opt.Pcap, links.IfNames)...)
	}
	problems = append(problems, liveNeighbours(ctx, h, opt)...)
	return h, problems, nil
}

// liveNeighbours adds what the slaves hear (--listen) and what lldpd knows
// to h's neighbours, each neighbour once.
func liveNeighbours(ctx context.Context, h *topology.Host, opt CollectOptions) []string {
	var problems []string
	if opt.Listen > 0 {
		problems = append(problems, listenOnSlaves(ctx, h, opt)...)
	}
	if nbs, err := lldpcliNeighbours(ctx, opt); err != nil {
		problems = append(problems, err.Error())
	} else {
		// The heard neighbours are already there: merge, never append.
		h.Neighbours = mergeNeighbours(h.Neighbours, nbs)
	}
	return problems
}

// netlinkLinks lists links, retrying a dump the kernel interrupted.
func netlinkLinks(opt CollectOptions) (*Links, error) {
	var ls []netlink.Link
	var err error
	for try := 0; try < 5; try++ {
		ls, err = netlink.LinkList()
		if !errors.Is(err, netlink.ErrDumpInterrupted) {
			break
		}
		time.Sleep(time.Duration(try+1) * 10 * time.Millisecond)
	}
	if err != nil {
		return nil, fmt.Errorf("netlink link dump: %w", err)
	}
	byIndex := map[int]netlink.Link{}
	ifNames := map[int]string{}
	for _, l := range ls {
		byIndex[l.Attrs().Index] = l
		ifNames[l.Attrs().Index] = l.Attrs().Name
	}
	nameOf := func(i int) string {
		if l, ok := byIndex[i]; ok {
			return l.Attrs().Name
		}
		return ""
	}
	out := &Links{IfNames: ifNames}
	bridges := map[string]*topology.Bridge{}
	// Bonds first: the dump is in ifindex order and slaves created before
	// their bond come earlier.
	for _, l := range ls {
		if b, ok := l.(*netlink.Bond); ok {
			out.Bonds = append(out.Bonds, bondFromNetlink(b, nameOf))
		}
	}
	for _, l := range ls {
		a := l.Attrs()
		master := nameOf(a.MasterIndex)
		state := topology.ParseLinkState(a.OperState.String())
		switch l := l.(type) {
		case *netlink.Bond:
			continue
		case *netlink.GenericLink:
			if l.LinkType == "team" {
				out.teams = append(out.teams, a.Name)
			}
			if notNICKinds[l.LinkType] {
				continue
			}
		case *netlink.Bridge:
			if bridges[a.Name] == nil {
				bridges[a.Name] = &topology.Bridge{Name: a.Name, Kind: "linux"}
			}
			continue
		case *netlink.Vlan:
			out.VLANs = append(out.VLANs, topology.VLANIf{Name: a.Name, Parent: nameOf(a.ParentIndex), ID: l.VlanId, MTU: a.MTU})
			if master != "" {
				bridgePort(bridges, master, a.Name)
			}
			continue
		}
		if a.EncapType != "ether" || a.Name == "lo" {
			continue
		}
		n := topology.NIC{Name: a.Name, MAC: macString(a.HardwareAddr), PermMAC: macString(a.PermHWAddr), MTU: a.MTU, State: state, Master: master}
		if bs, ok := a.Slave.(*netlink.BondSlave); ok {
			if n.PermMAC == "" {
				n.PermMAC = macString(bs.PermHardwareAddr)
			}
			addSlave(out, master, n.Name, bs)
		}
		if master != "" {
			if _, isBr := byIndex[a.MasterIndex].(*netlink.Bridge); isBr {
				bridgePort(bridges, master, n.Name)
			}
		}
		if n.PermMAC == "" {
			n.PermMAC = n.MAC
		}
		out.NICs = append(out.NICs, n)
	}
	// bonds enslaved to bridges
	for _, l := range ls {
		if b, ok := l.(*netlink.Bond); ok {
			if m, isBr := byIndex[b.MasterIndex].(*netlink.Bridge); isBr {
				bridgePort(bridges, m.Attrs().Name, b.Name)
			}
		}
	}
	for _, br := range bridges {
		slices.Sort(br.Ports)
		out.Bridges = append(out.Bridges, *br)
	}
	slices.SortFunc(out.Bridges, func(a, b topology.Bridge) int { return strings.Compare(a.Name, b.Name) })
	slices.SortFunc(out.Bonds, func(a, b topology.Bond) int { return strings.Compare(a.Name, b.Name) })
	slices.SortFunc(out.VLANs, func(a, b topology.VLANIf) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}

func bridgePort(bridges map[string]*topology.Bridge, br, port string) {
	b := bridges[br]
	if b == nil {
		b = &topology.Bridge{Name: br, Kind: "linux"}
		bridges[br] = b
	}
	if !slices.Contains(b.Ports, port) {
		b.Ports = append(b.Ports, port)
	}
}

func macString(hw net.HardwareAddr) string {
	if len(hw) == 0 {
		return ""
	}
	return topology.NormalizeMAC(hw.String())
}

// bondFromNetlink maps IFLA_BOND_* onto a topology.Bond. netlink leaves
// AdInfo nil and has no LACP-active attribute: /proc/net/bonding fills them.
func bondFromNetlink(l *netlink.Bond, nameOf func(int) string) topology.Bond {
	a := l.Attrs()
	b := topology.Bond{Name: a.Name, Kind: topology.BondKindLinux, Mode: topology.BondMode(l.Mode.String()), MIIMon: max(l.Miimon, 0),
		UpDelay: max(l.UpDelay, 0), DownDelay: max(l.DownDelay, 0), ARPInterval: max(l.ArpInterval, 0),
		MinLinks: max(l.MinLinks, 0), MTU: a.MTU, MAC: macString(a.HardwareAddr), State: topology.ParseLinkState(a.OperState.String()),
		Source: "netlink"}
	if m, ok := linuxModes[l.Mode.String()]; ok {
		b.Mode = m
	}
	for _, ip := range l.ArpIpTargets {
		b.ARPTargets = append(b.ARPTargets, ip.String())
	}
	// Reported whatever the ARP interval, as ip-link reports it; unset
	// (-1) when the kernel did not send the attribute.
	if l.ArpValidate >= 0 {
		b.ARPValidate = canonARPValidate(l.ArpValidate.String())
	}
	if l.Primary > 0 {
		b.Primary = nameOf(l.Primary)
	}
	if l.ActiveSlave > 0 {
		b.ActiveSlave = nameOf(l.ActiveSlave)
	}
	if b.Mode == topology.Mode8023AD {
		b.LACPRate = strings.ToLower(l.LacpRate.String())
		b.AdSelect = strings.ToLower(l.AdSelect.String())
		if len(l.AdActorSystem) > 0 && macString(l.AdActorSystem) != topology.ZeroMAC {
			b.AdActorSystem = macString(l.AdActorSystem)
		}
	}
	// The kernel keeps a hash policy for every mode, and ip-link prints it:
	// so does the snapshot (rules read it only where it matters).
	b.XmitHashPolicy = strings.ToLower(l.XmitHashPolicy.String())
	return b
}

func addSlave(out *Links, master, name string, bs *netlink.BondSlave) {
	var b *topology.Bond
	for i := range out.Bonds {
		if out.Bonds[i].Name == master {
			b = &out.Bonds[i]
		}
	}
	if b == nil {
		out.Bonds = append(out.Bonds, topology.Bond{Name: master})
		b = &out.Bonds[len(out.Bonds)-1]
	}
	s := topology.Slave{Name: name, MIIStatus: topology.ParseLinkState(bs.MiiStatus.String()), LinkFailures: int(bs.LinkFailureCount),
		PermMAC: macString(bs.PermHardwareAddr), QueueID: int(bs.QueueId), AggregatorID: int(bs.AggregatorId), Source: "netlink"}
	if bs.AggregatorId > 0 || bs.AdActorOperPortState != 0 {
		s.Actor = &topology.LACPPort{State: topology.LACPState(bs.AdActorOperPortState), StateKnown: true}
		s.Partner = &topology.LACPPort{State: topology.LACPState(bs.AdPartnerOperPortState), StateKnown: true}
	}
	b.Slaves = append(b.Slaves, s)
}

// ethtoolFacts adds speed, duplex and the firmware-LLDP flag (ethtool
// netlink) and the driver (sysfs) to every NIC.
func ethtoolFacts(h *topology.Host, opt CollectOptions, problem func(string, ...any)) {
	// The driver as `ethtool -i` names it (ETHTOOL_GDRVINFO), so that a
	// capture's ethtool file and the live snapshot agree, also for virtual
	// NICs (veth) that have no device in sysfs; sysfs when the ioctl fails.
	sock, sockErr := unix.Socket(unix.AF_INET, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
	if sockErr == nil {
		defer unix.Close(sock)
	}
	for i := range h.NICs {
		n := &h.NICs[i]
		if sockErr == nil {
			if di, err := unix.IoctlGetEthtoolDrvinfo(sock, n.Name); err == nil {
				n.Driver = unix.ByteSliceToString(di.Driver[:])
			}
		}
		if n.Driver != "" {
			continue
		}
		if d, err := os.Readlink(filepath.Join(opt.SysClassNet, n.Name, "device", "driver")); err == nil {
			n.Driver = filepath.Base(d)
		}
	}
	c, err := ethtool.New()
	if err != nil {
		problem("ethtool netlink: %v (speeds and duplex from /proc/net/bonding only)", err)
		return
	}
	defer c.Close()
	for i := range h.NICs {
		n := &h.NICs[i]
		ifi := ethtool.Interface{Name: n.Name}
		if lm, err := c.LinkMode(ifi); err == nil {
			if lm.SpeedMegabits > 0 && lm.SpeedMegabits < 10_000_000 {
				n.Speed = lm.SpeedMegabits
			}
			switch lm.Duplex {
			case ethtool.Full:
				n.Duplex = "full"
			case ethtool.Half:
				n.Duplex = "half"
			}
		}
		if pf, err := c.PrivateFlags(ifi); err == nil {
			for flag, on := range pf.Flags {
				// Intel i40e/ice: "disable-fw-lldp" off means the firmware
				// agent consumes LLDP frames before the host sees them.
				if flag == "disable-fw-lldp" && !on {
					n.LLDPBlind = true
				}
			}
		}
	}
}

// lldpcliNeighbours asks a running lldpd for its neighbours (json0: one
// shape for one and many).
func lldpcliNeighbours(ctx context.Context, opt CollectOptions) ([]topology.Neighbour, error) {
	bin, err := exec.LookPath(opt.LLDPCli)
	if err != nil {
		return nil, nil // no lldpd here: not a problem, the listener may hear frames
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	args := []string{"-f", "json0", "show", "neighbors", "details"}
	if opt.LLDPSocket != "" {
		args = append([]string{"-u", opt.LLDPSocket}, args...)
	}
	out, err := exec.CommandContext(ctx, bin, args...).Output()
	if err != nil {
		return nil, fmt.Errorf("lldpcli %s: %v (is lldpd running?)", strings.Join(args, " "), err)
	}
	nbs, err := ParseLLDP(out, "lldpcli -f json0")
	if err != nil {
		return nil, err
	}
	for i := range nbs {
		nbs[i].Source = "lldpd"
	}
	return nbs, nil
}

// listenOnSlaves hears what the switch sends on every bond slave.
func listenOnSlaves(ctx context.Context, h *topology.Host, opt CollectOptions) []string {
	var slaves []string
	for _, b := range h.Bonds {
		for _, s := range b.Slaves {
			slaves = append(slaves, s.Name)
		}
	}
	if len(slaves) == 0 {
		return nil
	}
	// Stop early once every slave has heard all it can hear: the
	// switch's LLDP (or CDP) and its LACPDUs. A slave that hears no
	// LACPDU (a switch port not in a LAG) keeps the listening going to the
	// end of the window: that silence is itself evidence.
	lctx, cancel := context.WithCancel(ctx)
	defer cancel()
	want := map[string]bool{}
	for _, s := range slaves {
		want[s] = true
	}
	disc, lacp := map[string]bool{}, map[string]bool{}
	heard := func(f l2.Frame) {
		if !want[f.Interface] {
			return
		}
		switch f.Kind {
		case topology.ProtoLACP:
			lacp[f.Interface] = true
		case topology.ProtoLLDP, topology.ProtoCDP:
			disc[f.Interface] = true
		}
		for s := range want {
			if !disc[s] || !lacp[s] {
				return
			}
		}
		cancel()
	}
	frames, errs := l2.Listen(lctx, l2.ListenConfig{Interfaces: slaves, Duration: opt.Listen, Now: opt.Now, Heard: heard})
	var problems []string
	for _, e := range errs {
		msg := e.Error()
		if errors.Is(e, os.ErrPermission) || strings.Contains(msg, "operation not permitted") {
			msg += " (listening needs CAP_NET_RAW: run as root or `setcap cap_net_raw+ep $(command -v bondaudit)`)"
		}
		problems = append(problems, msg)
	}
	nbs, p := FramesToNeighbours(frames, nil, h.NICs)
	h.Neighbours = mergeNeighbours(h.Neighbours, nbs)
	return append(problems, p...)
}

// liveOVSAndTeams asks Open vSwitch and teamd, when present, for their
// bonds (the same readers as captured files).
func liveOVSAndTeams(ctx context.Context, teams []string, problem func(string, ...any)) []topology.Bond {
	var out []topology.Bond
	run := func(name string, args ...string) ([]byte, bool) {
		bin, err := exec.LookPath(name)
		if err != nil {
			return nil, false
		}
		cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		b, err := exec.CommandContext(cctx, bin, args...).Output()
		if err != nil {
			problem("%s %s: %v", name, strings.Join(args, " "), err)
			return nil, false
		}
		return b, true
	}
	if b, ok := run("ovs-appctl", "bond/show"); ok {
		bonds, errs := ParseOVSBondShow(b, "ovs-appctl bond/show")
		for _, e := range errs {
			problem("%v", e)
		}
		out = append(out, bonds...)
	}
	for _, t := range teams {
		b, ok := run("teamdctl", t, "state", "dump")
		if !ok {
			if _, err := exec.LookPath("teamdctl"); err != nil {
				problem("team %s: teamdctl not installed: its runner and ports are unknown", t)
			}
			continue
		}
		bond, err := ParseTeamdState(b, "teamdctl "+t+" state dump", t)
		if err != nil {
			problem("%v", err)
			continue
		}
		out = append(out, bond)
	}
	return out
}
