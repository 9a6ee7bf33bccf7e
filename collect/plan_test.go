package collect

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/bondaudit/bondaudit/topology"
)

func TestParsePlan(t *testing.T) {
	got, err := ParsePlan([]byte(`changes:
  - lag_add: {switch: leaf2, lag: Port-Channel7, kind: lacp, ports: [Ethernet7, Ethernet8]}
  - bond_mode: {host: app01, bond: bond0, mode: 802.3ad}
  - move_cable: {host: kvm01, nic: ens1f1np1, to: "leaf1b:Ethernet3"}
  - lag_remove:
      switch: leaf1a
      lag: Po1
      ports: [Et1]
  - vlans: {switch: leaf1, port: Ethernet1, pvid: 10, tagged: [20, 30]}
`), "plan.yaml")
	if err != nil {
		t.Fatal(err)
	}
	want := []topology.Change{
		{LAGAdd: &topology.LAGChange{Switch: "leaf2", LAG: "Port-Channel7", Kind: "lacp", Ports: []string{"Ethernet7", "Ethernet8"}}},
		{BondMode: &topology.BondModeChange{Host: "app01", Bond: "bond0", Mode: "802.3ad"}},
		{MoveCable: &topology.MoveCable{Host: "kvm01", NIC: "ens1f1np1", Switch: "leaf1b", Port: "Ethernet3"}},
		{LAGRemove: &topology.LAGChange{Switch: "leaf1a", LAG: "Po1", Ports: []string{"Et1"}}},
		{VLANs: &topology.VLANChange{Switch: "leaf1", Port: "Ethernet1", PVID: 10, Tagged: []int{20, 30}}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
}

// TestParsePlanErrors: a wrong plan is refused at the file and line, with
// what is allowed; a bad PVID is one (it was dropped silently when the
// reader lived in cmd/bondaudit).
func TestParsePlanErrors(t *testing.T) {
	for _, c := range []struct{ plan, want string }{
		{"changes:\n  - vlans: {switch: leaf1, port: Ethernet1, pvid: ten}\n", `plan.yaml:2: vlans: pvid: want a VLAN number from 1 to 4094, got "ten"`},
		{"changes:\n  - vlans:\n      switch: leaf1\n      port: Ethernet1\n      pvid: 5000\n", `plan.yaml:5: vlans: pvid: want a VLAN number from 1 to 4094, got "5000"`},
		{"changes:\n  - vlans: {switch: s, port: p, tagged: [x]}\n", `plan.yaml:2: vlans: tagged "x" is not a VLAN number`},
		{"changes:\n  - move_cabel: {host: a}\n", `plan.yaml:2: unknown change "move_cabel"; allowed: move_cable, bond_mode, lag_add, lag_remove, vlans`},
		{"changes:\n  - bond_mode: {host: app01, bond: bond0, mood: x}\n", `plan.yaml:2: bond_mode: unknown key "mood"; allowed: host, bond, mode`},
		{"changes:\n  - bond_mode: {host: a}\n", "plan.yaml:2: bond_mode: bond is required"},
		{"changes:\n  - move_cable: {host: a, nic: eth0, to: nocolon}\n", "plan.yaml:2: move_cable: to: want SWITCH:PORT"},
		{"changes:\n  - lag_add: {switch: s, lag: l, ports: a}\n", "plan.yaml:2: lag_add: ports: want a list"},
		{"changes:\n  - {lag_add: {switch: s, lag: l}, vlans: {}}\n", "plan.yaml:2: a change is one of"},
		{"changes: 7\n", "plan.yaml:1: changes: want a list"},
		{"nope: 1\n", "plan.yaml: a plan is `changes:`"},
		{"changes: [\n", "plan.yaml: yaml:"},
	} {
		_, err := ParsePlan([]byte(c.plan), "plan.yaml")
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: error %v, want %q", c.plan, err, c.want)
		}
	}
}

// FuzzLoadPlan: any plan file is refused with errors that name it, or
// gives one change of one kind per list item, with VLAN numbers in range,
// which a site without hosts or switches refuses at the first change (and
// an empty plan applies).
func FuzzLoadPlan(f *testing.F) {
	for _, s := range []string{
		"changes:\n  - lag_add: {switch: leaf2, lag: Port-Channel7, kind: lacp, ports: [Ethernet7, Ethernet8]}\n  - bond_mode: {host: app01, bond: bond0, mode: 802.3ad}\n  - move_cable: {host: kvm01, nic: ens1f1np1, to: \"leaf1b:Ethernet3\"}\n",
		"changes:\n  - vlans: {switch: leaf1, port: Ethernet1, pvid: 10, tagged: [20, 30]}\n  - lag_remove: {switch: leaf1, lag: Po1, ports: [Et1]}\n",
		"changes:\n  - move_cable: {host: a, nic: eth0, to: nocolon}\n  - vlans: {switch: s, port: p, tagged: [x]}\n  - bond_mode: {host: a}\n",
		"changes: []\n",
		"changes:\n  - {lag_add: {switch: s, lag: l, ports: [a]}, vlans: {}}\n  - move_cabel: {}\n  - 7\n",
		"changes:\n  - vlans: {switch: s, port: p, pvid: -3}\n",
		"nope: 1\n",
	} {
		f.Add([]byte(s))
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(dir, "plan.yaml")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		changes, err := LoadPlan(path)
		if err != nil {
			if !strings.HasPrefix(err.Error(), path) {
				t.Fatalf("error does not name the plan: %v", err)
			}
			return
		}
		for i, c := range changes {
			kinds := 0
			for _, set := range []bool{c.MoveCable != nil, c.BondMode != nil, c.LAGAdd != nil, c.LAGRemove != nil, c.VLANs != nil} {
				if set {
					kinds++
				}
			}
			if kinds != 1 {
				t.Fatalf("change %d has %d kinds: %+v", i+1, kinds, c)
			}
			if v := c.VLANs; v != nil {
				if v.PVID < 0 || v.PVID > 4094 {
					t.Fatalf("change %d: PVID %d", i+1, v.PVID)
				}
				for _, id := range v.Tagged {
					if id < 1 || id > 4094 {
						t.Fatalf("change %d: tagged VLAN %d", i+1, id)
					}
				}
			}
		}
		err = topology.ApplyPlan(nil, nil, changes)
		if (err == nil) != (len(changes) == 0) || err != nil && !strings.HasPrefix(err.Error(), "change 1: ") {
			t.Fatalf("%d changes on an empty site: %v", len(changes), err)
		}
	})
}

// TestParsePlanNewKinds: bond_params, lag_kind, mlag and mtu read into
// their changes; keys left out of bond_params stay nil (unchanged), an
// empty arp_ip_targets list is kept (it clears the targets).
func TestParsePlanNewKinds(t *testing.T) {
	got, err := ParsePlan([]byte(`changes:
  - bond_params: {host: stor01, bond: bond0, miimon: 100}
  - bond_params: {host: backup01, bond: bond0, lacp_rate: fast, xmit_hash_policy: layer3+4}
  - bond_params: {host: app01, bond: bond0, arp_interval: 1000, arp_ip_targets: [192.0.2.1, 192.0.2.2]}
  - bond_params: {host: app01, bond: bond1, miimon: 0, arp_ip_targets: []}
  - lag_kind: {switch: access2, lag: Po9, kind: static}
  - mlag: {switch: leaf1a, lag: Port-Channel2, mlag_id: 2}
  - mlag: {switch: leaf1a, lag: Port-Channel2, mlag_id: 0}
  - mtu: {host: web01, nic: bond0, mtu: 9000}
  - mtu: {switch: leaf1a, port: Port-Channel1, mtu: 9214}
`), "plan.yaml")
	if err != nil {
		t.Fatal(err)
	}
	n := func(v int) *int { return &v }
	want := []topology.Change{
		{BondParams: &topology.BondParamsChange{Host: "stor01", Bond: "bond0", Miimon: n(100)}},
		{BondParams: &topology.BondParamsChange{Host: "backup01", Bond: "bond0", LACPRate: "fast", XmitHashPolicy: "layer3+4"}},
		{BondParams: &topology.BondParamsChange{Host: "app01", Bond: "bond0", ARPInterval: n(1000), ARPIPTargets: []string{"192.0.2.1", "192.0.2.2"}}},
		{BondParams: &topology.BondParamsChange{Host: "app01", Bond: "bond1", Miimon: n(0), ARPIPTargets: []string{}}},
		{LAGKind: &topology.LAGKindChange{Switch: "access2", LAG: "Po9", Kind: topology.LAGStatic}},
		{MLAG: &topology.MLAGChange{Switch: "leaf1a", LAG: "Port-Channel2", MLAGID: 2}},
		{MLAG: &topology.MLAGChange{Switch: "leaf1a", LAG: "Port-Channel2"}},
		{MTU: &topology.MTUChange{Host: "web01", NIC: "bond0", MTU: 9000}},
		{MTU: &topology.MTUChange{Switch: "leaf1a", Port: "Port-Channel1", MTU: 9214}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %s\nwant %s", changesString(got), changesString(want))
	}
}

func changesString(cs []topology.Change) string {
	var b strings.Builder
	for _, c := range cs {
		b.WriteString(fmt.Sprintf("\n  %+v %+v %+v %+v", c.BondParams, c.LAGKind, c.MLAG, c.MTU))
	}
	return b.String()
}

// TestParsePlanNewKindsErrors: each new kind is as strict as the others,
// at the file and line, saying what is allowed.
func TestParsePlanNewKindsErrors(t *testing.T) {
	for _, c := range []struct{ plan, want string }{
		{"changes:\n  - bond_params: {host: a, bond: b}\n", "plan.yaml:2: bond_params: set at least one of miimon"},
		{"changes:\n  - bond_params: {host: a, miimon: 100}\n", "plan.yaml:2: bond_params: bond is required"},
		{"changes:\n  - bond_params: {host: a, bond: b, miimon: fast}\n", `plan.yaml:2: bond_params: miimon: want milliseconds from 0 to`},
		{"changes:\n  - bond_params:\n      host: a\n      bond: b\n      miimon: -5\n", `plan.yaml:5: bond_params: miimon: want milliseconds`},
		{"changes:\n  - bond_params: {host: a, bond: b, lacp_rate: quick}\n", `plan.yaml:2: bond_params: lacp_rate: want one of slow, fast, got "quick"`},
		{"changes:\n  - bond_params: {host: a, bond: b, xmit_hash_policy: l34}\n", `xmit_hash_policy: want one of layer2, layer2+3, layer3+4, encap2+3, encap3+4, got "l34"`},
		{"changes:\n  - bond_params: {host: a, bond: b, arp_ip_targets: [gateway]}\n", `plan.yaml:2: bond_params: arp_ip_targets: "gateway" is not an IPv4 address`},
		{"changes:\n  - bond_params: {host: a, bond: b, arp_ip_targets: 192.0.2.1}\n", "arp_ip_targets: want a list of IPv4 addresses"},
		{"changes:\n  - bond_params: {host: a, bond: b, updelay: 200}\n", `bond_params: unknown key "updelay"; allowed: host, bond, miimon, lacp_rate, xmit_hash_policy, arp_interval, arp_ip_targets`},
		{"changes:\n  - lag_kind: {switch: s, lag: l}\n", "plan.yaml:2: lag_kind: kind is required"},
		{"changes:\n  - lag_kind: {switch: s, lag: l, kind: on}\n", `lag_kind: kind: want one of lacp, static, got "on"`},
		{"changes:\n  - mlag: {switch: s, lag: l}\n", "plan.yaml:2: mlag: mlag_id is required"},
		{"changes:\n  - mlag: {switch: s, lag: l, mlag_id: x}\n", "mlag: mlag_id: want an MLAG ID"},
		{"changes:\n  - mtu: {host: a, nic: eth0, switch: s, port: p, mtu: 9000}\n", "mtu: give host and nic, or switch and port, not both"},
		{"changes:\n  - mtu: {mtu: 9000}\n", "mtu: give host and nic, or switch and port"},
		{"changes:\n  - mtu: {switch: s, mtu: 9000}\n", "mtu: port is required"},
		{"changes:\n  - mtu: {host: a, nic: eth0, mtu: 99999}\n", "mtu: mtu: want an MTU from 68 to 65535"},
		{"changes:\n  - mtu: {host: a, nic: eth0}\n", "mtu: mtu is required"},
		{"changes:\n  - mtus: {}\n", "allowed: move_cable, bond_mode, lag_add, lag_remove, vlans, bond_params, lag_kind, mlag, mtu"},
	} {
		_, err := ParsePlan([]byte(c.plan), "plan.yaml")
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: error %v, want %q", c.plan, err, c.want)
		}
	}
}

// TestFormatPlanRoundTrip: what FormatPlan writes, ParsePlan reads back to
// the same changes, every kind, with names that need quoting (a colon, a
// quote, a leading dash, a hash, a newline) and comments that try to break
// out of their line.
func TestFormatPlanRoundTrip(t *testing.T) {
	n := func(v int) *int { return &v }
	changes := []topology.Change{
		{MoveCable: &topology.MoveCable{Host: "web02", NIC: "ens1f1np1", Switch: "leaf1a", Port: "Ethernet7"}},
		{BondMode: &topology.BondModeChange{Host: "app01", Bond: "bond0", Mode: topology.Mode8023AD}},
		{LAGAdd: &topology.LAGChange{Switch: "leaf2", LAG: "Port-Channel7", Kind: topology.LAGLACP, Ports: []string{"Ethernet7", "Ethernet8"}}},
		{LAGAdd: &topology.LAGChange{Switch: "leaf2", LAG: "Port-Channel7", Ports: []string{"Ethernet9"}}},
		{LAGRemove: &topology.LAGChange{Switch: "access2", LAG: "Po9", Ports: []string{"Gi1/0/9", "Gi1/0/10"}}},
		{VLANs: &topology.VLANChange{Switch: "leaf2", Port: "Ethernet11", PVID: 10, Tagged: []int{100, 200}}},
		{VLANs: &topology.VLANChange{Switch: "leaf2", Port: "Ethernet12"}},
		{BondParams: &topology.BondParamsChange{Host: "stor01", Bond: "bond0", Miimon: n(100), ARPInterval: n(0), ARPIPTargets: []string{}}},
		{BondParams: &topology.BondParamsChange{Host: "backup01", Bond: "bond0", LACPRate: "fast", XmitHashPolicy: "layer3+4"}},
		{BondParams: &topology.BondParamsChange{Host: "h", Bond: "b", ARPInterval: n(1000), ARPIPTargets: []string{"192.0.2.1"}}},
		{LAGKind: &topology.LAGKindChange{Switch: "access2", LAG: "Po9", Kind: topology.LAGStatic}},
		{MLAG: &topology.MLAGChange{Switch: "leaf1a", LAG: "Port-Channel2", MLAGID: 2}},
		{MLAG: &topology.MLAGChange{Switch: "leaf1a", LAG: "Port-Channel2"}},
		{MTU: &topology.MTUChange{Host: "web01", NIC: "bond0", MTU: 9000}},
		{MTU: &topology.MTUChange{Switch: "leaf1a", Port: "Port-Channel1", MTU: 9214}},
		{BondMode: &topology.BondModeChange{Host: "- evil: {x", Bond: "b\"ond\n  - move_cable: {}", Mode: "#802.3ad"}},
		{LAGAdd: &topology.LAGChange{Switch: "yes", LAG: "null", Kind: topology.LAGStatic, Ports: []string{"1", "~", "a:b", "-x", ".5", "+1"}}},
		{MTU: &topology.MTUChange{Switch: "sw\u202erev\u2066\x1b[2J\u0085\r\n#x", Port: "é Ethernet 1", MTU: 1500}},
	}
	var steps []PlanStep
	for i, c := range changes {
		steps = append(steps, PlanStep{Change: c, Comment: fmt.Sprintf("fixes problem %d\n  - move_cable: {host: x}\x1b[31m", i)})
	}
	b, err := FormatPlan([]string{"bondaudit fix: site demo", "second\nline\u202e"}, steps)
	if err != nil {
		t.Fatal(err)
	}
	got, err := ParsePlan(b, "written.yaml")
	if err != nil {
		t.Fatalf("%v\n%s", err, b)
	}
	if !reflect.DeepEqual(got, changes) {
		t.Errorf("round trip differs:\ngot  %s\nwant %s\nfile:\n%s", changesString(got), changesString(changes), b)
	}
	// each comment on its line, its line breaks and controls escaped
	if !strings.HasPrefix(string(b), "# bondaudit fix: site demo\n# second\\x0aline\\u202e\n") || !strings.Contains(string(b), "  # fixes problem 0\\x0a  - move_cable: {host: x}\\x1b[31m\n") {
		t.Errorf("comments missing:\n%s", b)
	}
	for i, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(strings.TrimSpace(l), "- move_cable: {host: x}") || strings.ContainsAny(l, "\x1b\u202e\u2066\u0085") {
			t.Errorf("line %d forged or raw: %q", i+1, l)
		}
	}
	if _, err := FormatPlan(nil, []PlanStep{{}}); err == nil {
		t.Error("an empty change was written")
	}
}
