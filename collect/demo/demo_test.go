package demo

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"encoding/json"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/bondaudit/bondaudit/internal/sitegen"
)

var (
	hostNames   = []string{"app01", "app02", "backup01", "db01", "kvm01", "stor01", "web01", "web02"}
	switchNames = []string{"access2", "leaf1a", "leaf1b", "leaf2"}
	snmprecLine = regexp.MustCompile(`^[0-9.]+\|[0-9]+x?\|.*$`)
)

func TestEmbeddedFiles(t *testing.T) {
	site := FS()
	var want []string
	want = append(want, "README.md")
	for _, h := range hostNames {
		for _, f := range []string{"hostname", "ip-link.json", "lldp.json", "bonding/bond0"} {
			want = append(want, path.Join("hosts", h, f))
		}
	}
	for _, s := range switchNames {
		want = append(want, path.Join("switches", s+".snmprec"))
	}
	var got []string
	err := fs.WalkDir(site, ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			got = append(got, p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(want)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("embedded files:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, h := range hostNames {
		b, err := fs.ReadFile(site, path.Join("hosts", h, "hostname"))
		if err != nil {
			t.Fatal(err)
		}
		if string(b) != h+"\n" {
			t.Errorf("hosts/%s/hostname = %q", h, b)
		}
	}
	readme, err := fs.ReadFile(site, "README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range hostNames {
		if !bytes.Contains(readme, []byte("| "+h+" |")) {
			t.Errorf("README.md has no row for %s", h)
		}
	}
	// The root of Site is the package directory, with the site under site/.
	if _, err := fs.Stat(Site, "site/README.md"); err != nil {
		t.Error(err)
	}
}

func TestSnmprecLines(t *testing.T) {
	for _, s := range switchNames {
		data, err := fs.ReadFile(FS(), "switches/"+s+".snmprec")
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(bytes.NewReader(data))
		n := 0
		for sc.Scan() {
			n++
			if !snmprecLine.Match(sc.Bytes()) {
				t.Errorf("%s.snmprec:%d: %q", s, n, sc.Text())
			}
		}
		if n < 500 {
			t.Errorf("%s.snmprec: only %d lines", s, n)
		}
	}
}

type ipLink struct {
	IfName   string `json:"ifname"`
	Master   string `json:"master"`
	Address  string `json:"address"`
	PermAddr string `json:"permaddr"`
	LinkInfo *struct {
		InfoKind      string         `json:"info_kind"`
		InfoData      map[string]any `json:"info_data"`
		InfoSlaveKind string         `json:"info_slave_kind"`
		InfoSlaveData map[string]any `json:"info_slave_data"`
	} `json:"linkinfo"`
}

func TestJSON(t *testing.T) {
	err := fs.WalkDir(FS(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".json") {
			return err
		}
		data, err := fs.ReadFile(FS(), p)
		if err != nil {
			return err
		}
		var v any
		if err := json.Unmarshal(data, &v); err != nil {
			t.Errorf("%s: %v", p, err)
			return nil
		}
		if path.Base(p) != "ip-link.json" {
			return nil
		}
		if _, ok := v.([]any); !ok {
			t.Errorf("%s: not a JSON array", p)
			return nil
		}
		var links []ipLink
		if err := json.Unmarshal(data, &links); err != nil {
			t.Errorf("%s: %v", p, err)
			return nil
		}
		kind := map[string]string{}
		for _, l := range links {
			if l.LinkInfo != nil {
				kind[l.IfName] = l.LinkInfo.InfoKind
			}
		}
		bonds := 0
		for _, l := range links {
			if l.LinkInfo == nil {
				continue
			}
			if l.LinkInfo.InfoKind == "bond" {
				bonds++
				if l.LinkInfo.InfoData["mode"] == nil || l.LinkInfo.InfoData["miimon"] == nil {
					t.Errorf("%s: bond %s info_data lacks mode or miimon", p, l.IfName)
				}
			}
			if l.LinkInfo.InfoSlaveKind == "bond" {
				if kind[l.Master] != "bond" {
					t.Errorf("%s: %s is a bond slave of %s, whose info_kind is %q", p, l.IfName, l.Master, kind[l.Master])
				}
				if l.LinkInfo.InfoSlaveData["perm_hwaddr"] == nil {
					t.Errorf("%s: slave %s has no perm_hwaddr", p, l.IfName)
				}
			}
		}
		if bonds != 1 {
			t.Errorf("%s: %d bonds, want 1", p, bonds)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestCrossConsistency checks what a joiner relies on: the chassis every
// host hears is a switch's lldpLocChassisId, every host MAC a switch hears
// is a host NIC's permanent address; then the deeper sitegen checks (LLDP
// both ways, LACP partners on both ends, sorted snmprec).
func TestCrossConsistency(t *testing.T) {
	site := FS()
	chassis := map[string]string{}
	remMACs := map[string]string{}
	for _, s := range switchNames {
		data, err := fs.ReadFile(site, "switches/"+s+".snmprec")
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
			parts := strings.SplitN(line, "|", 3)
			switch {
			case parts[0] == "1.0.8802.1.1.2.1.3.2.0":
				chassis[macOf(t, parts[2])] = s
			case strings.HasPrefix(parts[0], "1.0.8802.1.1.2.1.4.1.1.7.") && parts[1] == "4x":
				remMACs[macOf(t, parts[2])] = s
			}
		}
	}
	if len(chassis) != len(switchNames) {
		t.Fatalf("%d distinct lldpLocChassisId values, want %d", len(chassis), len(switchNames))
	}

	perm := map[string]bool{}
	for _, h := range hostNames {
		var links []ipLink
		data, _ := fs.ReadFile(site, path.Join("hosts", h, "ip-link.json"))
		if err := json.Unmarshal(data, &links); err != nil {
			t.Fatal(err)
		}
		for _, l := range links {
			switch {
			case l.LinkInfo != nil && l.LinkInfo.InfoSlaveKind == "bond":
				perm[l.LinkInfo.InfoSlaveData["perm_hwaddr"].(string)] = true
			case l.PermAddr != "":
				perm[l.PermAddr] = true
			}
		}
		var doc struct {
			LLDP []struct {
				Interface []struct {
					Name    string `json:"name"`
					Chassis []struct {
						ID []struct{ Value string } `json:"id"`
					} `json:"chassis"`
				} `json:"interface"`
			} `json:"lldp"`
		}
		data, _ = fs.ReadFile(site, path.Join("hosts", h, "lldp.json"))
		if err := json.Unmarshal(data, &doc); err != nil {
			t.Fatal(err)
		}
		heard := 0
		for _, l := range doc.LLDP {
			for _, in := range l.Interface {
				heard++
				id := in.Chassis[0].ID[0].Value
				if chassis[id] == "" {
					t.Errorf("%s %s hears chassis %s, no switch's lldpLocChassisId", h, in.Name, id)
				}
			}
		}
		if heard == 0 {
			t.Errorf("%s hears no LLDP neighbour", h)
		}
	}
	for mac, sw := range remMACs {
		if !perm[mac] {
			t.Errorf("%s's lldpRemTable names %s, no host NIC's permanent address", sw, mac)
		}
	}
	if len(remMACs) == 0 {
		t.Error("no switch hears a host by MAC port ID")
	}
	if err := sitegen.CheckSite(site); err != nil {
		t.Errorf("sitegen.CheckSite:\n%v", err)
	}
}

func macOf(t *testing.T, h string) string {
	t.Helper()
	b, err := hex.DecodeString(h)
	if err != nil || len(b) != 6 {
		t.Fatalf("%q is not a hex MAC", h)
	}
	return sitegen.MAC(b).String()
}

// TestGenerated regenerates the site and compares it with the embedded
// files, so that gen/ and site/ cannot drift apart.
func TestGenerated(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the generator with go run; skipped with -short")
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go command not in PATH: cannot run ./gen")
	}
	dir := t.TempDir()
	cmd := exec.Command(goBin, "run", "./gen", "-o", dir)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go run ./gen: %v\n%s", err, out)
	}
	fresh := os.DirFS(dir)
	err = fs.WalkDir(fresh, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		want, _ := fs.ReadFile(fresh, p)
		got, err := fs.ReadFile(FS(), p)
		if err != nil {
			t.Errorf("%s: generated but not embedded", p)
		} else if !bytes.Equal(got, want) {
			t.Errorf("%s differs from what ./gen writes: run go generate ./collect/demo", p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
