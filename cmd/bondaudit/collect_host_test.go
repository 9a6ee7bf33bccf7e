package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bondaudit/bondaudit/internal/needtool"
)

// hostSnapshot is the part of a host snapshot these tests read.
type hostSnapshot struct {
	Name       string `json:"name"`
	Neighbours []struct {
		LocalPort  string `json:"port"`
		SystemName string `json:"system_name"`
		PortID     string `json:"port_id"`
		Source     string `json:"source"`
	} `json:"neighbours"`
}

func collectHost(t *testing.T, args ...string) (hostSnapshot, string) {
	t.Helper()
	out := filepath.Join(t.TempDir(), "host.json")
	code, _, errs := runCLI(t, append([]string{"collect", "host", "--listen", "0", "-o", out}, args...)...)
	if code != 0 {
		t.Fatalf("collect host %v: exit %d\n%s", args, code, errs)
	}
	var h hostSnapshot
	b, err := os.ReadFile(out)
	if err == nil {
		err = json.Unmarshal(b, &h)
	}
	if err != nil {
		t.Fatal(err)
	}
	return h, errs
}

// TestCollectHostName: --name names the snapshot instead of the hostname;
// a name that cannot be a snapshot's file name is refused.
func TestCollectHostName(t *testing.T) {
	if _, err := os.Stat("/proc/net"); err != nil {
		t.Skip("collect host reads the Linux kernel")
	}
	hn, _ := os.Hostname()
	h, _ := collectHost(t)
	if h.Name != hn {
		t.Fatalf("without --name: %q, want the hostname %q", h.Name, hn)
	}
	h, _ = collectHost(t, "--name", "web42.dc1")
	if h.Name != "web42.dc1" {
		t.Errorf("--name web42.dc1: snapshot named %q", h.Name)
	}
	for _, bad := range []string{"", "../x", ".hidden", " web"} {
		code, _, errs := runCLI(t, "collect", "host", "--listen", "0", "--name", bad)
		if code != exitFailed || !strings.Contains(errs, "--name") {
			t.Errorf("--name %q: exit %d, %q", bad, code, errs)
		}
	}
}

// TestCollectHostLLDPDSocket: a real lldpd in a network namespace, its
// control socket at a path of the test's; collect host --lldpd-socket PATH
// reads the neighbour it heard, and without the flag (lldpcli's default
// socket, where no lldpd runs) it does not. Needs root, ip and lldpd.
func TestCollectHostLLDPDSocket(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to create network namespaces")
	}
	needtool.Need(t, "iproute2", "ip")
	needtool.Need(t, "lldpd", "lldpd")
	needtool.Need(t, "lldpd", "lldpcli")
	if _, err := os.Stat("/run/lldpd.socket"); err == nil {
		t.Skip("an lldpd runs on the default socket here: the test needs it absent")
	}
	dir, err := os.MkdirTemp("", "bondaudit-lldpd-")
	if err != nil {
		t.Fatal(err)
	}
	os.Chmod(dir, 0o755) // lldpd's unprivileged side must reach the socket
	t.Cleanup(func() { os.RemoveAll(dir) })
	suffix := fmt.Sprint(os.Getpid() % 100000)
	nsA, nsB := "bacA"+suffix, "bacB"+suffix
	run := func(args ...string) {
		t.Helper()
		if out, err := exec.Command(args[0], args[1:]...).CombinedOutput(); err != nil {
			t.Fatalf("%s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	for _, ns := range []string{nsA, nsB} {
		run("ip", "netns", "add", ns)
		t.Cleanup(func() { exec.Command("ip", "netns", "del", ns).Run() })
		run("ip", "-n", ns, "link", "set", "lo", "up")
	}
	run("ip", "link", "add", "ens1f0", "netns", nsA, "type", "veth", "peer", "name", "Ethernet7", "netns", nsB)
	run("ip", "-n", nsA, "link", "set", "ens1f0", "up")
	run("ip", "-n", nsB, "link", "set", "Ethernet7", "up")
	os.MkdirAll("/run/lldpd", 0o755) // Debian's lldpd chroots there
	start := func(ns, name, ifname string) string {
		sock := filepath.Join(dir, name+".sock")
		conf := filepath.Join(dir, name+".conf")
		os.WriteFile(conf, []byte("configure system hostname "+name+"\nconfigure lldp tx-interval 1\nconfigure lldp portidsubtype ifname\n"), 0o644)
		cmd := exec.Command("ip", "netns", "exec", ns, "lldpd", "-d", "-u", sock, "-p", filepath.Join(dir, name+".pid"), "-I", ifname, "-O", conf, "-L", "/usr/sbin/lldpcli")
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
		return sock
	}
	sock := start(nsA, "web09", "ens1f0")
	start(nsB, "leaf9", "Ethernet7")
	deadline := time.Now().Add(20 * time.Second)
	for {
		out, _ := exec.Command("lldpcli", "-u", sock, "-f", "keyvalue", "show", "neighbors").CombinedOutput()
		if strings.Contains(string(out), "leaf9") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("lldpd heard nothing from leaf9 in 20 s:\n%s", out)
		}
		time.Sleep(300 * time.Millisecond)
	}
	h, errs := collectHost(t, "--lldpd-socket", sock)
	found := false
	for _, n := range h.Neighbours {
		if n.SystemName == "leaf9" && n.PortID == "Ethernet7" && n.LocalPort == "ens1f0" && n.Source == "lldpd" {
			found = true
		}
	}
	if !found || strings.Contains(errs, "lldpcli") {
		t.Errorf("--lldpd-socket %s: leaf9 not among the neighbours %+v\nstderr:\n%s", sock, h.Neighbours, errs)
	}
	h, errs = collectHost(t)
	for _, n := range h.Neighbours {
		if n.SystemName == "leaf9" {
			t.Errorf("without --lldpd-socket the neighbour came from somewhere: %+v", n)
		}
	}
	if !strings.Contains(errs, "is lldpd running?") {
		t.Errorf("without --lldpd-socket: stderr does not say lldpd was not reached:\n%s", errs)
	}
}
