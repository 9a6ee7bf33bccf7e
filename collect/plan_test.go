package collect

import (
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
