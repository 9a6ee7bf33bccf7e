package report

import (
	"bytes"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/bondaudit/bondaudit/internal/dottest"
	"github.com/bondaudit/bondaudit/internal/golden"
	"github.com/bondaudit/bondaudit/rules"
	"github.com/bondaudit/bondaudit/topology"
)

// goldenExt is the file extension of each format's golden file.
var goldenExt = map[string]string{
	"text": "txt", "json": "json", "markdown": "md", "junit": "xml", "sarif": "json", "prom": "prom", "html": "html",
}

const (
	leaf1Chassis = "00:1c:73:00:00:01"
	leaf2Chassis = "00:1c:73:00:00:02"
)

// fixtureSwitch is a switch with ethernet ports Ethernet1..n.
func fixtureSwitch(name, chassis string, n int) *topology.Switch {
	s := &topology.Switch{Name: name, ChassisID: chassis, ChassisIDSubtype: topology.IDMAC}
	for i := 1; i <= n; i++ {
		s.Ports = append(s.Ports, topology.Port{Name: "Ethernet" + strconv.Itoa(i), IfIndex: i, Type: "ethernet", Oper: "up"})
	}
	return s
}

// lldpTo is an LLDP neighbour the host hears on nic: chassis's port.
func lldpTo(nic, chassis, port string) topology.Neighbour {
	return topology.Neighbour{LocalPort: nic, Protocol: topology.ProtoLLDP, ChassisIDSubtype: topology.IDMAC,
		ChassisID: chassis, PortIDSubtype: topology.IDIfName, PortID: port}
}

// fixtureHost is a host whose bonds' slaves are NICs of the same name; cabled
// maps a NIC to "chassis port" for the ones LLDP maps.
func fixtureHost(name string, bonds []topology.Bond, cabled map[string][2]string) *topology.Host {
	h := &topology.Host{Name: name, Bonds: bonds}
	for _, b := range bonds {
		for _, s := range b.Slaves {
			h.NICs = append(h.NICs, topology.NIC{Name: s.Name, Master: b.Name, State: "up", Speed: 25000})
			if c, ok := cabled[s.Name]; ok {
				h.Neighbours = append(h.Neighbours, lldpTo(s.Name, c[0], c[1]))
			}
		}
	}
	return h
}

func slaves(names ...string) []topology.Slave {
	var out []topology.Slave
	for _, n := range names {
		out = append(out, topology.Slave{Name: n, MIIStatus: "up"})
	}
	return out
}

// fixtureModel: web01 bond0 (802.3ad) across leaf1 and leaf2; db01 bond0
// (active-backup) with eno2 unmapped, and bond1 (802.3ad) on leaf2 only.
func fixtureModel(t *testing.T) *topology.Model {
	t.Helper()
	web := fixtureHost("web01", []topology.Bond{
		{Name: "bond0", Mode: topology.Mode8023AD, MIIMon: 100, Slaves: slaves("eth0", "eth1")},
	}, map[string][2]string{"eth0": {leaf1Chassis, "Ethernet1"}, "eth1": {leaf2Chassis, "Ethernet1"}})
	db := fixtureHost("db01", []topology.Bond{
		{Name: "bond0", Mode: topology.ModeActiveBackup, MIIMon: 100, Slaves: slaves("eno1", "eno2")},
		{Name: "bond1", Mode: topology.Mode8023AD, MIIMon: 100, Slaves: slaves("eno3", "eno4")},
	}, map[string][2]string{
		"eno1": {leaf1Chassis, "Ethernet5"},
		"eno3": {leaf2Chassis, "Ethernet7"}, "eno4": {leaf2Chassis, "Ethernet8"},
	})
	// capture times for the prom format's ages: web01's 6 h 26 min 53 s
	// before fixtureGenerated, leaf1's 1 min; db01's and leaf2's unknown
	web.Collected = "2026-03-14T03:00:00Z"
	leaf1 := fixtureSwitch("leaf1", leaf1Chassis, 8)
	leaf1.Collected = "2026-03-14T09:25:53Z"
	m, err := topology.Build([]*topology.Host{web, db},
		[]*topology.Switch{leaf1, fixtureSwitch("leaf2", leaf2Chassis, 9)},
		topology.BuildOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// fixtureFindings are hand-made (not rules.Run) so the golden files do not
// change with rule wording. They cover a bond with several findings, a
// host-level one, a switch-only one, a site-level one, characters formats
// must escape, and a waived (suppressed) finding.
func fixtureFindings() []rules.Finding {
	fs := []rules.Finding{
		{Rule: "lacp.switch-not-aggregated", Severity: rules.Error, Host: "web01", Bond: "bond0", NIC: "eth1", Switch: "leaf2", Port: "Ethernet1",
			Message: "bond0 is 802.3ad but leaf2 Ethernet1 (eth1) is in no port-channel",
			Fix:     "on leaf2, put Ethernet1 in an LACP port-channel (channel-group N mode active)",
			Evidence: []string{"host web01: ip -d link | grep bond0: mode 802.3ad <lacp_rate slow>",
				"map: web01 eth1 ↔ leaf2 Ethernet1 (lldp-host)"}},
		{Rule: "lacp.no-partner", Severity: rules.Error, Host: "web01", Bond: "bond0", NIC: "eth1", Switch: "leaf2", Port: "Ethernet1",
			Message:  `bond0 slave eth1 hears no LACP partner (partner system 00:00:00:00:00:00) & the "switch" port is not running LACP`,
			Fix:      "configure an LACP port-channel (mode active) on the switch port",
			Evidence: []string{"host web01: hosts/web01/bonding/bond0: slave eth1 partner system 00:00:00:00:00:00"}},
		{Rule: "bond.lacp-rate-slow", Severity: rules.Info, Host: "web01", Bond: "bond0",
			Message: "bond0 uses lacp_rate slow: a dead link takes 90 s to leave the bundle", Fix: "set lacp_rate=fast on bond0",
			Evidence: []string{"host web01: hosts/web01/bonding/bond0: LACP rate: slow"}},
		{Rule: "map.unmapped-slave", Severity: rules.Warning, Host: "db01", Bond: "bond0", NIC: "eno2",
			Message: "db01 eno2 (slave of bond0) is not mapped to any switch port", Fix: "enable LLDP on db01 or on its switch"},
		{Rule: "bond.nic-mismatch", Severity: rules.Info, Host: "db01",
			Message: "db01 NICs use two drivers (ixgbe, i40e)", Fix: "nothing required"},
		{Rule: "redundancy.single-switch", Severity: rules.Warning, Status: rules.StatusSuppressed, Host: "db01", Bond: "bond1", Switch: "leaf2",
			Message:  "every slave of bond1 is on leaf2: a switch reload takes the bond down",
			Fix:      "move one slave to another switch",
			Evidence: []string{"map: db01 eno3 ↔ leaf2 Ethernet7 (lldp-host)", "map: db01 eno4 ↔ leaf2 Ethernet8 (lldp-host)"},
			Reason:   "rack B has one leaf until the 2026 refresh (CHG-1234)", Expires: "2026-12-31", DefaultSeverity: rules.Warning},
		{Rule: "lacp.switch-port-not-bundled", Severity: rules.Error, Switch: "leaf2", Port: "Ethernet9",
			Message: "leaf2 Ethernet9 is suspended in Port-Channel9", Fix: "on leaf2, check Port-Channel9's members",
			Evidence: []string{"leaf2: dot3adAggPortAttachedAggID.9 = 0"}},
		{Rule: "lacp.multi-switch-no-mlag", Severity: rules.Warning,
			Message: "no MLAG domain was found in the site", Fix: "check the MLAG configuration"},
	}
	for i := range fs {
		if fs[i].Status == "" {
			fs[i].Status = rules.StatusFail
			fs[i].DefaultSeverity = fs[i].Severity
		}
	}
	rules.SortFindings(fs)
	return fs
}

// fixtureRules are the rules the golden SARIF lists: fixed text, so a change
// to a rule's help does not change the golden file.
func fixtureRules() []rules.Rule {
	var out []rules.Rule
	for _, id := range []string{"bond.lacp-rate-slow", "bond.nic-mismatch", "lacp.multi-switch-no-mlag", "lacp.no-partner",
		"lacp.switch-not-aggregated", "lacp.switch-port-not-bundled", "map.unmapped-slave", "redundancy.single-switch"} {
		out = append(out, rules.Rule{
			ID: id, Title: "Title of " + id, Severity: rules.Warning,
			Summary: "Summary of " + id + ".", Why: "Why " + id + " matters.",
			FixHost: "Host fix for " + id + ".", FixSwitch: "Switch fix for " + id + ".", Evidence: "Evidence " + id + " reads.",
		})
	}
	out[3].Severity, out[3].References = rules.Error, []string{"IEEE 802.1AX-2014 §6.4"}
	out[1].Severity = rules.Info
	return out
}

var fixtureGenerated = time.Date(2026, 3, 14, 9, 26, 53, 0, time.UTC)

func fixtureReport(t *testing.T) *Report {
	t.Helper()
	return &Report{
		Site: "dc1", Generated: fixtureGenerated, Model: fixtureModel(t), Findings: fixtureFindings(),
		Problems: []string{"switches/leaf2.walk:1042: walk truncated (timeout)", "hosts/db01/bonding/bond1: permission denied"},
		Duration: 1234567 * time.Microsecond,
	}
}

// writerFor is New(name), except that SARIF lists the fixture rules.
func writerFor(t *testing.T, name string) Writer {
	t.Helper()
	if name == "sarif" {
		return SARIF{Rules: fixtureRules()}
	}
	w, err := New(name)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func render(t *testing.T, w Writer, r *Report) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := w.Write(&b, r); err != nil {
		t.Fatalf("%T.Write: %v", w, err)
	}
	return b.Bytes()
}

// TestFormatsGolden compares each format with its golden file. The HTML
// page holds the diagram's SVG: it needs Graphviz's dot and compares byte
// for byte only with the dot that made the golden (testdata/golden/graphviz.txt),
// else by structure (internal/dottest).
func TestFormatsGolden(t *testing.T) {
	r := fixtureReport(t)
	dir := filepath.Join("testdata", "golden")
	for _, name := range Formats() {
		t.Run(name, func(t *testing.T) {
			byDot := name == "html"
			if byDot {
				dottest.Need(t)
			}
			got := render(t, writerFor(t, name), r)
			path := filepath.Join(dir, name+"."+goldenExt[name])
			if golden.Updating() && byDot {
				golden.Read(t, path, got)
				dottest.Record(t, dir)
				return
			}
			if byDot && !dottest.Same(t, dir) {
				dottest.SameStructure(t, path, golden.Read(t, path, got), got)
				return
			}
			golden.Check(t, path, got)
			if again := render(t, writerFor(t, name), r); !bytes.Equal(again, got) {
				t.Errorf("%s: two renderings of one report differ", name)
			}
		})
	}
}

func TestNewUnknownFormat(t *testing.T) {
	_, err := New("nope")
	if err == nil {
		t.Fatal(`New("nope") returned no error`)
	}
	for _, name := range Formats() {
		if !strings.Contains(err.Error(), name) {
			t.Errorf("error %q does not name format %q", err, name)
		}
	}
}

func TestEveryFormatConstructs(t *testing.T) {
	want := []string{"text", "json", "markdown", "junit", "sarif", "prom", "html"}
	if diff := cmp.Diff(want, Formats()); diff != "" {
		t.Errorf("Formats() (-want +got):\n%s", diff)
	}
	for _, name := range Formats() {
		if w, err := New(name); err != nil || w == nil {
			t.Errorf("New(%q) = %v, %v", name, w, err)
		}
	}
}

// validate checks out against the format's schema or syntax, where the
// format has one.
func validate(t *testing.T, name string, out []byte) {
	t.Helper()
	switch name {
	case "junit":
		validateJUnit(t, out)
	case "sarif":
		validateSARIF(t, out)
	case "prom":
		checkPromText(t, out)
		promtoolCheckMetrics(t, out)
	}
}

// TestFormatsValidate runs every format on the fixture, an empty report and
// the findings the real rules raise on a hand-made site, and validates each
// output against its schema.
func TestFormatsValidate(t *testing.T) {
	reports := map[string]*Report{
		"fixture": fixtureReport(t),
		"empty":   {Site: "empty", Generated: fixtureGenerated},
		"rules":   rulesReport(t),
	}
	for rname, r := range reports {
		for _, name := range Formats() {
			t.Run(rname+"/"+name, func(t *testing.T) {
				w, err := New(name)
				if err != nil {
					t.Fatal(err)
				}
				out := render(t, w, r)
				if len(out) == 0 {
					t.Fatal("empty output")
				}
				validate(t, name, out)
			})
		}
	}
}

// rulesReport is the real rules' findings on a small site with a few wrong
// bonds, one finding waived the way policy does it.
func rulesReport(t *testing.T) *Report {
	t.Helper()
	web := fixtureHost("web01", []topology.Bond{
		{Name: "bond0", Mode: topology.Mode8023AD, Slaves: slaves("eth0", "eth1")},
	}, map[string][2]string{"eth0": {leaf1Chassis, "Ethernet1"}, "eth1": {leaf2Chassis, "Ethernet1"}})
	app := fixtureHost("app|01", []topology.Bond{
		{Name: "bond0", Mode: topology.ModeBalanceXOR, MIIMon: 100, Slaves: slaves("eno1", "eno2", "eno3")},
	}, map[string][2]string{"eno1": {leaf2Chassis, "Ethernet3"}, "eno2": {leaf2Chassis, "Ethernet4"}})
	m, err := topology.Build([]*topology.Host{web, app},
		[]*topology.Switch{fixtureSwitch("leaf1", leaf1Chassis, 4), fixtureSwitch("leaf2", leaf2Chassis, 4)},
		topology.BuildOptions{})
	if err != nil {
		t.Fatal(err)
	}
	fs := rules.Run(m, rules.Params{}, nil)
	if len(fs) < 3 {
		t.Fatalf("the rules raised only %d findings on the test site", len(fs))
	}
	fs[len(fs)-1].Status, fs[len(fs)-1].Reason, fs[len(fs)-1].Expires = rules.StatusSuppressed, `known "issue" <x>`, "2027-01-01"
	return &Report{Site: `lab "b"\1`, Generated: fixtureGenerated, Model: m, Findings: fs,
		Problems: []string{"hosts/app|01/bonding/bond0:3: unreadable\x01"}, Duration: 2 * time.Second}
}
