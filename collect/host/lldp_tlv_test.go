package host

import (
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/bondaudit/bondaudit/topology"
)

// refUnknownTLV is unknownTLV as it was before it parsed without copies:
// the reference TestUnknownTLVAgrees and FuzzUnknownTLV compare with.
func refUnknownTLV(b *nbBuilder, oui, subtype, value string) {
	oui = strings.ToUpper(ouiSeparators.Replace(oui))
	if !(oui == "0080C2" && subtype == "7") && !(oui == "00120F" && subtype == "3") {
		return
	}
	var bs []byte
	for _, h := range strings.FieldsFunc(value, func(r rune) bool { return r == ',' || r == ':' || r == ' ' }) {
		x, err := strconv.ParseUint(h, 16, 8)
		if err != nil {
			return
		}
		bs = append(bs, byte(x))
	}
	if len(bs) < 5 {
		return
	}
	la := &topology.LinkAgg{Capable: bs[0]&1 != 0, Enabled: bs[0]&2 != 0}
	la.PortID = int(bs[1])<<24 | int(bs[2])<<16 | int(bs[3])<<8 | int(bs[4])
	b.n.LinkAgg = canonLinkAgg(la)
}

var unknownTLVSeeds = [][3]string{
	{"00,80,C2", "7", "03,00,0F,42,41"}, {"00,80,c2", "7", "03:00:0f:42:41:ff"}, {"0080C2", "7", "3 0 f 42 41"},
	{"00-12-0F", "3", "03,00,00,00,01"}, {"00,12,0f", "3", "01,00,00,00,01"}, {"00,80,C2", "3", "03,00,0F,42,41"},
	{"00,80,C2", "7", "03,00,0F,42"}, {"00,80,C2", "7", "03,00,0F,42,41,zz"}, {"00,80,C2", "7", "03,,00,,0F,42,41,100"},
	{"ＯＯ,80,C2", "7", "03,00,0F,42,41"}, {"00,80,ｃ2", "7", "03,00,0F,42,41"}, {"0,0,8,0,C,2,,,,,,,,,,,,,,,,,,,,", "7", "3,0,0,0,1"},
	{"000000000000000000000080C2", "7", "03,00,0F,42,41"}, {"", "", ""}, {"00,80,C2", "7", "+3,00,0F,42,41"},
}

func checkUnknownTLVAgrees(t *testing.T, oui, subtype, value string) {
	t.Helper()
	var a, b nbBuilder
	a.unknownTLV(oui, subtype, value)
	refUnknownTLV(&b, oui, subtype, value)
	if !reflect.DeepEqual(a.n, b.n) {
		t.Fatalf("%q %q %q: %+v, want %+v", oui, subtype, value, a.n.LinkAgg, b.n.LinkAgg)
	}
}

// TestUnknownTLVAgrees: the link-aggregation TLV is read as before.
func TestUnknownTLVAgrees(t *testing.T) {
	for _, s := range unknownTLVSeeds {
		checkUnknownTLVAgrees(t, s[0], s[1], s[2])
	}
}

func FuzzUnknownTLV(f *testing.F) {
	for _, s := range unknownTLVSeeds {
		f.Add(s[0], s[1], s[2])
	}
	f.Fuzz(func(t *testing.T, oui, subtype, value string) {
		checkUnknownTLVAgrees(t, oui, subtype, value)
	})
}

// The neighbours of one document share an allocation for their management
// addresses and link-aggregation TLVs: each still owns its own. Appending
// to one neighbour's addresses or changing its TLV leaves the others as a
// fresh read gives them.
func TestLLDPJSONNeighboursOwnTheirLists(t *testing.T) {
	iface := func(name, ip1, ip2, agg string) string {
		return `{"name":"` + name + `","via":"LLDP","chassis":[{"id":[{"type":"mac","value":"44:4c:a8:00:10:00"}],"name":[{"value":"leaf1"}],` +
			`"mgmt-ip":[{"value":"` + ip1 + `"},{"value":"` + ip2 + `"}]}],"port":[{"id":[{"type":"ifname","value":"Ethernet1"}]}],` +
			`"unknown-tlvs":[{"unknown-tlv":[{"oui":"00,80,C2","subtype":"7","value":"` + agg + `"}]}]}`
	}
	doc := []byte(`{"lldp":[{"interface":[` + iface("eth0", "10.0.0.1", "fd00::1", "03,00,00,00,01") + `,` +
		iface("eth1", "10.0.0.2", "fd00::2", "01,00,00,00,02") + `,` + iface("eth2", "10.0.0.3", "fd00::3", "03,00,00,00,03") + `]}]}`)
	got, err := ParseLLDPJSON(doc, "f")
	if err != nil || len(got) != 3 {
		t.Fatalf("%d neighbours, %v", len(got), err)
	}
	for i, want := range [][]string{{"10.0.0.1", "fd00::1"}, {"10.0.0.2", "fd00::2"}, {"10.0.0.3", "fd00::3"}} {
		if !reflect.DeepEqual(got[i].MgmtAddrs, want) {
			t.Errorf("neighbour %d addresses %q, want %q", i, got[i].MgmtAddrs, want)
		}
	}
	if got[0].LinkAgg == nil || got[0].LinkAgg.PortID != 1 || got[1].LinkAgg != nil || got[2].LinkAgg == nil || got[2].LinkAgg.PortID != 3 {
		t.Fatalf("link aggregation %+v %+v %+v", got[0].LinkAgg, got[1].LinkAgg, got[2].LinkAgg)
	}
	got[0].MgmtAddrs = append(got[0].MgmtAddrs, "192.0.2.1")
	got[0].LinkAgg.PortID = 99
	got[1].MgmtAddrs = append(got[1].MgmtAddrs, "192.0.2.2")
	fresh, _ := ParseLLDPJSON(doc, "f")
	if !reflect.DeepEqual(got[2], fresh[2]) {
		t.Errorf("a change to other neighbours reached the last one:\n%+v\nwant\n%+v", got[2], fresh[2])
	}
	if !reflect.DeepEqual(got[1].MgmtAddrs[:2], fresh[1].MgmtAddrs) {
		t.Errorf("neighbour 1 addresses %q, want %q and one more", got[1].MgmtAddrs, fresh[1].MgmtAddrs)
	}
}
