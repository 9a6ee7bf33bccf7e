package render

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/bondaudit/bondaudit/internal/golden"
	"github.com/bondaudit/bondaudit/topology"
)

func ip(n int) *int { return &n }

// cases are the golden changes: every Change kind, and the variants that
// render differently (LACP or static, trunk or access, add or remove an
// MLAG, host or switch MTU).
var cases = []struct {
	name string
	c    topology.Change
}{
	{"move_cable", topology.Change{MoveCable: &topology.MoveCable{Host: "web01", NIC: "eth1", Switch: "leaf1", Port: "Ethernet1/2"}}},
	{"bond_mode", topology.Change{BondMode: &topology.BondModeChange{Host: "web01", Bond: "bond0", Mode: topology.Mode8023AD}}},
	{"bond_mode_numeric", topology.Change{BondMode: &topology.BondModeChange{Host: "web01", Bond: "bond0", Mode: "1"}}},
	{"lag_add_lacp", topology.Change{LAGAdd: &topology.LAGChange{Switch: "leaf1", LAG: "Port-Channel10", Kind: topology.LAGLACP,
		Ports: []string{"Ethernet1/1", "Ethernet1/2"}}}},
	{"lag_add_static", topology.Change{LAGAdd: &topology.LAGChange{Switch: "acc1", LAG: "Po7", Kind: topology.LAGStatic,
		Ports: []string{"GigabitEthernet1/0/9"}}}},
	{"lag_add_many_ports", topology.Change{LAGAdd: &topology.LAGChange{Switch: "acc1", LAG: "ae3", Kind: topology.LAGLACP,
		Ports: []string{"Gi1/0/1", "Gi1/0/2", "Gi1/0/3", "Gi1/0/4", "Gi1/0/5", "Gi1/0/6", "Gi1/0/7"}}}},
	{"lag_add_no_kind", topology.Change{LAGAdd: &topology.LAGChange{Switch: "leaf1", LAG: "port-channel20", Ports: []string{"Ethernet5"}}}},
	{"lag_remove", topology.Change{LAGRemove: &topology.LAGChange{Switch: "leaf1", LAG: "Port-Channel10", Ports: []string{"Ethernet1/2"}}}},
	{"vlans_trunk", topology.Change{VLANs: &topology.VLANChange{Switch: "leaf1", Port: "Port-Channel10", PVID: 5, Tagged: []int{22, 10, 20, 21}}}},
	{"vlans_trunk_no_native", topology.Change{VLANs: &topology.VLANChange{Switch: "leaf1", Port: "Ethernet3", Tagged: []int{100}}}},
	{"vlans_access", topology.Change{VLANs: &topology.VLANChange{Switch: "leaf1", Port: "ge-0/0/1", PVID: 30}}},
	{"vlans_none", topology.Change{VLANs: &topology.VLANChange{Switch: "leaf1", Port: "Ethernet3"}}},
	{"bond_params", topology.Change{BondParams: &topology.BondParamsChange{Host: "web01", Bond: "bond0", Miimon: ip(100), LACPRate: "fast",
		XmitHashPolicy: "layer3+4"}}},
	{"bond_params_arp", topology.Change{BondParams: &topology.BondParamsChange{Host: "db1", Bond: "bond1", Miimon: ip(0), ARPInterval: ip(200),
		ARPIPTargets: []string{"10.0.0.1", "10.0.0.254"}}}},
	{"lag_kind_static", topology.Change{LAGKind: &topology.LAGKindChange{Switch: "leaf1", LAG: "Port-Channel10", Kind: topology.LAGStatic}}},
	{"lag_kind_lacp", topology.Change{LAGKind: &topology.LAGKindChange{Switch: "leaf1", LAG: "ae0", Kind: topology.LAGLACP}}},
	{"mlag", topology.Change{MLAG: &topology.MLAGChange{Switch: "leaf1", LAG: "Port-Channel10", MLAGID: 10}}},
	{"mlag_off", topology.Change{MLAG: &topology.MLAGChange{Switch: "leaf1", LAG: "Port-Channel10"}}},
	{"mtu_host", topology.Change{MTU: &topology.MTUChange{Host: "web01", NIC: "bond0", MTU: 9000}}},
	{"mtu_switch", topology.Change{MTU: &topology.MTUChange{Switch: "leaf1", Port: "Ethernet1/1", MTU: 9214}}},
}

// noRenderer is a family vendors/ assigns that has no renderer.
const noRenderer = "huawei"

// TestGolden renders every case for every family and tool: one golden file
// per change kind and target (testdata/golden/CASE/TOOL.txt); a target
// with nothing to type has no file.
func TestGolden(t *testing.T) {
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join("testdata", "golden", tc.name)
			want := map[string]bool{}
			for _, v := range append(Vendors[:len(Vendors):len(Vendors)], noRenderer) {
				s, err := Switch(localize(t, tc.c, v), v)
				if err != nil {
					t.Fatalf("%s: %v", v, err)
				}
				if s != nil {
					want[v+".txt"] = true
					golden.Check(t, filepath.Join(dir, v+".txt"), []byte(text(s)))
				}
			}
			for _, tool := range Tools {
				s, err := Host(tc.c, tool)
				if err != nil {
					t.Fatalf("%s: %v", tool, err)
				}
				if s != nil {
					want[tool+".txt"] = true
					golden.Check(t, filepath.Join(dir, tool+".txt"), []byte(text(s)))
				}
			}
			if len(want) == 0 {
				t.Fatal("nothing rendered")
			}
			// no stale golden file for a target that renders nothing now
			files, _ := os.ReadDir(dir)
			for _, f := range files {
				if !want[f.Name()] && !golden.Updating() {
					t.Errorf("%s: golden file for a target that renders nothing", f.Name())
				}
			}
		})
	}
}

func text(ss []Snippet) string {
	var b strings.Builder
	for _, s := range ss {
		fmt.Fprintf(&b, "== %s (%s)\n", s.Target, s.Tool)
		for _, l := range s.Lines {
			b.WriteString(l + "\n")
		}
	}
	return b.String()
}

// TestEveryKindRendered fails when a Change kind (a field of
// topology.Change) has no golden case, so a kind added to the vocabulary
// is not silently left unrendered.
func TestEveryKindRendered(t *testing.T) {
	covered := map[string]bool{}
	for _, tc := range cases {
		c := tc.c
		for name, set := range map[string]bool{"MoveCable": c.MoveCable != nil, "BondMode": c.BondMode != nil, "LAGAdd": c.LAGAdd != nil,
			"LAGRemove": c.LAGRemove != nil, "VLANs": c.VLANs != nil, "BondParams": c.BondParams != nil, "LAGKind": c.LAGKind != nil,
			"MLAG": c.MLAG != nil, "MTU": c.MTU != nil} {
			if set {
				covered[name] = true
			}
		}
	}
	for _, f := range changeFields() {
		if !covered[f] {
			t.Errorf("Change.%s has no golden case", f)
		}
	}
	if d := Describe(topology.Change{}); d != "empty change" {
		t.Errorf("Describe(empty) = %q", d)
	}
}

func TestNoRendererSaysSo(t *testing.T) {
	c := caseNamed(t, "lag_add_lacp")
	s, err := Switch(c, noRenderer)
	if err != nil || len(s) != 1 || len(s[0].Lines) != 1 || !strings.HasPrefix(s[0].Lines[0], "# no renderer for vendor family huawei") {
		t.Fatalf("got %v, %v", s, err)
	}
	s, _ = Switch(c, "")
	if !strings.Contains(s[0].Lines[0], "family unknown") {
		t.Errorf("empty vendor: %v", s)
	}
	s, err = Host(caseNamed(t, "bond_mode"), "ifupdown")
	if err != nil || !strings.HasPrefix(s[0].Lines[0], "# no renderer for host tool ifupdown") {
		t.Errorf("unknown tool: %v, %v", s, err)
	}
}

func TestInvalidValuesAreErrors(t *testing.T) {
	bad := []topology.Change{
		{BondMode: &topology.BondModeChange{Host: "h", Bond: "bond0", Mode: "balance-tcp"}},
		{BondParams: &topology.BondParamsChange{Host: "h", Bond: "bond0", LACPRate: "faster"}},
		{BondParams: &topology.BondParamsChange{Host: "h", Bond: "bond0", XmitHashPolicy: "layer9"}},
		{BondParams: &topology.BondParamsChange{Host: "h", Bond: "bond0", ARPIPTargets: []string{"10.0.0.1; reboot"}}},
		{BondParams: &topology.BondParamsChange{Host: "h", Bond: "bond0", ARPIPTargets: []string{"fe80::1"}}},
		{BondParams: &topology.BondParamsChange{Host: "h", Bond: "bond0", Miimon: ip(-1)}},
		{BondParams: &topology.BondParamsChange{Host: "h", Bond: "bond0"}},
		{MTU: &topology.MTUChange{Host: "h", NIC: "eth0", MTU: 20}},
	}
	for _, c := range bad {
		if _, err := Host(c, IPRoute2); err == nil {
			t.Errorf("%s: no error", Describe(c))
		}
	}
	badSw := []topology.Change{
		{LAGAdd: &topology.LAGChange{Switch: "s", LAG: "Po1", Kind: "pagp", Ports: []string{"Et1"}}},
		{VLANs: &topology.VLANChange{Switch: "s", Port: "Et1", Tagged: []int{4095}}},
		{LAGKind: &topology.LAGKindChange{Switch: "s", LAG: "Po1"}},
		{MLAG: &topology.MLAGChange{Switch: "s", LAG: "Po1", MLAGID: -2}},
		{MTU: &topology.MTUChange{Switch: "s", Port: "Et1", MTU: 100000}},
	}
	for _, c := range badSw {
		for _, v := range Vendors {
			if _, err := Switch(c, v); err == nil {
				t.Errorf("%s on %s: no error", Describe(c), v)
			}
		}
	}
}

func TestLAGNumber(t *testing.T) {
	for name, want := range map[string]int{"Port-Channel10": 10, "Po10": 10, "port-channel7": 7, "ae0": 0, "bond3": 3, "Trk12": 12, "Bundle-Ether5": 5} {
		if n, ok := lagNumber(name); !ok || n != want {
			t.Errorf("lagNumber(%q) = %d, %v", name, n, ok)
		}
	}
	for _, name := range []string{"Ethernet1/1", "uplink", "Po", "Po1;reload", "123456"} {
		if n, ok := lagNumber(name); ok && name != "123456" {
			t.Errorf("lagNumber(%q) = %d", name, n)
		}
	}
	s, err := Switch(topology.Change{LAGAdd: &topology.LAGChange{Switch: "s", LAG: "uplinks", Kind: topology.LAGLACP, Ports: []string{"Ethernet1"}}}, Arista)
	if err != nil || strings.Contains(text(s), "channel-group") || !strings.Contains(text(s), "no LAG number in the name uplinks") {
		t.Errorf("LAG without a number:\n%s%v", text(s), err)
	}
}

// TestWithModel: a Model gives the switch's own family, the members of a
// LAG whose kind changes, and whether a host interface is a bond.
func TestWithModel(t *testing.T) {
	m := model(t)
	kind := topology.Change{LAGKind: &topology.LAGKindChange{Switch: "leaf1", LAG: "Po10", Kind: topology.LAGStatic}}
	s, err := With(m).All(kind)
	if err != nil {
		t.Fatal(err)
	}
	golden.Check(t, "testdata/golden/with_model/lag_kind.txt", []byte(text(s)))
	if len(s) != 1 || s[0].Tool != Arista || !strings.Contains(text(s), "interface Ethernet1,Ethernet2\n   no channel-group\n   channel-group 10 mode on") {
		t.Errorf("lag_kind with the Model:\n%s", text(s))
	}
	mtu := topology.Change{MTU: &topology.MTUChange{Host: "web01", NIC: "bond0", MTU: 9000}}
	s, _ = With(m).Host(mtu, Netplan)
	if !strings.Contains(text(s), "  bonds:\n") || strings.Contains(text(s), "if bond0 is a bond") {
		t.Errorf("netplan MTU of a known bond:\n%s", text(s))
	}
	s, _ = Host(mtu, Netplan)
	if !strings.Contains(text(s), "  ethernets:\n") || !strings.Contains(text(s), "if bond0 is a bond") {
		t.Errorf("netplan MTU without a Model:\n%s", text(s))
	}
}

func model(t *testing.T) *topology.Model {
	t.Helper()
	h := &topology.Host{Name: "web01", NICs: []topology.NIC{{Name: "eth0", PermMAC: "52:54:00:00:00:01"}, {Name: "eth1", PermMAC: "52:54:00:00:00:02"}},
		Bonds: []topology.Bond{{Name: "bond0", Mode: topology.Mode8023AD, Slaves: []topology.Slave{{Name: "eth0"}, {Name: "eth1"}}}}}
	sw := &topology.Switch{Name: "leaf1", Vendor: Arista, Ports: []topology.Port{{Name: "Ethernet1"}, {Name: "Ethernet2"}, {Name: "Port-Channel10"}},
		LAGs: []topology.LAG{{Name: "Port-Channel10", Kind: topology.LAGLACP, Members: []string{"Ethernet1", "Ethernet2"}}}}
	m, err := topology.Build([]*topology.Host{h}, []*topology.Switch{sw}, topology.BuildOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestMarkdown(t *testing.T) {
	var cs []topology.Change
	for _, tc := range cases {
		cs = append(cs, tc.c)
	}
	cs = append(cs, topology.Change{}, topology.Change{BondMode: &topology.BondModeChange{Host: "h", Bond: "bond0", Mode: "nope"}})
	golden.Check(t, "testdata/golden/markdown.md", []byte(Markdown(cs, nil)))
	m := model(t)
	golden.Check(t, "testdata/golden/markdown_model.md", []byte(Markdown([]topology.Change{
		{LAGKind: &topology.LAGKindChange{Switch: "leaf1", LAG: "Po10", Kind: topology.LAGStatic}},
		{BondParams: &topology.BondParamsChange{Host: "web01", Bond: "bond0", LACPRate: "fast"}},
	}, m)))
}

// TestMarkdownLinesAsTyped: the fenced blocks hold the snippets' lines
// byte for byte (nmcli's \, stays one backslash).
func TestMarkdownLinesAsTyped(t *testing.T) {
	c := caseNamed(t, "bond_params_arp")
	md := Markdown([]topology.Change{c}, nil)
	for _, tool := range Tools {
		s, _ := Host(c, tool)
		if !strings.Contains(md, "\n"+strings.Join(s[0].Lines, "\n")+"\n```") {
			t.Errorf("%s lines changed in Markdown:\n%s", tool, md)
		}
	}
}

// TestMarkdownFenceHolds: a line with a run of backquotes (a comment
// naming a hostile port) does not close its fenced block.
func TestMarkdownFenceHolds(t *testing.T) {
	md := Markdown([]topology.Change{{MTU: &topology.MTUChange{Switch: "s\n# owned", Port: "x```\n# owned", MTU: 9000}}}, nil)
	if !strings.Contains(md, "````text\n") {
		t.Errorf("fence not longer than the backquote run:\n%s", md)
	}
	if strings.Contains(md, "\n# owned") {
		t.Errorf("a hostile name made a line of its own:\n%s", md)
	}
}

// changeFields lists topology.Change's fields.
func changeFields() []string {
	return fieldNames(topology.Change{})
}

func hasControl(s string) bool { return strings.ContainsFunc(s, invisible) || !utf8.ValidString(s) }

// TestREADMEExamples: the README's "What to type" blocks are what the
// renderer writes.
func TestREADMEExamples(t *testing.T) {
	readme, err := os.ReadFile("../../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	eos, err := Switch(topology.Change{LAGAdd: &topology.LAGChange{Switch: "leaf1", LAG: "Port-Channel10", Kind: topology.LAGLACP,
		Ports: []string{"Ethernet1", "Ethernet2"}}}, Arista)
	if err != nil {
		t.Fatal(err)
	}
	np, err := Host(topology.Change{BondParams: &topology.BondParamsChange{Host: "web01", Bond: "bond0", Miimon: ip(100), LACPRate: "fast",
		XmitHashPolicy: "layer3+4"}}, Netplan)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []Snippet{eos[0], np[0]} {
		block := "\n" + strings.Join(s.Lines, "\n") + "\n```\n"
		if !strings.Contains(string(readme), block) {
			t.Errorf("README.md has no block\n%s", block)
		}
	}
}

func caseNamed(t *testing.T, name string) topology.Change {
	for _, tc := range cases {
		if tc.name == name {
			return tc.c
		}
	}
	t.Fatalf("no case %s", name)
	return topology.Change{}
}

// localPorts name the cases' ports as each family's switches do, so the
// goldens read like that family's config.
var localPorts = map[string]map[string]string{
	Arista: {"GigabitEthernet1/0/9": "Ethernet9", "Gi1/0/1": "Ethernet1", "Gi1/0/2": "Ethernet2", "Gi1/0/3": "Ethernet3",
		"Gi1/0/4": "Ethernet4", "Gi1/0/5": "Ethernet5", "Gi1/0/6": "Ethernet6", "Gi1/0/7": "Ethernet7", "ge-0/0/1": "Ethernet1"},
	CiscoIOS: {"Ethernet1/1": "GigabitEthernet1/0/1", "Ethernet1/2": "GigabitEthernet1/0/2", "Ethernet3": "GigabitEthernet1/0/3",
		"Ethernet5": "GigabitEthernet1/0/5", "ge-0/0/1": "GigabitEthernet1/0/1"},
	CiscoNXOS: {"GigabitEthernet1/0/9": "Ethernet1/9", "Gi1/0/1": "Ethernet1/1", "Gi1/0/2": "Ethernet1/2", "Gi1/0/3": "Ethernet1/3",
		"Gi1/0/4": "Ethernet1/4", "Gi1/0/5": "Ethernet1/5", "Gi1/0/6": "Ethernet1/6", "Gi1/0/7": "Ethernet1/7", "ge-0/0/1": "Ethernet1/1",
		"Ethernet3": "Ethernet1/3", "Ethernet5": "Ethernet1/5"},
	Junos: {"Ethernet1/1": "ge-0/0/1", "Ethernet1/2": "ge-0/0/2", "Ethernet3": "ge-0/0/3", "Ethernet5": "ge-0/0/5",
		"GigabitEthernet1/0/9": "ge-0/0/9", "Gi1/0/1": "ge-0/0/11", "Gi1/0/2": "ge-0/0/12", "Gi1/0/3": "ge-0/0/13",
		"Gi1/0/4": "ge-0/0/14", "Gi1/0/5": "ge-0/0/15", "Gi1/0/6": "ge-0/0/16", "Gi1/0/7": "ge-0/0/17"},
}

// localize renames the change's switch ports (not its LAGs: the renderer
// derives the family's LAG name itself) for a family.
func localize(t *testing.T, c topology.Change, vendor string) topology.Change {
	t.Helper()
	b, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	var out topology.Change
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	ren := func(p *string) {
		if n, ok := localPorts[vendor][*p]; ok {
			*p = n
		}
	}
	for _, l := range []*topology.LAGChange{out.LAGAdd, out.LAGRemove} {
		if l != nil {
			for i := range l.Ports {
				ren(&l.Ports[i])
			}
		}
	}
	if out.MoveCable != nil {
		ren(&out.MoveCable.Port)
	}
	if out.VLANs != nil {
		ren(&out.VLANs.Port)
	}
	if out.MTU != nil {
		ren(&out.MTU.Port)
	}
	return out
}
