package host

import (
	"bytes"
	"os"
	"reflect"
	"strings"
	"testing"
	"unsafe"

	"github.com/bondaudit/bondaudit/topology"
)

// detachBond makes every string of b its own: words interned, addresses
// (unique per host) copied. The reference parser (procbonding_ref_test.go)
// cuts its strings out of a copy of the whole file; without this a bond
// would keep that copy alive. Only the tests use it: the fast parser
// interns and copies as it reads.
func detachBond(b *topology.Bond) {
	b.Name = intern(b.Name)
	b.Kind = intern(b.Kind)
	b.Mode = topology.BondMode(intern(string(b.Mode)))
	for i, t := range b.ARPTargets {
		b.ARPTargets[i] = strings.Clone(t)
	}
	b.ARPValidate = intern(b.ARPValidate)
	b.Primary = intern(b.Primary)
	b.ActiveSlave = intern(b.ActiveSlave)
	b.LACPRate = intern(b.LACPRate)
	b.AdSelect = intern(b.AdSelect)
	b.XmitHashPolicy = intern(b.XmitHashPolicy)
	b.MAC = strings.Clone(b.MAC)
	b.State = topology.LinkState(intern(string(b.State)))
	b.AdActorSystem = strings.Clone(b.AdActorSystem)
	if a := b.ActiveAggregator; a != nil {
		a.PartnerMAC = strings.Clone(a.PartnerMAC)
	}
	b.Bridge = intern(b.Bridge)
	for i := range b.Slaves {
		s := &b.Slaves[i]
		s.Name = intern(s.Name)
		s.MIIStatus = topology.LinkState(intern(string(s.MIIStatus)))
		s.Duplex = topology.Duplex(intern(string(s.Duplex)))
		s.PermMAC = strings.Clone(s.PermMAC)
		for _, l := range []*topology.LACPPort{s.Actor, s.Partner} {
			if l != nil {
				l.System = strings.Clone(l.System)
			}
		}
		s.ActorChurn = intern(s.ActorChurn)
		s.PartnerChurn = intern(s.PartnerChurn)
	}
}

// eachString calls f for every string reachable from v (fields, slices,
// pointers), as a settable reflect.Value.
func eachString(v reflect.Value, path string, f func(path string, s reflect.Value)) {
	switch v.Kind() {
	case reflect.String:
		f(path, v)
	case reflect.Pointer:
		if !v.IsNil() {
			eachString(v.Elem(), path, f)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			eachString(v.Field(i), path+"."+v.Type().Field(i).Name, f)
		}
	case reflect.Slice:
		for i := range v.Len() {
			eachString(v.Index(i), path+"[]", f)
		}
	}
}

// detachBond leaves no string of a bond pointing into the text it was cut
// from, whichever field it is in: every string field of a Bond (a field
// added later too) is set to a piece of one file text, and none may still
// point into it afterwards. Words are interned: two hosts' "eth0" are one.
func TestDetachBondKeepsNoFileText(t *testing.T) {
	on := true
	b := topology.Bond{
		ARPTargets:       []string{"x"},
		LACPActive:       &on,
		ActiveAggregator: &topology.Aggregator{},
		Slaves:           []topology.Slave{{Actor: &topology.LACPPort{}, Partner: &topology.LACPPort{}}, {}},
	}
	text := strings.Repeat("file text eth0 00:11:22:33:44:55 ", 64)
	lo := uintptr(unsafe.Pointer(unsafe.StringData(text)))
	hi := lo + uintptr(len(text))
	n := 0
	eachString(reflect.ValueOf(&b).Elem(), "Bond", func(_ string, s reflect.Value) {
		s.SetString(text[10+n : 14+n+n%5])
		n++
	})
	if n < 20 {
		t.Fatalf("only %d string fields set", n)
	}
	detachBond(&b)
	eachString(reflect.ValueOf(&b).Elem(), "Bond", func(path string, s reflect.Value) {
		p := uintptr(unsafe.Pointer(unsafe.StringData(s.String())))
		// Source is the file's path the caller gave, not its text.
		if s.Len() > 0 && p >= lo && p < hi && !strings.HasSuffix(path, ".Source") {
			t.Errorf("%s = %q still points into the file text", path, s.String())
		}
	})
	a, c := strings.Clone("eth0"), strings.Clone("eth0")
	if unsafe.StringData(intern(a)) != unsafe.StringData(intern(c)) {
		t.Error("two copies of eth0 interned are not one")
	}
}

// The JSON parsers intern the short words hosts repeat (interface names;
// lldpcli's switch and port names) and copy the rest: two hosts' captures
// share "eth0" and the switch's name, not their own MACs.
func TestJSONWordsInterned(t *testing.T) {
	ip, err := os.ReadFile("testdata/capture/web01/ip-link.json")
	if err != nil {
		t.Fatal(err)
	}
	a, err := ParseIPLinkJSON(bytes.Clone(ip), "a")
	if err != nil {
		t.Fatal(err)
	}
	b, err := ParseIPLinkJSON(bytes.Clone(ip), "b")
	if err != nil {
		t.Fatal(err)
	}
	same := func(x, y string) bool { return unsafe.StringData(x) == unsafe.StringData(y) }
	checked := 0
	for i := range a.NICs {
		if n := a.NICs[i].Name; n != "" && !same(n, b.NICs[i].Name) {
			t.Errorf("NIC %s: two copies", n)
		}
		if m := a.NICs[i].PermMAC; len(m) == 17 {
			checked++
			if same(m, b.NICs[i].PermMAC) {
				t.Errorf("NIC %s's MAC %s interned", a.NICs[i].Name, m)
			}
		}
	}
	if checked == 0 {
		t.Error("no MAC checked")
	}
	lj := []byte(`{"lldp": {"interface": {"eth0": {"chassis": {"leaf1": {"id": {"type": "mac", "value": "00:1c:73:00:00:01"}}},
  "port": {"id": {"type": "ifname", "value": "Ethernet7"}}}}}}`)
	na, err := ParseLLDPJSON(bytes.Clone(lj), "a")
	if err != nil || len(na) == 0 {
		t.Fatal(err, len(na))
	}
	nb, _ := ParseLLDPJSON(bytes.Clone(lj), "b")
	for what, s := range map[string][2]string{"port": {na[0].PortID, nb[0].PortID}, "chassis MAC": {na[0].ChassisID, nb[0].ChassisID}} {
		if s[0] == "" || !same(s[0], s[1]) {
			t.Errorf("%s %q: two copies", what, s[0])
		}
	}
}

// TestSwitchDescriptionHeldOnce: every host NIC that hears a switch gets
// its (long) system description; hosts read apart hold one copy of it
// (issue 18: 30,000 copies at 10k hosts otherwise).
func TestSwitchDescriptionHeldOnce(t *testing.T) {
	const descr = "Arista Networks EOS version 4.28.3M running on an Arista Networks DCS-7050SX3-48YC8"
	doc := `{"lldp":[{"interface":[{"name":"eth0","via":"LLDP",
		"chassis":[{"id":[{"type":"mac","value":"02:11:22:33:44:55"}],"name":[{"value":"leaf9"}],"descr":[{"value":"` + descr + `"}]}],
		"port":[{"id":[{"type":"ifname","value":"Ethernet7"}]}]}]}]}`
	var got []string
	for _, host := range []string{"web01", "web02"} {
		ns, err := ParseLLDPJSON([]byte(doc), host+"/lldp.json")
		if err != nil || len(ns) != 1 {
			t.Fatalf("%s: %v, %d neighbours", host, err, len(ns))
		}
		got = append(got, ns[0].SystemDescr)
	}
	if got[0] != descr || got[1] != descr {
		t.Fatalf("descriptions %q", got)
	}
	if unsafe.StringData(got[0]) != unsafe.StringData(got[1]) {
		t.Errorf("the switch's description is held once per host")
	}
}

// TestHostMACsShared: the addresses a host repeats across its files (the
// bond's MAC as each slave's current address and LACP actor system) are
// one string in its snapshot (issue 18: about a dozen copies per host).
func TestHostMACsShared(t *testing.T) {
	h, _, err := ReadCaptureFS(os.DirFS("testdata/capture"), "web01")
	if err != nil {
		t.Fatal(err)
	}
	byAddr := map[string][]string{}
	var where []string
	seen := map[string]*byte{}
	eachString(reflect.ValueOf(h).Elem(), "Host", func(path string, s reflect.Value) {
		v := s.String()
		if topology.NormalizeMAC(v) != v || len(v) != 17 || !strings.Contains(path, "MAC") && !strings.Contains(path, "System") {
			return
		}
		byAddr[v] = append(byAddr[v], path)
		if p, ok := seen[v]; ok && p != unsafe.StringData(v) {
			where = append(where, v+" at "+path)
		}
		seen[v] = unsafe.StringData(v)
	})
	repeated := 0
	for _, paths := range byAddr {
		if len(paths) > 1 {
			repeated++
		}
	}
	if repeated == 0 {
		t.Fatalf("no address repeated in the capture: %v", byAddr)
	}
	if len(where) > 0 {
		t.Errorf("addresses held more than once: %v", where)
	}
}

// A word read again is found in the cache in front of unique.Make: no copy
// of the bytes, the one canonical string, never the caller's buffer.
func TestInternBytesRepeatDoesNotAllocate(t *testing.T) {
	buf := []byte("802.3ad")
	first := internBytes(buf)
	if first != "802.3ad" || unsafe.StringData(first) == &buf[0] {
		t.Fatalf("internBytes = %q, or it points into the caller's buffer", first)
	}
	again := internBytes([]byte("802.3ad"))
	if unsafe.StringData(again) != unsafe.StringData(first) || unsafe.StringData(intern("802.3ad")) != unsafe.StringData(first) {
		t.Error("the same word interned twice gives two copies")
	}
	buf[0] = '9' // the caller reuses its buffer: the interned word does not change
	if first != "802.3ad" {
		t.Errorf("interned word changed with the caller's buffer: %q", first)
	}
	word := []byte("layer3+4")
	internBytes(word)
	if a := testing.AllocsPerRun(100, func() { internBytes(word) }); a != 0 {
		t.Errorf("interning a word seen before allocates %v times, want 0", a)
	}
}
