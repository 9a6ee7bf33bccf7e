package collect_test

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/bondaudit/bondaudit/collect"
	"github.com/bondaudit/bondaudit/collect/host"
	"github.com/bondaudit/bondaudit/internal/fixtures"
	sg "github.com/bondaudit/bondaudit/internal/sitegen"
)

// plainFS hides SiteDir's folder reading (host.FolderFS) and listing
// (fs.ReadDirFS): hosts are read through Open alone, file by file, the
// path that shares no folder, listing or buffer with the next host.
type plainFS struct{ fsys fs.FS }

func (p plainFS) Open(name string) (fs.File, error) { return p.fsys.Open(name) }

// mixedSite writes a site for the loader's equivalence tests: a generated
// site of n hosts, the demo site's hosts and switches, the capture and
// sosreport test folders, hosts made of the OVS and teamd test files, one
// host per shared bonding fixture, and hosts whose files do not parse.
func mixedSite(t *testing.T, n int) string {
	t.Helper()
	dir := t.TempDir()
	if _, err := sg.Write(dir, sg.Options{Hosts: n, Switches: 12, Seed: 11, MinSlaves: 1, MaxSlaves: 8, FaultRate: 0.2}); err != nil {
		t.Fatal(err)
	}
	hosts := filepath.Join(dir, "hosts")
	copyTree(t, "demo/site/hosts", hosts)
	copyTree(t, "demo/site/switches", filepath.Join(dir, "switches"))
	copyTree(t, "host/testdata/capture", hosts)
	copyTree(t, "host/testdata/sosreport-db01", filepath.Join(hosts, "sosreport-db01"))
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
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	ovs, _ := filepath.Glob("host/testdata/ovs/*.txt")
	for i, f := range ovs {
		h := "ovs" + string(rune('a'+i))
		write(h+"/hostname", h+"\n")
		write(h+"/ovs-bonds.txt", read(f))
	}
	teams, _ := filepath.Glob("host/testdata/teamd/*.json")
	for i, f := range teams {
		h := "team" + string(rune('a'+i))
		write(h+"/hostname", h+"\n")
		write(h+"/teamd/"+strings.TrimSuffix(filepath.Base(f), ".json"), read(f))
	}
	bondings, _ := filepath.Glob(fixtures.Path("bonding", "*.txt"))
	for i, f := range bondings {
		h := "fx" + string(rune('a'+i/26)) + string(rune('a'+i%26))
		write(h+"/hostname", "  "+h+"  \n")
		write(h+"/bonding/bond0", read(f))
		write(h+"/bonding/bond1", read(bondings[(i+1)%len(bondings)]))
	}
	// Problems: a broken ip-link, a broken lldp, an empty hostname, a
	// capture with nothing in it, a snapshot file next to the folders.
	srv := filepath.Join(hosts, "srv00001")
	write("bad-iplink/hostname", "bad-iplink\n")
	write("bad-iplink/ip-link.json", `[{"ifname": "eth0", "mtu": 1500,]`)
	write("bad-iplink/bonding/bond0", read(filepath.Join(srv, "bonding", "bond0")))
	write("bad-lldp/ip-link.json", read(filepath.Join(srv, "ip-link.json")))
	write("bad-lldp/lldp.json", `{"lldp": [ {"interface": [ 1, 2 `)
	write("bad-lldp/hostname", "\n")
	write("empty/README", "nothing here\n")
	// ip-link's bonds without a bonding file (kept whole from ip-link),
	// and a bonding file that lacks a slave ip-link has and says nothing
	// of its slaves' LACP ports (taken from ip-link).
	for i := 2; i <= 9; i++ {
		src := filepath.Join(hosts, fmt.Sprintf("srv%05d", i))
		h := fmt.Sprintf("noproc%d", i)
		write(h+"/ip-link.json", read(filepath.Join(src, "ip-link.json")))
		h = fmt.Sprintf("halfproc%d", i)
		write(h+"/ip-link.json", read(filepath.Join(src, "ip-link.json")))
		var kept []string
		for sec := range strings.SplitSeq(read(filepath.Join(src, "bonding", "bond0")), "\nSlave Interface:") {
			sec, _, _ = strings.Cut(sec, "details actor lacp pdu:")
			kept = append(kept, sec)
		}
		if len(kept) > 2 {
			kept = kept[:len(kept)-1]
		}
		write(h+"/bonding/bond0", strings.Join(kept, "\nSlave Interface:")+"\n")
	}
	write("notes.txt", "not a host\n")
	return dir
}

// copyTree copies the folder src into dst (created when missing).
func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		out := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(out, 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(out, b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestLoadSiteMatchesHostByHost: the whole site loaded through SiteDir
// by several workers (pooled readers, scratch reused from host to host,
// folders listed once) is the site read host by host through a plain
// file system in the opposite order, each host serialised the moment it
// is read (so a later host reusing storage a kept value still points
// into would show), and is deeply equal to a one-worker load through the
// plain file system.
func TestLoadSiteMatchesHostByHost(t *testing.T) {
	n := 2000
	if testing.Short() {
		n = 200
	}
	dir := mixedSite(t, n)
	sd, err := collect.OpenSiteDir(dir, collect.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	defer sd.Close()
	got, err := collect.LoadSite(sd, "mixed", collect.LoadOptions{Workers: 5})
	if err != nil {
		t.Fatal(err)
	}
	plain := plainFS{os.DirFS(dir)}
	want, err := collect.LoadSite(plain, "mixed", collect.LoadOptions{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Hosts) < n || len(got.Switches) == 0 {
		t.Fatalf("read %d hosts and %d switches of a site of over %d hosts", len(got.Hosts), len(got.Switches), n)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("SiteDir load and plain load differ:\n%s", cmp.Diff(want, got))
	}

	// Host by host, last first, each kept as its JSON at once.
	entries, err := os.ReadDir(filepath.Join(dir, "hosts"))
	if err != nil {
		t.Fatal(err)
	}
	type read struct {
		json     string
		problems []string
	}
	byName := map[string]read{}
	for _, e := range slices.Backward(entries) {
		if !e.IsDir() {
			continue
		}
		h, probs, err := host.ReadCaptureFS(plain, "hosts/"+e.Name())
		if err != nil {
			continue
		}
		b, err := json.Marshal(h)
		if err != nil {
			t.Fatal(err)
		}
		byName[h.Name] = read{string(b), probs}
	}
	var problems []string
	for _, p := range got.Problems {
		problems = append(problems, p.String())
	}
	checked, nprob := 0, 0
	for _, h := range got.Hosts {
		r, ok := byName[h.Name]
		if !ok {
			continue // a snapshot file, not a folder
		}
		b, err := json.Marshal(h)
		if err != nil {
			t.Fatal(err)
		}
		if string(b) != r.json {
			t.Errorf("host %s: loaded with the site it is\n%s\nread alone it is\n%s", h.Name, b, r.json)
			continue
		}
		for _, p := range r.problems {
			if !slices.Contains(problems, p) {
				t.Errorf("host %s: problem %q read alone is not in the site's problems", h.Name, p)
			}
			nprob++
		}
		checked++
	}
	if checked < n || nprob == 0 {
		t.Errorf("compared %d hosts and %d problems, want at least %d hosts and a problem", checked, nprob, n)
	}
}
