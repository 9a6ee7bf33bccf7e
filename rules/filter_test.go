package rules

import (
	"strings"
	"testing"
)

func TestFilter(t *testing.T) {
	fs := []Finding{
		{Rule: "lacp.no-partner", Host: "web02", Switch: "leaf2", Port: "Ethernet7"},
		{Rule: "bond.no-miimon", Host: "app01"},
		{Rule: "switch.mlag-peer-link-down", Switch: "leaf1a"},
		{Rule: "lacp.not-synced", Host: "web02", Switch: "leaf2", Port: "Ethernet7"},
	}
	for _, c := range []struct {
		f    Filter
		want []int
	}{
		{Filter{}, []int{0, 1, 2, 3}},
		{Filter{Hosts: []string{"web*"}}, []int{0, 3}},
		{Filter{Hosts: []string{"web*", "app0?"}}, []int{0, 1, 3}},
		{Filter{Switches: []string{"leaf1*"}}, []int{2}},
		{Filter{Rules: []string{"lacp.*"}, Hosts: []string{"web02"}}, []int{0, 3}},
		{Filter{Rules: []string{"lacp.no-partner"}, Switches: []string{"leaf2"}}, []int{0}},
		{Filter{Rules: []string{"bond.*"}, Switches: []string{"*"}}, nil},
	} {
		got := c.f.Apply(fs)
		if len(got) != len(c.want) {
			t.Errorf("%s: %d findings, want %v", c.f, len(got), c.want)
			continue
		}
		for i, w := range c.want {
			if got[i].Rule != fs[w].Rule || got[i].Host != fs[w].Host {
				t.Errorf("%s: finding %d is %+v, want %+v", c.f, i, got[i], fs[w])
			}
		}
	}
	if s := (Filter{Hosts: []string{"web*"}, Rules: []string{"lacp.*"}}).String(); s != "--host web* --rule lacp.*" {
		t.Errorf("String: %q", s)
	}
	for _, c := range []struct {
		f    Filter
		want string
	}{
		{Filter{Rules: []string{"lacp.nopartner"}}, "--rule lacp.nopartner matches no rule"},
		{Filter{Hosts: []string{""}}, "--host: empty pattern"},
	} {
		if err := c.f.Check(); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", c.f, err, c.want)
		}
	}
	for _, ok := range []Filter{{Rules: []string{"policy.*"}}, {Rules: []string{"lacp.no-partner", "vlan.*"}}} {
		if err := ok.Check(); err != nil {
			t.Errorf("%s: %v", ok, err)
		}
	}
}

// TestSortFindingsNaturalPorts: findings that differ only in NIC or port
// come in natural order (eth2 before eth10, Ethernet2 before Ethernet10,
// Gi1/0/9 before Gi1/0/10).
func TestSortFindingsNaturalPorts(t *testing.T) {
	fs := []Finding{
		{Rule: "r", Host: "h", NIC: "eth10", Switch: "s", Port: "Ethernet1"},
		{Rule: "r", Host: "h", NIC: "eth2", Switch: "s", Port: "Ethernet10"},
		{Rule: "r", Host: "h", NIC: "eth2", Switch: "s", Port: "Ethernet2"},
		{Rule: "r", Host: "h", NIC: "eth2", Switch: "t", Port: "Gi1/0/10"},
		{Rule: "r", Host: "h", NIC: "eth2", Switch: "t", Port: "Gi1/0/9"},
	}
	SortFindings(fs)
	var got []string
	for _, f := range fs {
		got = append(got, f.NIC+" "+f.Port)
	}
	want := "eth2 Ethernet2, eth2 Ethernet10, eth2 Gi1/0/9, eth2 Gi1/0/10, eth10 Ethernet1"
	if strings.Join(got, ", ") != want {
		t.Errorf("order %s\nwant  %s", strings.Join(got, ", "), want)
	}
}
