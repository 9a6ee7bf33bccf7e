package l2_test

import (
	"bytes"
	"errors"
	"fmt"
	"github.com/bondaudit/bondaudit/internal/fixtures"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"

	"github.com/bondaudit/bondaudit/collect/l2"
	"github.com/bondaudit/bondaudit/topology"
)

// pcapDir holds tcpdump's test captures and its decodes (*.out), read in
// place: they are never copied into this repository.
var pcapDir = fixtures.Path("pcap")

func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(pcapDir, name))
	if os.IsNotExist(err) {
		t.Skipf("shared fixture %s not present (the pcap fixtures are read in place from %s)", name, pcapDir)
	}
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func readFixture(t *testing.T, name string) ([]l2.Frame, []error) {
	t.Helper()
	return l2.ReadPcap(bytes.NewReader(fixture(t, name)), name)
}

// rawFrames returns every captured frame of a classic Ethernet pcap, for
// checks that need what ReadPcap does not keep.
func rawFrames(t testing.TB, data []byte) [][]byte {
	t.Helper()
	r, err := pcapgo.NewReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if r.LinkType() != layers.LinkTypeEthernet {
		t.Fatalf("link type %v", r.LinkType())
	}
	var out [][]byte
	for {
		b, _, err := r.ReadPacketData()
		if err != nil {
			break
		}
		out = append(out, b)
	}
	return out
}

// frameNo is the capture frame number ReadPcap wrote into Source.
func frameNo(t *testing.T, f l2.Frame) int {
	t.Helper()
	i := strings.LastIndex(f.Neighbour.Source, " frame ")
	n, err := strconv.Atoi(f.Neighbour.Source[i+len(" frame "):])
	if i < 0 || err != nil {
		t.Fatalf("source %q has no frame number", f.Neighbour.Source)
	}
	return n
}

// tcpdump's decode: one block of text per frame number.
var outFrameStart = regexp.MustCompile(`(?m)^\s*(\d+)\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+ `)

func outBlocks(t *testing.T, name string) map[int]string {
	t.Helper()
	text := string(fixture(t, name))
	locs := outFrameStart.FindAllStringSubmatchIndex(text, -1)
	blocks := map[int]string{}
	for i, l := range locs {
		end := len(text)
		if i+1 < len(locs) {
			end = locs[i+1][0]
		}
		n, _ := strconv.Atoi(text[l[2]:l[3]])
		blocks[n] = text[l[0]:end]
	}
	if len(blocks) == 0 {
		t.Fatalf("%s: no frames found", name)
	}
	return blocks
}

func find(re, s string) string {
	m := regexp.MustCompile(re).FindStringSubmatch(s)
	if m == nil {
		return ""
	}
	return m[1]
}

func atoi(s string) int { n, _ := strconv.Atoi(s); return n }

// tcpdumpLLDP is what tcpdump printed for an LLDP frame, in the shape of a
// topology.Neighbour.
func tcpdumpLLDP(block string) topology.Neighbour {
	n := topology.Neighbour{Protocol: topology.ProtoLLDP}
	n.ChassisIDSubtype = topology.IDMAC
	n.ChassisID = find(`Chassis ID TLV \(1\).*\n\s+Subtype MAC address \(4\): (\S+)`, block)
	subtypes := map[string]string{"1": topology.IDIfAlias, "3": topology.IDMAC, "5": topology.IDIfName, "7": topology.IDLocal}
	if m := regexp.MustCompile(`Port ID TLV \(2\).*\n\s+Subtype [^(]+\((\d)\): (.*)`).FindStringSubmatch(block); m != nil {
		n.PortIDSubtype, n.PortID = subtypes[m[1]], m[2]
	}
	n.SystemName = find(`System Name TLV \(5\), length \d+: (.*)`, block)
	n.PortDescr = find(`Port Description TLV \(4\), length \d+: (.*)`, block)
	n.PVID = atoi(find(`port vlan id \(PVID\): (\d+)`, block))
	n.MaxFrameSize = atoi(find(`MTU size (\d+)`, block))
	for _, m := range regexp.MustCompile(`vlan id \(VID\): (\d+)`).FindAllStringSubmatch(block, -1) {
		n.VLANs = append(n.VLANs, atoi(m[1]))
	}
	for _, m := range regexp.MustCompile(`AFI IPv[46] \(\d\): (\S+)`).FindAllStringSubmatch(block, -1) {
		n.MgmtAddrs = append(n.MgmtAddrs, m[1])
	}
	if m := regexp.MustCompile(`aggregation status \[([^\]]*)\], aggregation port ID (\d+)`).FindStringSubmatch(block); m != nil {
		n.LinkAgg = &topology.LinkAgg{Capable: strings.Contains(m[1], "supported"),
			Enabled: strings.Contains(m[1], "enabled"), PortID: atoi(m[2])}
	}
	return n
}

// lldpView keeps the fields tcpdumpLLDP can read off tcpdump's text.
func lldpView(n topology.Neighbour) topology.Neighbour {
	return topology.Neighbour{Protocol: n.Protocol, ChassisIDSubtype: n.ChassisIDSubtype, ChassisID: n.ChassisID,
		PortIDSubtype: n.PortIDSubtype, PortID: n.PortID, SystemName: n.SystemName, PortDescr: n.PortDescr,
		PVID: n.PVID, MaxFrameSize: n.MaxFrameSize, VLANs: n.VLANs, MgmtAddrs: n.MgmtAddrs, LinkAgg: n.LinkAgg}
}

// tcpdumpCDP: device ID, platform, port ID, native VLAN and management
// addresses as tcpdump printed them.
func tcpdumpCDP(block string) (dev, platform, port string, vlan int, mgmt string) {
	return find(`Device-ID .*: '(.*)'`, block), find(`Platform .*: '(.*)'`, block),
		find(`Port-ID .*: '(.*)'`, block), atoi(find(`Native VLAN ID .*: (\d+)`, block)),
		find(`Management Addresses .*IPv4 \(1\) (\S+)`, block)
}

// tcpdump's LACP state flag names, bit 0 first.
var lacpFlags = map[string]topology.LACPState{"Activity": topology.LACPActivity, "Timeout": topology.LACPTimeout,
	"Aggregation": topology.LACPAggregation, "Synchronization": topology.LACPSync,
	"Collecting": topology.LACPCollecting, "Distributing": topology.LACPDistributing,
	"Default": topology.LACPDefaulted, "Expired": topology.LACPExpired}

var lacpInfoRE = regexp.MustCompile(`(Actor|Partner) Information TLV \(0x0\d\), length 20\n\s+System (\S+), System Priority (\d+), Key (\d+), Port (\d+), Port Priority (\d+)\n\s+State Flags \[(.*)\]`)

func tcpdumpLACP(t *testing.T, block string) (actor, partner topology.LACPPort) {
	t.Helper()
	ms := lacpInfoRE.FindAllStringSubmatch(block, -1)
	if len(ms) != 2 {
		t.Fatalf("tcpdump block without actor and partner:\n%s", block)
	}
	var ports [2]topology.LACPPort
	for i, m := range ms {
		var st topology.LACPState
		if m[7] != "none" {
			for _, f := range strings.Split(m[7], ", ") {
				bit, ok := lacpFlags[f]
				if !ok {
					t.Fatalf("unknown tcpdump LACP flag %q", f)
				}
				st |= bit
			}
		}
		ports[i] = topology.LACPPort{System: m[2], SystemPriority: atoi(m[3]), Key: atoi(m[4]),
			Port: atoi(m[5]), PortPriority: atoi(m[6]), State: st, StateKnown: true}
	}
	return ports[0], ports[1]
}

func kinds(frames []l2.Frame) map[topology.Protocol]int {
	k := map[topology.Protocol]int{}
	for _, f := range frames {
		k[f.Kind]++
	}
	return k
}

func noErrors(t *testing.T, errs []error) {
	t.Helper()
	for _, err := range errs {
		t.Error(err)
	}
}

// TestFixtureLLDPAndCDP: two Catalyst 3560s (S1 Fa0/13 <-> S2 Gi0/13), the
// same link seen over CDP and LLDP.
func TestFixtureLLDPAndCDP(t *testing.T) {
	frames, errs := readFixture(t, "tcpdump__LLDP_and_CDP.pcap")
	noErrors(t, errs)
	if diff := cmp.Diff(map[topology.Protocol]int{l2.KindLLDP: 8, l2.KindCDP: 4}, kinds(frames)); diff != "" {
		t.Errorf("frame kinds (-want +got):\n%s", diff)
	}
	blocks := outBlocks(t, "tcpdump__lldp_cdp-ev.out")
	for _, f := range frames {
		n, block := *f.Neighbour, blocks[frameNo(t, f)]
		if want := find(`^\s*\d+\s+\S+ \S+ (\S+) >`, block); f.SrcMAC != want {
			t.Errorf("%s: source MAC %s, tcpdump %s", n.Source, f.SrcMAC, want)
		}
		switch f.Kind {
		case l2.KindLLDP:
			if diff := cmp.Diff(tcpdumpLLDP(block), lldpView(n)); diff != "" {
				t.Errorf("%s differs from tcpdump's decode (-tcpdump +ours):\n%s", n.Source, diff)
			}
			if n.LinkAgg != nil {
				t.Errorf("%s: link aggregation %+v, but the frame has no such TLV", n.Source, n.LinkAgg)
			}
		case l2.KindCDP:
			dev, platform, port, vlan, mgmt := tcpdumpCDP(block)
			if n.SystemName != dev || n.ChassisID != dev || n.PortID != port || n.PVID != vlan ||
				!strings.HasPrefix(n.SystemDescr, platform+"\nCisco IOS Software, C3560 Software") ||
				!cmp.Equal(n.MgmtAddrs, []string{mgmt}) {
				t.Errorf("%s: %+v, tcpdump: %q %q %q vlan %d mgmt %s", n.Source, n, dev, platform, port, vlan, mgmt)
			}
		}
	}

	// The values themselves, as tcpdump printed them.
	want := []topology.Neighbour{
		{LocalPort: "eth1", Protocol: "cdp", ChassisIDSubtype: "local", ChassisID: "S1", PortIDSubtype: "ifname",
			PortID: "FastEthernet0/13", SystemName: "S1", MgmtAddrs: []string{"0.0.0.0"}, PVID: 1,
			Source: "tcpdump__LLDP_and_CDP.pcap frame 7"},
		{LocalPort: "eth1", Protocol: "cdp", ChassisIDSubtype: "local", ChassisID: "S2", PortIDSubtype: "ifname",
			PortID: "GigabitEthernet0/13", SystemName: "S2", MgmtAddrs: []string{"0.0.0.0"}, PVID: 1,
			Source: "tcpdump__LLDP_and_CDP.pcap frame 8"},
		{LocalPort: "eth1", Protocol: "lldp", ChassisIDSubtype: "mac", ChassisID: "00:18:ba:98:68:8f",
			PortIDSubtype: "local", PortID: "Fa0/13", PortDescr: "FastEthernet0/13", SystemName: "S1.cisco.com", PVID: 1,
			Source: "tcpdump__LLDP_and_CDP.pcap frame 12"},
		{LocalPort: "eth1", Protocol: "lldp", ChassisIDSubtype: "mac", ChassisID: "00:19:2f:a7:b2:8d",
			PortIDSubtype: "ifalias", PortID: "Uplink to S1", PortDescr: "GigabitEthernet0/13", SystemName: "S2.cisco.com", PVID: 1,
			Source: "tcpdump__LLDP_and_CDP.pcap frame 11"},
	}
	got := l2.Neighbours(frames, "eth1")
	platforms := []string{"cisco WS-C3560-24TS", "cisco WS-C3560G-24PS"}
	for i := range got {
		if i < 2 && !strings.HasPrefix(got[i].SystemDescr, platforms[i]+"\n") ||
			!strings.Contains(got[i].SystemDescr, "Version 12.2(44)SE") {
			t.Errorf("%s: system description %q", got[i].Source, got[i].SystemDescr)
		}
		got[i].SystemDescr = ""
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Neighbours (-want +got):\n%s", diff)
	}
}

// TestFixtureMUDURL: a Linux host's LLDP with the 802.3 link-aggregation
// TLV (supported, not aggregated, port 0) and IPv4+IPv6 management
// addresses; the MUD URL TLV (IANA OUI) is skipped.
func TestFixtureMUDURL(t *testing.T) {
	frames, errs := readFixture(t, "tcpdump__lldp_mudurl.pcap")
	noErrors(t, errs)
	if len(frames) != 2 {
		t.Fatalf("%d frames, want 2", len(frames))
	}
	blocks := outBlocks(t, "tcpdump__lldp_mudurl-vv.out")
	want := topology.Neighbour{Protocol: "lldp", ChassisIDSubtype: "mac", ChassisID: "00:23:54:c2:57:02",
		PortIDSubtype: "mac", PortID: "00:23:54:c2:57:02", PortDescr: "eth0",
		SystemName:  "upstairs.ofcourseimright.com",
		SystemDescr: "Ubuntu 14.04.5 LTS Linux 3.13.0-106-generic #153-Ubuntu SMP Tue Dec 6 15:45:13 UTC 2016 i686",
		MgmtAddrs:   []string{"62.12.173.114", "2001:8a8:1006:4:223:54ff:fec2:5702"},
		LinkAgg:     &topology.LinkAgg{Capable: true, Enabled: false, PortID: 0}}
	for i, f := range frames {
		n := *f.Neighbour
		if diff := cmp.Diff(tcpdumpLLDP(blocks[frameNo(t, f)]), lldpView(n)); diff != "" {
			t.Errorf("%s differs from tcpdump's decode (-tcpdump +ours):\n%s", n.Source, diff)
		}
		want.Source = fmt.Sprintf("tcpdump__lldp_mudurl.pcap frame %d", i+1)
		if diff := cmp.Diff(want, n); diff != "" {
			t.Errorf("frame %d (-want +got):\n%s", i+1, diff)
		}
	}
}

// TestFixture8021LinkAgg: tcpdump's crafted frames carry only the 802.1
// link-aggregation TLV (no chassis/port ID, no TTL, no End TLV). ReadPcap
// reports them; DecodeLLDP still returns what the TLV said.
func TestFixture8021LinkAgg(t *testing.T) {
	const name = "tcpdump__lldp_8021_linkagg.pcap"
	frames, errs := readFixture(t, name)
	if len(frames) != 0 || len(errs) != 2 {
		t.Fatalf("%d frames and errors %v, want 0 frames and 2 errors", len(frames), errs)
	}
	for i, err := range errs {
		if !errors.Is(err, l2.ErrMissingMandatory) || !strings.HasPrefix(err.Error(), fmt.Sprintf("%s: frame %d: ", name, i+1)) ||
			!strings.Contains(err.Error(), "Organizationally Specific (127) at offset 0") {
			t.Errorf("error %d: %v", i+1, err)
		}
	}

	blocks := outBlocks(t, "tcpdump__lldp_8021_linkagg-vv.out")
	want := []topology.LinkAgg{{Capable: true, Enabled: true, PortID: 100}, {Capable: true, Enabled: false, PortID: 0}}
	raw := rawFrames(t, fixture(t, name))
	if len(raw) != 2 {
		t.Fatalf("%d frames in the capture", len(raw))
	}
	for i, b := range raw {
		n, err := l2.DecodeLLDP(b[14:])
		if !errors.Is(err, l2.ErrMissingMandatory) || n == nil || n.LinkAgg == nil {
			t.Fatalf("frame %d: %+v, %v", i+1, n, err)
		}
		if diff := cmp.Diff(want[i], *n.LinkAgg); diff != "" {
			t.Errorf("frame %d (-want +got):\n%s", i+1, diff)
		}
		if diff := cmp.Diff(tcpdumpLLDP(blocks[i+1]).LinkAgg, n.LinkAgg); diff != "" {
			t.Errorf("frame %d differs from tcpdump (-tcpdump +ours):\n%s", i+1, diff)
		}
	}
}

// TestFixtureERSPAN: 119 frames, mostly IP mirrored in ERSPAN type I (88
// tunnelled packets, none of them LLDP), and 5 plain LLDP frames from two
// H3C S5800s with PVID, VLAN name, 802.3 link aggregation and maximum frame
// size TLVs.
func TestFixtureERSPAN(t *testing.T) {
	const name = "tcpdump__erspan-type-i-4.pcap"
	if n := len(rawFrames(t, fixture(t, name))); n != 119 {
		t.Fatalf("%d frames in the capture, want 119", n)
	}
	frames, errs := readFixture(t, name)
	noErrors(t, errs)
	blocks := outBlocks(t, "tcpdump__erspan-type-i-4.out")
	var nos []int
	for n, b := range blocks {
		if strings.Contains(b, "LLDP, length") {
			nos = append(nos, n)
		}
	}
	if len(frames) != len(nos) || len(frames) != 5 {
		t.Fatalf("%d frames, tcpdump shows %d LLDP frames, want 5", len(frames), len(nos))
	}
	c := topology.Neighbour{Protocol: "lldp", ChassisIDSubtype: "mac", ChassisID: "00:23:89:af:d2:52",
		PortIDSubtype: "ifname", PortID: "GigabitEthernet1/0/2", PortDescr: "GigabitEthernet1/0/2 Interface",
		SystemName: "Device C", MgmtAddrs: []string{"40.1.1.1"}, PVID: 10, VLANs: []int{10}, MaxFrameSize: 10000,
		LinkAgg: &topology.LinkAgg{Capable: true}}
	b := topology.Neighbour{Protocol: "lldp", ChassisIDSubtype: "mac", ChassisID: "00:23:89:af:cc:fd",
		PortIDSubtype: "ifname", PortID: "GigabitEthernet1/0/1", PortDescr: "GigabitEthernet1/0/1 Interface",
		SystemName: "Device B", MgmtAddrs: []string{"30.1.1.1"}, PVID: 12, VLANs: []int{12}, MaxFrameSize: 10000,
		LinkAgg: &topology.LinkAgg{Capable: true}}
	want := map[int]topology.Neighbour{24: c, 40: b, 68: c, 85: b, 114: c}
	for _, f := range frames {
		no := frameNo(t, f)
		w, ok := want[no]
		if !ok {
			t.Errorf("unexpected frame %d", no)
			continue
		}
		if f.Tunnel != "" {
			t.Errorf("frame %d: tunnel %q", no, f.Tunnel)
		}
		if diff := cmp.Diff(w, lldpView(*f.Neighbour)); diff != "" {
			t.Errorf("frame %d (-want +got):\n%s", no, diff)
		}
		if diff := cmp.Diff(tcpdumpLLDP(blocks[no]), lldpView(*f.Neighbour)); diff != "" {
			t.Errorf("frame %d differs from tcpdump's decode (-tcpdump +ours):\n%s", no, diff)
		}
		if !strings.HasPrefix(f.Neighbour.SystemDescr, "H3C Comware Platform Software, Software Version 5.20") {
			t.Errorf("frame %d: system description %q", no, f.Neighbour.SystemDescr)
		}
	}
	if got := l2.Neighbours(frames, "eth0"); len(got) != 2 || got[0].Source != name+" frame 85" || got[1].Source != name+" frame 114" {
		t.Errorf("Neighbours: %+v", got)
	}
}

// TestFixtureLACP: both ends of one link negotiating: every PDU's actor and
// partner equal tcpdump's decode, state flags included.
func TestFixtureLACP(t *testing.T) {
	const name = "tcpdump__LACP.pcap"
	frames, errs := readFixture(t, name)
	noErrors(t, errs)
	if len(frames) != 20 {
		t.Fatalf("%d frames, want 20", len(frames))
	}
	blocks := outBlocks(t, "tcpdump__lacp-ev.out")
	bySystem := map[string]int{}
	for _, f := range frames {
		no := frameNo(t, f)
		if f.Kind != l2.KindLACP || f.Neighbour.LACP == nil || f.Partner == nil {
			t.Fatalf("frame %d: %+v", no, f)
		}
		a, p := tcpdumpLACP(t, blocks[no])
		if diff := cmp.Diff(a, *f.Neighbour.LACP); diff != "" {
			t.Errorf("frame %d actor differs from tcpdump (-tcpdump +ours):\n%s", no, diff)
		}
		if diff := cmp.Diff(p, *f.Partner); diff != "" {
			t.Errorf("frame %d partner differs from tcpdump (-tcpdump +ours):\n%s", no, diff)
		}
		bySystem[fmt.Sprintf("%s key %d port %d", f.Neighbour.LACP.System, f.Neighbour.LACP.Key, f.Neighbour.LACP.Port)]++
	}
	if diff := cmp.Diff(map[string]int{"00:13:c4:12:0f:00 key 13 port 22": 13, "00:0e:83:16:f5:00 key 13 port 25": 7}, bySystem); diff != "" {
		t.Errorf("PDUs per actor (-want +got):\n%s", diff)
	}

	// Selected PDUs, values read off tcpdump__lacp-ev.out.
	sw1 := topology.LACPPort{SystemPriority: 32768, System: "00:13:c4:12:0f:00", Key: 13, PortPriority: 32768, Port: 22, StateKnown: true}
	sw2 := topology.LACPPort{SystemPriority: 32768, System: "00:0e:83:16:f5:00", Key: 13, PortPriority: 32768, Port: 25, StateKnown: true}
	none := topology.LACPPort{System: "00:00:00:00:00:00", StateKnown: true}
	with := func(p topology.LACPPort, st topology.LACPState) topology.LACPPort { p.State = st; return p }
	const (
		act, tmo, agg, syn = topology.LACPActivity, topology.LACPTimeout, topology.LACPAggregation, topology.LACPSync
		col, dis, def, exp = topology.LACPCollecting, topology.LACPDistributing, topology.LACPDefaulted, topology.LACPExpired
	)
	cases := []struct {
		frame            int
		actor, partner   topology.LACPPort
		actorSt, partnSt topology.LACPState
	}{
		{1, sw1, sw2, act | agg | exp, tmo | agg | col | dis},              // expired
		{4, sw1, none, act | agg | syn | def, 0},                           // defaulted, no partner
		{5, sw1, none, act | agg | syn | col | dis | def, 0},               // defaulted, distributing alone
		{9, sw2, sw1, agg | syn, act | agg | col | dis | def},              // the other end, passive
		{20, sw1, sw2, act | agg | syn | col | dis, agg | syn | col | dis}, // bundled
	}
	for _, c := range cases {
		f := frames[c.frame-1]
		if diff := cmp.Diff(with(c.actor, c.actorSt), *f.Neighbour.LACP); diff != "" {
			t.Errorf("frame %d actor (-want +got):\n%s", c.frame, diff)
		}
		if diff := cmp.Diff(with(c.partner, c.partnSt), *f.Partner); diff != "" {
			t.Errorf("frame %d partner (-want +got):\n%s", c.frame, diff)
		}
	}

	got := l2.Neighbours(frames, "eth0")
	want := []topology.Neighbour{
		{LocalPort: "eth0", Protocol: "lacp", LACP: ptr(with(sw2, agg|syn|col|dis)), Source: name + " frame 19"},
		{LocalPort: "eth0", Protocol: "lacp", LACP: ptr(with(sw1, act|agg|syn|col|dis)), Source: name + " frame 20"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Neighbours (-want +got):\n%s", diff)
	}
}

func ptr[T any](v T) *T { return &v }

// TestFixture3560CDP: three CDPv2 announcements of one Catalyst 3560.
func TestFixture3560CDP(t *testing.T) {
	const name = "tcpdump__3560_CDP.pcap"
	frames, errs := readFixture(t, name)
	noErrors(t, errs)
	if len(frames) != 3 {
		t.Fatalf("%d frames, want 3", len(frames))
	}
	blocks := outBlocks(t, "tcpdump__cdp-v.out")
	for _, f := range frames {
		no := frameNo(t, f)
		n := *f.Neighbour
		dev, platform, port, vlan, mgmt := tcpdumpCDP(blocks[no])
		want := topology.Neighbour{Protocol: "cdp", ChassisIDSubtype: "local", ChassisID: dev, SystemName: dev,
			PortIDSubtype: "ifname", PortID: port, PVID: vlan, MgmtAddrs: []string{mgmt},
			SystemDescr: platform + "\nCisco IOS Software, C3560 Software (C3560-ADVIPSERVICESK9-M), Version 12.2(25)SEB4, RELEASE SOFTWARE (fc1)\n" +
				"Copyright (c) 1986-2005 by Cisco Systems, Inc.\nCompiled Tue 30-Aug-05 17:56 by yenanh",
			Source: fmt.Sprintf("%s frame %d", name, no)}
		if diff := cmp.Diff(want, n); diff != "" {
			t.Errorf("frame %d (-tcpdump +ours):\n%s", no, diff)
		}
		if n.SystemName != "Switch" || n.PortID != "GigabitEthernet0/5" || n.MgmtAddrs[0] != "192.168.0.1" ||
			!strings.HasPrefix(n.SystemDescr, "cisco WS-C3560G-24PS\n") {
			t.Errorf("frame %d: %+v", no, n)
		}
	}
	if got := l2.Neighbours(frames, "eth0"); len(got) != 1 || got[0].Source != name+" frame 3" {
		t.Errorf("Neighbours: %+v", got)
	}
}
