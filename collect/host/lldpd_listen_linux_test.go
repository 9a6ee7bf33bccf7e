//go:build linux

package host

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bondaudit/bondaudit/internal/needtool"
	"github.com/bondaudit/bondaudit/topology"
)

const lldpdSockEnv = "BONDAUDIT_HOST_LLDPD_SOCK"

// TestRealLLDPDAndListenAgree: a "switch" runs Debian's lldpd in one
// network namespace, the "host" runs another lldpd in a second one, joined
// by a veth. Inside the host's namespace (this test binary run again
// there), the live collector both listens on the slave and asks lldpd: the
// switch is one neighbour, not two, and what the listener decoded from the
// real lldpd's frames equals what lldpcli reports, field by field (the
// link-aggregation TLV lldpd sends as "capable, not aggregated", the VLAN
// named by a VLAN interface on the switch port).
func TestRealLLDPDAndListenAgree(t *testing.T) {
	if sock := os.Getenv(lldpdSockEnv); sock != "" {
		realLLDPDInside(t, sock)
		return
	}
	if os.Geteuid() != 0 {
		t.Skip("needs root to create network namespaces")
	}
	needtool.Need(t, "iproute2", "ip")
	needtool.Need(t, "lldpd", "lldpd")
	needtool.Need(t, "lldpd", "lldpcli")
	dir, err := os.MkdirTemp("", "bondaudit-lldpd-listen-")
	if err != nil {
		t.Fatal(err)
	}
	os.Chmod(dir, 0o755) // lldpd's unprivileged side opens the socket
	t.Cleanup(func() { os.RemoveAll(dir) })
	suffix := fmt.Sprint(os.Getpid() % 100000)
	nsH, nsS := "balH"+suffix, "balS"+suffix
	run := func(args ...string) {
		t.Helper()
		if out, err := exec.Command(args[0], args[1:]...).CombinedOutput(); err != nil {
			t.Fatalf("%s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	for _, ns := range []string{nsH, nsS} {
		run("ip", "netns", "add", ns)
		t.Cleanup(func() { exec.Command("ip", "netns", "del", ns).Run() })
		run("ip", "-n", ns, "link", "set", "lo", "up")
	}
	run("ip", "link", "add", "eth0", "netns", nsH, "type", "veth", "peer", "name", "Ethernet7", "netns", nsS)
	run("ip", "-n", nsH, "link", "set", "eth0", "up")
	run("ip", "-n", nsS, "link", "set", "Ethernet7", "up")
	if exec.Command("ip", "-n", nsS, "link", "add", "link", "Ethernet7", "name", "vlan20", "type", "vlan", "id", "20").Run() == nil {
		run("ip", "-n", nsS, "link", "set", "vlan20", "up")
	} else {
		t.Log("no 802.1Q on this kernel: the switch names no VLAN")
	}
	os.MkdirAll("/run/lldpd", 0o755)
	start := func(ns, name, ifname string) string {
		sock := filepath.Join(dir, name+".sock")
		conf := filepath.Join(dir, name+".conf")
		os.WriteFile(conf, []byte(fmt.Sprintf("configure system hostname %s\nconfigure lldp tx-interval 1\nconfigure lldp portidsubtype ifname\n", name)), 0o644)
		cmd := exec.Command("ip", "netns", "exec", ns, "lldpd", "-d", "-u", sock, "-p", filepath.Join(dir, name+".pid"), "-I", ifname, "-O", conf, "-L", "/usr/sbin/lldpcli")
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
		return sock
	}
	sockH := start(nsH, "web09", "eth0")
	start(nsS, "leaf9", "Ethernet7,vlan20")
	deadline := time.Now().Add(20 * time.Second)
	for {
		out, _ := exec.Command("ip", "netns", "exec", nsH, "lldpcli", "-u", sockH, "-f", "keyvalue", "show", "neighbors", "details").CombinedOutput()
		if strings.Contains(string(out), "leaf9") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the host's lldpd heard nothing from the switch in 20 s: %s", out)
		}
		time.Sleep(300 * time.Millisecond)
	}
	cmd := exec.Command("ip", "netns", "exec", nsH, os.Args[0], "-test.run=^"+t.Name()+"$", "-test.v", "-test.count=1")
	cmd.Env = append(os.Environ(), lldpdSockEnv+"="+sockH)
	out, err := cmd.CombinedOutput()
	t.Logf("inside the host's namespace:\n%s", out)
	if err != nil {
		t.Fatalf("the test failed inside the host's namespace: %v", err)
	}
}

func realLLDPDInside(t *testing.T, sock string) {
	newHost := func() *topology.Host {
		return &topology.Host{
			NICs:  []topology.NIC{{Name: "eth0", Master: "bond0"}},
			Bonds: []topology.Bond{{Name: "bond0", Slaves: []topology.Slave{{Name: "eth0"}}}},
		}
	}
	ctx := context.Background()
	// Both, as the live collector with lldpd running and --listen on.
	both := newHost()
	problems := liveNeighbours(ctx, both, CollectOptions{Listen: 3 * time.Second, LLDPCli: "lldpcli", LLDPSocket: sock, Now: time.Now})
	// Each alone.
	heardOnly := newHost()
	listenOnSlaves(ctx, heardOnly, CollectOptions{Listen: 3 * time.Second, Now: time.Now})
	lldpdOnly := newHost()
	liveNeighbours(ctx, lldpdOnly, CollectOptions{LLDPCli: "lldpcli", LLDPSocket: sock})

	lldp := func(h *topology.Host) []topology.Neighbour {
		var out []topology.Neighbour
		for _, n := range h.Neighbours {
			if n.Protocol == topology.ProtoLLDP && n.SystemName == "leaf9" {
				n.Source = ""
				out = append(out, n)
			}
		}
		return out
	}
	if got := lldp(both); len(got) != 1 {
		t.Fatalf("with lldpd and listening, leaf9 is listed %d times, want once (problems %q): %+v", len(got), problems, both.Neighbours)
	}
	w, l := lldp(heardOnly), lldp(lldpdOnly)
	if len(w) != 1 || len(l) != 1 {
		t.Fatalf("heard %d, lldpd %d neighbours named leaf9, want 1 each", len(w), len(l))
	}
	jw, _ := json.Marshal(w[0])
	jl, _ := json.Marshal(l[0])
	if string(jw) != string(jl) {
		t.Errorf("the listener and lldpd disagree about the same switch port:\n wire  %s\n lldpd %s", jw, jl)
	}
	t.Logf("one neighbour: %s", jl)
}
