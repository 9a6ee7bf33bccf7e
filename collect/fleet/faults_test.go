package fleet

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// forced starts an sshd whose every session runs script instead of what
// the client asked (the client's command is in $SSH_ORIGINAL_COMMAND).
func forced(t *testing.T, script string) *sshd {
	t.Helper()
	dir := t.TempDir()
	p := filepath.Join(dir, "force.sh")
	writeFile(t, p, "#!/bin/sh\n"+script+"\n")
	os.Chmod(p, 0o755)
	return startSSHDCfg(t, false, "ForceCommand "+p)
}

// nonceOf is the shell line a forced script uses to learn the run's nonce.
const nonceOf = `N=$(printf %s "$SSH_ORIGINAL_COMMAND" | grep -o "bondaudit-[0-9a-f]*" | head -n 1)`

func TestMisbehavingHostsReportedOthersCollected(t *testing.T) {
	good := startSSHD(t)
	garbage := forced(t, `echo "Welcome to the machine"; echo "total 0"`)
	drops := forced(t, `sh -c "$SSH_ORIGINAL_COMMAND" | head -c 300`)
	escape := forced(t, nonceOf+`; printf "%s ../../escaped 0 3\nabc" "$N"`)
	twice := forced(t, nonceOf+`; printf "%s hostname 0 2\nh\n%s hostname 0 2\nh\n" "$N" "$N"`)
	huge := forced(t, nonceOf+`; printf "%s ip-link.json 0 99999999\n" "$N"; head -c 3000 /dev/zero`)
	hostCap := startSSHD(t)
	dir := t.TempDir()
	var known string
	for _, s := range []*sshd{good, garbage, drops, escape, twice, huge, hostCap} {
		known += s.knownLine()
	}
	kh := writeFile(t, filepath.Join(dir, "known_hosts"), known)
	targets := []Target{good.target("good"), garbage.target("garbage"), drops.target("drops"), escape.target("escape"),
		twice.target("twice"), huge.target("huge")}
	out := filepath.Join(dir, "site", "hosts")
	// An old capture of "drops" is replaced by the snapshot saying why,
	// never by half a capture.
	os.MkdirAll(filepath.Join(out, "drops"), 0o755)
	writeFile(t, filepath.Join(out, "drops", "ip-link.json"), "[]")
	// What a killed run left: a day-old temp folder (removed) and a fresh
	// one (maybe another run's, kept).
	old, fresh := filepath.Join(out, ".fleet-good-1"), filepath.Join(out, ".fleet-good-2")
	os.MkdirAll(old, 0o755)
	os.MkdirAll(fresh, 0o755)
	os.Chtimes(old, time.Now().Add(-24*time.Hour), time.Now().Add(-24*time.Hour))
	opt := Options{Out: out, KnownHosts: []string{kh}, AgentSocket: "-", Timeout: 20 * time.Second, CommandCap: 1 << 20}
	rs := Collect(context.Background(), targets, opt)
	want := map[string]string{
		"good":    "",
		"garbage": "not in the capture format",
		"drops":   "cut short",
		"escape":  "not part of a capture",
		"twice":   "sent twice",
		"huge":    "over the cap",
	}
	for _, r := range rs {
		w := want[r.Target.Name]
		switch {
		case w == "" && r.Err != nil:
			t.Errorf("%s: %v", r.Target.Name, r.Err)
		case w != "" && (r.Class() != ClassCommand || !strings.Contains(r.Err.Error(), w)):
			t.Errorf("%s: class %q err %v, want command-failed with %q", r.Target.Name, r.Class(), r.Err, w)
		case w != "":
			unreachableSnapshot(t, out, r.Target.Name)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "site", "escaped")); err == nil {
		t.Errorf("a host wrote outside its capture")
	}
	ents, _ := os.ReadDir(out)
	for _, e := range ents {
		if strings.HasPrefix(e.Name(), ".") && e.Name() != ".fleet-good-2" {
			t.Errorf("left behind in the output: %s", e.Name())
		}
	}
	if _, err := os.Stat(fresh); err != nil {
		t.Errorf("a fresh temp folder (another run's) was removed")
	}
	if _, err := os.Stat(filepath.Join(out, "drops")); err == nil {
		t.Errorf("the old capture of drops stayed beside its unreachable snapshot")
	}

	// A host's total is capped too.
	r := collectOne(t, hostCap.target("capped"), Options{Out: out, KnownHosts: []string{kh}, HostCap: 1000})
	if r.Class() != ClassCommand || !strings.Contains(r.Err.Error(), "host cap") {
		t.Errorf("host cap: class %q err %v", r.Class(), r.Err)
	}
}

// TestReadSectionsStrict covers what a hostile stream may try, without SSH.
func TestReadSectionsStrict(t *testing.T) {
	const n = "bondaudit-0123456789abcdef"
	cases := []struct{ name, in, err string }{
		{"ok", n + " hostname 0 3\nh1\n" + n + " bonding absent 0\n" + n + " end 0 0\n", ""},
		{"wrong nonce", "bondaudit-ffff hostname 0 3\nh1\n", "header"},
		{"negative length", n + " hostname 0 -1\n", "length"},
		{"length with sign", n + " hostname 0 +3\nh1\n", "length"},
		{"dot name", n + " bonding/.hidden 0 1\nx", "not an interface name"},
		{"long name", n + " bonding/abcdefghijklmnop 0 1\nx", "not an interface name"},
		{"folder as file", n + " bonding 0 1\nx", "a folder"},
		{"absent with bytes", n + " lldp.json absent 4\nabcd", "absent with 4 bytes"},
		{"status word", n + " hostname maybe 0\n", "status"},
		{"after end", n + " end 0 0\nmore", "after the end marker"},
		{"no end", n + " hostname 0 3\nh1\n", "without the end marker"},
		{"short content", n + " hostname 0 30\nh1\n", "cut short"},
		{"endless header", n + strings.Repeat("x", 600), "header over 512 bytes"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			_, err := readSections(strings.NewReader(c.in), dir, n, 100)
			switch {
			case c.err == "" && err != nil:
				t.Fatalf("error %v", err)
			case c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)):
				t.Fatalf("error %v, want %q", err, c.err)
			}
			if c.err == "" {
				if b, _ := os.ReadFile(filepath.Join(dir, "hostname")); string(b) != "h1\n" {
					t.Errorf("hostname %q", b)
				}
			}
		})
	}
}

// TestScriptBecome: only the commands that need root go through sudo -n,
// and only with become; the script holds no single quote or double backslash (it must
// pass through any login shell inside single quotes, fish's too).
func TestScriptBecome(t *testing.T) {
	plain, become := script("bondaudit-00", 100, false), script("bondaudit-00", 100, true)
	if strings.Contains(plain, "sudo") {
		t.Errorf("sudo without become")
	}
	if !strings.Contains(become, `S="sudo -n"`) {
		t.Errorf("become without sudo -n")
	}
	for _, line := range strings.Split(become, "\n") {
		if strings.Contains(line, "$S ") {
			for _, tool := range []string{"lldpcli", "ovs-appctl", "teamdctl"} {
				if strings.Contains(line, "$S "+tool) {
					goto ok
				}
			}
			t.Errorf("sudo for a command that needs no root: %s", line)
		ok:
		}
	}
	for _, c := range StockCommands {
		if c.Root {
			tool, _, _ := strings.Cut(c.Run, " ")
			if !strings.Contains(become, "$S "+tool) {
				t.Errorf("%s needs root but is not run through $S", tool)
			}
		}
	}
	if strings.Contains(become, "'") || strings.Contains(become, `\\`) {
		t.Errorf("the script holds a quote or a double backslash")
	}
}

// TestHostDeadline: a host whose commands never finish is stopped at the
// per-host deadline and reported as timed out (no retry: it connected).
func TestHostDeadline(t *testing.T) {
	hang := forced(t, `sleep 8`)
	dir := t.TempDir()
	kh := writeFile(t, filepath.Join(dir, "known_hosts"), hang.knownLine())
	start := time.Now()
	r := collectOne(t, hang.target("hangs"), Options{Out: filepath.Join(dir, "hosts"), KnownHosts: []string{kh}, Timeout: 2 * time.Second})
	if el := time.Since(start); el > 10*time.Second {
		t.Errorf("took %s with a 2s deadline", el)
	}
	if r.Class() != ClassTimeout || r.Attempts != 1 || !strings.Contains(r.Err.Error(), "not done within 2s") {
		t.Errorf("class %q attempts %d err %v", r.Class(), r.Attempts, r.Err)
	}
}

// TestStoppedCollectionKeepsOldCaptures: an interrupted collection (its
// context cancelled) writes no unreachable snapshot and leaves the hosts'
// old captures alone.
func TestStoppedCollectionKeepsOldCaptures(t *testing.T) {
	out := filepath.Join(t.TempDir(), "hosts")
	os.MkdirAll(filepath.Join(out, "web01"), 0o755)
	writeFile(t, filepath.Join(out, "web01", "ip-link.json"), "[]")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	rs := Collect(ctx, []Target{{Name: "web01", Addr: "127.0.0.1", Port: 1}, {Name: "web02", Addr: "127.0.0.1", Port: 1}},
		Options{Out: out, AgentSocket: "-", KnownHosts: []string{filepath.Join(t.TempDir(), "kh")}})
	for _, r := range rs {
		if r.Err == nil || !strings.Contains(r.Err.Error(), "collection stopped") {
			t.Errorf("%s: %v", r.Target.Name, r.Err)
		}
	}
	ents, _ := os.ReadDir(out)
	if len(ents) != 1 || ents[0].Name() != "web01" {
		t.Errorf("output after a stopped collection: %v", names(ents))
	}
}
