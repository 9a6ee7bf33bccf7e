package diagram

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/bondaudit/bondaudit/topology"
)

func mustBuild(t *testing.T, m *topology.Model, o Options) *Diagram {
	t.Helper()
	d, err := Build(m, o)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func render(t *testing.T, f func(*bytes.Buffer) error) string {
	t.Helper()
	var b bytes.Buffer
	if err := f(&b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func dotOf(t *testing.T, d *Diagram) string {
	return render(t, func(b *bytes.Buffer) error { return d.DOT(b) })
}

func mermaidOf(t *testing.T, d *Diagram) string {
	return render(t, func(b *bytes.Buffer) error { return d.Mermaid(b) })
}

func nodeIDs(d *Diagram) []string {
	var ids []string
	for _, n := range d.Nodes {
		ids = append(ids, n.ID)
	}
	slices.Sort(ids)
	return ids
}

func edgesOfHost(d *Diagram, host string) []*Edge {
	var out []*Edge
	for _, e := range d.Edges {
		if e.Host == host {
			out = append(out, e)
		}
	}
	return out
}

func TestLAGMembersCollapseIntoOneEdge(t *testing.T) {
	d := mustBuild(t, smallSite(t), Options{})
	es := edgesOfHost(d, "db1")
	if len(es) != 1 {
		t.Fatalf("db1 (two slaves in leafC Port-Channel5): %d edges, want 1", len(es))
	}
	e := es[0]
	if e.ID != "b_db1__bond0__leafC__Port_2dChannel5" || e.Kind != EdgeBond || e.LAG != "Port-Channel5" ||
		e.Members != 2 || e.Speed != "2×25G" || e.LACP != "bundled" {
		t.Errorf("db1 edge: %+v", e)
	}
	if !slices.Equal(e.NICs, []string{"eth0", "eth1"}) || !slices.Equal(e.Ports, []string{"Ethernet5", "Ethernet6"}) {
		t.Errorf("db1 edge members: NICs %v ports %v", e.NICs, e.Ports)
	}
	if got := e.Lines()[:2]; !slices.Equal(got, []string{"bond0 → Port-Channel5", "802.3ad · LACP bundled · 2×25G"}) {
		t.Errorf("label %q", got)
	}
	if dot := dotOf(t, d); strings.Count(dot, "h_db1 -- s_leafC") != 1 || !strings.Contains(dot, `802.3ad · LACP bundled · 2×25G`) {
		t.Errorf("DOT does not draw db1's LAG as one labelled edge:\n%s", dot)
	}
	// Plain ports stay separate edges; an MLAG bond has one edge per switch.
	if n := len(edgesOfHost(d, "stor1")); n != 2 {
		t.Errorf("stor1 on two plain ports: %d edges, want 2", n)
	}
	if es := edgesOfHost(d, "web1"); len(es) != 2 || es[0].To != "s_leafA" || es[1].To != "s_leafB" {
		t.Errorf("web1 over the MLAG pair: %v", es)
	}
}

func TestPortsExpandEveryCable(t *testing.T) {
	d := mustBuild(t, smallSite(t), Options{Ports: true})
	es := edgesOfHost(d, "db1")
	if len(es) != 2 {
		t.Fatalf("db1 with --ports: %d edges, want 2", len(es))
	}
	for i, nic := range []string{"eth0", "eth1"} {
		e := es[i]
		port := []string{"Ethernet5", "Ethernet6"}[i]
		if e.ID != "n_db1__"+nic || e.Kind != EdgeNIC || e.Speed != "1×25G" || e.Ports[0] != port {
			t.Errorf("edge %d: %+v", i, e)
		}
		if l := e.Lines()[0]; l != nic+" → "+port+" (Port-Channel5)" {
			t.Errorf("edge %d label %q", i, l)
		}
	}
	if dot := dotOf(t, d); strings.Count(dot, "h_db1 -- s_leafC") != 2 {
		t.Errorf("DOT should draw both of db1's cables:\n%s", dot)
	}
}

func TestMLAGPairIsOneCluster(t *testing.T) {
	d := mustBuild(t, smallSite(t), Options{})
	var domains []*Cluster
	for _, c := range d.Clusters {
		if c.Kind == ClusterDomain {
			domains = append(domains, c)
		}
	}
	if len(domains) != 1 || domains[0].ID != "d_pair" || !slices.Equal(domains[0].Nodes, []string{"s_leafA", "s_leafB"}) ||
		domains[0].Label != "MLAG pair" {
		t.Fatalf("domain clusters: %+v", domains)
	}
	if d.Switch("leafC").Cluster != "" {
		t.Errorf("leafC is in no domain but drawn in cluster %q", d.Switch("leafC").Cluster)
	}
	dot := dotOf(t, d)
	i := strings.Index(dot, "subgraph cluster_d_pair {")
	if i < 0 {
		t.Fatalf("no cluster_d_pair subgraph:\n%s", dot)
	}
	body := dot[i : i+strings.Index(dot[i:], "\n  }")]
	if !strings.Contains(body, "s_leafA [") || !strings.Contains(body, "s_leafB [") || strings.Contains(body, "s_leafC") {
		t.Errorf("cluster_d_pair holds the wrong nodes:\n%s", body)
	}
	mm := mermaidOf(t, d)
	if !strings.Contains(mm, "  subgraph d_pair[\"MLAG pair\"]\n    s_leafA[[\"leafA\"]]\n    s_leafB[[\"leafB\"]]\n  end\n") {
		t.Errorf("Mermaid does not draw the pair as one subgraph:\n%s", mm)
	}
}

func TestHostsGroupedBySwitchesTheyHangOff(t *testing.T) {
	d := mustBuild(t, smallSite(t), Options{})
	got := map[string][]string{}
	for _, c := range d.Clusters {
		if c.Kind == ClusterHosts {
			got[c.Label] = c.Nodes
		}
	}
	want := map[string][]string{
		"hosts on leafA + leafB": {"h_web1"},
		"hosts on leafA + leafC": {"h_app1"},
		"hosts on leafC":         {"h_db1", "h_stor1"},
	}
	if len(got) != len(want) {
		t.Fatalf("host clusters %v, want %v", got, want)
	}
	for k, v := range want {
		if !slices.Equal(got[k], v) {
			t.Errorf("%s: %v, want %v", k, got[k], v)
		}
	}
}

func TestFindingColoursItsEdgeAndCarriesTheRule(t *testing.T) {
	m := smallSite(t)
	marks := []Mark{
		{Rule: "lacp.not-synced", Severity: SevError, Host: "db1", Bond: "bond0", NIC: "eth1", Switch: "leafC", Port: "Ethernet6"},
		{Rule: "lacp.churn", Severity: SevWarning, Host: "db1", Bond: "bond0", NIC: "eth0", Switch: "leafC", Port: "Ethernet5"},
		{Rule: "redundancy.single-switch", Severity: SevWarning, Host: "stor1", Bond: "bond0", Switch: "leafC"},
		{Rule: "bond.no-link-monitor", Severity: SevError, Host: "stor1", Bond: "bond0"},
		{Rule: "lag.member-missing", Severity: SevWarning, Switch: "leafA", Port: "Po1"},
		{Rule: "switch.mlag-inconsistent", Severity: SevInfo, Switch: "leafB"},
		{Rule: "map.elsewhere", Severity: SevError, Host: "nowhere"},
	}
	d := mustBuild(t, m, Options{Marks: marks})
	db := d.Edge("b_db1__bond0__leafC__Port_2dChannel5")
	if db.Severity != SevError || !slices.Equal(db.Rules, []string{"lacp.churn", "lacp.not-synced"}) {
		t.Errorf("db1 LAG edge: severity %q rules %v; want the worst (error) and both rules", db.Severity, db.Rules)
	}
	for _, id := range []string{"b_stor1__bond0__leafC__Ethernet7", "b_stor1__bond0__leafC__Ethernet8"} {
		if e := d.Edge(id); e.Severity != SevWarning || !slices.Equal(e.Rules, []string{"redundancy.single-switch"}) {
			t.Errorf("%s: %q %v", id, e.Severity, e.Rules)
		}
	}
	if n := d.Host("stor1"); n.Severity != SevError || !slices.Equal(n.Rules, []string{"bond.no-link-monitor"}) {
		t.Errorf("a bond finding naming no switch belongs on the host: %q %v", n.Severity, n.Rules)
	}
	if e := d.Edge("b_web1__bond0__leafA__Port_2dChannel1"); e.Severity != SevWarning || e.Rules[0] != "lag.member-missing" {
		t.Errorf("a LAG finding (Po1 = Port-Channel1) belongs on the LAG's edge: %q %v", e.Severity, e.Rules)
	}
	if n := d.Switch("leafB"); n.Severity != SevInfo || n.Rules[0] != "switch.mlag-inconsistent" {
		t.Errorf("a switch finding belongs on the switch: %q %v", n.Severity, n.Rules)
	}
	if len(d.Marks) != len(marks)-1 {
		t.Errorf("%d marks drawn, want %d (the one about an unknown host dropped)", len(d.Marks), len(marks)-1)
	}

	dot := dotOf(t, d)
	i := strings.Index(dot, `id="d-b_db1__bond0__leafC__Port_2dChannel5"`)
	edge := dot[i : i+strings.Index(dot[i:], "]")]
	for _, want := range []string{`lacp.not-synced`, `color="#c62828"`, `class="bond sev-error single-homed"`} {
		if !strings.Contains(edge, want) {
			t.Errorf("DOT edge lacks %s:\n%s", want, edge)
		}
	}
	mm := mermaidOf(t, d)
	if !strings.Contains(mm, "linkStyle "+strings.Join(edgeIndexes(d, SevError), ",")+" stroke:#c62828") {
		t.Errorf("Mermaid linkStyle for error edges missing:\n%s", mm)
	}
	if !strings.Contains(mm, "class h_stor1 error\n") || !strings.Contains(mm, "class s_leafB info\n") {
		t.Errorf("Mermaid node classes:\n%s", mm)
	}

	// Anchors: where a report links each finding.
	for _, tc := range []struct {
		m     Mark
		ports bool
		want  string
	}{
		{marks[0], false, "d-b_db1__bond0__leafC__Port_2dChannel5"},
		{marks[0], true, "d-n_db1__eth1"},
		{marks[3], false, "d-h_stor1"},
		{marks[4], true, "d-n_web1__eth0"},
		{marks[5], false, "d-s_leafB"},
		{marks[6], false, ""},
	} {
		dd := mustBuild(t, m, Options{Marks: marks, Ports: tc.ports})
		if got := dd.AnchorFor(tc.m); got != tc.want {
			t.Errorf("AnchorFor(%s, ports %v) = %q, want %q", tc.m.Rule, tc.ports, got, tc.want)
		}
	}
}

func edgeIndexes(d *Diagram, sev Severity) []string {
	var out []string
	for i, e := range d.Edges {
		if e.Severity == sev {
			out = append(out, strconv.Itoa(i))
		}
	}
	return out
}

func TestSingleHomedBondIsMarked(t *testing.T) {
	d := mustBuild(t, smallSite(t), Options{})
	want := map[string]bool{"db1": true, "stor1": true, "web1": false, "app1": false}
	for host, single := range want {
		for _, e := range edgesOfHost(d, host) {
			if e.SingleHomed != single {
				t.Errorf("%s: edge %s single-homed %v, want %v", host, e.ID, e.SingleHomed, single)
			}
			if got := slices.Contains(e.Lines(), "single-homed"); got != single {
				t.Errorf("%s: label %q", host, e.Lines())
			}
		}
	}
	dot := dotOf(t, d)
	if n := strings.Count(dot, "style=dashed"); n != 3 {
		t.Errorf("%d dashed edges in DOT, want 3 (db1's LAG, stor1's two ports)", n)
	}
	if n := strings.Count(mermaidOf(t, d), " -.-|"); n != 3 {
		t.Errorf("%d dotted links in Mermaid, want 3", n)
	}
}

func TestFocusAndDepthLimitTheNodes(t *testing.T) {
	m := smallSite(t)
	for _, tc := range []struct {
		focus string
		depth int
		want  []string
	}{
		{"db1", 1, []string{"h_db1", "s_leafC"}},
		{"db1", 2, []string{"h_app1", "h_db1", "h_stor1", "s_leafA", "s_leafB", "s_leafC"}},
		{"db1", 0, []string{"h_db1", "s_leafC"}},
		{"web1", 1, []string{"h_web1", "s_leafA", "s_leafB"}},
		{"leafB", 1, []string{"h_web1", "s_leafA", "s_leafB"}},
		{"LEAFB", 1, []string{"h_web1", "s_leafA", "s_leafB"}},
		{"leafA", 1, []string{"h_app1", "h_web1", "s_leafA", "s_leafB", "s_leafC"}},
		{"pair", 1, []string{"h_app1", "h_web1", "s_leafA", "s_leafB", "s_leafC"}},
		{"leafC:Port-Channel5", 1, []string{"h_db1", "s_leafC"}},
		{"leafC:Po5", 1, []string{"h_db1", "s_leafC"}},
		{"leafC:Ethernet7", 1, []string{"h_stor1", "s_leafC"}},
		{"leafC", 3, []string{"h_app1", "h_db1", "h_stor1", "h_web1", "s_leafA", "s_leafB", "s_leafC"}},
	} {
		d, err := Build(m, Options{Focus: tc.focus, Depth: tc.depth})
		if err != nil {
			t.Errorf("focus %s: %v", tc.focus, err)
			continue
		}
		if got := nodeIDs(d); !slices.Equal(got, tc.want) {
			t.Errorf("focus %s depth %d: %v, want %v", tc.focus, tc.depth, got, tc.want)
		}
	}
	d := mustBuild(t, m, Options{Focus: "db1"})
	if notes := d.Switch("leafC").Notes; !slices.Equal(notes, []string{"+2 hosts, 1 switch not shown"}) {
		t.Errorf("leafC notes %q", notes)
	}
	if d.Caption != "focus host db1, depth 1: 1 host, 1 switch (+2 hosts not shown: raise --depth)" {
		t.Errorf("caption %q", d.Caption)
	}
	if len(d.Edges) != 1 {
		t.Errorf("focus db1: %d edges, want its one LAG (no uplink to a switch not drawn)", len(d.Edges))
	}
}

func TestUnknownFocusListsCloseNames(t *testing.T) {
	m := smallSite(t)
	_, err := Build(m, Options{Focus: "leafD"})
	if !errors.Is(err, ErrUnknownFocus) {
		t.Fatalf("err = %v, want ErrUnknownFocus", err)
	}
	for _, want := range []string{`"leafD"`, "close names: leafA, leafB, leafC"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	_, err = Build(m, Options{Focus: "leafC:Port-Channel9"})
	if !errors.Is(err, ErrUnknownFocus) || !strings.Contains(err.Error(), "leafC:Port-Channel5") {
		t.Errorf("unknown LAG: %v", err)
	}
}

func TestBigSiteWithoutFocusSaysHowToNarrow(t *testing.T) {
	m := pairSite(t, 30)
	_, err := Build(m, Options{MaxNodes: 20})
	if !errors.Is(err, ErrTooBig) {
		t.Fatalf("err = %v, want ErrTooBig", err)
	}
	for _, want := range []string{"31 hosts and 3 switches", "more than 20", "--focus HOST|SWITCH|LAG --depth N",
		"--focus leafA --depth 1", "--focus leafA:Port-Channel1", "--max-nodes"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	// with --host and --switch filters the site is counted as they keep it
	keepHost := func(n string) bool { return !strings.HasSuffix(n, "7") }
	keepSw := func(n string) bool { return n != "leafB" }
	nh, ns := 0, 0
	for _, h := range m.Hosts {
		if keepHost(h.Name) {
			nh++
		}
	}
	for _, s := range m.Switches {
		if keepSw(s.Name) {
			ns++
		}
	}
	if _, err := Build(m, Options{MaxNodes: 20, Hosts: keepHost, Switches: keepSw}); !errors.Is(err, ErrTooBig) ||
		!strings.Contains(err.Error(), fmt.Sprintf("%d hosts and %d switches", nh, ns)) || nh == len(m.Hosts) || ns == len(m.Switches) {
		t.Errorf("filtered: %v (want %d hosts and %d switches)", err, nh, ns)
	}
	if d, err := Build(m, Options{MaxNodes: 20, Focus: "lonely"}); err != nil || len(d.Nodes) != 2 {
		t.Errorf("focus on a host of a big site: %v", err)
	}
	if _, err := Build(m, Options{MaxNodes: 20, Focus: "leafA"}); !errors.Is(err, ErrTooBig) || !strings.Contains(err.Error(), "lower --depth") {
		t.Errorf("a focus that is still too big: %v", err)
	}
	if _, err := Build(m, Options{MaxNodes: -1}); err != nil {
		t.Errorf("MaxNodes -1 (no limit): %v", err)
	}
	if _, err := Build(pairSite(t, DefaultMaxNodes), Options{}); !errors.Is(err, ErrTooBig) {
		t.Errorf("default limit: %v", err)
	}
}

func TestUnmappedSlavesAndLoneNICs(t *testing.T) {
	h := bondHost("half1", topology.ModeActiveBackup, "", cable{"eno1", chassisC, 3}, cable{"eno2", "00:00:5e:00:53:99", 9})
	h.NICs = append(h.NICs, topology.NIC{Name: "mgmt0", PermMAC: "52:54:00:99:99:99", Speed: 1000, State: "up"})
	h.Neighbours = append(h.Neighbours, topology.Neighbour{LocalPort: "mgmt0", Protocol: topology.ProtoLLDP,
		ChassisIDSubtype: topology.IDMAC, ChassisID: chassisC, PortIDSubtype: topology.IDIfName, PortID: "Ethernet48"})
	m, err := topology.Build([]*topology.Host{h}, []*topology.Switch{sw("leafC", chassisC, 10000, 3, 48)}, topology.BuildOptions{})
	if err != nil {
		t.Fatal(err)
	}
	d := mustBuild(t, m, Options{})
	if notes := d.Host("half1").Notes; !slices.Equal(notes, []string{"bond0: 1 of 2 slaves not mapped"}) {
		t.Errorf("host notes %q", notes)
	}
	e := d.Edge("n_half1__mgmt0")
	if e == nil || e.Bond != "" || e.Lines()[1] != "no bond · 1×1G" {
		t.Errorf("a NIC in no bond: %+v", e)
	}
	if b := d.Edge("b_half1__bond0__leafC__Ethernet3"); b == nil || !b.SingleHomed {
		t.Errorf("a bond with one slave mapped is single-homed: %+v", b)
	}
}

func TestFormatSpeedsAndLACP(t *testing.T) {
	for _, tc := range []struct {
		speeds []int
		want   string
	}{
		{[]int{25000, 25000}, "2×25G"},
		{[]int{1000}, "1×1G"},
		{[]int{2500}, "1×2.5G"},
		{[]int{100, 100}, "2×100M"},
		{[]int{10000, 25000}, "25G+10G"},
		{[]int{0, 25000}, "25G+?"},
	} {
		if got := formatSpeeds(tc.speeds); got != tc.want {
			t.Errorf("formatSpeeds(%v) = %q, want %q", tc.speeds, got, tc.want)
		}
	}
	for _, tc := range []struct {
		states []string
		want   string
	}{
		{[]string{"bundled", "bundled"}, "bundled"},
		{[]string{"bundled", "standby"}, "1 bundled, 1 standby"},
		{[]string{"", ""}, ""},
		{[]string{"bundled", ""}, "1 bundled, 1 unknown"},
	} {
		if got := summariseLACP(tc.states); got != tc.want {
			t.Errorf("summariseLACP(%q) = %q, want %q", tc.states, got, tc.want)
		}
	}
}

func TestStableIDsAreSafeAndDistinct(t *testing.T) {
	names := []string{"Gi1/0/1", "Gi1_0_1", "Gi1_2f0_2f1", "web01.example.net", "a b", "a_b", "end", "x--y", "ünï"}
	seen := map[string]string{}
	for _, n := range names {
		id := esc(n)
		for _, c := range id {
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_') {
				t.Errorf("esc(%q) = %q holds %q", n, id, c)
			}
		}
		if strings.Contains(id, "__") {
			t.Errorf("esc(%q) = %q holds the separator __", n, id)
		}
		if prev, dup := seen[id]; dup {
			t.Errorf("esc(%q) = esc(%q) = %q", n, prev, id)
		}
		seen[id] = n
	}
	if a, b := bondEdgeID("h", "b_1", "s", "p"), bondEdgeID("h", "b", "1_s", "p"); a == b {
		t.Errorf("compound IDs collide: %s", a)
	}
}

func TestCloseNames(t *testing.T) {
	cands := []string{"web01", "web02", "db01", "leaf1a", "leaf1b", "leaf1a:Port-Channel1", "spine1"}
	if got := closeNames(cands, "web1", 8); !slices.Equal(got, []string{"web01", "web02"}) {
		t.Errorf("web1: %v", got)
	}
	if got := closeNames(cands, "leaf1", 3); !slices.Equal(got, []string{"leaf1a", "leaf1b"}) {
		t.Errorf("leaf1: %v", got)
	}
	if got := closeNames(cands, "leaf1a:Port-Channel2", 3); !slices.Equal(got, []string{"leaf1a:Port-Channel1", "leaf1a"}) {
		t.Errorf("leaf1a:Port-Channel2: %v", got)
	}
	if got := closeNames(cands, "web01.example.net", 3); !slices.Equal(got, []string{"web01"}) {
		t.Errorf("web01.example.net: %v", got)
	}
	if got := closeNames(cands, "zzzzzz", 8); len(got) != 0 {
		t.Errorf("zzzzzz: %v", got)
	}
	if levenshtein("kitten", "sitting") != 3 {
		t.Error("levenshtein")
	}
}

// TestSlaveFactsDecideDownAndLACP: the diagram reads Build's facts: a
// slave whose MII status is "Down" (any case) is a down cable, and a mode
// the class table knows as LACP ("4") draws the LACP state. Before, the
// diagram compared "down" and the mode names exactly.
func TestSlaveFactsDecideDownAndLACP(t *testing.T) {
	h := bondHost("web9", topology.Mode8023AD, chassisC, cable{"eth0", chassisC, 3}, cable{"eth1", chassisC, 4})
	h.Bonds[0].Mode = "4"
	h.Bonds[0].Slaves[1].MIIStatus = "Down"
	m, err := topology.Build([]*topology.Host{h}, []*topology.Switch{sw("leafC", chassisC, 25000, 3, 4)}, topology.BuildOptions{})
	if err != nil {
		t.Fatal(err)
	}
	d := mustBuild(t, m, Options{Ports: true})
	if e := d.Edge("n_web9__eth1"); e == nil || e.Down != 1 {
		t.Errorf("a slave whose MII status is Down: %+v", e)
	}
	if e := d.Edge("n_web9__eth0"); e == nil || e.Down != 0 || e.LACP != "bundled" {
		t.Errorf("mode 4 (802.3ad) with a bundled partner: %+v", e)
	}
}
