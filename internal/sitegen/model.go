package sitegen

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/bondaudit/bondaudit/topology"
)

// A Site is a set of switches and hosts cabled together. Build one with
// NewSwitch/NewHost, Cable and the LAG/bond helpers, call Resolve to derive
// what every device would report (LACP negotiation on both ends, LLDP in
// both directions, FDB entries), then write it with WriteSite or the
// Append* format writers. Everything a device reports is derived from the
// same cabling and configuration, so the files agree with each other.
type Site struct {
	Switches []*Switch
	Hosts    []*Host
	resolved bool
}

// Vendor selects the naming, numbering and MIB habits of a switch.
type Vendor int

const (
	// Arista: EthernetN (ifIndex, lldpLocPortNum and dot1dBasePort N),
	// Port-ChannelN (ifIndex 1000000+N, ifType 161, dot1dBasePort 50000+N),
	// LLDP 802.1 link-aggregation TLV.
	Arista Vendor = iota
	// CiscoIOS (a Catalyst 2960-X): Gi1/0/N (ifIndex 10100+N, lldpLocPortNum
	// and dot1dBasePort N), PoN (ifIndex 5000+N, ifType propVirtual 53),
	// multi-line sysDescr, LACP port numbers 0x100+N, no link-aggregation TLV.
	CiscoIOS
)

// LACPInfo is one end of an LACP link as a LACPDU carries it; State holds
// topology's LACP state bits.
type LACPInfo struct {
	SystemPriority int
	System         MAC
	Key            int
	PortPriority   int
	Port           int
	State          topology.LACPState
}

// Switch is one switch as its SNMP agent and LLDP describe it.
type Switch struct {
	Name        string // sysName
	Vendor      Vendor
	SysDescr    string
	SysObjectID string
	Contact     string
	Location    string
	MgmtIP      string
	ChassisMAC  MAC // LLDP chassis ID, bridge base address, LACP system of local LAGs
	// MLAGSystem is the LACP system ID shared by an MLAG pair (used by LAGs
	// with MLAG set); MLAGPeer is the other switch of the pair.
	MLAGSystem MAC
	MLAGPeer   *Switch
	// LACPPortOffset is added to every port's LACP port number. The second
	// switch of an MLAG pair offsets its ports so that port IDs stay unique
	// within the shared LACP system.
	LACPPortOffset int
	LACPPriority   int
	UptimeTicks    uint32
	Ports          []*Port
	LAGs           []*LAG
	FDB            []FDBEntry
	// VLANs makes the agent expose Q-BRIDGE-MIB VLAN membership
	// (dot1qVlanStaticTable) for every PVID and tagged VLAN in use.
	VLANs bool

	speed, mtu int
}

// Port is a physical switch port.
type Port struct {
	Switch      *Switch
	IfIndex     int
	Name        string // ifName
	Descr       string // ifDescr
	Alias       string // ifAlias (the configured description)
	Speed       int    // Mb/s
	MTU         int
	MAC         MAC
	AdminUp     bool
	PVID        int
	Tagged      []int // VLANs carried tagged (written only when the switch has VLANs set)
	LLDPPortNum int
	BasePort    int
	LACPPortNum int // before the switch's LACPPortOffset
	LAG         *LAG

	// Cabling: at most one of NIC and Peer is set.
	NIC  *NIC
	Peer *Port

	// Derived by Resolve.
	OperUp   bool
	LACP     *PortLACP
	remIndex int
}

// PortLACP is a LAG member's dot3adAggPortTable row.
type PortLACP struct {
	Actor, Partner     LACPInfo
	ActorAdminState    topology.LACPState
	Selected, Attached int // aggregator ifIndex, 0 = none
	Individual         bool
}

// LAG is a port-channel.
type LAG struct {
	Switch   *Switch
	Number   int // port-channel number; also the LACP key
	IfIndex  int
	Name     string
	Descr    string
	Alias    string
	LACP     bool // false: static ("mode on")
	MLAG     bool // an MLAG port-channel: uses the pair's shared system ID
	PeerLink bool
	MAC      MAC
	BasePort int
	PVID     int
	Tagged   []int
	Members  []*Port

	// Derived by Resolve.
	OperUp  bool
	Speed   int
	Partner LACPInfo
}

// FDBEntry is one dot1qTpFdbTable row.
type FDBEntry struct {
	VLAN int
	MAC  MAC
	Port *Port
}

// OS is what a host reports as its operating system and kernel.
type OS struct {
	Pretty      string // /etc/os-release PRETTY_NAME
	Kernel      string // uname -r
	KernelBuild string // uname -v
}

// Some common host operating systems.
var (
	Debian12 = OS{"Debian GNU/Linux 12 (bookworm)", "6.1.0-18-amd64", "#1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 (2024-02-01)"}
	Ubuntu22 = OS{"Ubuntu 22.04.4 LTS", "5.15.0-105-generic", "#115-Ubuntu SMP Mon Apr 15 09:52:04 UTC 2024"}
	Ubuntu24 = OS{"Ubuntu 24.04.1 LTS", "6.8.0-45-generic", "#45-Ubuntu SMP PREEMPT_DYNAMIC Fri Aug 30 12:02:04 UTC 2024"}
)

// Host is one Linux host.
type Host struct {
	Name    string
	OS      OS
	NICs    []*NIC
	Bonds   []*Bond
	Bridges []*Bridge
	// LLDPPortIDIfName: lldpd is configured with "portidsubtype ifname"
	// (the default sends the NIC's permanent MAC).
	LLDPPortIDIfName bool
	// NoLLDP: no lldpd; the capture has no lldp.json.
	NoLLDP bool

	loIndex int
}

// NIC is a physical host interface.
type NIC struct {
	Host    *Host
	Name    string
	AltName string
	PermMAC MAC
	Speed   int // Mb/s
	MTU     int
	// Down: no carrier (cable or optic fault).
	Down   bool
	Driver string
	PCI    string
	Port   *Port // cabled switch port
	Bond   *Bond

	// Derived by Resolve.
	IfIndex int
	MAC     MAC // current address
	Slave   *SlaveState
}

// Linux bonding modes.
const (
	ModeRR     = "balance-rr"
	ModeAB     = "active-backup"
	ModeXOR    = "balance-xor"
	ModeBcast  = "broadcast"
	Mode8023AD = "802.3ad"
	ModeTLB    = "balance-tlb"
	ModeALB    = "balance-alb"
)

// Bond is a Linux bond.
type Bond struct {
	Name           string
	Mode           string
	MIIMon         int
	UpDelay        int
	DownDelay      int
	ARPInterval    int
	ARPTargets     []string
	XmitHashPolicy string // default layer2
	LACPRate       string // slow (default) or fast
	ADSelect       string // default stable
	MinLinks       int
	MTU            int
	VLANs          []int // 802.1Q interfaces on the bond (bond0.100)
	Slaves         []*NIC
	Bridge         *Bridge

	// Derived by Resolve.
	IfIndex     int
	MAC         MAC
	ActiveSlave *NIC
	ActiveAgg   int // 0: no active aggregator
	vlanIndex   []int
	host        *Host
}

// SlaveState is what the bonding driver reports about one slave.
type SlaveState struct {
	MIIUp          bool
	LinkFailures   int
	Active         bool // ip-link "state": ACTIVE or BACKUP
	AggID          int
	Actor, Partner LACPInfo
	ActorChurn     string
	PartnerChurn   string
	ActorChurned   int
	PartnerChurned int
}

// Bridge is a Linux bridge with bonds as ports.
type Bridge struct {
	Name    string
	Bonds   []*Bond
	IfIndex int
	MAC     MAC
}

// SwitchSpec describes a switch to create.
type SwitchSpec struct {
	Name   string
	Vendor Vendor
	// ID is a unique number below 4096; MACs (a block of maxPorts per
	// switch) and the management address are derived from it.
	ID int
	// Ports is the number of front ports; Speed and MTU their defaults.
	Ports int
	Speed int
	MTU   int
	// Arista only: ports from UplinkFrom on run at UplinkSpeed.
	UplinkFrom  int
	UplinkSpeed int
	Model       string
	Version     string
	Location    string
}

// NewSwitch adds a switch with spec.Ports ports to the site.
func (s *Site) NewSwitch(spec SwitchSpec) *Switch {
	sw := &Switch{
		Name:         spec.Name,
		Vendor:       spec.Vendor,
		LACPPriority: 32768,
		Contact:      "netops@example.net",
		Location:     spec.Location,
		MgmtIP:       fmt.Sprintf("10.255.%d.%d", spec.ID/250, spec.ID%250+1),
		UptimeTicks:  uint32(123456789 + spec.ID*7919),
		speed:        spec.Speed,
		mtu:          spec.MTU,
	}
	switch spec.Vendor {
	case Arista:
		model, version := orDefault(spec.Model, "DCS-7050SX3-48YC8"), orDefault(spec.Version, "4.31.2F")
		sw.ChassisMAC = MACFromUint64(0x444ca8000000 | uint64(spec.ID)<<12)
		sw.SysDescr = "Arista Networks EOS version " + version + " running on an Arista Networks " + model
		sw.SysObjectID = "1.3.6.1.4.1.30065.1.3011.7050.3741.48"
		if sw.speed == 0 {
			sw.speed = 25000
		}
		if sw.mtu == 0 {
			sw.mtu = 9214
		}
	case CiscoIOS:
		version := orDefault(spec.Version, "15.2(7)E8")
		sw.ChassisMAC = MACFromUint64(0xac7e8a000000 | uint64(spec.ID)<<12)
		sw.SysDescr = "Cisco IOS Software, C2960X Software (C2960X-UNIVERSALK9-M), Version " + version +
			", RELEASE SOFTWARE (fc1)\nTechnical Support: http://www.cisco.com/techsupport\nCopyright (c) 1986-2023 by Cisco Systems, Inc.\nCompiled Fri 17-Mar-23 11:34 by mcpre"
		sw.SysObjectID = "1.3.6.1.4.1.9.1.1208"
		if sw.speed == 0 {
			sw.speed = 1000
		}
		if sw.mtu == 0 {
			sw.mtu = 1500
		}
	}
	for i := 0; i < spec.Ports; i++ {
		p := sw.AddPort()
		if spec.UplinkFrom > 0 && i+1 >= spec.UplinkFrom {
			p.Speed = spec.UplinkSpeed
		}
	}
	s.Switches = append(s.Switches, sw)
	return sw
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

// maxPorts bounds the ports of one switch (its block of port MACs).
const maxPorts = 4000

// AddPort appends the next front port.
func (sw *Switch) AddPort() *Port {
	n := len(sw.Ports) + 1
	p := &Port{Switch: sw, Speed: sw.speed, MTU: sw.mtu, AdminUp: true, PVID: 1}
	switch sw.Vendor {
	case Arista:
		p.IfIndex, p.LLDPPortNum, p.BasePort, p.LACPPortNum = n, n, n, n
		p.Name = "Ethernet" + strconv.Itoa(n)
		p.Descr = p.Name
	case CiscoIOS:
		p.IfIndex, p.LLDPPortNum, p.BasePort, p.LACPPortNum = 10100+n, n, n, 0x100+n
		p.Name = "Gi1/0/" + strconv.Itoa(n)
		p.Descr = "GigabitEthernet1/0/" + strconv.Itoa(n)
	}
	p.MAC = MACFromUint64(macUint(sw.ChassisMAC) + uint64(n))
	sw.Ports = append(sw.Ports, p)
	return p
}

// AddStackPort appends the next front port of stack member (from 1) of a
// CiscoIOS switch: Gi<member>/0/<k> (k counts that member's ports),
// ifIndex 10100+500*(member-1)+k as a Catalyst 2960-X stack numbers them,
// lldpLocPortNum and dot1dBasePort sequential over the whole stack. Ports
// of a stack switch are all added this way (AddPort names member 1's
// ports by the switch's port count).
func (sw *Switch) AddStackPort(member int) *Port {
	if sw.Vendor != CiscoIOS || member < 1 {
		panic("sitegen: AddStackPort needs a CiscoIOS switch and a member from 1")
	}
	n := len(sw.Ports) + 1
	k := 1
	prefix := "Gi" + strconv.Itoa(member) + "/0/"
	for _, p := range sw.Ports {
		if strings.HasPrefix(p.Name, prefix) {
			k++
		}
	}
	p := &Port{Switch: sw, Speed: sw.speed, MTU: sw.mtu, AdminUp: true, PVID: 1}
	p.IfIndex, p.LLDPPortNum, p.BasePort, p.LACPPortNum = 10100+500*(member-1)+k, n, n, 0x100+n
	p.Name = prefix + strconv.Itoa(k)
	p.Descr = "GigabitEthernet" + strconv.Itoa(member) + "/0/" + strconv.Itoa(k)
	p.MAC = MACFromUint64(macUint(sw.ChassisMAC) + uint64(n))
	sw.Ports = append(sw.Ports, p)
	return p
}

func macUint(m MAC) uint64 {
	return uint64(m[0])<<40 | uint64(m[1])<<32 | uint64(m[2])<<24 | uint64(m[3])<<16 | uint64(m[4])<<8 | uint64(m[5])
}

// Port returns the port named name (ifName), or nil.
func (sw *Switch) Port(name string) *Port {
	for _, p := range sw.Ports {
		if p.Name == name {
			return p
		}
	}
	return nil
}

// LACPPort is the LACP port number the switch sends for p.
func (p *Port) LACPPort() int { return p.LACPPortNum + p.Switch.LACPPortOffset }

// AddLAG configures port-channel number over members: LACP ("mode active")
// or static ("mode on"), an MLAG port-channel (shared system ID) or a local
// one. Members take the LAG's PVID.
func (sw *Switch) AddLAG(number int, lacp, mlag bool, pvid int, members ...*Port) *LAG {
	l := &LAG{Switch: sw, Number: number, LACP: lacp, MLAG: mlag, PVID: pvid, Members: members}
	switch sw.Vendor {
	case Arista:
		l.IfIndex = 1000000 + number
		l.Name = "Port-Channel" + strconv.Itoa(number)
		l.Descr = l.Name
		l.BasePort = 50000 + number
	case CiscoIOS:
		l.IfIndex = 5000 + number
		l.Name = "Po" + strconv.Itoa(number)
		l.Descr = "Port-channel" + strconv.Itoa(number)
		l.BasePort = 1000 + number
	}
	if len(members) > 0 {
		l.MAC = members[0].MAC
	}
	for _, m := range members {
		m.LAG = l
		m.PVID = pvid
	}
	sw.LAGs = append(sw.LAGs, l)
	return l
}

// ActorSystem is the LACP system ID the LAG sends.
func (l *LAG) ActorSystem() MAC {
	if l.MLAG && !l.Switch.MLAGSystem.IsZero() {
		return l.Switch.MLAGSystem
	}
	return l.Switch.ChassisMAC
}

// PairMLAG makes a and b an MLAG pair sharing LACP system ID system, with a
// peer-link port-channel (LACP) over the given ports of each, cabled a[i] to
// b[i]. b's LACP port numbers are offset by 1000 (by the next multiple of
// 1000 above a's port count on bigger switches), so that port IDs stay
// unique within the shared system; call it once a has all its ports.
func PairMLAG(a, b *Switch, system MAC, peerLinkNumber int, aPorts, bPorts []*Port) {
	a.MLAGSystem, b.MLAGSystem = system, system
	a.MLAGPeer, b.MLAGPeer = b, a
	b.LACPPortOffset = 1000 * (1 + len(a.Ports)/1000)
	for i := range aPorts {
		CableSwitches(aPorts[i], bPorts[i])
		aPorts[i].Alias, bPorts[i].Alias = "MLAG peer-link", "MLAG peer-link"
	}
	la := a.AddLAG(peerLinkNumber, true, false, 1, aPorts...)
	lb := b.AddLAG(peerLinkNumber, true, false, 1, bPorts...)
	la.PeerLink, lb.PeerLink = true, true
	la.Alias, lb.Alias = "MLAG peer-link", "MLAG peer-link"
}

// CableSwitches connects two switch ports.
func CableSwitches(p, q *Port) {
	p.Peer, q.Peer = q, p
}

// NewHost adds a host.
func (s *Site) NewHost(name string, os OS) *Host {
	h := &Host{Name: name, OS: os}
	s.Hosts = append(s.Hosts, h)
	return h
}

// NICSpec describes a host NIC model.
type NICSpec struct {
	Speed  int
	Driver string
	MaxMTU int
}

// Common NIC models.
var (
	ConnectX25G = NICSpec{Speed: 25000, Driver: "mlx5_core", MaxMTU: 9978}
	I350        = NICSpec{Speed: 1000, Driver: "igb", MaxMTU: 9216}
)

// AddNIC adds a NIC named name with permanent address mac, in PCI slot pci
// (for example "0000:3b:00.0"), optionally cabled to port.
func (h *Host) AddNIC(name string, spec NICSpec, mac MAC, pci string, port *Port) *NIC {
	n := &NIC{Host: h, Name: name, PermMAC: mac, Speed: spec.Speed, MTU: 1500, Driver: spec.Driver, PCI: pci}
	if pci != "" {
		n.AltName = altName(pci, name)
	}
	h.NICs = append(h.NICs, n)
	if port != nil {
		Cable(n, port)
	}
	return n
}

// altName is the systemd path name (enp59s0f0np0) for a NIC in pci.
func altName(pci, name string) string {
	// pci is DDDD:BB:SS.F
	if len(pci) != 12 {
		return ""
	}
	bus, err1 := strconv.ParseUint(pci[5:7], 16, 8)
	slot, err2 := strconv.ParseUint(pci[8:10], 16, 8)
	if err1 != nil || err2 != nil {
		return ""
	}
	s := "enp" + strconv.FormatUint(bus, 10) + "s" + strconv.FormatUint(slot, 10) + "f" + pci[11:]
	if len(name) > 3 && name[len(name)-3:len(name)-1] == "np" {
		s += name[len(name)-3:]
	}
	if s == name {
		return ""
	}
	return s
}

// Cable connects a host NIC to a switch port.
func Cable(n *NIC, p *Port) {
	n.Port, p.NIC = p, n
}

// AddBond enslaves slaves into b and adds it to the host. Empty fields get
// the kernel defaults.
func (h *Host) AddBond(b *Bond, slaves ...*NIC) *Bond {
	if b.XmitHashPolicy == "" {
		b.XmitHashPolicy = "layer2"
	}
	if b.LACPRate == "" {
		b.LACPRate = "slow"
	}
	if b.ADSelect == "" {
		b.ADSelect = "stable"
	}
	if b.MTU == 0 {
		b.MTU = 1500
	}
	b.Slaves = slaves
	b.host = h
	for _, n := range slaves {
		n.Bond = b
		n.MTU = b.MTU
	}
	h.Bonds = append(h.Bonds, b)
	return b
}

// AddBridge adds a Linux bridge with the given bonds as ports.
func (h *Host) AddBridge(name string, bonds ...*Bond) *Bridge {
	br := &Bridge{Name: name, Bonds: bonds}
	for _, b := range bonds {
		b.Bridge = br
	}
	h.Bridges = append(h.Bridges, br)
	return br
}
