package sitegen

import (
	"encoding/json"
	"github.com/bondaudit/bondaudit/internal/fixtures"
	"slices"
	"sort"
	"strings"
	"testing"
)

// Real captures from the project's shared fixtures (read in place, never
// copied; the tests skip when a fixture is absent, see internal/fixtures):
//   - magpie__bondM_8023ad_mlag_healthy.txt: OpenStack charm-magpie test
//     data (Apache-2.0), an older kernel without the "LACP active" and
//     "Peer Notification Delay" lines;
//   - web-netplan__bond0_balance-alb_kernel6.8.txt: Ubuntu 24.04 (kernel 6.8) notes;
//   - unifabric__lldpcli_json0_h3c_and_host.json: unifabric-io/unifabric test data
//     (Apache-2.0), `lldpcli -f json0 show neighbors details`.

// labels returns the "Label" part of every "Label: value" line, trimmed,
// in order; the header line counts as a label.
func labels(text string) []string {
	var out []string
	for _, line := range strings.Split(text, "\n") {
		l, _, _ := strings.Cut(line, ":")
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

func testSite(t *testing.T) *Site {
	t.Helper()
	s := &Site{}
	a := s.NewSwitch(SwitchSpec{Name: "a", ID: 1, Ports: 4})
	b := s.NewSwitch(SwitchSpec{Name: "b", ID: 2, Ports: 4})
	PairMLAG(a, b, MACFromUint64(0x021c73000001), 1000, []*Port{a.Ports[3]}, []*Port{b.Ports[3]})
	h := s.NewHost("h1", Debian12)
	n0 := h.AddNIC("eno3", ConnectX25G, MACFromUint64(0x3cecef19eb30), "", a.Ports[0])
	n1 := h.AddNIC("eno1", ConnectX25G, MACFromUint64(0x3cecef19eb2e), "", b.Ports[0])
	h.AddBond(&Bond{Name: "bondM", Mode: Mode8023AD, MIIMon: 100, LACPRate: "fast", XmitHashPolicy: "layer3+4"}, n0, n1)
	a.AddLAG(1, true, true, 1, a.Ports[0])
	b.AddLAG(1, true, true, 1, b.Ports[0])

	h2 := s.NewHost("h2", Ubuntu24)
	m0 := h2.AddNIC("enp5s0", I350, MACFromUint64(0x0030645ce24b), "", a.Ports[1])
	m1 := h2.AddNIC("eno1", I350, MACFromUint64(0x0030645ce24a), "", b.Ports[1])
	h2.AddBond(&Bond{Name: "bond0", Mode: ModeALB, MIIMon: 100}, m0, m1)
	if err := s.Resolve(); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestProcBondingMatchesKernel8023ad(t *testing.T) {
	s := testSite(t)
	got := string(AppendProcBonding(nil, s.Hosts[0].Bonds[0]))
	want := fixtures.Read(t, "bonding/magpie__bondM_8023ad_mlag_healthy.txt")
	// Lines newer kernels add (5.3: peer notification delay, 5.15: LACP active).
	gl := slices.DeleteFunc(labels(got), func(l string) bool {
		return l == "Peer Notification Delay (ms)" || l == "LACP active"
	})
	if wl := labels(string(want)); !slices.Equal(gl, wl) {
		t.Errorf("label sequence differs from a real 802.3ad capture:\ngot  %q\nwant %q", gl, wl)
	}
	for _, line := range []string{
		"Bonding Mode: IEEE 802.3ad Dynamic link aggregation\n",
		"Transmit Hash Policy: layer3+4 (1)\n",
		"\tAggregator ID: 1\n\tNumber of ports: 2\n\tActor Key: 21\n\tPartner Key: 1\n\tPartner Mac Address: 02:1c:73:00:00:01\n",
		"\n\nSlave Interface: eno1\n",
		"details actor lacp pdu:\n    system priority: 65535\n    system mac address: 3c:ec:ef:19:eb:30\n    port key: 21\n    port priority: 255\n    port number: 2\n    port state: 63\n",
		"details partner lacp pdu:\n    system priority: 32768\n    system mac address: 02:1c:73:00:00:01\n    oper key: 1\n    port priority: 32768\n    port number: 1001\n    port state: 61\n",
		"Ethernet Channel Bonding Driver: v6.1.0-18-amd64\n\nBonding Mode",
	} {
		if !strings.Contains(got, line) {
			t.Errorf("generated file lacks %q:\n%s", line, got)
		}
	}
}

func TestProcBondingMatchesKernelALB(t *testing.T) {
	s := testSite(t)
	got := string(AppendProcBonding(nil, s.Hosts[1].Bonds[0]))
	want := fixtures.Read(t, "bonding/web-netplan__bond0_balance-alb_kernel6.8.txt")
	// Same kernel, same mode: only the version, slave order/names and
	// addresses differ.
	g, w := labels(got), labels(string(want))
	if !slices.Equal(g, w) {
		t.Errorf("label sequence differs from a real kernel 6.8 balance-alb capture:\ngot  %q\nwant %q", g, w)
	}
	if !strings.HasPrefix(got, "Ethernet Channel Bonding Driver: v6.8.0-45-generic\n\nBonding Mode: adaptive load balancing\nPrimary Slave: None\nCurrently Active Slave: enp5s0\n") {
		t.Errorf("unexpected head:\n%s", got)
	}
}

// keyPaths lists the object key paths of a JSON document (lists skipped).
func keyPaths(v any, prefix string, out map[string]bool) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			out[prefix+"/"+k] = true
			keyPaths(e, prefix+"/"+k, out)
		}
	case []any:
		for _, e := range x {
			keyPaths(e, prefix, out)
		}
	}
}

func TestLLDPJSON0MatchesLldpcli(t *testing.T) {
	s := testSite(t)
	var got, want any
	if err := json.Unmarshal(AppendLLDPJSON0(nil, s.Hosts[0]), &got); err != nil {
		t.Fatal(err)
	}
	data := fixtures.Read(t, "lldp/unifabric__lldpcli_json0_h3c_and_host.json")
	if err := json.Unmarshal(data, &want); err != nil {
		t.Fatal(err)
	}
	gk, wk := map[string]bool{}, map[string]bool{}
	keyPaths(got, "", gk)
	keyPaths(want, "", wk)
	// Keys lldpd prints for TLVs the fixture's neighbours did not send: the
	// 802.3 maximum frame size and the 802.1 port VLAN ID.
	for _, k := range []string{"/lldp/interface/port/mfs", "/lldp/interface/port/mfs/value",
		"/lldp/interface/vlan", "/lldp/interface/vlan/vlan-id", "/lldp/interface/vlan/pvid"} {
		wk[k] = true
	}
	var extra []string
	for k := range gk {
		if !wk[k] {
			extra = append(extra, k)
		}
	}
	sort.Strings(extra)
	if len(extra) > 0 {
		t.Errorf("keys lldpcli json0 does not print: %v", extra)
	}
	// json0 puts every value in a list: the interface's port id is
	// lldp[0].interface[0].port[0].id[0].value.
	doc := got.(map[string]any)
	id := doc["lldp"].([]any)[0].(map[string]any)["interface"].([]any)[0].(map[string]any)["port"].([]any)[0].(map[string]any)["id"].([]any)[0].(map[string]any)
	if id["type"] != "ifname" || id["value"] != "Ethernet1" {
		t.Errorf("port id = %v, want ifname Ethernet1", id)
	}
}

func TestReverseBits(t *testing.T) {
	// OIDS.md: LACPDU state 0x3D (61) is SNMP BITS 0xBC.
	for in, want := range map[uint8]uint8{0x3d: 0xbc, 0x3f: 0xfc, 0x01: 0x80, 0x45: 0xa2, 0x00: 0x00} {
		if got := reverseBits(in); got != want {
			t.Errorf("reverseBits(%#x) = %#x, want %#x", in, got, want)
		}
	}
}

func TestSpeedKey(t *testing.T) {
	// Actor keys seen in real captures: 1G 9, 10G 15, 100G 29.
	for mbps, want := range map[int]int{1000: 9, 10000: 15, 25000: 21, 100000: 29} {
		if got := speedKey(mbps); got != want {
			t.Errorf("speedKey(%d) = %d, want %d", mbps, got, want)
		}
	}
}
