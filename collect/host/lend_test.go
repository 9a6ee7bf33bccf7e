package host_test

import (
	"fmt"
	iofs "io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/bondaudit/bondaudit/collect/host"
	sg "github.com/bondaudit/bondaudit/internal/sitegen"
	"github.com/bondaudit/bondaudit/topology"
)

// TestLentStorageChangesNothing: captures read one after the other by
// readers that lend the parsers their storage from capture to capture
// (the site loader's way) are, each and all kept to the end, deeply equal
// to the same captures read with nothing lent. A host that kept a piece
// of the lent storage would show the capture read after it (or the
// storage emptied). The captures: a generated site (every bond shape and
// fault sitegen makes), copies without the bonding files (ip-link's bonds
// kept whole) or with bonding files that lack a slave, the LACP ports or
// the active aggregator (ip-link's taken), and the package's capture and sosreport folders.
func TestLentStorageChangesNothing(t *testing.T) {
	dir := t.TempDir()
	if _, err := sg.Write(dir, sg.Options{Hosts: 150, Switches: 6, Seed: 5, MinSlaves: 1, MaxSlaves: 8, FaultRate: 0.4}); err != nil {
		t.Fatal(err)
	}
	hosts := filepath.Join(dir, "hosts")
	gen, err := os.ReadDir(hosts)
	if err != nil {
		t.Fatal(err)
	}
	write := func(p, s string) {
		t.Helper()
		p = filepath.Join(hosts, p)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	read := func(p string) string {
		t.Helper()
		b, err := os.ReadFile(filepath.Join(hosts, p))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	for i, e := range gen[:40] {
		ip := read(e.Name() + "/ip-link.json")
		write(fmt.Sprintf("noproc%d/ip-link.json", i), ip)
		bonds, _ := os.ReadDir(filepath.Join(hosts, e.Name(), "bonding"))
		write(fmt.Sprintf("halfproc%d/ip-link.json", i), ip)
		for _, bf := range bonds {
			var kept []string
			for sec := range strings.SplitSeq(read(e.Name()+"/bonding/"+bf.Name()), "\nSlave Interface:") {
				if i%2 == 0 {
					sec, _, _ = strings.Cut(sec, "details actor lacp pdu:")
				}
				kept = append(kept, sec)
			}
			if len(kept) > 2 {
				kept = kept[:len(kept)-1]
			}
			text := strings.Join(kept, "\nSlave Interface:") + "\n"
			if i%3 == 0 {
				// no active aggregator either (ip-link's taken)
				var lines []string
				for l := range strings.SplitSeq(text, "\n") {
					if !strings.HasPrefix(l, "Active Aggregator Info:") && !strings.HasPrefix(l, "\t") {
						lines = append(lines, l)
					}
				}
				text = strings.Join(lines, "\n")
			}
			write(fmt.Sprintf("halfproc%d/bonding/%s", i, bf.Name()), text)
		}
	}
	type capture struct {
		fsys iofs.FS
		dir  string
	}
	var caps []capture
	all, _ := os.ReadDir(hosts)
	site := os.DirFS(dir)
	for _, e := range all {
		caps = append(caps, capture{site, "hosts/" + e.Name()})
	}
	for _, d := range []string{"testdata/capture/web01", "testdata/sosreport-db01"} {
		caps = append(caps, capture{os.DirFS("."), d})
	}
	type read1 struct {
		h        *topology.Host
		problems []string
		err      error
	}
	readAll := func() []read1 {
		var out []read1
		for _, c := range caps {
			h, probs, err := host.ReadCaptureFS(c.fsys, c.dir)
			out = append(out, read1{h, probs, err})
		}
		return out
	}
	lent := readAll()
	restore := host.SetLendStorage(false)
	fresh := readAll()
	restore()
	bonds := 0
	for i := range caps {
		if !reflect.DeepEqual(lent[i], fresh[i]) {
			t.Errorf("%s: read with lent storage differs:\n%s", caps[i].dir, cmp.Diff(fresh[i].h, lent[i].h))
		}
		if lent[i].h != nil {
			bonds += len(lent[i].h.Bonds)
		}
	}
	if len(caps) < 230 || bonds < 200 {
		t.Errorf("compared %d captures with %d bonds: too few to tell", len(caps), bonds)
	}
}
