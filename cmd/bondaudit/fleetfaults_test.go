package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bondaudit/bondaudit/internal/needtool"
	"github.com/bondaudit/bondaudit/internal/sshlab"
)

// TestCollectHostsFaults: collect hosts over a lab of real sshd hosts,
// one healthy host and one of each fault the issue names (never answers,
// drops the connection mid-command, changed host key, wrong client key,
// lldpcli missing, garbage output). Each fault is reported once, clearly,
// on its own host; none stops the others; the audit of what was written
// names the unreachable hosts (map.host-unreachable) and the garbage as
// NOT READ.
func TestCollectHostsFaults(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: a lab of sshd hosts")
	}
	needtool.Need(t, "openssh-server", "sshd")
	needtool.Need(t, "lldpd", "lldpd")
	faults := append([]sshlab.Fault{sshlab.Healthy}, sshlab.AllFaults...)
	lab := sshlab.Start(t, len(faults), sshlab.Options{Prefix: "f", Faults: faults, LLDPD: true})
	site := filepath.Join(t.TempDir(), "site")
	code, _, stderr := runCLI(t, "collect", "hosts", "-i", lab.Inventory, "-F", lab.SSHConfig, "--known-hosts", lab.KnownHosts,
		"-o", filepath.Join(site, "hosts"), "--connect-timeout", "2s", "--timeout", "20s")
	if code != 1 {
		t.Fatalf("collect hosts: exit %d, want 1 (some hosts failed)\n%s", code, stderr)
	}
	t.Logf("stderr:\n%s", stderr)
	// what each fault must say about its host
	says := map[sshlab.Fault]string{
		sshlab.NoAnswer:       "timed out",
		sshlab.ChangedHostKey: "host key CHANGED",
		sshlab.WrongClientKey: "authentication",
		sshlab.DropMidCommand: "cut short: connection dropped",
	}
	unreachable := map[string]bool{}
	for _, h := range lab.Hosts {
		var lines []string
		for _, l := range strings.Split(stderr, "\n") {
			if strings.Contains(l, "host "+h.Name+":") {
				lines = append(lines, l)
			}
		}
		want, fails := says[h.Fault]
		switch {
		case fails && (len(lines) != 1 || !strings.Contains(lines[0], want)):
			t.Errorf("%s (%s): want one line saying %q, got %q", h.Name, h.Fault, want, lines)
		case !fails && len(lines) != 0:
			t.Errorf("%s (%s): collected, yet stderr says %q", h.Name, h.Fault, lines)
		}
		if fails {
			unreachable[h.Name] = true
			continue
		}
		if _, err := os.Stat(filepath.Join(site, "hosts", h.Name, "ip-link.json")); err != nil {
			t.Errorf("%s (%s): no capture: %v", h.Name, h.Fault, err)
		}
	}
	// a host without lldpcli is collected, without lldp.json, and named
	for _, h := range lab.Hosts {
		if h.Fault == sshlab.NoLLDPCLI && !strings.Contains(stderr, "("+h.Name+"): lldpcli is not installed") {
			t.Errorf("%s: stderr does not name it as the host without lldpcli", h.Name)
		}
	}
	// the audit of what was collected
	code, out, errs := runCLI(t, "audit", site, "--format", "json", "--fail-on", "never")
	if code != 0 {
		t.Fatalf("audit: exit %d: %s", code, errs)
	}
	var rep struct {
		Findings []struct{ Rule, Host string }
		Problems []string
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, f := range rep.Findings {
		if f.Rule == "map.host-unreachable" {
			got[f.Host] = true
		}
	}
	for name := range unreachable {
		if !got[name] {
			t.Errorf("audit: no map.host-unreachable for %s", name)
		}
	}
	if len(got) != len(unreachable) {
		t.Errorf("audit: map.host-unreachable on %v, want %v", got, unreachable)
	}
	for _, h := range lab.Hosts {
		if h.Fault != sshlab.Garbage {
			continue
		}
		found := false
		for _, p := range rep.Problems {
			found = found || strings.Contains(p, "hosts/"+h.Name+"/ip-link.json")
		}
		if !found {
			t.Errorf("audit: the garbage of %s is not NOT READ: %q", h.Name, rep.Problems)
		}
	}
}
