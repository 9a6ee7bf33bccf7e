package host

import (
	"os"
	"path/filepath"
	"testing"
)

// seedFrom adds every file matching pattern (shared fixtures read in place,
// or the package's own testdata) to the corpus.
func seedFrom(f *testing.F, patterns ...string) {
	for _, p := range patterns {
		files, _ := filepath.Glob(p)
		for _, file := range files {
			if b, err := os.ReadFile(file); err == nil {
				f.Add(b)
			}
		}
	}
}

func FuzzProcBonding(f *testing.F) {
	seedFrom(f, filepath.Join(fixtureDir, "bonding", "*"), "testdata/capture/*/bonding/*", "testdata/sosreport-*/proc/net/bonding/*")
	// small seeds: the lines the scanner treats apart
	for _, s := range []string{"Bonding Mode: 802.3ad\nLACP rate: FAST\n", "Slave Interface: e\r\nMII Status: Up-\n", "/proc/net/bonding/b\nBonding Mode: x\nSpeed: 1", "Bonding Mode: (xor)\nPermanent HW addr: 0:1:2:3:4:5\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkBondingAgrees(t, data) // the byte scanner reads as the string parser did
		bonds, _, err := ParseProcBonding(data, "fuzz", "bond0")
		if err == nil && len(bonds) == 0 {
			t.Fatal("no error and no bond")
		}
		for _, b := range bonds {
			if b.Name == "" {
				t.Fatal("bond without a name")
			}
		}
	})
}

func FuzzIPLinkJSON(f *testing.F) {
	seedFrom(f, "testdata/capture/*/ip-link.json")
	for _, s := range ipLinkSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkIPLinkAgrees(t, data) // as before the scratch buffers
		l, err := ParseIPLinkJSON(data, "fuzz")
		if err == nil && l == nil {
			t.Fatal("nil result without error")
		}
		_, _ = ParseIPLinkText(data, "fuzz")
	})
}

func FuzzLLDPJSON(f *testing.F) {
	seedFrom(f, filepath.Join(fixtureDir, "lldp", "*"), "testdata/sosreport-*/sos_commands/lldp/*")
	for _, s := range lldpJSONSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkLLDPJSONAgrees(t, data) // the scanner reads as fastjson's tree did
		nbs, err := ParseLLDP(data, "fuzz")
		if err != nil && len(nbs) > 0 {
			t.Fatal("neighbours returned with an error")
		}
		for _, n := range nbs {
			if n.LocalPort == "" {
				t.Fatal("neighbour without a local port")
			}
		}
	})
}
