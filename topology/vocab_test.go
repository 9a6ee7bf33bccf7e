package topology

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestBondModeClass(t *testing.T) {
	for _, c := range []struct {
		kind string
		mode BondMode
		want Class
	}{
		{"", Mode8023AD, ClassLACP},
		{BondKindLinux, "4", ClassLACP},
		{"", " 802.3AD ", ClassLACP}, // case and space do not matter
		{"", ModeActiveBackup, ClassIndependent},
		{"", ModeBalanceXOR, ClassStatic},
		{"", "0", ClassStatic},
		{"", ModeBalanceALB, ClassIndependent},
		{BondKindOVS, "balance-tcp", ClassLACP},
		{BondKindOVS, "balance-slb", ClassIndependent},
		{BondKindOVS, "lacp", ClassLACP},
		{BondKindTeam, "lacp", ClassLACP},
		{BondKindTeam, "activebackup", ClassIndependent},
		{BondKindTeam, "roundrobin", ClassStatic},
		{BondKindLinux, "lacp", ClassUnknown}, // not a kernel mode
		{BondKindTeam, Mode8023AD, ClassUnknown},
		{"", "", ClassUnknown},
		{"weird", Mode8023AD, ClassUnknown},
	} {
		if got := c.mode.Class(c.kind); got != c.want {
			t.Errorf("BondMode(%q).Class(%q) = %q, want %q", c.mode, c.kind, got, c.want)
		}
		b := Bond{Kind: c.kind, Mode: c.mode}
		if got := b.Class(); got != c.want {
			t.Errorf("Bond{%q, %q}.Class() = %q, want %q", c.kind, c.mode, got, c.want)
		}
	}
}

func TestLinkState(t *testing.T) {
	for _, c := range []struct {
		s        LinkState
		up, down bool
	}{
		{"", true, false}, // not reported: assumed up
		{"up", true, false},
		{"Up", true, false},
		{"down", false, true},
		{"Down", false, true},
		{"DOWN", false, true},
		{"lowerLayerDown", false, true},
		{"notPresent", false, true},
		{"going back", false, false},
		{"unknown", false, false},
	} {
		if up, down := c.s.Up(), c.s.Down(); up != c.up || down != c.down {
			t.Errorf("LinkState(%q): up %v down %v, want %v %v", c.s, up, down, c.up, c.down)
		}
	}
}

func TestLACPStateString(t *testing.T) {
	for _, c := range []struct {
		s    LACPState
		want string
	}{
		{0, "0 ()"},
		{61, "61 (activity,aggregation,sync,collecting,distributing)"},
		{LACPDefaulted | LACPExpired, "192 (defaulted,expired)"},
		{LACPTimeout, "2 (short-timeout)"},
		{255, "255 (activity,short-timeout,aggregation,sync,collecting,distributing,defaulted,expired)"},
	} {
		if got := c.s.String(); got != c.want {
			t.Errorf("LACPState(%d) = %q, want %q", uint8(c.s), got, c.want)
		}
	}
	if !LACPState(61).Bundled() || LACPState(LACPSync|LACPCollecting).Bundled() {
		t.Error("Bundled wrong")
	}
	// JSON stays a number.
	b, _ := json.Marshal(LACPPort{State: 61})
	if !strings.Contains(string(b), `"state":61`) {
		t.Errorf("LACPPort JSON %s: want the state as a number", b)
	}
}

func TestMAC(t *testing.T) {
	for _, c := range []struct {
		in   string
		want MAC
		ok   bool
	}{
		{"00:1c:73:b3:af:bb", "00:1c:73:b3:af:bb", true},
		{"00-1C-73-B3-AF-BB", "00:1c:73:b3:af:bb", true},
		{"001c.73b3.afbb", "00:1c:73:b3:af:bb", true},
		{"0:1c:73:b3:af:bb", "00:1c:73:b3:af:bb", true},
		{"nonsense", "", false},
		{"", "", false},
	} {
		got, ok := ParseMAC(c.in)
		if got != c.want || ok != c.ok {
			t.Errorf("ParseMAC(%q) = %q, %v; want %q, %v", c.in, got, ok, c.want, c.ok)
		}
		var m MAC
		err := m.UnmarshalText([]byte(c.in))
		if (err == nil) != (c.ok || c.in == "") || m != c.want {
			t.Errorf("UnmarshalText(%q) = %q, %v", c.in, m, err)
		}
	}
	if !MAC(ZeroMAC).IsZero() || MAC(ZeroMAC).Usable() || MAC("").Usable() || !MAC("00:1c:73:b3:af:bb").Usable() {
		t.Error("IsZero/Usable wrong")
	}
	b, _ := json.Marshal(struct {
		M MAC `json:"m"`
	}{"00:1c:73:b3:af:bb"})
	if string(b) != `{"m":"00:1c:73:b3:af:bb"}` {
		t.Errorf("MAC JSON %s", b)
	}
}

func TestOutcomeText(t *testing.T) {
	b, err := json.Marshal(BondImpact{Outcome: OutcomeRedundancy})
	if err != nil || !strings.Contains(string(b), `"outcome":"loses-redundancy"`) {
		t.Fatalf("BondImpact JSON %s, %v", b, err)
	}
	var bi BondImpact
	if err := json.Unmarshal(b, &bi); err != nil || bi.Outcome != OutcomeRedundancy {
		t.Fatalf("round trip: %v %v", bi.Outcome, err)
	}
	if err := json.Unmarshal([]byte(`{"outcome":"fine"}`), &bi); err == nil {
		t.Error("unknown outcome accepted")
	}
	if OutcomeIsolated.Rank() >= OutcomeRedundancy.Rank() || OutcomeFailover.Rank() >= OutcomeDegraded.Rank() || Outcome("x").Rank() <= OutcomeDegraded.Rank() {
		t.Error("Rank order wrong")
	}
}

// TestLoadCanonicalisesMACs: the load seam writes every MAC in canonical
// form once; what is not a MAC is kept as read.
func TestLoadCanonicalisesMACs(t *testing.T) {
	h, err := LoadHost(strings.NewReader(`{"name":"web01",
		"nics":[{"name":"eth0","mac":"00-11-22-33-44-55","perm_mac":"0011.2233.4466"}],
		"bonds":[{"name":"bond0","mode":"802.3ad","mac":"00:11:22:33:44:55","ad_actor_system":"00:11:22:33:44:AA",
		  "active_aggregator":{"id":1,"partner_mac":"00:1C:73:00:00:99"},
		  "slaves":[{"name":"eth0","perm_mac":"00:11:22:33:44:66","partner":{"system":"00-1C-73-00-00-99","key":1,"port":2,"state":61}}]}],
		"neighbours":[{"port":"eth0","protocol":"lldp","chassis_id_subtype":"mac","chassis_id":"001C.7300.0099"},
		  {"port":"eth0","protocol":"lldp","chassis_id_subtype":"local","chassis_id":"AB-CD"}]}`), "h.json")
	if err != nil {
		t.Fatal(err)
	}
	const sw = "00:1c:73:00:00:99"
	for what, got := range map[string]string{
		"nic mac": h.NICs[0].MAC, "nic perm": h.NICs[0].PermMAC, "actor system": h.Bonds[0].AdActorSystem,
		"aggregator": h.Bonds[0].ActiveAggregator.PartnerMAC, "partner": h.Bonds[0].Slaves[0].Partner.System,
		"chassis": h.Neighbours[0].ChassisID, "local chassis": h.Neighbours[1].ChassisID,
	} {
		want := map[string]string{"nic mac": "00:11:22:33:44:55", "nic perm": "00:11:22:33:44:66", "actor system": "00:11:22:33:44:aa",
			"aggregator": sw, "partner": sw, "chassis": sw, "local chassis": "AB-CD"}[what]
		if got != want {
			t.Errorf("%s = %q, want %q", what, got, want)
		}
	}
	s, err := LoadSwitch(strings.NewReader(`{"name":"leaf1","base_mac":"001C73000099","chassis_id_subtype":"mac","chassis_id":"00-1C-73-00-00-99",
		"ports":[{"name":"Et1","mac":"00:1C:73:00:00:01","lacp":{"actor":{"system":"00:1C:73:00:00:99","key":1,"port":1,"state":61}}}],
		"lags":[{"name":"Po1","kind":"lacp","members":["Et1"],"actor_system":"00:1C:73:00:00:99"}],
		"fdb":[{"mac":"00:11:22:33:44:55","port":"Et1"},{"mac":"bogus","port":"Et1"}],
		"mlag":{"system_id":"00:1C:73:00:00:99"}}`), "s.json")
	if err != nil {
		t.Fatal(err)
	}
	for what, got := range map[string]string{"base": s.BaseMAC, "chassis": s.ChassisID, "port": s.Ports[0].MAC[:9] + "00:00:99",
		"actor": s.Ports[0].LACP.Actor.System, "lag": s.LAGs[0].ActorSystem, "mlag": s.MLAG.SystemID} {
		if got != sw {
			t.Errorf("switch %s = %q, want %q", what, got, sw)
		}
	}
	if s.FDB[1].MAC != "bogus" {
		t.Errorf("a non-MAC FDB entry was rewritten: %q", s.FDB[1].MAC)
	}
}

func TestLinkStateForms(t *testing.T) {
	for _, c := range []struct {
		in                    LinkState
		upDown, ifmib, folded LinkState
	}{
		{"", "", "", ""},
		{"UP", LinkUp, LinkUp, "up"},
		{"Down", LinkDown, LinkDown, "down"},
		{"LowerLayerDown", LinkDown, LinkLowerLayerDown, "lowerlayerdown"},
		{"NOTPRESENT", LinkDown, LinkNotPresent, "notpresent"},
		{"Dormant", "", "dormant", "dormant"},
		{"going back", "", "going back", "going back"}, // not an IF-MIB state: as read
	} {
		if got := c.in.UpDown(); got != c.upDown {
			t.Errorf("LinkState(%q).UpDown() = %q, want %q", c.in, got, c.upDown)
		}
		if got := c.in.IFMIB(); got != c.ifmib {
			t.Errorf("LinkState(%q).IFMIB() = %q, want %q", c.in, got, c.ifmib)
		}
		if got := c.in.Folded(); got != c.folded {
			t.Errorf("LinkState(%q).Folded() = %q, want %q", c.in, got, c.folded)
		}
	}
	if got := ParseLinkState("Going Back"); got != LinkGoingBack {
		t.Errorf("ParseLinkState(Going Back) = %q", got)
	}
	// netlink (vishvananda/netlink's OperState.String) and ip-link spell
	// the same operstate differently: one LinkState, which reads as down.
	if !LinkState("lower-layer-down").Down() {
		t.Error("a snapshot's lower-layer-down does not read as down")
	}
	for _, pair := range [][2]string{{"lower-layer-down", "LOWERLAYERDOWN"}, {"not-present", "NOTPRESENT"}} {
		a, b := ParseLinkState(pair[0]), ParseLinkState(pair[1])
		if a != b || !a.Down() || a.UpDown() != LinkDown {
			t.Errorf("ParseLinkState(%q) = %q, ParseLinkState(%q) = %q: want one state that is down", pair[0], a, pair[1], b)
		}
	}
}

func TestDuplex(t *testing.T) {
	for in, want := range map[string]Duplex{"Full": DuplexFull, "half": DuplexHalf, "HALF": DuplexHalf, "Unknown! (255)": "", "": ""} {
		if got := ParseDuplex(in); got != want {
			t.Errorf("ParseDuplex(%q) = %q, want %q", in, got, want)
		}
	}
	if !Duplex("Half").Half() || DuplexFull.Half() || Duplex("").Half() {
		t.Error("Duplex.Half")
	}
}

func TestBondModeForms(t *testing.T) {
	for _, c := range []struct {
		kind            string
		in, linux, want BondMode
	}{
		{"", "4", Mode8023AD, Mode8023AD},
		{BondKindLinux, " 802.3AD 4", Mode8023AD, Mode8023AD},
		{"", "Active-Backup", ModeActiveBackup, ModeActiveBackup},
		{"", "6", ModeBalanceALB, ModeBalanceALB},
		{"", "Weird Mode", "weird", "Weird Mode"}, // not in the matrix: kept as read
		{BondKindOVS, "Balance-TCP", "balance-tcp", "balance-tcp"},
		{BondKindOVS, "4", Mode8023AD, "4"}, // a number is no OVS mode
		{BondKindTeam, "ActiveBackup", "activebackup", "activebackup"},
	} {
		if got := c.in.LinuxName(); got != c.linux {
			t.Errorf("BondMode(%q).LinuxName() = %q, want %q", c.in, got, c.linux)
		}
		if got := c.in.Canon(c.kind); got != c.want {
			t.Errorf("BondMode(%q).Canon(%q) = %q, want %q", c.in, c.kind, got, c.want)
		}
	}
}

// TestLoadCanonicalisesVocabulary: the load seam writes the vocabulary
// fields as the collectors write them, so that consumers compare values
// with ==; what the vocabulary does not know is kept as read.
func TestLoadCanonicalisesVocabulary(t *testing.T) {
	h, err := LoadHost(strings.NewReader(`{"name":"web01",
		"nics":[{"name":"eth0","perm_mac":"52:54:00:00:01:00","state":"UP","duplex":"Full"},{"name":"eth1","state":"LowerLayerDown"}],
		"bonds":[{"name":"bond0","mode":"4","miimon":100,"state":"Up","slaves":[{"name":"eth0","mii_status":"Down","duplex":"HALF"},{"name":"eth1","mii_status":"Going Back"}]},
		  {"name":"bond1","mode":"Made Up","miimon":100},
		  {"name":"ovs0","kind":"ovs","mode":"Balance-SLB","miimon":100}],
		"neighbours":[{"port":"eth0","protocol":"LLDP","chassis_id_subtype":"mac","chassis_id":"00:1c:73:00:00:99","port_id_subtype":"ifname","port_id":"Et1"},
		  {"port":"eth1","protocol":"EDP"}]}`), "h.json")
	if err != nil {
		t.Fatal(err)
	}
	b, s0, s1 := h.Bonds[0], h.Bonds[0].Slaves[0], h.Bonds[0].Slaves[1]
	for what, c := range map[string][2]string{
		"nic state":        {string(h.NICs[0].State), "up"},
		"nic duplex":       {string(h.NICs[0].Duplex), "full"},
		"nic lower state":  {string(h.NICs[1].State), "lowerlayerdown"}, // as ip link, lower-cased
		"bond mode":        {string(b.Mode), "802.3ad"},
		"bond state":       {string(b.State), "up"},
		"slave mii":        {string(s0.MIIStatus), "down"},
		"slave duplex":     {string(s0.Duplex), "half"},
		"slave going back": {string(s1.MIIStatus), "going back"},
		"unknown mode":     {string(h.Bonds[1].Mode), "Made Up"},
		"ovs mode":         {string(h.Bonds[2].Mode), "balance-slb"},
		"protocol":         {string(h.Neighbours[0].Protocol), "lldp"},
		"unknown protocol": {string(h.Neighbours[1].Protocol), "EDP"},
	} {
		if c[0] != c[1] {
			t.Errorf("%s = %q, want %q", what, c[0], c[1])
		}
	}
	s, err := LoadSwitch(strings.NewReader(`{"name":"leaf1","chassis_id_subtype":"mac","chassis_id":"00:1c:73:00:00:99",
		"ports":[{"name":"Et1","ifindex":1,"admin":"UP","oper":"LowerLayerDown"},{"name":"Et2","ifindex":2,"oper":"Odd"}],
		"lags":[{"name":"Po1","kind":"LACP","members":["Et1"],"oper":"DOWN"},{"name":"Po2","kind":"pagp","members":["Et2"]}],
		"neighbours":[{"port":"Et1","protocol":"Cdp"}]}`), "s.json")
	if err != nil {
		t.Fatal(err)
	}
	for what, c := range map[string][2]string{
		"admin":        {string(s.Ports[0].Admin), "up"},
		"oper":         {string(s.Ports[0].Oper), "lowerLayerDown"}, // IF-MIB's spelling
		"odd oper":     {string(s.Ports[1].Oper), "Odd"},
		"lag kind":     {string(s.LAGs[0].Kind), "lacp"},
		"lag oper":     {string(s.LAGs[0].Oper), "down"},
		"unknown kind": {string(s.LAGs[1].Kind), "pagp"},
		"protocol":     {string(s.Neighbours[0].Protocol), "cdp"},
	} {
		if c[0] != c[1] {
			t.Errorf("switch %s = %q, want %q", what, c[0], c[1])
		}
	}
	// What the canonical form buys: Build hears the host's upper-case LLDP
	// (it compares protocols with ==), and the mode given as a number is
	// the kernel's 802.3ad for every reader.
	m, err := Build([]*Host{h}, []*Switch{s}, BuildOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if l := m.LinkOf("web01", "eth0"); l == nil || l.Switch != "leaf1" || l.Port != "Et1" {
		t.Errorf("eth0 link = %+v, want leaf1 Et1 (heard by LLDP)", l)
	}
	if bf := m.Host("web01").BondFacts()[0]; bf.Mode != Mode8023AD || !bf.RunsLACP {
		t.Errorf("bond0 facts: mode %q, runs LACP %v", bf.Mode, bf.RunsLACP)
	}
}
