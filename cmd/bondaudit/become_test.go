package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bondaudit/bondaudit/collect/host"
	"github.com/bondaudit/bondaudit/internal/needtool"
	"github.com/bondaudit/bondaudit/internal/sshlab"
)

// TestCollectHostsBecome: collect hosts logging in as an unprivileged
// user whose sudo lets it run anything as root without a password (the
// common fleet set-up), over real sshd hosts running lldpd. Debian's
// lldpcli is setuid _lldpd and runs for root and group adm only: without
// --become the hosts are collected without lldp.json and stderr says why;
// with --become the same hosts are collected with their LLDP neighbours,
// lldpcli run through `sudo -n` (the capture script must find it although
// the user cannot run it).
func TestCollectHostsBecome(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: a lab of sshd hosts")
	}
	needtool.Need(t, "lldpd", "lldpd")
	lab := sshlab.Start(t, 2, sshlab.Options{Prefix: "b", LLDPD: true, User: "capture", Sudo: true})
	collect := func(become bool) (string, string) {
		t.Helper()
		hosts := filepath.Join(t.TempDir(), "hosts")
		args := []string{"collect", "hosts", "-i", lab.HostList, "-F", lab.SSHConfig, "--known-hosts", lab.KnownHosts,
			"-o", hosts, "--connect-timeout", "5s", "--timeout", "30s"}
		if become {
			args = append(args, "--become")
		}
		code, _, stderr := runCLI(t, args...)
		if code != 0 {
			for _, h := range lab.Hosts {
				b, _ := os.ReadFile(filepath.Join(h.Dir, "sshd.log"))
				t.Logf("%s sshd.log:\n%s", h.Name, b)
			}
			t.Fatalf("collect hosts (become %v): exit %d\n%s", become, code, stderr)
		}
		return hosts, stderr
	}

	plain, stderr := collect(false)
	t.Logf("without --become:\n%s", stderr)
	for _, h := range lab.Hosts {
		dir := filepath.Join(plain, h.Addr)
		if _, err := os.Stat(filepath.Join(dir, "ip-link.json")); err != nil {
			t.Errorf("%s without --become: no capture: %v", h.Name, err)
		}
		if _, err := os.Stat(filepath.Join(dir, "lldp.json")); err == nil {
			t.Errorf("%s without --become: lldp.json read as an unprivileged user, whose lldpcli cannot reach lldpd", h.Name)
		}
	}
	// Debian's lldpcli (mode 4750 _lldpd:adm) is not even run; one that
	// anybody may run fails on lldpd's socket instead.
	why := "lldpcli is installed but the login user may not run it: no lldp.json (--become"
	if st, err := os.Stat(needtool.Find("lldpcli")); err == nil && st.Mode()&0o001 != 0 {
		why = "lldpcli -f json0 show neighbors details exited"
	}
	if !strings.Contains(stderr, why) {
		t.Errorf("without --become, stderr does not say why LLDP is missing (%q):\n%s", why, stderr)
	}

	become, stderr := collect(true)
	t.Logf("with --become:\n%s", stderr)
	for _, h := range lab.Hosts {
		b, err := os.ReadFile(filepath.Join(become, h.Addr, "lldp.json"))
		if err != nil {
			t.Errorf("%s with --become: %v", h.Name, err)
			continue
		}
		if !strings.Contains(string(b), "ens1f0") || !strings.Contains(string(b), "ens1f1") {
			t.Errorf("%s with --become: lldp.json without the host's two neighbours:\n%s", h.Name, b)
		}
		// and the audit reads them: each end of the veth pair hears the other
		hs, problems, err := host.ReadCaptureFS(os.DirFS(become), h.Addr)
		if err != nil {
			t.Errorf("%s with --become: the capture does not read: %v (%q)", h.Name, err, problems)
		} else if len(hs.Neighbours) != 2 {
			t.Errorf("%s with --become: read back with %d LLDP neighbours, want 2 (%q)", h.Name, len(hs.Neighbours), problems)
		}
	}
}
