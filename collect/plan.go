package collect

import (
	"fmt"
	"net/netip"
	"os"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/bondaudit/bondaudit/internal/yamlfile"
	"github.com/bondaudit/bondaudit/topology"
)

// planChange is one kind of change as a plan file writes it: its keys are
// the yaml tags; change checks what decoding cannot (required keys, the
// SWITCH:PORT form) and gives the topology change. kind is the node of the
// kind's key, where problems of the whole change are placed.
type planChange interface {
	change(f *yamlfile.File, kind *yaml.Node) topology.Change
}

// planKinds are the changes a plan may list, in the order messages name them.
var planKinds = []struct {
	name string
	new  func() planChange
}{
	{"move_cable", func() planChange { return new(moveCableFile) }},
	{"bond_mode", func() planChange { return new(bondModeFile) }},
	{"lag_add", func() planChange { return &lagFile{add: true} }},
	{"lag_remove", func() planChange { return new(lagRemoveFile) }},
	{"vlans", func() planChange { return new(vlansFile) }},
	{"bond_params", func() planChange { return new(bondParamsFile) }},
	{"lag_kind", func() planChange { return new(lagKindFile) }},
	{"mlag", func() planChange { return new(mlagFile) }},
	{"mtu", func() planChange { return new(mtuFile) }},
}

func planKindNames() string {
	var ns []string
	for _, k := range planKinds {
		ns = append(ns, k.name)
	}
	return strings.Join(ns, ", ")
}

// LoadPlan reads a plan file (YAML) for whatif --plan: `changes:`, a list
// of one-key mappings, each one of the plan kinds. Strict: unknown keys,
// missing keys and values that are not what their key takes are errors
// naming the file, the line and what is allowed.
func LoadPlan(path string) ([]topology.Change, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return ParsePlan(b, path)
}

// ParsePlan is LoadPlan on bytes; source names them in messages.
func ParsePlan(b []byte, source string) ([]topology.Change, error) {
	f := &yamlfile.File{Source: source}
	root, err := f.Parse(b)
	if err != nil {
		return nil, err
	}
	if root == nil || root.Kind != yaml.MappingNode || len(root.Content) != 2 || root.Content[0].Value != "changes" {
		return nil, fmt.Errorf("%s: a plan is `changes:` followed by a list of %s", source, planKindNames())
	}
	items := root.Content[1]
	if items.Kind != yaml.SequenceNode {
		return nil, fmt.Errorf("%s:%d: changes: want a list", source, items.Line)
	}
	var out []topology.Change
	for _, item := range items.Content {
		if item.Kind != yaml.MappingNode || len(item.Content) != 2 {
			f.Errorf(item, "a change is one of %s", planKindNames())
			continue
		}
		kind, body := item.Content[0], item.Content[1]
		var pc planChange
		for _, k := range planKinds {
			if k.name == kind.Value {
				pc = k.new()
			}
		}
		if pc == nil {
			f.Errorf(kind, "unknown change %q; allowed: %s", kind.Value, planKindNames())
			continue
		}
		if body.Kind != yaml.MappingNode {
			f.Errorf(body, "%s: want a mapping of %s", kind.Value, yamlfile.AllowedKeys(pc))
			continue
		}
		f.Mapping(body, pc, yamlfile.Keys{Label: kind.Value + ": ", Unknown: func(key, allowed string) string {
			return fmt.Sprintf("%s: unknown key %q; allowed: %s", kind.Value, key, allowed)
		}})
		out = append(out, pc.change(f, kind))
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// required reports the keys of a change left out (or empty).
func required(f *yamlfile.File, kind *yaml.Node, kv ...string) {
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == "" {
			f.Errorf(kind, "%s: %s is required", kind.Value, kv[i])
		}
	}
}

type moveCableFile struct {
	Host string `yaml:"host"`
	NIC  string `yaml:"nic"`
	To   string `yaml:"to"`
}

func (m *moveCableFile) change(f *yamlfile.File, kind *yaml.Node) topology.Change {
	required(f, kind, "to", m.To)
	sw, port, ok := strings.Cut(m.To, ":")
	if m.To != "" && (!ok || sw == "" || port == "") {
		f.Errorf(kind, "move_cable: to: want SWITCH:PORT")
	}
	required(f, kind, "host", m.Host, "nic", m.NIC)
	return topology.Change{MoveCable: &topology.MoveCable{Host: m.Host, NIC: m.NIC, Switch: sw, Port: port}}
}

type bondModeFile struct {
	Host string `yaml:"host"`
	Bond string `yaml:"bond"`
	Mode string `yaml:"mode"`
}

func (b *bondModeFile) change(f *yamlfile.File, kind *yaml.Node) topology.Change {
	required(f, kind, "host", b.Host, "bond", b.Bond, "mode", b.Mode)
	return topology.Change{BondMode: &topology.BondModeChange{Host: b.Host, Bond: b.Bond, Mode: topology.BondMode(b.Mode)}}
}

// lagFile is lag_add: ports join a LAG, created with kind lacp or static
// when missing (topology.ApplyPlan checks the kind against the switch).
type lagFile struct {
	Switch string   `yaml:"switch"`
	LAG    string   `yaml:"lag"`
	Kind   string   `yaml:"kind"`
	Ports  []string `yaml:"ports"`
	add    bool
}

func (l *lagFile) change(f *yamlfile.File, kind *yaml.Node) topology.Change {
	required(f, kind, "switch", l.Switch, "lag", l.LAG)
	lc := &topology.LAGChange{Switch: l.Switch, LAG: l.LAG, Kind: topology.LAGKind(l.Kind), Ports: l.Ports}
	if l.add {
		return topology.Change{LAGAdd: lc}
	}
	return topology.Change{LAGRemove: lc}
}

// lagRemoveFile is lag_remove: ports leave a LAG (no kind).
type lagRemoveFile struct {
	Switch string   `yaml:"switch"`
	LAG    string   `yaml:"lag"`
	Ports  []string `yaml:"ports"`
}

func (l *lagRemoveFile) change(f *yamlfile.File, kind *yaml.Node) topology.Change {
	return (&lagFile{Switch: l.Switch, LAG: l.LAG, Ports: l.Ports}).change(f, kind)
}

type vlansFile struct {
	Switch string   `yaml:"switch"`
	Port   string   `yaml:"port"`
	PVID   vlanID   `yaml:"pvid"`
	Tagged vlanList `yaml:"tagged"`
}

func (v *vlansFile) change(f *yamlfile.File, kind *yaml.Node) topology.Change {
	required(f, kind, "switch", v.Switch, "port", v.Port)
	return topology.Change{VLANs: &topology.VLANChange{Switch: v.Switch, Port: v.Port, PVID: int(v.PVID), Tagged: []int(v.Tagged)}}
}

// vlanID is a VLAN number, 1 to 4094.
type vlanID int

func parseVLAN(n *yaml.Node) (int, bool) {
	x, err := strconv.Atoi(n.Value)
	return x, n.Kind == yaml.ScalarNode && err == nil && x >= 1 && x <= 4094
}

func (v *vlanID) DecodeYAML(f *yamlfile.File, n *yaml.Node, label string) {
	x, ok := parseVLAN(n)
	if !ok {
		f.Errorf(n, "%s: want a VLAN number from 1 to 4094, got %q", label, n.Value)
		return
	}
	*v = vlanID(x)
}

// vlanList is a list of VLAN numbers.
type vlanList []int

func (v *vlanList) DecodeYAML(f *yamlfile.File, n *yaml.Node, label string) {
	if n.Kind != yaml.SequenceNode {
		f.Errorf(n, "%s: want a list of VLAN numbers", label)
		return
	}
	for _, x := range n.Content {
		id, ok := parseVLAN(x)
		if !ok {
			f.Errorf(x, "vlans: tagged %q is not a VLAN number (1 to 4094)", x.Value)
			continue
		}
		*v = append(*v, id)
	}
}

// bondParamsFile is bond_params: a bond's parameters set; the keys left
// out stay as they are, and at least one must be given.
type bondParamsFile struct {
	Host           string      `yaml:"host"`
	Bond           string      `yaml:"bond"`
	Miimon         *msInterval `yaml:"miimon"`
	LACPRate       oneOf       `yaml:"lacp_rate"`
	XmitHashPolicy oneOf       `yaml:"xmit_hash_policy"`
	ARPInterval    *msInterval `yaml:"arp_interval"`
	ARPIPTargets   addrList    `yaml:"arp_ip_targets"`
}

// LACPRates and XmitHashPolicies are the values bond_params takes.
var (
	LACPRates        = []string{"slow", "fast"}
	XmitHashPolicies = []string{"layer2", "layer2+3", "layer3+4", "encap2+3", "encap3+4"}
)

func (b *bondParamsFile) change(f *yamlfile.File, kind *yaml.Node) topology.Change {
	required(f, kind, "host", b.Host, "bond", b.Bond)
	b.LACPRate.check(f, "bond_params: lacp_rate", LACPRates)
	b.XmitHashPolicy.check(f, "bond_params: xmit_hash_policy", XmitHashPolicies)
	if b.Miimon == nil && b.ARPInterval == nil && b.LACPRate.v == "" && b.XmitHashPolicy.v == "" && b.ARPIPTargets == nil {
		f.Errorf(kind, "bond_params: set at least one of miimon, lacp_rate, xmit_hash_policy, arp_interval, arp_ip_targets")
	}
	c := &topology.BondParamsChange{Host: b.Host, Bond: b.Bond, LACPRate: b.LACPRate.v, XmitHashPolicy: b.XmitHashPolicy.v, ARPIPTargets: []string(b.ARPIPTargets)}
	if b.Miimon != nil {
		c.Miimon = new(int(*b.Miimon))
	}
	if b.ARPInterval != nil {
		c.ARPInterval = new(int(*b.ARPInterval))
	}
	return topology.Change{BondParams: c}
}

// lagKindFile is lag_kind: a LAG made static or LACP.
type lagKindFile struct {
	Switch string `yaml:"switch"`
	LAG    string `yaml:"lag"`
	Kind   oneOf  `yaml:"kind"`
}

func (l *lagKindFile) change(f *yamlfile.File, kind *yaml.Node) topology.Change {
	required(f, kind, "switch", l.Switch, "lag", l.LAG, "kind", l.Kind.v)
	l.Kind.check(f, "lag_kind: kind", []string{string(topology.LAGLACP), string(topology.LAGStatic)})
	return topology.Change{LAGKind: &topology.LAGKindChange{Switch: l.Switch, LAG: l.LAG, Kind: topology.LAGKind(l.Kind.v)}}
}

// mlagFile is mlag: a LAG's MLAG/vPC ID set (0: not multi-chassis).
type mlagFile struct {
	Switch string  `yaml:"switch"`
	LAG    string  `yaml:"lag"`
	MLAGID *mlagID `yaml:"mlag_id"`
}

func (m *mlagFile) change(f *yamlfile.File, kind *yaml.Node) topology.Change {
	required(f, kind, "switch", m.Switch, "lag", m.LAG)
	id := 0
	if m.MLAGID == nil {
		f.Errorf(kind, "mlag: mlag_id is required (0 takes the LAG out of the MLAG)")
	} else {
		id = int(*m.MLAGID)
	}
	return topology.Change{MLAG: &topology.MLAGChange{Switch: m.Switch, LAG: m.LAG, MLAGID: id}}
}

// mtuFile is mtu: the MTU of a host's NIC or bond (host, nic) or of a
// switch port or port-channel (switch, port): one of the two.
type mtuFile struct {
	Host   string   `yaml:"host"`
	NIC    string   `yaml:"nic"`
	Switch string   `yaml:"switch"`
	Port   string   `yaml:"port"`
	MTU    *mtuSize `yaml:"mtu"`
}

func (m *mtuFile) change(f *yamlfile.File, kind *yaml.Node) topology.Change {
	host, sw := m.Host != "" || m.NIC != "", m.Switch != "" || m.Port != ""
	switch {
	case host && sw:
		f.Errorf(kind, "mtu: give host and nic, or switch and port, not both")
	case host:
		required(f, kind, "host", m.Host, "nic", m.NIC)
	case sw:
		required(f, kind, "switch", m.Switch, "port", m.Port)
	default:
		f.Errorf(kind, "mtu: give host and nic, or switch and port")
	}
	v := 0
	if m.MTU == nil {
		f.Errorf(kind, "mtu: mtu is required")
	} else {
		v = int(*m.MTU)
	}
	return topology.Change{MTU: &topology.MTUChange{Host: m.Host, NIC: m.NIC, Switch: m.Switch, Port: m.Port, MTU: v}}
}

// intIn decodes a whole number from lo to hi, or reports what is wanted.
func intIn(f *yamlfile.File, n *yaml.Node, label, what string, lo, hi int) (int, bool) {
	x, err := strconv.Atoi(n.Value)
	if n.Kind != yaml.ScalarNode || err != nil || x < lo || x > hi {
		f.Errorf(n, "%s: want %s from %d to %d, got %q", label, what, lo, hi, n.Value)
		return 0, false
	}
	return x, true
}

// msInterval is a bond monitoring interval in milliseconds (0: off).
type msInterval int

func (v *msInterval) DecodeYAML(f *yamlfile.File, n *yaml.Node, label string) {
	if x, ok := intIn(f, n, label, "milliseconds", 0, 1<<31-1); ok {
		*v = msInterval(x)
	}
}

// mlagID is an MLAG/vPC ID (0: not multi-chassis).
type mlagID int

func (v *mlagID) DecodeYAML(f *yamlfile.File, n *yaml.Node, label string) {
	if x, ok := intIn(f, n, label, "an MLAG ID", 0, 1<<31-1); ok {
		*v = mlagID(x)
	}
}

// mtuSize is an MTU in bytes.
type mtuSize int

func (v *mtuSize) DecodeYAML(f *yamlfile.File, n *yaml.Node, label string) {
	if x, ok := intIn(f, n, label, "an MTU", 68, 65535); ok {
		*v = mtuSize(x)
	}
}

// oneOf is a single value checked against a list by check.
type oneOf struct {
	v string
	n *yaml.Node
}

func (o *oneOf) DecodeYAML(f *yamlfile.File, n *yaml.Node, label string) {
	if n.Kind != yaml.ScalarNode {
		f.Errorf(n, "%s: want a single value", label)
		return
	}
	o.v, o.n = n.Value, n
}

func (o *oneOf) check(f *yamlfile.File, label string, allowed []string) {
	if o.n != nil && !slices.Contains(allowed, o.v) {
		f.Errorf(o.n, "%s: want one of %s, got %q", label, strings.Join(allowed, ", "), o.v)
	}
}

// addrList is arp_ip_targets: a list of IPv4 addresses that replaces the
// bond's (an empty list clears it: non-nil once the key is given).
type addrList []string

func (a *addrList) DecodeYAML(f *yamlfile.File, n *yaml.Node, label string) {
	if n.Kind != yaml.SequenceNode {
		f.Errorf(n, "%s: want a list of IPv4 addresses", label)
		return
	}
	*a = addrList{}
	for _, x := range n.Content {
		ip, err := netip.ParseAddr(x.Value)
		if x.Kind != yaml.ScalarNode || err != nil || !ip.Is4() {
			f.Errorf(x, "%s: %q is not an IPv4 address", label, x.Value)
			continue
		}
		*a = append(*a, ip.String())
	}
}
