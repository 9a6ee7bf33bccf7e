package host

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/bondaudit/bondaudit/topology"
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
		checkBondingInto(t, data, bonds, err)
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
		checkLentLinks(t, data, l, err)
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

// fuzzScratch is lent to every input a fuzzing process reads, as a
// capture reader lends its storage from capture to capture.
var fuzzScratch linkScratch

// checkLentLinks fails when ip-link read with storage lent (and left over
// from the inputs read before) differs from want, read with none.
func checkLentLinks(t *testing.T, data []byte, want *Links, wantErr error) {
	t.Helper()
	fuzzScratch.ifNames = true
	got, err := parseIPLinkJSON(data, "fuzz", new(macList), &fuzzScratch)
	defer fuzzScratch.release()
	if (err == nil) != (wantErr == nil) || err != nil && err.Error() != wantErr.Error() {
		t.Fatalf("lent storage: error %v, want %v", err, wantErr)
	}
	if err != nil {
		return
	}
	if !reflect.DeepEqual(*got, *want) {
		t.Fatalf("%q: read with lent storage\n%+v\nwant\n%+v", data, *got, *want)
	}
}

// checkBondingInto fails when a bonding file's bonds appended to a list
// that holds bonds already differ from want, or touch those bonds.
func checkBondingInto(t *testing.T, data []byte, want []topology.Bond, wantErr error) {
	t.Helper()
	held := []topology.Bond{{Name: "held", Source: "earlier"}}
	dst := append(make([]topology.Bond, 0, 4), held...)
	all, _, err := parseProcBondingInto(dst, data, "fuzz", "bond0", new(macList))
	if (err == nil) != (wantErr == nil) {
		t.Fatalf("appended: error %v, want %v", err, wantErr)
	}
	if len(all) < 1 || !reflect.DeepEqual(all[0], held[0]) {
		t.Fatalf("appended: the bond held before is now %+v", all[:min(len(all), 1)])
	}
	if got := all[1:]; len(got) != len(want) || len(want) > 0 && !reflect.DeepEqual(got, want) {
		t.Fatalf("%q: appended\n%+v\nwant\n%+v", data, got, want)
	}
}
