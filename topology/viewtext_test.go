package topology_test

import (
	"bytes"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"
	"text/tabwriter"

	"github.com/bondaudit/bondaudit/collect"
	"github.com/bondaudit/bondaudit/collect/demo"
	"github.com/bondaudit/bondaudit/internal/sitegen"
	"github.com/bondaudit/bondaudit/topology"
	"github.com/bondaudit/bondaudit/topology/escape"
)

// writeTextTabwriter is View.WriteText as it was before it streamed (one
// text/tabwriter per table, every cell held until Flush): the oracle the
// streamed writer must match byte for byte.
func writeTextTabwriter(v *topology.View, w io.Writer) {
	t := escape.Text
	ts := func(ss []string, sep string) string { return strings.Join(escape.Texts(ss), sep) }
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "HOST\tBOND\tMODE\tNIC\tSWITCH\tPORT\tEVIDENCE\n")
	ev := map[[2]string]string{}
	for _, l := range v.Links {
		ev[[2]string{l.Host, l.NIC}] = ts(topology.EvidenceStrings(l.Evidence), ",")
	}
	for _, h := range v.Hosts {
		for _, b := range h.Bonds {
			for _, s := range b.Slaves {
				sw, port := t(s.Switch), t(s.Port)
				if s.Switch == "" {
					sw, port = "?", "(unmapped)"
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", t(h.Name), t(b.Name), t(string(b.Mode)), t(s.NIC), sw, port, ev[[2]string{h.Name, s.NIC}])
			}
		}
	}
	tw.Flush()
	fmt.Fprintf(w, "\n")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "SWITCH\tVENDOR\tDOMAIN\tLAG\tKIND\tMEMBERS\n")
	for _, s := range v.Switches {
		if s.Error != "" {
			fmt.Fprintf(tw, "%s\t%s\t%s\t(not read: %s)\t\t\n", t(s.Name), t(s.Vendor), t(s.Domain), t(s.Error))
			continue
		}
		if len(s.LAGs) == 0 {
			fmt.Fprintf(tw, "%s\t%s\t%s\t-\t\t\n", t(s.Name), t(s.Vendor), t(s.Domain))
		}
		for _, l := range s.LAGs {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", t(s.Name), t(s.Vendor), t(s.Domain), t(l.Name), t(string(l.Kind)), ts(l.Members, " "))
		}
	}
	tw.Flush()
	for _, d := range v.Domains {
		fmt.Fprintf(w, "\ndomain %s (%s): %s\n", t(d.Name), t(d.Kind), ts(d.Switches, ", "))
		for _, e := range d.Evidence {
			fmt.Fprintf(w, "  because %s\n", t(e))
		}
	}
	if len(v.Uplinks) > 0 {
		fmt.Fprintf(w, "\nswitch-to-switch links:\n")
		for _, u := range v.Uplinks {
			fmt.Fprintf(w, "  %s %s ↔ %s %s\n", t(u.A), t(u.APort), t(u.B), t(u.BPort))
		}
	}
	for _, c := range v.Conflicts {
		fmt.Fprintf(w, "\nconflict: host %s %s: %s\n", t(c.Host), t(c.NIC), ts(c.Claims, " vs "))
	}
}

// sameText fails t when the streamed text of v differs from the oracle's.
func sameText(t testing.TB, what string, v *topology.View) {
	t.Helper()
	var got, want bytes.Buffer
	if err := v.WriteText(&got); err != nil {
		t.Fatalf("%s: WriteText: %v", what, err)
	}
	writeTextTabwriter(v, &want)
	if !bytes.Equal(got.Bytes(), want.Bytes()) {
		g, w := strings.Split(got.String(), "\n"), strings.Split(want.String(), "\n")
		for i := 0; i < len(g) && i < len(w); i++ {
			if g[i] != w[i] {
				t.Fatalf("%s: line %d differs from tabwriter's:\n got %q\nwant %q", what, i+1, g[i], w[i])
			}
		}
		t.Fatalf("%s: %d lines, tabwriter wrote %d", what, len(g), len(w))
	}
}

// hostileView has what real sites and hostile hosts put in a view: wide
// and combining runes, control and bidi characters, a switch not read, a
// switch without LAGs, a NIC with two links and one with none, domains,
// uplinks and conflicts.
func hostileView() *topology.View {
	return &topology.View{
		Hosts: []topology.ViewHost{
			{Name: "wéb01", Bonds: []topology.ViewBond{
				{Name: "bond0", Mode: "802.3ad", Slaves: []topology.ViewSlave{
					{NIC: "eth0", Switch: "leaf1", Port: "Ethernet1"},
					{NIC: "eth1\t\n", Switch: "", Port: ""},
				}},
				{Name: "bond\u202e1", Mode: "active-backup", Slaves: []topology.ViewSlave{{NIC: "ens3", Switch: "交换机", Port: "GE0/0/1"}}},
			}},
			{Name: "db\x00\xff", Bonds: []topology.ViewBond{{Name: "b", Mode: "", Slaves: []topology.ViewSlave{{NIC: "x", Switch: "leaf2", Port: strings.Repeat("p", 90)}}}}},
			{Name: "nobonds"},
		},
		Links: []topology.ViewLink{
			{Host: "wéb01", NIC: "eth0", Switch: "leaf1", Port: "Ethernet1", Evidence: []topology.EvidenceKind{"lldp-host", "lacp"}},
			{Host: "wéb01", NIC: "ens3", Switch: "交换机", Port: "GE0/0/1", Evidence: []topology.EvidenceKind{"fdb"}},
			{Host: "db\x00\xff", NIC: "x", Switch: "leaf2", Port: "p", Evidence: []topology.EvidenceKind{"lldp-host\x1b[31m"}},
			{Host: "db\x00\xff", NIC: "x", Switch: "leaf2", Port: "p", Evidence: []topology.EvidenceKind{"lacp", "fdb"}},
		},
		Switches: []topology.ViewSwitch{
			{Name: "leaf1", Vendor: "arista", Domain: "mlag1", LAGs: []topology.ViewLAG{{Name: "Port-Channel1", Kind: "lacp", Members: []string{"Ethernet1", "Ethernet2"}}}},
			{Name: "leaf2", Vendor: "cisco\r"},
			{Name: "交换机", Vendor: "huawei", Error: "timeout\nafter 5s"},
		},
		Domains:   []topology.ViewDomain{{Name: "mlag1", Kind: "mlag", Switches: []string{"leaf1", "leaf1b"}, Evidence: []string{"same system ID", "peer\u200blink"}}},
		Uplinks:   []topology.ViewUplink{{A: "leaf1", APort: "Ethernet49", B: "spine1", BPort: "Ethernet1"}},
		Conflicts: []topology.Conflict{{Host: "wéb01", NIC: "eth0", Claims: []string{"lldp: leaf1 Ethernet1", "fdb: leaf2 Ethernet9"}}},
	}
}

func TestWriteTextMatchesTabwriter(t *testing.T) {
	sameText(t, "empty view", &topology.View{})
	sameText(t, "hostile view", hostileView())
	site, err := collect.LoadSite(demo.FS(), "demo", collect.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	m, err := topology.Build(site.Hosts, site.Switches, topology.BuildOptions{})
	if err != nil {
		t.Fatal(err)
	}
	sameText(t, "demo site", topology.NewView(m))
	gen := loadGenerated(t, sitegen.Options{Hosts: 600, Switches: 24, Seed: 7})
	m, err = topology.Build(gen.Hosts, gen.Switches, topology.BuildOptions{})
	if err != nil {
		t.Fatal(err)
	}
	v := topology.NewView(m)
	sameText(t, "generated site", v)
	v.Keep(func(h string) bool { return strings.HasSuffix(h, "7") }, func(s string) bool { return strings.HasSuffix(s, "a") })
	sameText(t, "generated site, filtered", v)
	// Not NewView's order (each host's links one run, hosts by name): the
	// evidence column is looked up by name instead, with the same result.
	v = topology.NewView(m)
	slices.Reverse(v.Hosts)
	sameText(t, "generated site, hosts in reverse", v)
	v = topology.NewView(m)
	v.Links = append(v.Links, v.Links[0], topology.ViewLink{Host: "zz-not-listed", NIC: "eth0"})
	v.Links[len(v.Links)-2].Evidence = []topology.EvidenceKind{topology.EvFDB}
	sameText(t, "generated site, a second link of one NIC and a link of no host", v)
	// in NewView's order still: the last of a NIC's two links counts
	v = topology.NewView(m)
	dup := v.Links[0]
	dup.Evidence = []topology.EvidenceKind{topology.EvFDB}
	v.Links = slices.Insert(v.Links, 1, dup)
	sameText(t, "generated site, a second link of one NIC next to its first", v)
}

// FuzzWriteText: any names, the streamed text equals tabwriter's.
func FuzzWriteText(f *testing.F) {
	f.Add("web01", "bond0", "eth0", "leaf1", "Ethernet1", "lacp", "")
	f.Add("a01", "bond0", "eth0", "z-leaf", "Ethernet1", "lacp", "") // hosts in order
	f.Add("wé\u202e", "b\t", "\xff", "", "交换机", "", "timeout")
	f.Add("", "", "", "", "", "", "x\n")
	f.Fuzz(func(t *testing.T, host, bond, nic, sw, port, ev, errText string) {
		v := &topology.View{
			Hosts: []topology.ViewHost{{Name: host, Bonds: []topology.ViewBond{{Name: bond, Mode: topology.BondMode(ev), Slaves: []topology.ViewSlave{
				{NIC: nic, Switch: sw, Port: port}, {NIC: port, Switch: host, Port: nic},
			}}}}, {Name: sw}},
			Links: []topology.ViewLink{{Host: host, NIC: nic, Switch: sw, Port: port, Evidence: []topology.EvidenceKind{topology.EvidenceKind(ev), "lacp"}},
				{Host: host, NIC: nic, Evidence: []topology.EvidenceKind{"fdb"}}, {Host: sw, NIC: bond, Evidence: []topology.EvidenceKind{topology.EvidenceKind(errText)}}},
			Switches:  []topology.ViewSwitch{{Name: sw, Vendor: bond, Error: errText}, {Name: port, LAGs: []topology.ViewLAG{{Name: nic, Kind: topology.LAGKind(ev), Members: []string{host, port}}}}},
			Domains:   []topology.ViewDomain{{Name: bond, Kind: ev, Switches: []string{sw, port}, Evidence: []string{errText}}},
			Uplinks:   []topology.ViewUplink{{A: sw, APort: port, B: host, BPort: nic}},
			Conflicts: []topology.Conflict{{Host: host, NIC: nic, Claims: []string{sw, port}}},
		}
		sameText(t, "fuzzed view", v)
	})
}
