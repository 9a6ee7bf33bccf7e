package host

import (
	"fmt"
	json "github.com/goccy/go-json"
	"slices"
	"strconv"
	"strings"

	"github.com/bondaudit/bondaudit/topology"
)

// Links is what `ip -details -json link show` tells about a host.
type Links struct {
	NICs    []topology.NIC
	Bonds   []topology.Bond // parameters from linkinfo info_data; slaves from info_slave_data
	Bridges []topology.Bridge
	VLANs   []topology.VLANIf
}

// flexInt accepts a JSON number, a numeric string, or null.
type flexInt int

func (f *flexInt) UnmarshalJSON(b []byte) error {
	s := strings.Trim(string(b), `"`)
	if s == "null" || s == "" {
		return nil
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return fmt.Errorf("%q is not a number", s)
	}
	*f = flexInt(n)
	return nil
}

// flexString accepts a JSON string, a number, or null (iproute2 prints
// some bond options as names or numbers depending on version).
type flexString string

func (f *flexString) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*f = flexString(s)
		return nil
	}
	*f = flexString(strings.TrimSpace(string(b)))
	return nil
}

type ipLink struct {
	IfName    string      `json:"ifname"`
	Flags     []string    `json:"flags"`
	MTU       flexInt     `json:"mtu"`
	Master    string      `json:"master"`
	Link      string      `json:"link"`
	OperState string      `json:"operstate"`
	LinkType  string      `json:"link_type"`
	Address   string      `json:"address"`
	PermAddr  string      `json:"permaddr"`
	ParentBus string      `json:"parentbus"`
	LinkInfo  *ipLinkInfo `json:"linkinfo"`
}

// ipLinkInfo decodes linkinfo in one pass: info_data holds the fields of
// every kind read here (bond options, the vlan id), which do not collide.
type ipLinkInfo struct {
	InfoKind      string          `json:"info_kind"`
	InfoData      ipBondData      `json:"info_data"`
	InfoSlaveKind string          `json:"info_slave_kind"`
	InfoSlaveData ipBondSlaveData `json:"info_slave_data"`
}

type ipBondData struct {
	Mode           flexString    `json:"mode"`
	MIIMon         flexInt       `json:"miimon"`
	UpDelay        flexInt       `json:"updelay"`
	DownDelay      flexInt       `json:"downdelay"`
	ARPInterval    flexInt       `json:"arp_interval"`
	ARPIPTarget    []string      `json:"arp_ip_target"`
	ARPValidate    flexString    `json:"arp_validate"`
	Primary        string        `json:"primary"`
	ActiveSlave    string        `json:"active_slave"`
	XmitHashPolicy flexString    `json:"xmit_hash_policy"`
	MinLinks       flexInt       `json:"min_links"`
	LACPActive     flexString    `json:"ad_lacp_active"`
	LACPRate       flexString    `json:"ad_lacp_rate"`
	AdSelect       flexString    `json:"ad_select"`
	AdActorSystem  string        `json:"ad_actor_system"`
	AdInfo         *ipBondAdInfo `json:"ad_info"`
	VLANID         flexInt       `json:"id"` // vlan
}

type ipBondAdInfo struct {
	Aggregator flexInt `json:"aggregator"`
	NumPorts   flexInt `json:"num_ports"`
	ActorKey   flexInt `json:"actor_key"`
	PartnerKey flexInt `json:"partner_key"`
	PartnerMAC string  `json:"partner_mac"`
}

type ipBondSlaveData struct {
	State            string   `json:"state"`
	MIIStatus        string   `json:"mii_status"`
	LinkFailureCount flexInt  `json:"link_failure_count"`
	PermHWAddr       string   `json:"perm_hwaddr"`
	QueueID          flexInt  `json:"queue_id"`
	AggregatorID     *flexInt `json:"ad_aggregator_id"`
	ActorState       *flexInt `json:"ad_actor_oper_port_state"`
	PartnerState     *flexInt `json:"ad_partner_oper_port_state"`
}

type ipVLANData struct {
	ID flexInt `json:"id"`
}

// linuxModes maps iproute2's mode names and numbers to mode names.
var linuxModes = map[string]string{
	"balance-rr": topology.ModeBalanceRR, "0": topology.ModeBalanceRR,
	"active-backup": topology.ModeActiveBackup, "1": topology.ModeActiveBackup,
	"balance-xor": topology.ModeBalanceXOR, "2": topology.ModeBalanceXOR,
	"broadcast": topology.ModeBroadcast, "3": topology.ModeBroadcast,
	"802.3ad": topology.Mode8023AD, "4": topology.Mode8023AD,
	"balance-tlb": topology.ModeBalanceTLB, "5": topology.ModeBalanceTLB,
	"balance-alb": topology.ModeBalanceALB, "6": topology.ModeBalanceALB,
}

// lacpRates maps ad_lacp_rate forms.
var lacpRates = map[string]string{"slow": "slow", "0": "slow", "fast": "fast", "1": "fast"}

// ParseIPLinkJSON parses `ip -details -json link show` output.
func ParseIPLinkJSON(data []byte, file string) (*Links, error) {
	var links []ipLink
	if err := json.Unmarshal(data, &links); err != nil {
		return nil, jsonError(file, data, err)
	}
	out := &Links{}
	bonds := map[string]*topology.Bond{}
	var bondOrder []string
	bridges := map[string]*topology.Bridge{}
	var bridgeOrder []string
	getBond := func(name string) *topology.Bond {
		if b, ok := bonds[name]; ok {
			return b
		}
		b := &topology.Bond{Name: name, Kind: topology.BondKindLinux}
		bonds[name] = b
		bondOrder = append(bondOrder, name)
		return b
	}
	getBridge := func(name string) *topology.Bridge {
		if b, ok := bridges[name]; ok {
			return b
		}
		b := &topology.Bridge{Name: name, Kind: "linux"}
		bridges[name] = b
		bridgeOrder = append(bridgeOrder, name)
		return b
	}
	kinds := map[string]string{}
	for _, l := range links {
		if l.LinkInfo != nil {
			kinds[l.IfName] = l.LinkInfo.InfoKind
		}
	}
	for i, l := range links {
		if l.IfName == "" {
			return nil, &ParseError{File: file, Msg: fmt.Sprintf("link %d has no ifname", i)}
		}
		state := strings.ToLower(l.OperState)
		kind := ""
		if l.LinkInfo != nil {
			kind = l.LinkInfo.InfoKind
		}
		switch kind {
		case "bond":
			b := getBond(l.IfName)
			b.MTU, b.MAC, b.State = int(l.MTU), topology.NormalizeMAC(l.Address), state
			b.Source = file
			if l.Master != "" {
				b.Bridge = l.Master
			}
			d := &l.LinkInfo.InfoData
			mode := string(d.Mode)
			if m, ok := linuxModes[mode]; ok {
				mode = m
			}
			b.Mode = mode
			b.MIIMon, b.UpDelay, b.DownDelay, b.ARPInterval = int(d.MIIMon), int(d.UpDelay), int(d.DownDelay), int(d.ARPInterval)
			b.ARPTargets = d.ARPIPTarget
			b.ARPValidate = string(d.ARPValidate)
			b.Primary, b.ActiveSlave = d.Primary, d.ActiveSlave
			b.XmitHashPolicy = string(d.XmitHashPolicy)
			b.MinLinks = int(d.MinLinks)
			if r, ok := lacpRates[string(d.LACPRate)]; ok && b.Mode == topology.Mode8023AD {
				b.LACPRate = r
			}
			if d.LACPActive != "" && b.Mode == topology.Mode8023AD {
				on := d.LACPActive == "on" || d.LACPActive == "1"
				b.LACPActive = &on
			}
			if b.Mode == topology.Mode8023AD {
				b.AdSelect = string(d.AdSelect)
			}
			if m := topology.NormalizeMAC(d.AdActorSystem); m != "" && m != topology.ZeroMAC {
				b.AdActorSystem = m
			}
			if a := d.AdInfo; a != nil {
				b.ActiveAggregator = &topology.Aggregator{ID: int(a.Aggregator), Ports: int(a.NumPorts),
					ActorKey: int(a.ActorKey), PartnerKey: int(a.PartnerKey), PartnerMAC: topology.NormalizeMAC(a.PartnerMAC)}
			}
			continue
		case "bridge":
			getBridge(l.IfName)
			continue
		case "vlan":
			d := ipVLANData{ID: l.LinkInfo.InfoData.VLANID}
			parent := l.Link
			if parent == "" {
				if base, _, ok := strings.Cut(l.IfName, "."); ok {
					parent = base
				}
			}
			out.VLANs = append(out.VLANs, topology.VLANIf{Name: l.IfName, Parent: parent, ID: int(d.ID), MTU: int(l.MTU)})
			if l.Master != "" && kinds[l.Master] == "bridge" {
				br := getBridge(l.Master)
				br.Ports = append(br.Ports, l.IfName)
			}
			continue
		}
		if l.LinkType != "ether" || kind != "" && kind != "bond" {
			// lo, tunnels, veths, dummies and other virtual links are not NICs;
			// a bridge port that is a bond or vlan was handled above.
			if l.Master != "" && kinds[l.Master] == "bridge" {
				br := getBridge(l.Master)
				br.Ports = append(br.Ports, l.IfName)
			}
			continue
		}
		nic := topology.NIC{Name: l.IfName, MAC: topology.NormalizeMAC(l.Address), MTU: int(l.MTU), State: state, Master: l.Master}
		nic.PermMAC = topology.NormalizeMAC(l.PermAddr)
		if l.LinkInfo != nil && l.LinkInfo.InfoSlaveKind == "bond" && l.Master != "" {
			d := &l.LinkInfo.InfoSlaveData
			if nic.PermMAC == "" {
				nic.PermMAC = topology.NormalizeMAC(d.PermHWAddr)
			}
			s := topology.Slave{Name: l.IfName, MIIStatus: strings.ToLower(d.MIIStatus), LinkFailures: int(d.LinkFailureCount),
				PermMAC: nic.PermMAC, QueueID: int(d.QueueID), Source: file}
			if d.AggregatorID != nil {
				s.AggregatorID = int(*d.AggregatorID)
			}
			if d.ActorState != nil {
				s.Actor = &topology.LACPPort{State: uint8(*d.ActorState), StateKnown: true}
			}
			if d.PartnerState != nil {
				s.Partner = &topology.LACPPort{State: uint8(*d.PartnerState), StateKnown: true}
			}
			b := getBond(l.Master)
			b.Slaves = append(b.Slaves, s)
		} else if nic.PermMAC == "" && l.Master == "" {
			nic.PermMAC = nic.MAC
		}
		if l.Master != "" && kinds[l.Master] == "bridge" {
			br := getBridge(l.Master)
			br.Ports = append(br.Ports, l.IfName)
		}
		out.NICs = append(out.NICs, nic)
	}
	for _, name := range bondOrder {
		b := bonds[name]
		if b.Mode == "" && b.Source == "" {
			// slaves of a master that is not listed as a bond
			b.Source = file
		}
		if b.Bridge != "" {
			br := getBridge(b.Bridge)
			if !slices.Contains(br.Ports, name) {
				br.Ports = append(br.Ports, name)
			}
		}
		out.Bonds = append(out.Bonds, *b)
	}
	for _, name := range bridgeOrder {
		br := bridges[name]
		slices.Sort(br.Ports)
		out.Bridges = append(out.Bridges, *br)
	}
	slices.SortFunc(out.NICs, func(a, b topology.NIC) int { return strings.Compare(a.Name, b.Name) })
	slices.SortFunc(out.Bonds, func(a, b topology.Bond) int { return strings.Compare(a.Name, b.Name) })
	slices.SortFunc(out.VLANs, func(a, b topology.VLANIf) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}

// jsonError turns a JSON decoding error into a ParseError with the line.
func jsonError(file string, data []byte, err error) error {
	var off int64 = -1
	switch e := err.(type) {
	case *json.SyntaxError:
		off = e.Offset
	case *json.UnmarshalTypeError:
		off = e.Offset
	}
	if off < 0 {
		return &ParseError{File: file, Msg: fmt.Sprintf("invalid JSON: %v", err)}
	}
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	line := 1 + strings.Count(string(data[:off]), "\n")
	msg := fmt.Sprintf("invalid JSON: %v", err)
	if err.Error() == "unexpected end of JSON input" || off == int64(len(data)) {
		msg = "invalid JSON: file ends early (truncated?)"
	}
	return &ParseError{File: file, Line: line, Msg: msg}
}
