package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bondaudit/bondaudit/internal/snmplab"
	"github.com/bondaudit/bondaudit/topology"
)

// demoWalk is one of the demo site's switch walks, served by snmpd here.
func demoWalk(name string) string {
	return filepath.Join("..", "..", "collect", "demo", "site", "switches", name+".snmprec")
}

// TestCollectSwitchesAdHoc: collect switches polls real snmpd agents named
// by --address with net-snmp's flags: v2c with the community from the
// environment, v3 authPriv with keys from a file and the environment, v3
// authNoPriv with the passphrase given inline; the snapshot file is named
// after the address (or --name; the switch inside is named by its sysName,
// as with a targets file), and no secret reaches any output.
func TestCollectSwitchesAdHoc(t *testing.T) {
	const community, authKey, privKey, auth2 = "c0mm-ADHOC-1", "auth-ADHOC-key", "priv-ADHOC-key", "auth-ADHOC-two"
	v2 := snmplab.StartAgent(t, snmplab.AgentOptions{Walk: demoWalk("leaf2"), Community: community})
	v3 := snmplab.StartAgent(t, snmplab.AgentOptions{Walk: demoWalk("access2"), Community: "unused-" + community, Users: []snmplab.V3User{
		{Name: "bondaudit", AuthProto: "SHA-512", Auth: authKey, PrivProto: "AES", Priv: privKey},
		{Name: "reader", AuthProto: "MD5", Auth: auth2, NoPriv: true},
	}})
	dir := t.TempDir()
	keyFile := filepath.Join(dir, "auth.key")
	os.WriteFile(keyFile, []byte(authKey+"\n"), 0o600)
	t.Setenv("ADHOC_COMMUNITY", community)
	t.Setenv("ADHOC_PRIV", privKey)
	v2addr, v3addr := "127.0.0.1:"+v2.PortString(), "127.0.0.1:"+v3.PortString()
	for _, c := range []struct {
		name  string
		args  []string
		files map[string]string // snapshot file → the switch name in it (its sysName)
	}{
		{"v2c", []string{"--address", v2addr, "-v", "2c", "-c", "env:ADHOC_COMMUNITY"}, map[string]string{v2addr: "leaf2"}},
		{"v3 authPriv", []string{"--address", v3addr, "-v", "3", "-u", "bondaudit", "-l", "authPriv", "-a", "SHA-512", "-A", "file:" + keyFile, "-x", "AES", "-X", "env:ADHOC_PRIV", "--name", "access2"},
			map[string]string{"access2": "access2"}},
		{"v3 authNoPriv, inline", []string{"--address", v3addr, "-u", "reader", "-l", "authNoPriv", "-a", "MD5", "-A", auth2}, map[string]string{v3addr: "access2"}},
		{"two at once", []string{"--address", v2addr + "," + v3addr, "-c", community}, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "switches")
			code, stdout, stderr := runCLI(t, append([]string{"collect", "switches", "-o", out}, c.args...)...)
			if c.files == nil { // v3addr answers no v2c community: one of two
				if code != exitFindings || !strings.Contains(stderr, "collected 1 of 2 switches") {
					t.Fatalf("exit %d, want 1 (one of two)\n%s", code, stderr)
				}
				return
			}
			if code != 0 {
				t.Fatalf("exit %d\n%s", code, stderr)
			}
			for name, sysName := range c.files {
				p := filepath.Join(out, name+".json")
				f, err := os.Open(p)
				if err != nil {
					t.Fatal(err)
				}
				s, err := topology.LoadSwitch(f, p)
				f.Close()
				if err != nil || s.Name != sysName || s.Vendor == "" || len(s.Ports) == 0 || s.Unreachable {
					t.Errorf("%s: %v; name %q (want %q) vendor %q, %d ports", p, err, s.Name, sysName, s.Vendor, len(s.Ports))
				}
				b, _ := os.ReadFile(p)
				for _, secret := range []string{community, authKey, privKey, auth2} {
					if strings.Contains(string(b)+stdout+stderr, secret) {
						t.Errorf("secret %q… in output or snapshot", secret[:6])
					}
				}
			}
		})
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--address", v2addr}, "-v 2c needs -c COMMUNITY"},
		{[]string{"--address", v2addr, "-c", "env:ADHOC_NOPE"}, "-c: environment variable ADHOC_NOPE is not set"},
		{[]string{"--address", v2addr, "-c", "file:" + filepath.Join(dir, "nope")}, "-c: open"},
		{[]string{"--address", "10.0.0.1:70000", "-c", "x"}, `--address "10.0.0.1:70000": port 70000 is out of range 1-65535`},
		{[]string{"--address", v2addr, "-v", "3"}, "-v 3 needs -u USER"},
		{[]string{"--address", v2addr, "-u", "u", "-l", "authPriv", "-a", "SHA"}, "-l authPriv needs"},
		{[]string{"--address", v2addr, "-u", "u", "-a", "SHA-3", "-A", "x"}, "-a SHA-3: want MD5, SHA"},
		{[]string{"--address", v2addr, "-u", "u", "-a", "SHA", "-A", "x", "-x", "AES-512", "-X", "y"}, "-x AES-512: want DES, AES"},
		{[]string{"--address", v2addr, "-c", "x", "-a", "SHA"}, "add -v 3"},
		{[]string{"--address", "a,b", "--name", "x", "-c", "x"}, "--name names one switch"},
		{[]string{"-t", "targets.yaml", "-c", "x"}, "go with --address"},
		{[]string{"-t", "targets.yaml", "--address", "x"}, "one of them"},
		{nil, "one of them"},
	} {
		code, _, errs := runCLI(t, append([]string{"collect", "switches", "-o", filepath.Join(dir, "sw")}, c.args...)...)
		if code != exitFailed || !strings.Contains(errs, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", c.args, code, errs, c.want)
		}
	}
}
