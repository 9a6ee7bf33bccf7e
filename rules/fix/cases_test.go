package fix

import (
	"strings"
	"testing"

	"github.com/bondaudit/bondaudit/collect"
	"github.com/bondaudit/bondaudit/collect/demo"
	"github.com/bondaudit/bondaudit/rules"
	"github.com/bondaudit/bondaudit/topology"
)

// demoWith is the demo site with web01 (802.3ad over the MLAG pair
// leaf1a/leaf1b, Port-Channel1 on both: fine) broken by mutate.
func demoWith(t *testing.T, mutate func(web01 *topology.Host, sw map[string]*topology.Switch)) (*topology.Model, []rules.Finding) {
	t.Helper()
	site, err := collect.LoadSite(demo.FS(), "demo", collect.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	sws := map[string]*topology.Switch{}
	for _, s := range site.Switches {
		sws[s.Name] = s
	}
	for _, h := range site.Hosts {
		if h.Name == "web01" {
			mutate(h, sws)
		}
	}
	m, err := topology.Build(site.Hosts, site.Switches, topology.BuildOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return m, rules.Run(m, rules.Params{Now: now}, nil)
}

func port(s *topology.Switch, name string) *topology.Port {
	for i := range s.Ports {
		if s.Ports[i].Name == name {
			return &s.Ports[i]
		}
	}
	panic("no port " + name)
}

func lag(s *topology.Switch, name string) *topology.LAG {
	for i := range s.LAGs {
		if s.LAGs[i].Name == name {
			return &s.LAGs[i]
		}
	}
	panic("no LAG " + name)
}

func kindOf(c topology.Change) string {
	switch {
	case c.MoveCable != nil:
		return "move_cable"
	case c.BondMode != nil:
		return "bond_mode"
	case c.LAGAdd != nil:
		return "lag_add"
	case c.LAGRemove != nil:
		return "lag_remove"
	case c.VLANs != nil:
		return "vlans"
	case c.BondParams != nil:
		return "bond_params"
	case c.LAGKind != nil:
		return "lag_kind"
	case c.MLAG != nil:
		return "mlag"
	case c.MTU != nil:
		return "mtu"
	}
	return "?"
}

// TestPlanPerRule: one fault at a time on web01, each fixed with the
// change kinds its rule calls for, the fault's rule gone afterwards and
// nothing added.
func TestPlanPerRule(t *testing.T) {
	for _, c := range []struct {
		name, rule, prefer string
		mutate             func(h *topology.Host, sw map[string]*topology.Switch)
		want               string // the kinds of web01's changes
	}{
		{"switch MTU below the bond's", "link.mtu-too-small", "", func(h *topology.Host, sw map[string]*topology.Switch) {
			port(sw["leaf1a"], "Ethernet1").MTU, port(sw["leaf1a"], "Port-Channel1").MTU = 1500, 1500
		}, "mtu mtu"},
		{"VLANs differ across the MLAG pair", "vlan.member-mismatch", "", func(h *topology.Host, sw map[string]*topology.Switch) {
			for _, s := range []string{"leaf1a", "leaf1b"} {
				sw[s].VLANsKnown = true
			}
			p := port(sw["leaf1b"], "Port-Channel1")
			p.PVID, p.Untagged, p.Tagged = 100, []int{100}, []int{200}
			q := port(sw["leaf1a"], "Port-Channel1")
			q.PVID, q.Untagged, q.Tagged = 100, []int{100}, nil
		}, "vlans"},
		{"host VLAN not carried", "vlan.host-vlan-not-carried", "", func(h *topology.Host, sw map[string]*topology.Switch) {
			for _, s := range []string{"leaf1a", "leaf1b"} {
				sw[s].VLANsKnown = true
				p := port(sw[s], "Port-Channel1")
				p.PVID, p.Untagged, p.Tagged = 100, []int{100}, nil
			}
			h.VLANs = append(h.VLANs, topology.VLANIf{Name: "bond0.300", Parent: "bond0", ID: 300})
		}, "vlans vlans"},
		{"updelay not a multiple of miimon", "bond.delay-not-multiple", "", func(h *topology.Host, _ map[string]*topology.Switch) {
			h.Bonds[0].UpDelay = 250
		}, "bond_params"},
		{"ARP monitoring without targets on 802.3ad", "bond.arp-no-targets", "", func(h *topology.Host, _ map[string]*topology.Switch) {
			h.Bonds[0].MIIMon, h.Bonds[0].ARPInterval = 0, 1000
		}, "bond_params"},
		{"static LAG under 802.3ad: the host matches it", "lacp.switch-static-lag", "", func(h *topology.Host, sw map[string]*topology.Switch) {
			for _, s := range []string{"leaf1a", "leaf1b"} {
				lag(sw[s], "Port-Channel1").Kind = topology.LAGStatic
			}
		}, "bond_mode"},
		{"static LAG under 802.3ad: prefer switches", "lacp.switch-static-lag", "switches", func(h *topology.Host, sw map[string]*topology.Switch) {
			for _, s := range []string{"leaf1a", "leaf1b"} {
				lag(sw[s], "Port-Channel1").Kind = topology.LAGStatic
			}
		}, "lag_kind lag_kind"},
		{"MLAG IDs differ", "lacp.split-across-lags", "", func(h *topology.Host, sw map[string]*topology.Switch) {
			lag(sw["leaf1a"], "Port-Channel1").MLAGID = 1
			lag(sw["leaf1b"], "Port-Channel1").MLAGID = 2
		}, "mlag"},
		{"static bond on the LACP port-channel", "static.switch-lacp-lag", "", func(h *topology.Host, _ map[string]*topology.Switch) {
			h.Bonds[0].Mode = topology.ModeBalanceXOR
		}, "bond_mode"},
		{"static bond on the LACP port-channel: prefer switches", "static.switch-lacp-lag", "switches", func(h *topology.Host, _ map[string]*topology.Switch) {
			h.Bonds[0].Mode = topology.ModeBalanceXOR
		}, "lag_kind lag_kind"},
		{"balance-rr in a bridge", "bond.mode-in-bridge", "", func(h *topology.Host, _ map[string]*topology.Switch) {
			h.Bonds[0].Mode, h.Bonds[0].Bridge = topology.ModeBalanceRR, "br0"
		}, "bond_mode"},
		{"both ends passive", "lacp.both-passive", "", func(h *topology.Host, sw map[string]*topology.Switch) {
			h.Bonds[0].LACPActive = new(false)
			port(sw["leaf1a"], "Ethernet1").LACP.Mode = "passive"
		}, "lag_kind"},
	} {
		t.Run(c.name, func(t *testing.T) {
			m, fs := demoWith(t, c.mutate)
			fired := false
			for _, f := range fs {
				fired = fired || (f.Rule == c.rule && f.Host == "web01")
			}
			if !fired {
				t.Fatalf("%s does not fire on web01: the case tests nothing", c.rule)
			}
			r := Plan(m, fs, Options{Now: now, Prefer: c.prefer})
			var kinds []string
			for _, s := range r.Changes {
				if s.Problem == "bond:web01/bond0" {
					kinds = append(kinds, kindOf(s.Change))
				}
			}
			if got := strings.Join(kinds, " "); got != c.want {
				t.Errorf("web01's changes %q, want %q", got, c.want)
				for _, u := range r.Unfixable {
					if u.Problem == "bond:web01/bond0" {
						t.Logf("unfixable %s: %s", u.Rule, u.Reason)
					}
				}
			}
			for _, p := range r.Problems {
				if p.ID == "bond:web01/bond0" && p.Outcome != Resolved {
					t.Errorf("web01 left: %+v", p.Left)
				}
			}
			if len(r.Added) > 0 {
				t.Errorf("added %+v", r.Added)
			}
		})
	}
}
