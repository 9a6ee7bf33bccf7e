//go:build linux

package sshlab_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bondaudit/bondaudit/internal/needtool"
	"github.com/bondaudit/bondaudit/internal/sshlab"
)

type answer struct {
	code           int
	stdout, stderr string
}

func run(t *testing.T, l *sshlab.Lab, h sshlab.Host, command string, extra ...string) answer {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := l.Command(ctx, h, command, extra...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	a := answer{stdout: out.String(), stderr: errb.String()}
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			a.code = ee.ExitCode()
		} else {
			t.Fatalf("%s: ssh %s: %v", h.Name, command, err)
		}
	}
	return a
}

type link struct {
	Name     string `json:"ifname"`
	LinkInfo struct {
		Kind string `json:"info_kind"`
	} `json:"linkinfo"`
}

func parseLinks(s string) ([]string, error) {
	var links []link
	if err := json.Unmarshal([]byte(s), &links); err != nil {
		return nil, err
	}
	var names []string
	for _, l := range links {
		names = append(names, l.Name+":"+l.LinkInfo.Kind)
	}
	slices.Sort(names)
	return names, nil
}

// TestLab: through the system OpenSSH client, every healthy host answers
// hostname and ip -details -json link show with its own name and links,
// has no /proc/net/bonding, and has a host key of its own; each fault
// shows its failure; Stop leaves no process, namespace link or bridge.
func TestLab(t *testing.T) {
	needtool.Need(t, "openssh-client", "ssh")
	faults := []sshlab.Fault{sshlab.Healthy, sshlab.Healthy}
	faults = append(faults, sshlab.AllFaults...)
	l := sshlab.Start(t, len(faults), sshlab.Options{Faults: faults, LLDPD: true})
	t.Logf("%d hosts started in %v on %s (%s)", len(l.Hosts), l.Started, l.Bridge, l.Gateway)

	keys := map[string]string{}
	for _, h := range l.Hosts {
		b, err := os.ReadFile(h.Dir + "/ssh_host_ed25519_key.pub")
		if err != nil {
			t.Fatal(err)
		}
		k := strings.Fields(string(b))[1]
		if other, dup := keys[k]; dup {
			t.Errorf("%s and %s share a host key", other, h.Name)
		}
		keys[k] = h.Name
	}
	want := []string{"ens1f0:veth", "ens1f1:veth", "eth0:veth", "lo:"}
	var healthyLLDPCLI bool
	for _, h := range l.Hosts {
		t.Run(h.Name+"-"+h.Fault.String(), func(t *testing.T) {
			switch h.Fault {
			case sshlab.Healthy:
				if a := run(t, l, h, "hostname"); a.code != 0 || a.stdout != h.Name+"\n" {
					t.Errorf("hostname: %+v", a)
				}
				a := run(t, l, h, "ip -details -json link show")
				names, err := parseLinks(a.stdout)
				if a.code != 0 || err != nil || !slices.Equal(names, want) {
					t.Errorf("ip -details -json link show: %v, links %v, want %v: %+v", err, names, want, a)
				}
				if !strings.Contains(a.stdout, `"address":"`) {
					t.Errorf("no MAC in ip output: %s", a.stdout)
				}
				if a := run(t, l, h, "ls /proc/net/bonding"); a.code == 0 {
					t.Errorf("/proc/net/bonding present: %+v", a)
				}
				healthyLLDPCLI = run(t, l, h, "command -v lldpcli").code == 0
				// lldpd hears the host's own veth pair: each end is the
				// other's neighbour, named after the host.
				a = run(t, l, h, "lldpcli -f json0 show neighbors details")
				if a.code != 0 || strings.Count(a.stdout, `"value": "`+h.Name+`"`) != 2 || !strings.Contains(a.stdout, `"ens1f1"`) {
					t.Errorf("lldpcli: %+v", a)
				}
			case sshlab.NoAnswer:
				start := time.Now()
				a := run(t, l, h, "hostname", "-o", "ConnectTimeout=2")
				if a.code != 255 || !strings.Contains(a.stderr, "timed out") || time.Since(start) < 2*time.Second {
					t.Errorf("want a connect timeout after 2 s, got %v: %+v", time.Since(start), a)
				}
			case sshlab.DropMidCommand:
				if a := run(t, l, h, "hostname"); a.code != 0 || a.stdout != h.Name+"\n" {
					t.Errorf("hostname (short output) should pass: %+v", a)
				}
				a := run(t, l, h, "ip -details -json link show")
				if a.code != 255 || len(a.stdout) != sshlab.DropAfter || !strings.Contains(a.stderr, "closed by remote host") {
					t.Errorf("want %d bytes, then the connection closed by the host (exit 255); got %d bytes: %+v", sshlab.DropAfter, len(a.stdout), a)
				}
			case sshlab.ChangedHostKey:
				if a := run(t, l, h, "hostname"); a.code != 255 || !strings.Contains(a.stderr, "REMOTE HOST IDENTIFICATION HAS CHANGED") {
					t.Errorf("want a changed host key: %+v", a)
				}
			case sshlab.WrongClientKey:
				if a := run(t, l, h, "hostname"); a.code != 255 || !strings.Contains(a.stderr, "Permission denied (publickey)") {
					t.Errorf("want the key refused: %+v", a)
				}
			case sshlab.NoLLDPCLI:
				if a := run(t, l, h, "lldpcli -f json0 show neighbors details"); a.code != 127 {
					t.Errorf("lldpcli should be missing: %+v", a)
				}
				if a := run(t, l, h, "ls /usr/sbin/lldpcli /usr/sbin/lldpctl /sbin/lldpcli"); a.code == 0 {
					t.Errorf("lldpcli still in /usr/sbin: %+v", a)
				}
				if a := run(t, l, h, "test -S /run/lldpd.socket && pidof lldpd"); a.code != 0 {
					t.Errorf("lldpd should run: %+v", a)
				}
				if a := run(t, l, h, "hostname; ip -details -json link show"); a.code != 0 || !strings.HasPrefix(a.stdout, h.Name+"\n[") {
					t.Errorf("the rest should work: %+v", a)
				}
			case sshlab.Garbage:
				for _, ip := range []string{"ip", "/usr/sbin/ip", "/usr/bin/ip", "/sbin/ip", "/bin/ip"} {
					a := run(t, l, h, ip+" -details -json link show")
					if _, err := parseLinks(a.stdout); a.code != 0 || err == nil || !strings.Contains(a.stdout, "not json") {
						t.Errorf("%s should print garbage and exit 0: %+v", ip, a)
					}
				}
				if a := run(t, l, h, "hostname"); a.code != 0 || a.stdout != h.Name+"\n" {
					t.Errorf("hostname: %+v", a)
				}
			}
		})
	}
	// lldpcli is missing by the fault, not because it is missing here.
	if needtool.Find("lldpcli") != "" && !healthyLLDPCLI {
		t.Errorf("a healthy host has no lldpcli although the machine has it")
	}

	procs, pss := l.Memory()
	if procs < len(l.Hosts) {
		t.Errorf("Memory counted %d processes for %d hosts", procs, len(l.Hosts))
	}
	t.Logf("%d processes, Pss %.1f MiB", procs, float64(pss)/(1<<20))

	pids := []int{}
	for _, h := range l.Hosts {
		pids = append(pids, h.PID)
	}
	if err := l.Stop(); err != nil {
		t.Fatal(err)
	}
	checkGone(t, l, pids)
}

func checkGone(t *testing.T, l *sshlab.Lab, pids []int) {
	t.Helper()
	for _, pid := range pids {
		if st, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid)); err == nil && !strings.Contains(string(st), ") Z") {
			t.Errorf("sshd %d still running after Stop: %s", pid, st)
		}
	}
	out, err := exec.Command("ip", "-br", "link").Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(out), "\n") {
		if f := strings.Fields(line); len(f) > 0 && strings.HasPrefix(f[0], l.Bridge[:len(l.Bridge)-2]) {
			t.Errorf("link left after Stop: %s", line)
		}
	}
}

// TestLab200: 200 hosts start well within a minute on the 2-core CI
// machine, every one answers hostname, and all stop cleanly.
// SSHLAB_LLDPD=1 runs lldpd on them too (to measure its cost).
func TestLab200(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: 200 sshds")
	}
	needtool.Need(t, "openssh-client", "ssh")
	const n = 200
	l := sshlab.Start(t, n, sshlab.Options{LLDPD: os.Getenv("SSHLAB_LLDPD") != ""})
	procs, pss := l.Memory()
	t.Logf("%d hosts started in %v; %d processes, Pss %.1f MiB (%.2f MiB per host)", n, l.Started, procs, float64(pss)/(1<<20), float64(pss)/(1<<20)/n)
	if l.Started > 45*time.Second {
		t.Errorf("200 hosts took %v to start: want well under a minute", l.Started)
	}
	var wg sync.WaitGroup
	sem := make(chan struct{}, 16)
	for _, h := range l.Hosts {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			if a := run(t, l, h, "hostname"); a.code != 0 || a.stdout != h.Name+"\n" {
				t.Errorf("%s: hostname: %+v", h.Name, a)
			}
		}()
	}
	wg.Wait()
	pids := []int{}
	for _, h := range l.Hosts {
		pids = append(pids, h.PID)
	}
	begin := time.Now()
	if err := l.Stop(); err != nil {
		t.Fatal(err)
	}
	t.Logf("stopped in %v", time.Since(begin))
	checkGone(t, l, pids)
}

// TestSweep: a test binary killed before its cleanup leaves no sshd behind
// (they die with it) and the next Start removes its bridge and links.
func TestSweep(t *testing.T) {
	if os.Getenv("SSHLAB_SWEEP_CHILD") != "" {
		t.Skip("the child runs TestSweepChild only")
	}
	needtool.Need(t, "iproute2", "ip")
	if os.Geteuid() != 0 {
		needtool.Missing(t, "sshlab needs root")
	}
	child := exec.Command(os.Args[0], "-test.run", "^TestSweepChild$", "-test.v")
	child.Env = append(os.Environ(), "SSHLAB_SWEEP_CHILD=1")
	stdout, err := child.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	child.Stderr = os.Stderr
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	var fields []string
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		if f := strings.Fields(sc.Text()); len(f) > 0 && f[0] == "SSHLAB-READY" {
			fields = f[1:]
			break
		}
	}
	child.Process.Kill()
	child.Wait()
	if len(fields) < 3 {
		t.Fatalf("the child never started its lab: %v", fields)
	}
	dir, bridge := fields[0], fields[1]
	t.Cleanup(func() {
		os.RemoveAll(dir)
		// the killed child's own TempDir, which held only dir: its
		// testing package never ran the cleanup that removes it
		os.Remove(filepath.Dir(dir))
	})
	var pids []int
	for _, f := range fields[2:] {
		pid, _ := strconv.Atoi(f)
		pids = append(pids, pid)
	}
	deadline := time.Now().Add(5 * time.Second)
	for _, pid := range pids {
		for alive(pid) && time.Now().Before(deadline) {
			time.Sleep(20 * time.Millisecond)
		}
		if alive(pid) {
			t.Errorf("sshd %d outlived its killed test binary", pid)
		}
	}
	if _, err := os.Stat("/sys/class/net/" + bridge); err != nil {
		t.Fatalf("the killed binary's bridge %s should still be there for the sweep: %v", bridge, err)
	}
	t.Logf("killed a test binary holding lab %s (%d sshds); starting another", bridge, len(pids))
	sshlab.Start(t, 1, sshlab.Options{})
	if _, err := os.Stat("/sys/class/net/" + bridge); err == nil {
		t.Errorf("Start did not sweep the dead lab's bridge %s", bridge)
	}
	prefix := bridge[:len(bridge)-2]
	for time.Now().Before(deadline.Add(5 * time.Second)) {
		out, _ := exec.Command("ip", "-br", "link").Output()
		if !strings.Contains(string(out), prefix) {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Errorf("links of the dead lab %s left", prefix)
}

func alive(pid int) bool {
	st, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	return err == nil && !strings.Contains(string(st), ") Z")
}

// TestSweepChild is TestSweep's child: it starts a lab, says so, and waits
// to be killed.
func TestSweepChild(t *testing.T) {
	if os.Getenv("SSHLAB_SWEEP_CHILD") == "" {
		t.Skip("run by TestSweep")
	}
	l := sshlab.Start(t, 3, sshlab.Options{})
	line := []string{"SSHLAB-READY", l.Dir, l.Bridge}
	for _, h := range l.Hosts {
		line = append(line, strconv.Itoa(h.PID))
	}
	fmt.Println(strings.Join(line, " "))
	time.Sleep(time.Minute)
}
