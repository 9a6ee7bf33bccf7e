//go:build linux

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bondaudit/bondaudit/internal/needtool"
	"github.com/bondaudit/bondaudit/internal/sshlab"
)

// TestAnsiblePlaybook: Debian's ansible-playbook runs docs/ansible/capture.yml
// against 10 namespaced sshd hosts running lldpd; every host's folder is
// the raw capture (hostname, ip-link.json and lldp.json as the host prints
// them; no bonding/ as the lab's kernel has none), no partial or temporary
// folder is left, and `bondaudit audit` reads every host with nothing NOT
// READ. Where the build has `collect hosts`, it collects the same lab and
// must write the same folders.
func TestAnsiblePlaybook(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: ansible against 10 sshd hosts")
	}
	playbook, err := filepath.Abs("../../docs/ansible/capture.yml")
	if err != nil {
		t.Fatal(err)
	}
	ansible := needtool.Need(t, "ansible", "ansible-playbook")
	needtool.Need(t, "openssh-client", "ssh")
	needtool.Need(t, "lldpd", "lldpd")
	lab := sshlab.Start(t, 10, sshlab.Options{Prefix: "web", LLDPD: true})
	work := t.TempDir()
	site := filepath.Join(work, "site")
	// A stale folder of a host the run replaces, and one of a host it does
	// not know, which stays.
	for _, d := range []string{"hosts/web001/bonding", "hosts/keep01"} {
		os.MkdirAll(filepath.Join(site, d), 0o755)
	}
	os.WriteFile(filepath.Join(site, "hosts/web001/bonding/bond0"), []byte("stale"), 0o644)
	os.WriteFile(filepath.Join(site, "hosts/keep01/hostname"), []byte("keep01\n"), 0o644)
	os.WriteFile(filepath.Join(site, "hosts/keep01/ip-link.json"), []byte("[]\n"), 0o644)

	cp, err := os.MkdirTemp("", "cp") // a short path: it holds unix sockets
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(cp) })
	// ansible's remote_tmp is on the lab host, this machine, as the lab's
	// user: a fixed path it can create, removed after.
	t.Cleanup(func() { os.RemoveAll("/tmp/.ansible-sshlab") })
	cfg := filepath.Join(work, "ansible.cfg")
	os.WriteFile(cfg, []byte(`[defaults]
host_key_checking = True
remote_user = `+lab.User+`
private_key_file = `+lab.Key+`
interpreter_python = /usr/bin/python3
remote_tmp = /tmp/.ansible-sshlab
local_tmp = `+filepath.Join(work, "ansible-local")+`
forks = 10
retry_files_enabled = False
nocolor = True
[ssh_connection]
ssh_args = -o ControlMaster=auto -o ControlPersist=60s -o IdentitiesOnly=yes -o UserKnownHostsFile=`+lab.KnownHosts+` -o GlobalKnownHostsFile=/dev/null -o StrictHostKeyChecking=yes
control_path_dir = `+cp+`
control_path = %(directory)s/%%C
pipelining = True
`), 0o644)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, ansible, "-i", lab.Inventory, playbook, "-e", "site="+site)
	cmd.Dir = work
	cmd.Env = append(os.Environ(), "ANSIBLE_CONFIG="+cfg, "HOME="+work, "ANSIBLE_FORCE_COLOR=0")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	begin := time.Now()
	if err := cmd.Run(); err != nil {
		t.Fatalf("ansible-playbook: %v\n%s", err, out.String())
	}
	t.Logf("ansible-playbook: %d hosts in %v", len(lab.Hosts), time.Since(begin))

	ents, err := os.ReadDir(filepath.Join(site, "hosts"))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range ents {
		got = append(got, e.Name())
	}
	want := []string{"keep01"}
	for _, h := range lab.Hosts {
		want = append(want, h.Name)
	}
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("site/hosts holds %v, want %v (no partial or old folders)", got, want)
	}
	for _, h := range lab.Hosts {
		dir := filepath.Join(site, "hosts", h.Name)
		files := listFiles(dir)
		if !slices.Equal(files, []string{"hostname", "ip-link.json", "lldp.json"}) {
			t.Errorf("%s: files %v, want hostname, ip-link.json and lldp.json", h.Name, files)
		}
		if b, _ := os.ReadFile(filepath.Join(dir, "lldp.json")); !json.Valid(b) || !bytes.Contains(b, []byte(`"ens1f1"`)) {
			t.Errorf("%s: lldp.json: %s", h.Name, b)
		}
		if b, _ := os.ReadFile(filepath.Join(dir, "hostname")); string(b) != h.Name+"\n" {
			t.Errorf("%s: hostname %q", h.Name, b)
		}
		b, _ := os.ReadFile(filepath.Join(dir, "ip-link.json"))
		var links []struct {
			Name string `json:"ifname"`
		}
		if err := json.Unmarshal(b, &links); err != nil || len(links) != 4 || !bytes.HasSuffix(b, []byte("\n")) {
			t.Errorf("%s: ip-link.json (%v): %s", h.Name, err, b)
		}
	}
	code, stdout, stderr := runCLI(t, "audit", site, "--format", "json", "--fail-on", "never")
	if code != 0 {
		t.Fatalf("audit exit %d: %s", code, stderr)
	}
	var rep struct {
		Inventory struct {
			Hosts []string `json:"hosts"`
		} `json:"inventory"`
		Problems []json.RawMessage `json:"problems"`
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatalf("audit json: %v\n%s", err, stdout)
	}
	if !slices.Equal(rep.Inventory.Hosts, want) || len(rep.Problems) != 0 {
		t.Errorf("audit read hosts %v (want %v), problems %s", rep.Inventory.Hosts, want, rep.Problems)
	}
	if _, text, _ := runCLI(t, "audit", site, "--fail-on", "never"); strings.Contains(text, "NOT READ") {
		t.Errorf("audit: %s", text)
	}

	// collect hosts against the same lab writes the same files with the
	// same bytes (lldpd's "age" of a neighbour aside).
	other := filepath.Join(work, "other", "hosts")
	if code, _, stderr := runCLI(t, "collect", "hosts", "-i", lab.Inventory, "-F", lab.SSHConfig, "--known-hosts", lab.KnownHosts, "-o", other); code != 0 {
		t.Fatalf("collect hosts: exit %d: %s", code, stderr)
	}
	for _, h := range lab.Hosts {
		a, b := filepath.Join(site, "hosts", h.Name), filepath.Join(other, h.Name)
		fa, fb := listFiles(a), listFiles(b)
		if !slices.Equal(fa, fb) {
			t.Errorf("%s: ansible wrote %v, collect hosts %v", h.Name, fa, fb)
			continue
		}
		for _, f := range fa {
			x, _ := os.ReadFile(filepath.Join(a, f))
			y, _ := os.ReadFile(filepath.Join(b, f))
			if f == "lldp.json" {
				x, y = lldpAge.ReplaceAll(x, nil), lldpAge.ReplaceAll(y, nil)
			}
			if !bytes.Equal(x, y) {
				t.Errorf("%s/%s differs:\nansible: %.300s\ncollect hosts: %.300s", h.Name, f, x, y)
			}
		}
	}
}

// lldpAge is how long ago lldpd heard a neighbour: it moves between two
// captures.
var lldpAge = regexp.MustCompile(`"age": "[^"]*"`)

func listFiles(dir string) []string {
	var files []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			files = append(files, rel)
		}
		return nil
	})
	slices.Sort(files)
	return files
}
