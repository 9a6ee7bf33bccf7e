package host

import (
	"os"
	"testing"
)

// BenchmarkParsers compares the capture file parsers with the references
// they replaced (the *_ref_test.go copies), on the web01 capture: the same
// binary, the same input, one after the other.
func BenchmarkParsers(b *testing.B) {
	ipLink, err := os.ReadFile("testdata/capture/web01/ip-link.json")
	if err != nil {
		b.Fatal(err)
	}
	lldp, err := os.ReadFile("testdata/lldp/sitegen-srv00001.json") // a 10k site's host (lldpcli -f json0)
	if err != nil {
		b.Fatal(err)
	}
	bond0, err := os.ReadFile("testdata/capture/web01/bonding/bond0")
	if err != nil {
		b.Fatal(err)
	}
	for _, bc := range []struct {
		name string
		f    func() error
	}{
		{"ip-link/new", func() error { _, err := ParseIPLinkJSON(ipLink, "f"); return err }},
		{"ip-link/ref", func() error { _, err := refParseIPLinkJSON(ipLink, "f"); return err }},
		{"lldp/new", func() error { _, err := ParseLLDPJSON(lldp, "f"); return err }},
		{"lldp/ref", func() error { _, err := refParseLLDPJSON(lldp, "f"); return err }},
		{"bonding/new", func() error { _, _, err := ParseProcBonding(bond0, "f", "bond0"); return err }},
		{"bonding/ref", func() error { _, _, err := refParseProcBonding(bond0, "f", "bond0"); return err }},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(ipLink)))
			switch bc.name[0] {
			case 'b':
				b.SetBytes(int64(len(bond0)))
			case 'l':
				b.SetBytes(int64(len(lldp)))
			}
			b.ReportAllocs()
			for b.Loop() {
				if err := bc.f(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
