package topology

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// normPortKey is NormalizePortName written into a caller's buffer: the same
// key for every name, including the ones it hands to NormalizePortName
// (non-ASCII, too long).
func TestNormPortKeyMatchesNormalizePortName(t *testing.T) {
	names := []string{"", " ", "Ethernet1", "Eth1", " eth1 ", "ETHERNET1/49", "Gi1/0/1", "gi 1/0/1", "Po7",
		"port-channel 7", "Port-Channel7", "xe-0/0/1", "XE-0/0/1", "swp46", "1/1/55", "ens3f0", "mgmt0", "Vl10",
		"TwentyFiveGigabitEthernet1/0/1", "tw1/0/1", "et", "et-", "et x", "\tEth1\n", "Eth\u00a01", "\u00a0Eth1",
		"Éth1", "gi" + strings.Repeat("1", 62), "gi" + strings.Repeat("1", 63), strings.Repeat("A", 70),
		"hu" + strings.Repeat("9", 40), "hundredgige1/0/1", "Vlan", "vlan1", "-1", "a-b-1", "eth  1"}
	r := rand.New(rand.NewPCG(1, 2))
	alphabet := []string{"E", "t", "h", "e", "r", "n", "g", "i", "G", "P", "o", "-", " ", "\t", "1", "/", "0", "9", ".", ":", "é", "\u00a0"}
	for range 20000 {
		var b strings.Builder
		for range r.IntN(12) {
			b.WriteString(alphabet[r.IntN(len(alphabet))])
		}
		names = append(names, b.String())
	}
	for _, n := range names {
		var buf [portKeyMax]byte
		if got, want := string(normPortKey(&buf, n)), NormalizePortName(n); got != want {
			t.Errorf("normPortKey(%q) = %q, NormalizePortName = %q", n, got, want)
		}
	}
}

// Looking a port, LAG or member up by name does not allocate (it did once
// per call for "Ethernet1": lower-casing, then the long prefix), and finds
// what the normalised name finds.
func TestSwitchLookupsDoNotAllocate(t *testing.T) {
	sw := &Switch{Name: "sw1",
		Ports: []Port{{Name: "Ethernet1"}, {Name: "Eth1"}, {Name: "Ethernet2"}, {Name: "Port-Channel7"}},
		LAGs:  []LAG{{Name: "Port-Channel7", Members: []string{"Ethernet1", "Ethernet2"}}},
	}
	m, err := Build(nil, []*Switch{sw}, BuildOptions{})
	if err != nil {
		t.Fatal(err)
	}
	s := m.Switch("sw1")
	if !SamePort("Ethernet1", "eth 1") || SamePort("Ethernet1", "Ethernet11") {
		t.Fatal("SamePort is wrong")
	}
	if s.Port("ETH 1") != &sw.Ports[0] || s.Port("eth2") != &sw.Ports[2] || s.LAGOf("Eth2") != &sw.LAGs[0] || s.LAG("po7") != &sw.LAGs[0] {
		t.Fatal("lookups by other spellings of the names fail")
	}
	if a := testing.AllocsPerRun(100, func() {
		_ = s.Port("Ethernet2")
		_ = s.LAGOf("Ethernet1")
		_ = s.LAG("Po7")
		_ = m.LinksOnPort("sw1", "Ethernet1")
		_ = SamePort("Ethernet1", "Eth1")
	}); a != 0 {
		t.Errorf("lookups by name allocate %v times, want 0", a)
	}
}

// macKey packs a MAC exactly: distinct MACs never share a key, equal ones
// (in any form NormalizeMAC reads) always do; it reads what NormalizeMAC
// reads and nothing else; macString gives back the canonical form, and
// keys sort as the canonical strings do.
func TestMACKeyPacksMACs(t *testing.T) {
	macs := []string{"00:00:00:00:00:00", "00:00:00:00:00:01", "00:00:00:00:01:00", "10:00:00:00:00:00", "ff:ff:ff:ff:ff:ff",
		"fe:ff:ff:ff:ff:ff", "0a:0b:0c:0d:0e:0f", "a0:b0:c0:d0:e0:f0", "44:4c:a8:03:f0:00", "b8:ce:f6:00:19:02"}
	seen := map[uint64]string{}
	for _, m := range macs {
		k, ok := macKey(m)
		if !ok {
			t.Fatalf("macKey(%s) not ok", m)
		}
		if prev, dup := seen[k]; dup {
			t.Errorf("macKey(%s) = macKey of %s", m, prev)
		}
		seen[k] = m
		if got := macString(k); got != m {
			t.Errorf("macString(macKey(%s)) = %s", m, got)
		}
		u := strings.ToUpper(m)
		forms := []string{u, " " + m + " ", strings.ReplaceAll(m, ":", "-"), strings.ReplaceAll(m, ":", ""),
			"0x" + strings.ReplaceAll(u, ":", ""), strings.ReplaceAll(m, ":", " ")}
		h := strings.ReplaceAll(m, ":", "")
		forms = append(forms, h[:4]+"."+h[4:8]+"."+h[8:])
		for _, f := range forms {
			if NormalizeMAC(f) != m {
				t.Fatalf("NormalizeMAC(%q) = %q, want %s", f, NormalizeMAC(f), m)
			}
			if fk, ok := macKey(f); !ok || fk != k {
				t.Errorf("macKey(%q) = %#x %v, want %#x (as %s)", f, fk, ok, k, m)
			}
		}
		if uk, ok := usableMACKey(m); ok != (m != ZeroMAC) || ok && uk != k {
			t.Errorf("usableMACKey(%s) = %#x %v", m, uk, ok)
		}
	}
	if k, _ := macKey("ff:ff:ff:ff:ff:ff"); k != 1<<48-1 {
		t.Errorf("macKey(ff:…:ff) = %#x, want 48 bits set", k)
	}
	for _, m := range macs {
		for _, n := range macs {
			km, _ := macKey(m)
			kn, _ := macKey(n)
			if (km < kn) != (m < n) {
				t.Errorf("keys of %s and %s order unlike the strings", m, n)
			}
		}
	}
	for _, bad := range []string{"", "  ", "00:00:00:00:00", "00:00:00:00:00:00:00", "zz:00:00:00:00:00", "0:1:2:3:4:5:6",
		"001c.73b3.afb", "0x001c73b3afb", "001c73b3afbbb", "hello", "fe80::1", "00:00:00:00:00:0g"} {
		if k, ok := macKey(bad); ok != (NormalizeMAC(bad) != "") {
			t.Errorf("macKey(%q) = %#x %v, NormalizeMAC = %q", bad, k, ok, NormalizeMAC(bad))
		}
	}
}

// FuzzMACKey: macKey agrees with NormalizeMAC on any input.
func FuzzMACKey(f *testing.F) {
	for _, s := range []string{"00:1c:73:b3:af:bb", "001c.73b3.afbb", "0:1c:73:b3:af:bb", "00-1C-73-B3-AF-BB", "001c73b3afbb", "0x001C73B3AFBB", "", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := NormalizeMAC(s)
		k, ok := macKey(s)
		if ok != (n != "") || ok && macString(k) != n {
			t.Errorf("macKey(%q) = %#x %v, NormalizeMAC = %q", s, k, ok, n)
		}
	})
}
