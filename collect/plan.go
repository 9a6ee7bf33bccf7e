package collect

import (
	"fmt"
	"os"
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
