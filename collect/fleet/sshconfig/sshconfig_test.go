package sshconfig

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/bondaudit/bondaudit/internal/needtool"
)

func write(t *testing.T, path, text string) string {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// A configuration shaped like an operator's: a bastion, a jump chain,
// wildcard defaults last, negations, includes by glob and inside a Host
// block, quoted values, key=value, trailing comments.
func fleetConfig(t *testing.T, dir string) string {
	write(t, filepath.Join(dir, "conf.d", "10-dc1.conf"), `
# dc1 hosts reach through the dc1 bastion
Host *.dc1 !bastion.dc1
  ProxyJump ops@bastion.dc1:2222
  Port 22022
Host db*.dc1
  User postgres
  IdentityFile ~/.ssh/db_%r
`)
	write(t, filepath.Join(dir, "conf.d", "20-dc2.conf"), `
Host *.dc2
  ProxyJump ssh://jump@gw1.dc2:2200,gw2.dc2
`)
	write(t, filepath.Join(dir, "conf.d", "ignored.txt"), "Host *\n  User never\n")
	write(t, filepath.Join(dir, "lab.conf"), `
User labuser
Host lab-special
  Port 2200
`)
	return write(t, filepath.Join(dir, "config"), `
Include `+filepath.Join(dir, "conf.d", "*.conf")+`

Host web01 Web02
    HostName %h.mgmt.example.com
    Port 2222   # a comment after the value
    IdentityFile ~/.ssh/web_ed25519
    IdentityFile ~/.ssh/web_ed25519
    IdentityFile "/etc/keys/shared key"

Host bastion.dc1
    HostName=10.1.0.1
    User = jumper

Host lab-*
    Include `+filepath.Join(dir, "lab.conf")+`

# An Include here would belong to the Host lab-* block above (OpenSSH
# reads it only for lab-* aliases): the one above comes first for that.

Host nokeys
    IdentityFile none
    ProxyJump none

Host viacmd
    ProxyCommand nc %h %p
    ProxyJump ignored@later

Host *
    User ops
    IdentityFile ~/.ssh/id_fleet
`)
}

var aliases = []string{
	"web01", "web02", "WEB01", "Web02", "bastion.dc1", "app3.dc1", "db1.dc1",
	"x.dc2", "lab-a", "lab-special", "nokeys", "other", "viacmd",
}

func TestResolve(t *testing.T) {
	dir := t.TempDir()
	c, err := Load(fleetConfig(t, dir), Options{Home: "/home/op", LocalUser: "op"})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]Entry{
		"web01": {HostName: "web01.mgmt.example.com", User: "ops", Port: 2222,
			IdentityFiles: []string{"~/.ssh/web_ed25519", "/etc/keys/shared key", "~/.ssh/id_fleet"}},
		// Host patterns are case-sensitive: web02 does not match Web02, nor
		// WEB01 web01; Web02 does (%h is then lower case).
		"WEB01": {User: "ops", IdentityFiles: []string{"~/.ssh/id_fleet"}},
		"web02": {User: "ops", IdentityFiles: []string{"~/.ssh/id_fleet"}},
		"Web02": {HostName: "web02.mgmt.example.com", User: "ops", Port: 2222,
			IdentityFiles: []string{"~/.ssh/web_ed25519", "/etc/keys/shared key", "~/.ssh/id_fleet"}},
		"bastion.dc1": {HostName: "10.1.0.1", User: "jumper", IdentityFiles: []string{"~/.ssh/id_fleet"}},
		"app3.dc1":    {User: "ops", Port: 22022, ProxyJump: "ops@bastion.dc1:2222", IdentityFiles: []string{"~/.ssh/id_fleet"}},
		"db1.dc1": {User: "postgres", Port: 22022, ProxyJump: "ops@bastion.dc1:2222",
			IdentityFiles: []string{"~/.ssh/db_%r", "~/.ssh/id_fleet"}},
		"x.dc2":       {User: "ops", ProxyJump: "jump@gw1.dc2:2200,gw2.dc2", IdentityFiles: []string{"~/.ssh/id_fleet"}},
		"lab-a":       {User: "labuser", IdentityFiles: []string{"~/.ssh/id_fleet"}},
		"lab-special": {User: "labuser", Port: 2200, IdentityFiles: []string{"~/.ssh/id_fleet"}},
		"nokeys":      {User: "ops", IdentityFiles: []string{"none", "~/.ssh/id_fleet"}, ProxyJump: "none"},
		"other":       {User: "ops", IdentityFiles: []string{"~/.ssh/id_fleet"}},
		"viacmd":      {User: "ops", ProxyCommand: "nc %h %p", IdentityFiles: []string{"~/.ssh/id_fleet"}},
	}
	for alias, w := range want {
		got := c.Resolve(alias)
		if !equalEntry(got, w) {
			t.Errorf("Resolve(%q):\n got %+v\nwant %+v", alias, got, w)
		}
	}
}

func equalEntry(a, b Entry) bool {
	return a.HostName == b.HostName && a.User == b.User && a.Port == b.Port &&
		slices.Equal(a.IdentityFiles, b.IdentityFiles) && a.ProxyJump == b.ProxyJump &&
		a.ProxyCommand == b.ProxyCommand
}

// TestAgreesWithOpenSSH resolves every alias with `ssh -G -F FILE` (the real
// OpenSSH client prints the configuration it would use) and compares
// HostName, User, Port, IdentityFile and ProxyJump.
func TestAgreesWithOpenSSH(t *testing.T) {
	ssh := needtool.Need(t, "openssh-client", "ssh")
	dir := t.TempDir()
	path := fleetConfig(t, dir)
	// Every Include is absolute and IdentityFile is compared as written,
	// so the home directory plays no part (ssh takes it from the password
	// database, not $HOME).
	c, err := Load(path, Options{Home: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defaults := sshG(t, ssh, "/dev/null", "plain-default")
	for _, alias := range aliases {
		got := c.Resolve(alias)
		ssh := sshG(t, ssh, path, alias)
		// Fill in what the caller defaults, as ssh does.
		if got.HostName == "" {
			got.HostName = strings.ToLower(alias)
		}
		if got.User == "" {
			got.User = defaults.User
		}
		if got.Port == 0 {
			got.Port = 22
		}
		if len(got.IdentityFiles) == 0 {
			got.IdentityFiles = defaults.IdentityFiles
		}
		ssh.ProxyCommand = got.ProxyCommand // ssh -G prints it with tokens expanded
		if got.ProxyJump == "none" {
			got.ProxyJump = "" // ssh -G prints no proxyjump line
		}
		if !equalEntry(got, ssh) {
			t.Errorf("%s:\n bondaudit %+v\n   ssh -G %+v", alias, got, ssh)
		}
	}
}

func sshG(t *testing.T, ssh, config, alias string) Entry {
	t.Helper()
	cmd := exec.Command(ssh, "-G", "-F", config, alias)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("ssh -G %s: %v\n%s", alias, err, stderr.String())
	}
	var e Entry
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		k, v, _ := strings.Cut(sc.Text(), " ")
		switch k {
		case "hostname":
			e.HostName = v
		case "user":
			e.User = v
		case "port":
			e.Port, _ = strconv.Atoi(v)
		case "identityfile":
			e.IdentityFiles = append(e.IdentityFiles, v)
		case "proxyjump":
			// ssh -G rewrites a single ssh:// hop but prints a chain
			// as written; Entry rewrites every hop.
			e.ProxyJump = strings.ReplaceAll(v, "ssh://", "")
		}
	}
	return e
}

func TestMatchSkippedWithWarning(t *testing.T) {
	c, err := Parse("cfg", []byte("Host a\n  User first\nMatch exec \"true\"\n  User viaMatch\n  Port 2000\nHost *\n  Port 3000\n"), Options{Home: "/h"})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Warnings) != 1 || !strings.HasPrefix(c.Warnings[0], "cfg:3: Match block skipped") {
		t.Errorf("warnings %q", c.Warnings)
	}
	if e := c.Resolve("a"); e.User != "first" || e.Port != 3000 {
		t.Errorf("a: %+v, want the Match block ignored", e)
	}
	if e := c.Resolve("b"); e.User != "" || e.Port != 3000 {
		t.Errorf("b: %+v, want the Match block ignored", e)
	}
}

func TestIncludeRelativeToHome(t *testing.T) {
	home := t.TempDir()
	write(t, filepath.Join(home, ".ssh", "fleet", "a.conf"), "Host a\n  Port 2001\n")
	write(t, filepath.Join(home, ".ssh", "fleet", "b.conf"), "Host a b\n  Port 2002\n  User bee\n")
	write(t, filepath.Join(home, "other.conf"), "Host c\n  Port 2003\n")
	c, err := Parse("cfg", []byte("Include fleet/*.conf ~/other.conf\nHost *\n  Port 1\n"), Options{Home: home})
	if err != nil {
		t.Fatal(err)
	}
	for alias, port := range map[string]int{"a": 2001, "b": 2002, "c": 2003, "d": 1} {
		if e := c.Resolve(alias); e.Port != port {
			t.Errorf("%s: port %d, want %d", alias, e.Port, port)
		}
	}
	if e := c.Resolve("a"); e.User != "bee" {
		t.Errorf("a: user %q, want bee (second included file, first value)", e.User)
	}
}

func TestIncludeLoopBounded(t *testing.T) {
	home := t.TempDir()
	p := write(t, filepath.Join(home, ".ssh", "loop"), "Include loop\n")
	_, err := Load(p, Options{Home: home})
	if err == nil || !strings.Contains(err.Error(), "nested more than 16 levels") {
		t.Fatalf("err %v, want the nesting limit", err)
	}
}

func TestErrors(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Host a\n  Port 0\n", "cfg:2: Port: bad port \"0\""},
		{"Host a\n  Port 70000\n", "cfg:2: Port: bad port"},
		{"Host a\n  Port twenty\n", "cfg:2: Port: bad port"},
		{"Host a\n  HostName a b\n", "cfg:2: hostname takes one argument, got 2"},
		{"Host\n", "cfg:1: Host needs at least one pattern"},
		{"Host a\n  HostName %C\n", "cfg:2: HostName \"%C\": token %C is not supported"},
		{"Host a\n  IdentityFile ~/.ssh/%C\n", "token %C is not supported"},
		{"Host a\n  IdentityFile ~bob/key\n", "~user paths are not supported"},
		{"Host a\n  User %u\n", "%-tokens in User are not supported"},
		{"Host a\n  ProxyJump bad:port\n", "cfg:2: ProxyJump \"bad:port\": bad port"},
		{"Host a\n  ProxyJump a,,b\n", "empty hop"},
		{"Host a\n  ProxyJump @h\n", "empty user"},
		{"Host a\n  User \"unterminated\n", "cfg:2: unterminated quote"},
		{"Ho$t a\n", "cfg:1: bad keyword"},
		{"Include\n", "cfg:1: Include needs a file"},
		{"Include ~bob/x\n", "~user paths are not supported"},
	} {
		_, err := Parse("cfg", []byte(tc.in), Options{Home: t.TempDir()})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: err %v, want %q", tc.in, err, tc.want)
		}
	}
}

func TestExpandPath(t *testing.T) {
	c := &Config{home: "/home/op", localUser: "op"}
	tok := Tokens{Alias: "web01", Host: "10.0.0.5", User: "admin", Port: 2222}
	for in, want := range map[string]string{
		"~/.ssh/id":         "/home/op/.ssh/id",
		"~":                 "/home/op",
		"%d/k_%h_%r_%p":     "/home/op/k_10.0.0.5_admin_2222",
		"/k/%n-%u-100%%":    "/k/web01-op-100%",
		"/abs/no/tokens":    "/abs/no/tokens",
		"relative/%r/~/key": "relative/admin/~/key",
	} {
		if got := c.ExpandPath(in, tok); got != want {
			t.Errorf("ExpandPath(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestGlob(t *testing.T) {
	for _, tc := range []struct {
		p, n string
		ok   bool
	}{
		{"*", "", true}, {"*", "abc", true}, {"a*c", "abbbc", true}, {"a*c", "abcd", false},
		{"?b", "ab", true}, {"?b", "b", false}, {"*.dc1", "x.dc1", true}, {"*.dc1", "x.dc10", false},
		{"a**b*c", "axxbyyc", true}, {strings.Repeat("*a", 30) + "b", strings.Repeat("a", 200), false},
	} {
		if got := Glob(tc.p, tc.n); got != tc.ok {
			t.Errorf("Glob(%q, %q) = %v", tc.p, tc.n, got)
		}
	}
}

func FuzzParseSSHConfig(f *testing.F) {
	f.Add([]byte("Host web01 !x *.dc?\n  HostName %h.example.com\n  Port=2222 # c\n  IdentityFile \"~/.ssh/a b\"\n  ProxyJump u@j:22,ssh://k\nMatch all\n  User m\n"))
	f.Add([]byte("Include nothing/*\nHost *\n  User ops\n  ProxyCommand nc %h %p\n"))
	home := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Parse("cfg", data, Options{Home: home, LocalUser: "op"})
		if err != nil {
			return
		}
		for _, a := range []string{"web01", "x", "a.dc1", ""} {
			e := c.Resolve(a)
			if e.Port < 0 || e.Port > 65535 {
				t.Fatalf("port %d", e.Port)
			}
			for _, p := range e.IdentityFiles {
				_ = c.ExpandPath(p, Tokens{Alias: a, Host: e.HostName, User: e.User, Port: e.Port})
			}
		}
	})
}

func TestIncludeFIFORefused(t *testing.T) {
	home := t.TempDir()
	if err := os.MkdirAll(filepath.Join(home, ".ssh"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(home, ".ssh", "pipe"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Parse("cfg", []byte("Include pipe\n"), Options{Home: home})
	if err == nil || !strings.Contains(err.Error(), "cfg:1: Include \"pipe\":") || !strings.Contains(err.Error(), "not a regular file") {
		t.Fatalf("err %v", err)
	}
}
