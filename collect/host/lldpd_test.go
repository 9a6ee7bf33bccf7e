package host_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bondaudit/bondaudit/collect/host"
	"github.com/bondaudit/bondaudit/internal/needtool"
	"github.com/bondaudit/bondaudit/topology"
)

// TestLLDPDInNamespaces: two real lldpd daemons in network namespaces
// joined by veth; what lldpcli prints (json0, json, keyvalue) about the
// other end parses into the right neighbour. Needs root, ip and lldpd.
func TestLLDPDInNamespaces(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to create network namespaces")
	}
	needtool.Need(t, "iproute2", "ip")
	needtool.Need(t, "lldpd", "lldpd")
	needtool.Need(t, "lldpd", "lldpcli")
	// lldpd runs its socket side unprivileged: the folder must be
	// traversable (t.TempDir's parents are 0700).
	dir, err := os.MkdirTemp("", "bondaudit-lldpd-")
	if err != nil {
		t.Fatal(err)
	}
	os.Chmod(dir, 0o755)
	t.Cleanup(func() { os.RemoveAll(dir) })
	suffix := fmt.Sprint(os.Getpid() % 100000)
	nsA, nsB := "bahA"+suffix, "bahB"+suffix
	run := func(args ...string) string {
		t.Helper()
		out, err := exec.Command(args[0], args[1:]...).CombinedOutput()
		if err != nil {
			t.Fatalf("%s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	run("ip", "netns", "add", nsA)
	t.Cleanup(func() { exec.Command("ip", "netns", "del", nsA).Run() })
	run("ip", "netns", "add", nsB)
	t.Cleanup(func() { exec.Command("ip", "netns", "del", nsB).Run() })
	run("ip", "link", "add", "ens1f0", "netns", nsA, "type", "veth", "peer", "name", "Ethernet7", "netns", nsB)
	for _, ns := range []string{nsA, nsB} {
		run("ip", "-n", ns, "link", "set", "lo", "up")
	}
	run("ip", "-n", nsA, "link", "set", "ens1f0", "up")
	run("ip", "-n", nsB, "link", "set", "Ethernet7", "up")
	os.MkdirAll("/run/lldpd", 0o755) // Debian's lldpd chroots there
	start := func(ns, name, ifname string) string {
		sock := filepath.Join(dir, name+".sock")
		conf := filepath.Join(dir, name+".conf")
		os.WriteFile(conf, []byte(fmt.Sprintf("configure system hostname %s\nconfigure system description \"bondaudit lab %s\"\nconfigure lldp tx-interval 1\nconfigure lldp portidsubtype ifname\n", name, name)), 0o644)
		cmd := exec.Command("ip", "netns", "exec", ns, "lldpd", "-d", "-u", sock, "-p", filepath.Join(dir, name+".pid"), "-I", ifname, "-O", conf, "-L", "/usr/sbin/lldpcli")
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
		return sock
	}
	sockA := start(nsA, "web09", "ens1f0")
	start(nsB, "leaf9", "Ethernet7")

	show := func(format string) []byte {
		out, err := exec.Command("ip", "netns", "exec", nsA, "lldpcli", "-u", sockA, "-f", format, "show", "neighbors", "details").CombinedOutput()
		if err != nil {
			return []byte(err.Error() + ": " + string(out))
		}
		return out
	}
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(string(show("keyvalue")), "leaf9") {
		if time.Now().After(deadline) {
			t.Fatalf("lldpd in %s heard nothing from %s in 20 s:\n%s", nsA, nsB, show("json0"))
		}
		time.Sleep(300 * time.Millisecond)
	}
	for _, format := range []string{"json0", "json", "keyvalue"} {
		nbs, err := host.ParseLLDP(show(format), "lldpcli -f "+format)
		if err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		if len(nbs) != 1 {
			t.Fatalf("%s: %d neighbours: %+v", format, len(nbs), nbs)
		}
		n := nbs[0]
		if n.LocalPort != "ens1f0" || n.SystemName != "leaf9" || n.PortID != "Ethernet7" || n.Protocol != topology.ProtoLLDP ||
			n.ChassisIDSubtype != topology.IDMAC || n.ChassisID == "" || !strings.Contains(n.SystemDescr, "bondaudit lab leaf9") {
			t.Errorf("%s: neighbour %+v", format, n)
		}
	}
}
