package main

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bondaudit/bondaudit/internal/fixtures"
	"github.com/bondaudit/bondaudit/internal/needtool"
	"github.com/bondaudit/bondaudit/internal/snmplab"
	"github.com/bondaudit/bondaudit/topology"
)

// testSSHD starts a real sshd on a loopback port; the client key is put
// in home/.ssh/id_ed25519 (the default key collect hosts tries). It
// returns the port and the known_hosts line of the server.
func testSSHD(t *testing.T, home string) (int, string) {
	t.Helper()
	bin := needtool.Need(t, "openssh-server", "sshd")
	kg := needtool.Need(t, "openssh-client", "ssh-keygen")
	if os.Geteuid() == 0 {
		os.MkdirAll("/run/sshd", 0o755)
	}
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(home, ".ssh"), 0o700)
	client := filepath.Join(home, ".ssh", "id_ed25519")
	for _, k := range []string{filepath.Join(dir, "hostkey"), client} {
		if _, err := os.Stat(k); err == nil {
			continue
		}
		if b, err := exec.Command(kg, "-q", "-t", "ed25519", "-N", "", "-f", k).CombinedOutput(); err != nil {
			t.Fatalf("ssh-keygen: %v: %s", err, b)
		}
	}
	pub, _ := os.ReadFile(client + ".pub")
	os.WriteFile(filepath.Join(dir, "authorized_keys"), pub, 0o600)
	hostPub, _ := os.ReadFile(filepath.Join(dir, "hostkey.pub"))
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	cfg := filepath.Join(dir, "sshd_config")
	os.WriteFile(cfg, []byte(fmt.Sprintf("Port %d\nListenAddress 127.0.0.1\nHostKey %s/hostkey\nPidFile %s/pid\nAuthorizedKeysFile %s/authorized_keys\nStrictModes no\nUsePAM no\nPasswordAuthentication no\nKbdInteractiveAuthentication no\nPermitRootLogin yes\nLogLevel ERROR\n",
		port, dir, dir, dir)), 0o600)
	cmd := exec.Command(bin, "-D", "-e", "-f", cfg)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	for i := 0; ; i++ {
		c, err := net.DialTimeout("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), 200*time.Millisecond)
		if err == nil {
			c.Close()
			break
		}
		if i > 100 {
			t.Fatalf("sshd did not listen on port %d", port)
		}
		time.Sleep(50 * time.Millisecond)
	}
	f := strings.Fields(string(hostPub))
	return port, fmt.Sprintf("[127.0.0.1]:%d %s %s\n", port, f[0], f[1])
}

func sshEnv(t *testing.T) string {
	t.Helper()
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("SSH_AUTH_SOCK", "")
	u, err := exec.Command("id", "-un").Output()
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("USER", strings.TrimSpace(string(u)))
	return home
}

func freeTCPPort(t *testing.T) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// TestCollectHostsThenAuditReportsUnreachable: collect hosts over a real
// sshd and a refused port, --accept-new recording the key, then the
// audit of the site reports map.host-unreachable for the refused host.
func TestCollectHostsThenAuditReportsUnreachable(t *testing.T) {
	home := sshEnv(t)
	port, known := testSSHD(t, home)
	dead := freeTCPPort(t)
	dir := t.TempDir()
	inv := filepath.Join(dir, "hosts.txt")
	os.WriteFile(inv, []byte(fmt.Sprintf("# lab (an Ansible INI inventory)\ngood ansible_host=127.0.0.1 ansible_port=%d\n# nobody listens\nbad ansible_host=127.0.0.1 ansible_port=%d\n", port, dead)), 0o644)
	site := filepath.Join(dir, "site")
	code, _, stderr := runCLI(t, "collect", "hosts", "-i", inv, "-o", filepath.Join(site, "hosts"), "--accept-new", "--connect-timeout", "2s")
	if code != 1 {
		t.Fatalf("collect hosts: exit %d, want 1 (one host failed)\n%s", code, stderr)
	}
	good, bad := "good", "bad"
	wants := []string{"host " + bad + ": not collected (connection refused)", "collected 1 of 2 hosts", "not collected: 1 connection refused"}
	if _, err := os.Stat("/proc/net/bonding"); err != nil {
		wants = append(wants, "  1 of 1 captures: no /proc/net/bonding: the kernel has no bonds")
	}
	for _, want := range wants {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	if _, err := os.Stat(filepath.Join(site, "hosts", good, "ip-link.json")); err != nil {
		t.Errorf("no capture of the good host: %v", err)
	}
	if b, _ := os.ReadFile(filepath.Join(home, ".ssh", "known_hosts")); string(b) != known {
		t.Errorf("known_hosts after --accept-new: %q, want %q", b, known)
	}
	code, out, errOut := runCLI(t, "audit", site)
	if !strings.Contains(out, "map.host-unreachable") || !strings.Contains(out, bad) || !strings.Contains(out, "connection refused") {
		t.Errorf("audit (exit %d) does not report %s as map.host-unreachable:\n%s\n%s", code, bad, out, errOut)
	}
	// one problem of one finding (the text names the rule on the
	// problem's line, its heading and the finding's line)
	if strings.Count(out, ": map.host-unreachable on host ") != 1 || !strings.Contains(out, ": map.host-unreachable on host "+bad+", 1 finding\n") {
		t.Errorf("map.host-unreachable for more than the refused host:\n%s", out)
	}

	// Strict by default: a known_hosts without the host refuses it.
	os.WriteFile(filepath.Join(home, ".ssh", "known_hosts"), nil, 0o600)
	code, _, stderr = runCLI(t, "collect", "hosts", "-i", inv, "-o", filepath.Join(site, "hosts"), "--limit", good)
	if code != 2 || !strings.Contains(stderr, "host key not known") || !strings.Contains(stderr, "collected 0 of 1 hosts") {
		t.Errorf("strict, unknown key, --limit: exit %d\n%s", code, stderr)
	}
}

func TestCollectSiteHostsAndSwitches(t *testing.T) {
	rec := fixtures.Path("snmp", "librenms__arista_eos.snmprec")
	if _, err := os.Stat(rec); err != nil {
		t.Skipf("shared fixtures not present: %v", err)
	}
	home := sshEnv(t)
	port, known := testSSHD(t, home)
	os.WriteFile(filepath.Join(home, ".ssh", "known_hosts"), []byte(known), 0o600)
	agent := snmplab.StartAgent(t, snmplab.AgentOptions{Walk: rec, Community: "public-site"})
	dir := t.TempDir()
	inv := filepath.Join(dir, "hosts.txt")
	os.WriteFile(inv, []byte(fmt.Sprintf("127.0.0.1:%d\n", port)), 0o644)
	targets := filepath.Join(dir, "targets.yaml")
	t.Setenv("TEST_SITE_COMMUNITY", "public-site")
	os.WriteFile(targets, []byte(fmt.Sprintf("defaults:\n  community: {env: TEST_SITE_COMMUNITY}\ntargets:\n  - {name: leaf1, address: 127.0.0.1, port: %d}\n", agent.Port)), 0o600)
	site := filepath.Join(dir, "site")
	code, _, stderr := runCLI(t, "collect", "site", "-i", inv, "-t", targets, "-o", site)
	if code != 0 {
		t.Fatalf("collect site: exit %d\n%s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(site, "hosts", "127.0.0.1", "ip-link.json")); err != nil {
		t.Errorf("no host capture: %v", err)
	}
	if _, err := os.Stat(filepath.Join(site, "switches", "leaf1.json")); err != nil {
		t.Errorf("no switch snapshot: %v", err)
	}
	if code, out, errOut := runCLI(t, "audit", site); code == 2 {
		t.Errorf("audit of the collected site failed: %s %s", out, errOut)
	}
}

// TestRunCollectsAnInventory: bondaudit run with hosts: {inventory: …}
// collects the hosts over SSH into the run's snapshot; the refused host is
// reported map.host-unreachable in the run's report.
func TestRunCollectsAnInventory(t *testing.T) {
	home := sshEnv(t)
	port, known := testSSHD(t, home)
	dead := freeTCPPort(t)
	work := t.TempDir()
	kh := filepath.Join(work, "known_hosts")
	os.WriteFile(kh, []byte(known), 0o600)
	os.WriteFile(filepath.Join(work, "hosts.txt"), []byte(fmt.Sprintf("good ansible_host=127.0.0.1 ansible_port=%d\nbad ansible_host=127.0.0.1 ansible_port=%d\n", port, dead)), 0o644)
	config := filepath.Join(work, "run.yaml")
	os.WriteFile(config, []byte("site: dc1\nhosts: {inventory: hosts.txt, known_hosts: known_hosts, concurrency: 4}\nhistory: h\n"+
		"outputs:\n  - {path: out.json}\nfail_on: never\n"), 0o644)
	code, _, stderr := runCLI(t, "run", config)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	if want := "collected 1 of 2 hosts over SSH from " + filepath.Join(work, "hosts.txt"); !strings.Contains(stderr, want) {
		t.Errorf("stderr has no %q:\n%s", want, stderr)
	}
	snap := filepath.Join(work, "h", "2026-11-25T080000Z", "hosts")
	if _, err := os.Stat(filepath.Join(snap, "good", "ip-link.json")); err != nil {
		t.Errorf("no capture in the run's snapshot: %v", err)
	}
	b, _ := os.ReadFile(filepath.Join(work, "out.json"))
	if !strings.Contains(string(b), `"map.host-unreachable"`) || !strings.Contains(string(b), `"bad"`) {
		t.Errorf("the run's report does not say the refused host is unreachable:\n%.3000s", b)
	}
}

// TestCollectHostsRemoteBondaudit: --remote-bondaudit runs the real
// bondaudit binary on the host (collect host -o -) and stores its
// snapshot as <name>.json, replacing the host's old capture folder.
func TestCollectHostsRemoteBondaudit(t *testing.T) {
	bin := sharedBinary(t)
	home := sshEnv(t)
	port, known := testSSHD(t, home)
	os.WriteFile(filepath.Join(home, ".ssh", "known_hosts"), []byte(known), 0o600)
	dir := t.TempDir()
	inv := filepath.Join(dir, "hosts.txt")
	os.WriteFile(inv, []byte(fmt.Sprintf("127.0.0.1:%d\n", port)), 0o644)
	name := "127.0.0.1"
	hosts := filepath.Join(dir, "site", "hosts")
	os.MkdirAll(filepath.Join(hosts, name), 0o755)
	os.WriteFile(filepath.Join(hosts, name, "ip-link.json"), []byte("[]"), 0o644)
	code, _, stderr := runCLI(t, "collect", "hosts", "-i", inv, "-o", hosts, "--remote-bondaudit", bin)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	b, err := os.ReadFile(filepath.Join(hosts, name+".json"))
	if err != nil {
		t.Fatal(err)
	}
	h, err := topology.LoadHost(strings.NewReader(string(b)), name+".json")
	if err != nil || h.Unreachable {
		t.Errorf("stored snapshot: %v %+v", err, h)
	}
	hn, _ := os.Hostname()
	if h.Name != hn {
		t.Errorf("snapshot of %q, want this machine, %q", h.Name, hn)
	}
	if _, err := os.Stat(filepath.Join(hosts, name)); err == nil {
		t.Errorf("the old capture folder stayed beside the snapshot")
	}
}
