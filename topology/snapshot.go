// Package topology is bondaudit's shared vocabulary and its join.
//
// It holds the snapshot types (facts as observed on hosts and switches, each
// with where it came from), JSON load/save with a schema version, and Build,
// which joins snapshots into a Model backed by a gonum multigraph.
//
// It imports only the standard library and gonum: no collector, vendor or rule
// code, so every consumer can be tested from a hand-written snapshot.
package topology

// Schema versions written into and required from snapshot JSON.
const (
	HostSchema   = "bondaudit.host/v1"
	SwitchSchema = "bondaudit.switch/v1"
)

// Host is one Linux host as observed: its NICs, bonds, bridges, VLAN
// interfaces and the neighbours its NICs hear (LLDP/CDP/LACPDU).
type Host struct {
	Schema string `json:"schema,omitempty"`
	Name   string `json:"name"`
	// Source says where the facts came from (a capture folder, a snapshot
	// file, "netlink"); used in evidence.
	Source     string      `json:"source,omitempty"`
	Collected  string      `json:"collected,omitempty"` // RFC3339, when known
	Kernel     string      `json:"kernel,omitempty"`
	NICs       []NIC       `json:"nics,omitempty"`
	Bonds      []Bond      `json:"bonds,omitempty"`
	Bridges    []Bridge    `json:"bridges,omitempty"`
	VLANs      []VLANIf    `json:"vlans,omitempty"`
	Neighbours []Neighbour `json:"neighbours,omitempty"`
	// Problems are reading errors that did not stop the rest: what could not
	// be checked and why, naming file and line.
	Problems []string `json:"problems,omitempty"`
	// Unreachable is set when the host could not be collected at all
	// (collect hosts: refused, timed out, authentication, host key);
	// Error says why.
	Unreachable bool   `json:"unreachable,omitempty"`
	Error       string `json:"error,omitempty"`
}

// NIC is a physical (or virtual) Ethernet interface.
type NIC struct {
	Name    string    `json:"name"`
	MAC     string    `json:"mac,omitempty"`      // current address (a bond slave carries the bond's)
	PermMAC string    `json:"perm_mac,omitempty"` // permanent address: the key for joins
	Speed   int       `json:"speed,omitempty"`    // Mb/s, 0 = unknown
	Duplex  Duplex    `json:"duplex,omitempty"`   // full, half, or "" unknown
	MTU     int       `json:"mtu,omitempty"`
	State   LinkState `json:"state,omitempty"` // up, down, unknown
	Driver  string    `json:"driver,omitempty"`
	Master  string    `json:"master,omitempty"` // bond or bridge this NIC is enslaved to
	// LLDPBlind is set when the NIC is known to consume LLDP in firmware, so
	// "no neighbour" means "cannot see", not "nothing there".
	LLDPBlind bool `json:"lldp_blind,omitempty"`
}

// Bond kinds.
const (
	BondKindLinux = "bonding"
	BondKindOVS   = "ovs"
	BondKindTeam  = "team"
)

// Linux bonding modes as the kernel names them.
const (
	ModeBalanceRR    BondMode = "balance-rr"
	ModeActiveBackup BondMode = "active-backup"
	ModeBalanceXOR   BondMode = "balance-xor"
	ModeBroadcast    BondMode = "broadcast"
	Mode8023AD       BondMode = "802.3ad"
	ModeBalanceTLB   BondMode = "balance-tlb"
	ModeBalanceALB   BondMode = "balance-alb"
)

// Bond is a Linux bond (or an OVS bond / teamd team mapped onto the same
// vocabulary). Durations are milliseconds. Zero values mean "not set" where
// the kernel's default is zero, which it is for all of these.
type Bond struct {
	Name string `json:"name"`
	Kind string `json:"kind,omitempty"` // bonding (default), ovs, team
	// Mode is the kernel's mode name (802.3ad, active-backup, …) or, for OVS
	// and teamd, their own name (balance-tcp, lacp, activebackup, …).
	Mode           BondMode  `json:"mode"`
	MIIMon         int       `json:"miimon"`
	UpDelay        int       `json:"updelay,omitempty"`
	DownDelay      int       `json:"downdelay,omitempty"`
	ARPInterval    int       `json:"arp_interval,omitempty"`
	ARPTargets     []string  `json:"arp_ip_target,omitempty"`
	ARPValidate    string    `json:"arp_validate,omitempty"`
	Primary        string    `json:"primary,omitempty"`
	ActiveSlave    string    `json:"active_slave,omitempty"`
	LACPRate       string    `json:"lacp_rate,omitempty"` // slow, fast
	LACPActive     *bool     `json:"lacp_active,omitempty"`
	AdSelect       string    `json:"ad_select,omitempty"`
	XmitHashPolicy string    `json:"xmit_hash_policy,omitempty"`
	MinLinks       int       `json:"min_links,omitempty"`
	MTU            int       `json:"mtu,omitempty"`
	MAC            string    `json:"mac,omitempty"`
	State          LinkState `json:"state,omitempty"`
	// AdActorSystem is the LACP system ID the bond sends (ad_actor_system, or
	// the bond MAC when unset).
	AdActorSystem string `json:"ad_actor_system,omitempty"`
	// ActiveAggregator is the 802.3ad aggregator the bond transmits on.
	ActiveAggregator *Aggregator `json:"active_aggregator,omitempty"`
	// Bridge is the Linux or OVS bridge this bond is a port of, if any.
	Bridge string  `json:"bridge,omitempty"`
	Slaves []Slave `json:"slaves,omitempty"`
	Source string  `json:"source,omitempty"`
}

// Aggregator is an 802.3ad aggregator as /proc/net/bonding reports it.
type Aggregator struct {
	ID         int    `json:"id"`
	Ports      int    `json:"ports,omitempty"`
	ActorKey   int    `json:"actor_key,omitempty"`
	PartnerKey int    `json:"partner_key,omitempty"`
	PartnerMAC string `json:"partner_mac,omitempty"`
	NoneActive bool   `json:"none_active,omitempty"` // "bond has no active aggregator"
}

// Slave is one member of a bond, with what the bond driver reports about it.
type Slave struct {
	Name         string    `json:"name"`
	MIIStatus    LinkState `json:"mii_status,omitempty"` // up, down, going back, …
	Speed        int       `json:"speed,omitempty"`      // Mb/s, 0 unknown
	Duplex       Duplex    `json:"duplex,omitempty"`
	LinkFailures int       `json:"link_failures,omitempty"`
	PermMAC      string    `json:"perm_mac,omitempty"`
	QueueID      int       `json:"queue_id,omitempty"`
	// AggregatorID is the 802.3ad aggregator this slave is attached to (0 = unknown/none).
	AggregatorID int       `json:"aggregator_id,omitempty"`
	Actor        *LACPPort `json:"actor,omitempty"`
	Partner      *LACPPort `json:"partner,omitempty"`
	ActorChurn   string    `json:"actor_churn,omitempty"`   // none, monitoring, churned
	PartnerChurn string    `json:"partner_churn,omitempty"` // none, monitoring, churned
	Source       string    `json:"source,omitempty"`
}

// LACPPort is one end of an LACP link: system, key, port and the state bits
// in LACPDU order (bit 0 = activity … bit 7 = expired).
type LACPPort struct {
	SystemPriority int       `json:"system_priority,omitempty"`
	System         string    `json:"system"` // MAC, lower-case colon form
	Key            int       `json:"key"`
	PortPriority   int       `json:"port_priority,omitempty"`
	Port           int       `json:"port"`
	State          LACPState `json:"state"`
	// StateKnown is false when the source did not report the state byte.
	StateKnown bool `json:"state_known,omitempty"`
}

// LACP state bits in LACPDU (and /proc/net/bonding) order.
const (
	LACPActivity     LACPState = 1 << 0
	LACPTimeout      LACPState = 1 << 1
	LACPAggregation  LACPState = 1 << 2
	LACPSync         LACPState = 1 << 3
	LACPCollecting   LACPState = 1 << 4
	LACPDistributing LACPState = 1 << 5
	LACPDefaulted    LACPState = 1 << 6
	LACPExpired      LACPState = 1 << 7
)

// Bridge is a Linux or OVS bridge and the interfaces enslaved to it.
type Bridge struct {
	Name  string   `json:"name"`
	Kind  string   `json:"kind,omitempty"` // linux, ovs
	Ports []string `json:"ports,omitempty"`
}

// VLANIf is an 802.1Q sub-interface such as bond0.100.
type VLANIf struct {
	Name   string `json:"name"`
	Parent string `json:"parent"`
	ID     int    `json:"id"`
	MTU    int    `json:"mtu,omitempty"`
}

// Neighbour protocols.
const (
	ProtoLLDP Protocol = "lldp"
	ProtoCDP  Protocol = "cdp"
	ProtoLACP Protocol = "lacp" // an LACPDU heard on a host NIC
)

// Chassis/port ID subtypes, normalised across LLDP-MIB, lldpd and the wire.
const (
	IDChassisComponent = "chassis-component"
	IDIfAlias          = "ifalias"
	IDPortComponent    = "port-component"
	IDMAC              = "mac"
	IDNetwork          = "network"
	IDIfName           = "ifname"
	IDAgentCircuit     = "agent-circuit"
	IDLocal            = "local"
)

// Neighbour is a device heard on a local port (a host NIC or a switch port).
type Neighbour struct {
	LocalPort        string   `json:"port"`
	Protocol         Protocol `json:"protocol"`
	ChassisIDSubtype string   `json:"chassis_id_subtype,omitempty"`
	// ChassisID: a MAC in lower-case colon form when the subtype is mac,
	// otherwise as sent.
	ChassisID     string   `json:"chassis_id,omitempty"`
	PortIDSubtype string   `json:"port_id_subtype,omitempty"`
	PortID        string   `json:"port_id,omitempty"`
	PortDescr     string   `json:"port_descr,omitempty"`
	SystemName    string   `json:"system_name,omitempty"`
	SystemDescr   string   `json:"system_descr,omitempty"`
	MgmtAddrs     []string `json:"mgmt_addrs,omitempty"`
	PVID          int      `json:"pvid,omitempty"`
	VLANs         []int    `json:"vlans,omitempty"`
	MaxFrameSize  int      `json:"max_frame_size,omitempty"`
	// LinkAgg is the LLDP link-aggregation TLV (802.1 or 802.3 form).
	LinkAgg *LinkAgg `json:"link_agg,omitempty"`
	// LACP is set for Protocol lacp: the actor info of the LACPDU heard.
	LACP *LACPPort `json:"lacp,omitempty"`
	// LocalPortUnlisted: LocalPort is a port the device names (in its LLDP
	// local port table) but IF-MIB does not list, such as AOS-CX's
	// out-of-band "mgmt" port; the switch has no Port of that name. Such a
	// neighbour is never joined to a host; it can tie two switches into one
	// MLAG domain (a VSX keepalive link, see Build).
	LocalPortUnlisted bool   `json:"local_port_unlisted,omitempty"`
	Source            string `json:"source,omitempty"`
}

// LinkAgg is the content of an LLDP link-aggregation TLV.
type LinkAgg struct {
	Capable bool `json:"capable"`
	Enabled bool `json:"enabled"`
	PortID  int  `json:"port_id,omitempty"` // aggregated port ifIndex, 0 = none
}

// Switch is one switch as observed over SNMP or read from a walk.
type Switch struct {
	Schema      string `json:"schema,omitempty"`
	Name        string `json:"name"`
	Source      string `json:"source,omitempty"`
	Collected   string `json:"collected,omitempty"`
	Vendor      string `json:"vendor,omitempty"` // profile family: arista, cisco-ios, junos, …
	Model       string `json:"model,omitempty"`
	SysObjectID string `json:"sys_object_id,omitempty"`
	SysDescr    string `json:"sys_descr,omitempty"`
	// ChassisID is the LLDP local chassis ID (a MAC in colon form when subtype mac).
	ChassisID        string `json:"chassis_id,omitempty"`
	ChassisIDSubtype string `json:"chassis_id_subtype,omitempty"`
	// BaseMAC is the bridge base address (dot1dBaseBridgeAddress).
	BaseMAC    string      `json:"base_mac,omitempty"`
	Ports      []Port      `json:"ports,omitempty"`
	LAGs       []LAG       `json:"lags,omitempty"`
	Neighbours []Neighbour `json:"neighbours,omitempty"`
	FDB        []FDBEntry  `json:"fdb,omitempty"`
	MLAG       *MLAG       `json:"mlag,omitempty"`
	// STPForwardDelay is the spanning-tree forward delay in use, in
	// milliseconds (BRIDGE-MIB dot1dStpForwardDelay); 0 = unknown.
	STPForwardDelay int `json:"stp_forward_delay_ms,omitempty"`
	// VLANsKnown is set when the switch reported VLAN membership (egress
	// port lists), so a port without a VLAN really carries none.
	VLANsKnown bool `json:"vlans_known,omitempty"`
	// VLANSource names the MIB(s) the ports' VLAN membership was read from
	// (Q-BRIDGE-MIB, or a vendor's such as CISCO-VTP-MIB), for evidence.
	VLANSource string `json:"vlan_source,omitempty"`
	// Unreachable is set when the switch could not be read at all; Error says why.
	Unreachable bool     `json:"unreachable,omitempty"`
	Error       string   `json:"error,omitempty"`
	Problems    []string `json:"problems,omitempty"`
}

// Port is a switch interface. Name is ifName, falling back to ifDescr.
type Port struct {
	Name    string `json:"name"`
	IfIndex int    `json:"ifindex,omitempty"`
	Descr   string `json:"descr,omitempty"`
	Alias   string `json:"alias,omitempty"`
	// Type: ethernet, lag, vlan, other (from ifType).
	Type  string    `json:"type,omitempty"`
	MAC   string    `json:"mac,omitempty"`
	Speed int       `json:"speed,omitempty"` // Mb/s
	MTU   int       `json:"mtu,omitempty"`
	Admin LinkState `json:"admin,omitempty"` // up, down
	Oper  LinkState `json:"oper,omitempty"`  // up, down, lowerLayerDown, notPresent, …
	// LLDPPortNum is lldpLocPortNum when it differs from IfIndex.
	LLDPPortNum int `json:"lldp_port_num,omitempty"`
	// LLDPPortID is what this switch sends as its LLDP port ID for the port.
	LLDPPortID string `json:"lldp_port_id,omitempty"`
	// VLAN membership (Q-BRIDGE-MIB or vendor MIBs). PVID 0 = unknown.
	PVID     int   `json:"pvid,omitempty"`
	Untagged []int `json:"untagged,omitempty"`
	Tagged   []int `json:"tagged,omitempty"`
	// LACP is the port's IEEE8023-LAG-MIB (or vendor) aggregation state.
	LACP *PortLACP `json:"lacp,omitempty"`
	// Edge is the STP edge/portfast state when known.
	Edge *bool `json:"edge,omitempty"`
	// Module is the stack member or line card number when known.
	Module int `json:"module,omitempty"`
}

// PortLACP is a switch port's view of LACP (dot3adAggPortTable or vendor MIB).
type PortLACP struct {
	Mode    string    `json:"mode,omitempty"` // active, passive, on, desirable, auto, …
	Actor   *LACPPort `json:"actor,omitempty"`
	Partner *LACPPort `json:"partner,omitempty"`
	// SelectedAgg / AttachedAgg are aggregator ifIndexes (0 = none).
	SelectedAgg int `json:"selected_agg,omitempty"`
	AttachedAgg int `json:"attached_agg,omitempty"`
	// Status as the switch reports it: bundled, suspended, individual,
	// standby, defaulted, down, or "" unknown.
	Status   string   `json:"status,omitempty"`
	Evidence []string `json:"evidence,omitempty"`
}

// LAG kinds.
const (
	LAGLACP    LAGKind = "lacp"
	LAGStatic  LAGKind = "static"
	LAGUnknown LAGKind = "unknown"
)

// LAG is a port-channel / bundle / trunk on one switch.
type LAG struct {
	Name    string   `json:"name"`
	IfIndex int      `json:"ifindex,omitempty"`
	Kind    LAGKind  `json:"kind"` // lacp, static, unknown
	Members []string `json:"members"`
	// ActorSystem/ActorKey are the LACP system ID and key this LAG sends.
	ActorSystem string    `json:"actor_system,omitempty"`
	ActorKey    int       `json:"actor_key,omitempty"`
	Oper        LinkState `json:"oper,omitempty"`
	// MLAG names the MLAG/vPC/VLT domain or peer when this LAG is multi-chassis.
	MLAG     string   `json:"mlag,omitempty"`
	MLAGID   int      `json:"mlag_id,omitempty"`
	PeerLink bool     `json:"peer_link,omitempty"`
	Evidence []string `json:"evidence,omitempty"`
}

// FDBEntry is one learned MAC address.
type FDBEntry struct {
	MAC  string `json:"mac"`
	VLAN int    `json:"vlan,omitempty"`
	Port string `json:"port"`
}

// MLAG is a switch's membership in an MLAG/vPC/VLT/VSX domain or stack.
type MLAG struct {
	Kind     string `json:"kind,omitempty"` // mlag, vpc, vlt, vsx, stack, mc-lag
	Domain   string `json:"domain,omitempty"`
	Peer     string `json:"peer,omitempty"`      // peer switch name or address
	PeerLink string `json:"peer_link,omitempty"` // local LAG name of the peer link
	// PeerLinkUp is nil when unknown.
	PeerLinkUp *bool    `json:"peer_link_up,omitempty"`
	SystemID   string   `json:"system_id,omitempty"` // shared LACP system ID
	Role       string   `json:"role,omitempty"`
	Evidence   []string `json:"evidence,omitempty"`
}
