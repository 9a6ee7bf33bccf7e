//go:build vmtest

package vmtest

// One host, one answer: the live collector and the capture reader, given
// the same kernel state, produce the same snapshot field by field; and the
// guest serves the host's SSH capture (see run_test.go).

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bondaudit/bondaudit/collect/host"
	"github.com/bondaudit/bondaudit/topology"
)

func localRun(shell string) ([]byte, error) {
	out, err := exec.Command("/bin/sh", "-c", shell).Output()
	if ee, ok := err.(*exec.ExitError); ok {
		err = fmt.Errorf("%w: %s", err, strings.TrimSpace(string(ee.Stderr)))
	}
	return out, err
}

// stockCapture captures this guest with the stock commands into dir/vm
// and reads the folder back.
func stockCapture(t *testing.T, dir string, ethtoolAll bool) *topology.Host {
	t.Helper()
	if err := Capture(localRun, filepath.Join(dir, "vm"), ethtoolAll); err != nil {
		t.Fatal(err)
	}
	h, problems, err := host.ReadCaptureFS(os.DirFS(dir), "vm")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Logf("capture problem: %s", p)
	}
	return h
}

func js(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// diffByName lists every element of a and b (keyed by name) whose JSON
// differs, and those only one side has.
func diffByName[T any](what string, a, b []T, name func(*T) string, blank func(*T)) []string {
	am, bm := map[string]*T{}, map[string]*T{}
	var names, diffs []string
	for i := range a {
		blank(&a[i])
		am[name(&a[i])] = &a[i]
		names = append(names, name(&a[i]))
	}
	for i := range b {
		blank(&b[i])
		bm[name(&b[i])] = &b[i]
		names = append(names, name(&b[i]))
	}
	slices.Sort(names)
	for _, n := range slices.Compact(names) {
		x, y := am[n], bm[n]
		switch {
		case x == nil:
			diffs = append(diffs, fmt.Sprintf("%s %s: only the capture has it: %s", what, n, js(y)))
		case y == nil:
			diffs = append(diffs, fmt.Sprintf("%s %s: only the live collector has it: %s", what, n, js(x)))
		case js(x) != js(y):
			diffs = append(diffs, fmt.Sprintf("%s %s: live and capture disagree:\n live    %s\n capture %s", what, n, js(x), js(y)))
		}
	}
	return diffs
}

// snapshotDiffs compares every bond (every field, its slaves and their
// LACP actor and partner), NIC, bridge and VLAN interface of two
// snapshots and lists where they differ. Only where each came from is
// left out: the sources (netlink vs the file names), the collection time,
// and the kernel release (a capture has no uname).
func snapshotDiffs(live, capture *topology.Host) []string {
	blankBond := func(b *topology.Bond) {
		b.Source = ""
		for i := range b.Slaves {
			b.Slaves[i].Source = ""
		}
	}
	d := diffByName("bond", live.Bonds, capture.Bonds, func(b *topology.Bond) string { return b.Name }, blankBond)
	d = append(d, diffByName("NIC", live.NICs, capture.NICs, func(n *topology.NIC) string { return n.Name }, func(*topology.NIC) {})...)
	d = append(d, diffByName("bridge", live.Bridges, capture.Bridges, func(b *topology.Bridge) string { return b.Name }, func(*topology.Bridge) {})...)
	d = append(d, diffByName("VLAN interface", live.VLANs, capture.VLANs, func(v *topology.VLANIf) string { return v.Name }, func(*topology.VLANIf) {})...)
	if js(live.Neighbours) != js(capture.Neighbours) {
		d = append(d, fmt.Sprintf("neighbours: live %s, capture %s", js(live.Neighbours), js(capture.Neighbours)))
	}
	return d
}

// TestLiveAndCaptureAgreeFieldByField: one guest, many shapes (an 802.3ad
// bond bundled with a real partner, an active-backup bond with a slave
// whose far end is down, so lower-layer-down and MII down, an ARP-monitored
// bond with arp_validate off, a bridge with a veth port and a VLAN on top,
// a lone veth): the live collector and the stock-command capture read
// back by the capture reader agree on every field.
func TestLiveAndCaptureAgreeFieldByField(t *testing.T) {
	netns(t, "agr")
	t.Cleanup(func() {
		// Leave the guest as it was: the SSH test compares the whole host.
		for _, l := range []string{"agl", "agb", "aga", "agbr.10", "agbr", "agl0", "agl1", "agb0", "agb1", "aga0", "agv0", "agx0"} {
			exec.Command("/sbin/ip", "link", "del", l).Run()
		}
		exec.Command("/sbin/ip", "netns", "del", "agr").Run()
	})
	// 802.3ad, bundled
	pair(t, "agl0", "agp0", "agr")
	pair(t, "agl1", "agp1", "agr")
	ip(t, "link", "add", "agl", "type", "bond", "mode", "802.3ad", "miimon", "100", "lacp_rate", "fast", "xmit_hash_policy", "layer2+3", "min_links", "1")
	ip(t, "link", "set", "agl0", "master", "agl")
	ip(t, "link", "set", "agl1", "master", "agl")
	ip(t, "-n", "agr", "link", "add", "agpc", "type", "bond", "mode", "802.3ad", "miimon", "100", "lacp_rate", "fast")
	ip(t, "-n", "agr", "link", "set", "agp0", "master", "agpc")
	ip(t, "-n", "agr", "link", "set", "agp1", "master", "agpc")
	ip(t, "link", "set", "agl", "up")
	ip(t, "-n", "agr", "link", "set", "agpc", "up")
	// active-backup, one far end down
	pair(t, "agb0", "agq0", "agr")
	pair(t, "agb1", "agq1", "agr")
	ip(t, "link", "add", "agb", "type", "bond", "mode", "active-backup", "miimon", "100", "primary", "agb0")
	ip(t, "link", "set", "agb0", "master", "agb")
	ip(t, "link", "set", "agb1", "master", "agb")
	ip(t, "link", "set", "agb", "up")
	ip(t, "-n", "agr", "link", "set", "agq0", "up")
	// ARP monitoring, validation off, with a target that answers
	pair(t, "aga0", "agr0", "agr")
	ip(t, "link", "add", "aga", "type", "bond", "mode", "active-backup", "arp_interval", "100", "arp_ip_target", "10.9.9.9")
	ip(t, "link", "set", "aga0", "master", "aga")
	ip(t, "addr", "add", "10.9.9.1/24", "dev", "aga")
	ip(t, "link", "set", "aga", "up")
	ip(t, "-n", "agr", "addr", "add", "10.9.9.9/24", "dev", "agr0")
	ip(t, "-n", "agr", "link", "set", "agr0", "up")
	// a bridge with a veth port and a VLAN interface; a lone veth
	pair(t, "agv0", "agw0", "agr")
	ip(t, "link", "add", "agbr", "type", "bridge")
	ip(t, "link", "set", "agv0", "master", "agbr")
	ip(t, "link", "set", "agbr", "up")
	ip(t, "link", "set", "agv0", "up")
	ip(t, "-n", "agr", "link", "set", "agw0", "up")
	ip(t, "link", "add", "link", "agbr", "name", "agbr.10", "type", "vlan", "id", "10")
	pair(t, "agx0", "agy0", "agr")
	ip(t, "link", "set", "agx0", "mtu", "9000")
	ip(t, "link", "set", "agx0", "up")

	lacpUp(t, "agl", 2, true)
	waitFor(t, 20*time.Second, "aga0 up under ARP monitoring", func() bool {
		return strings.Contains(procBonding("aga"), "Currently Active Slave: aga0") && strings.Count(procBonding("aga"), "MII Status: up") == 2
	})
	waitFor(t, 10*time.Second, "agb1 down and agb0 active", func() bool {
		s := procBonding("agb")
		return strings.Contains(s, "Currently Active Slave: agb0") && strings.Count(s, "MII Status: down") == 1
	})
	time.Sleep(time.Second)

	// The guest's state can move between the two reads (the ARP monitor
	// once put aga0 "going back" for the live read and "up" again for the
	// capture a moment later): a disagreement fails the test only when
	// every one of agreeAttempts live-then-capture pairs shows one.
	const agreeAttempts = 3
	var live, capture *topology.Host
	var diffs []string
	for attempt := 1; ; attempt++ {
		live = collect(t)
		capture = stockCapture(t, t.TempDir(), true)
		diffs = snapshotDiffs(live, capture)
		if len(diffs) == 0 || attempt == agreeAttempts {
			break
		}
		t.Logf("attempt %d of %d: live and capture disagree, reading both again in a second:\n%s",
			attempt, agreeAttempts, strings.Join(diffs, "\n"))
		time.Sleep(time.Second)
	}
	for _, d := range diffs {
		t.Error(d)
	}
	for _, n := range live.NICs {
		if n.Name == "agb1" && !n.State.Down() {
			t.Errorf("agb1 (far end down) state %q: want a down state", n.State)
		}
		if n.Name == "agx0" && (n.MTU != 9000 || n.MAC == "" || n.State == "") {
			t.Errorf("veth agx0 live: %+v", n)
		}
	}
	if b := bondOf(t, capture, "agl"); len(b.Slaves) != 2 || b.Slaves[0].Partner == nil || b.ActiveAggregator == nil {
		t.Fatalf("the capture of agl is not a bundled 802.3ad bond: %s", js(b))
	}
	t.Logf("compared %d bonds, %d NICs, %d bridges, %d VLAN interfaces", len(live.Bonds), len(live.NICs), len(live.Bridges), len(live.VLANs))
}

// TestServeCaptureOverSSH: with the guest's sshd running, an 802.3ad bond
// bundled with a real partner and an active-backup bond; the guest takes
// its own capture with the stock commands into /run/localcap/vm, says
// "VMLAB: SSH READY" on the console, and keeps the bonds as they are until
// the host has captured it over SSH and touched /run/ssh-done.
func TestServeCaptureOverSSH(t *testing.T) {
	if _, err := os.Stat("/run/sshd.pid"); err != nil {
		t.Skip("no sshd in this guest (the host has no openssh-server, or the kernel no e1000)")
	}
	netns(t, "sshsw")
	pair(t, "ssl0", "ssp0", "sshsw")
	pair(t, "ssl1", "ssp1", "sshsw")
	ip(t, "link", "add", "ssl", "type", "bond", "mode", "802.3ad", "miimon", "100", "lacp_rate", "fast", "xmit_hash_policy", "layer3+4")
	ip(t, "link", "set", "ssl0", "master", "ssl")
	ip(t, "link", "set", "ssl1", "master", "ssl")
	ip(t, "-n", "sshsw", "link", "add", "sspc", "type", "bond", "mode", "802.3ad", "miimon", "100", "lacp_rate", "fast")
	ip(t, "-n", "sshsw", "link", "set", "ssp0", "master", "sspc")
	ip(t, "-n", "sshsw", "link", "set", "ssp1", "master", "sspc")
	ip(t, "link", "set", "ssl", "up")
	ip(t, "-n", "sshsw", "link", "set", "sspc", "up")
	pair(t, "ssa0", "ssq0", "sshsw")
	pair(t, "ssa1", "ssq1", "sshsw")
	ip(t, "link", "add", "ssa", "type", "bond", "mode", "active-backup", "miimon", "100")
	ip(t, "link", "set", "ssa0", "master", "ssa")
	ip(t, "link", "set", "ssa1", "master", "ssa")
	ip(t, "link", "set", "ssa", "up")
	ip(t, "-n", "sshsw", "link", "set", "ssq0", "up")
	ip(t, "-n", "sshsw", "link", "set", "ssq1", "up")
	lacpUp(t, "ssl", 2, true)
	time.Sleep(time.Second)

	os.RemoveAll("/run/localcap")
	h := stockCapture(t, "/run/localcap", false)
	bondOf(t, h, "ssl")
	fmt.Println("VMLAB: SSH READY")
	end := time.Now().Add(5 * time.Minute)
	for {
		if _, err := os.Stat("/run/ssh-done"); err == nil {
			break
		}
		if time.Now().After(end) {
			log, _ := os.ReadFile("/run/sshd.log")
			t.Fatalf("the host did not finish its SSH capture in 5 minutes; sshd log:\n%s", log)
		}
		time.Sleep(300 * time.Millisecond)
	}
	log, _ := os.ReadFile("/run/sshd.log")
	t.Logf("sshd served %d sessions, each with the authorised key", strings.Count(string(log), "Accepted publickey for root"))
}
