package host_test

import (
	"testing"

	"github.com/bondaudit/bondaudit/collect/host"
	sg "github.com/bondaudit/bondaudit/internal/sitegen"
)

// TestScannerAgreesOnGeneratedSites: the ip-link and lldpcli JSON of the
// generated sites' hosts (every bond shape and planted fault sitegen
// makes) are read by the scanner as by the parsers on fastjson.
func TestScannerAgreesOnGeneratedSites(t *testing.T) {
	for _, o := range []sg.Options{
		{Hosts: 120, Switches: 6, Seed: 3, FaultRate: 0.5},
		{Hosts: 60, Switches: 5, Seed: 11, MinSlaves: 1, MaxSlaves: 8, FaultRate: 0.3},
	} {
		s, _, err := sg.Generate(o)
		if err != nil {
			t.Fatal(err)
		}
		var b []byte
		for _, h := range s.Hosts {
			b = sg.AppendIPLinkJSON(b[:0], h)
			host.CheckIPLinkAgrees(t, b)
			b = sg.AppendLLDPJSON0(b[:0], h)
			host.CheckLLDPJSONAgrees(t, b)
		}
	}
}

// TestIPLinkNICsMadeToFit: the NIC list a snapshot keeps has no room for
// the links that are not NICs (lo, bonds, bridges, VLANs): the first pass
// counts the NICs.
func TestIPLinkNICsMadeToFit(t *testing.T) {
	s, _, err := sg.Generate(sg.Options{Hosts: 80, Switches: 6, Seed: 9, MinSlaves: 1, MaxSlaves: 8, FaultRate: 0.5})
	if err != nil {
		t.Fatal(err)
	}
	var b []byte
	nics := 0
	for _, h := range s.Hosts {
		b = sg.AppendIPLinkJSON(b[:0], h)
		l, err := host.ParseIPLinkJSON(b, "ip-link.json")
		if err != nil {
			t.Fatal(err)
		}
		if cap(l.NICs) != len(l.NICs) {
			t.Errorf("%s: %d NICs in a list made for %d", h.Name, len(l.NICs), cap(l.NICs))
		}
		nics += len(l.NICs)
	}
	if nics == 0 {
		t.Fatal("no NICs read")
	}
}
