package all_test

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/bondaudit/bondaudit/collect/snmp"
	"github.com/bondaudit/bondaudit/internal/vendortest"
	"github.com/bondaudit/bondaudit/vendors/all"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the code")

// golden compares got with testdata/name, or writes it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	p := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if string(want) != got {
		gl, wl := strings.Split(got, "\n"), strings.Split(string(want), "\n")
		for i := range max(len(gl), len(wl)) {
			g, w := "", ""
			if i < len(gl) {
				g = gl[i]
			}
			if i < len(wl) {
				w = wl[i]
			}
			if g != w {
				t.Errorf("%s line %d:\n got  %s\n want %s", p, i+1, g, w)
			}
		}
	}
}

// TestProfilesUnchanged: every profile, in recognition order, with what
// recognises it, the subtrees a poller walks (in walk order), whether it
// has a decoder, its capabilities and tested-on list, is as recorded in
// testdata/profiles.golden (written from the profiles as they were before
// each family moved into one place).
func TestProfilesUnchanged(t *testing.T) {
	var b strings.Builder
	for _, p := range all.Profiles() {
		fmt.Fprintf(&b, "%s enterprises=%v descr=%q decode=%v perVLANFDB=%v\n", p.Name, p.Enterprises, p.DescrAny, p.Decode != nil, p.PerVLANFDB)
		for _, o := range p.OIDs {
			fmt.Fprintf(&b, "  oid %s\n", o)
		}
		for _, s := range p.Tested {
			fmt.Fprintf(&b, "  tested %s\n", s)
		}
	}
	golden(t, "profiles.golden", b.String())
}

// TestRecognitionUnchanged: every shared recording, and every enterprise
// number a profile names with each word that tells families apart, is
// recognised as in testdata/recognition.golden (recorded before each
// family moved into one place): families sharing an enterprise number
// (SONiC on Dell, Broadcom, Arista or Mellanox hardware; Cisco's four)
// keep their order.
func TestRecognitionUnchanged(t *testing.T) {
	var b strings.Builder
	files, _ := filepath.Glob(filepath.Join(vendortest.FixtureDir(), "*.snmprec"))
	slices.Sort(files)
	if len(files) == 0 {
		t.Log("shared recordings absent: checking the enterprise matrix only")
	}
	for _, f := range files {
		w, _, err := snmp.ReadWalkFile(f)
		if err != nil {
			t.Fatal(err)
		}
		oid, _ := w.Get("1.3.6.1.2.1.1.2.0")
		descr, _ := w.Get("1.3.6.1.2.1.1.1.0")
		s, _ := all.Decode(w, "x")
		fmt.Fprintf(&b, "%s %s %s\n", filepath.Base(f), all.Identify(oid.OID, descr.Text()).Name, s.Vendor)
	}
	if len(files) > 0 {
		golden(t, "recognition.golden", b.String())
	}
	var m strings.Builder
	var ents []int
	for _, p := range all.Profiles() {
		ents = append(ents, p.Enterprises...)
	}
	ents = append(ents, 99999)
	slices.Sort(ents)
	ents = slices.Compact(ents)
	descrs := []string{"", "SONiC Software Version", "Cisco NX-OS(tm)", "Cisco IOS XR Software", "CBS350", "SG350X", "SG500", "SF300", "Cisco IOS Software", "Arista Networks EOS", "Dell EMC Networking OS10", "Linux"}
	for _, e := range ents {
		for _, d := range descrs {
			fmt.Fprintf(&m, "%d %q %s\n", e, d, all.Identify(fmt.Sprintf("1.3.6.1.4.1.%d.1.2", e), d).Name)
		}
	}
	golden(t, "recognition-matrix.golden", m.String())
}
