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
