package main

import (
	"fmt"
	"github.com/bondaudit/bondaudit/internal/fixtures"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bondaudit/bondaudit/internal/snmplab"
	"github.com/bondaudit/bondaudit/topology"
)

// TestCollectSwitchesEndToEnd: collect from a v2c agent, a v3 authPriv
// agent and an address where nothing answers; the two are written as
// snapshots, the third as an unreachable snapshot, the exit status is 1,
// and an audit of the folder reports map.switch-unreachable. No community
// or key appears in any output, log line or file.
func TestCollectSwitchesEndToEnd(t *testing.T) {
	rec := fixtures.Path("snmp", "librenms__ios_2960x.snmprec")
	rec2 := fixtures.Path("snmp", "librenms__arista_eos.snmprec")
	if _, err := os.Stat(rec); err != nil {
		t.Skipf("shared fixtures not present: %v", err)
	}
	const community, authKey, privKey = "c0mmunity-XYZZY", "auth-PLUGH-key", "priv-FROTZ-key"
	v2 := snmplab.StartAgent(t, snmplab.AgentOptions{Walk: rec, Community: community})
	v3 := snmplab.StartAgent(t, snmplab.AgentOptions{Walk: rec2, Community: "unused-" + community,
		Users: []snmplab.V3User{{Name: "bondaudit", AuthProto: "SHA-256", Auth: authKey, PrivProto: "AES", Priv: privKey}}})
	dead := snmplab.FreeUDPPort(t)
	dir := t.TempDir()
	keyFile := filepath.Join(dir, "auth.key")
	if err := os.WriteFile(keyFile, []byte(authKey+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("TEST_COMMUNITY", community)
	t.Setenv("TEST_PRIV", privKey)
	targets := filepath.Join(dir, "targets.yaml")
	if err := os.WriteFile(targets, []byte(fmt.Sprintf(`
defaults:
  community: {env: TEST_COMMUNITY}
  timeout: 3s
  retries: 1
  deadline: 30s
groups:
  secure:
    version: 3
    v3:
      user: bondaudit
      auth_protocol: SHA256
      auth_key: {file: %s}
      priv_protocol: AES
      priv_key: {env: TEST_PRIV}
targets:
  - {name: access1, address: 127.0.0.1, port: %d}
  - {name: leaf1, address: 127.0.0.1, port: %d, group: secure}
  - {name: gone1, address: 127.0.0.1, port: %d}
`, keyFile, v2.Port, v3.Port, dead)), 0o600); err != nil {
		t.Fatal(err)
	}
	site := filepath.Join(dir, "site")
	out := filepath.Join(site, "switches")
	code, stdout, stderr := runCLI(t, "--log-level", "debug", "collect", "switches", "-t", targets, "-o", out)
	if code != 1 {
		t.Fatalf("exit %d, want 1 (one switch failed)\nstderr:\n%s", code, stderr)
	}
	if !strings.Contains(stderr, "switch gone1: not collected") || !strings.Contains(stderr, "collected 2 of 3 switches") {
		t.Errorf("stderr does not say what failed:\n%s", stderr)
	}
	var files []string
	for _, n := range []string{"access1", "leaf1", "gone1"} {
		p := filepath.Join(out, n+".json")
		f, err := os.Open(p)
		if err != nil {
			t.Fatalf("%s not written: %v", n, err)
		}
		s, err := topology.LoadSwitch(f, p)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := os.ReadFile(p)
		files = append(files, string(b))
		switch n {
		case "gone1":
			if !s.Unreachable || s.Error == "" {
				t.Errorf("gone1 snapshot: %+v", s)
			}
		default:
			if s.Unreachable || len(s.Ports) == 0 || s.Vendor == "" {
				t.Errorf("%s snapshot: unreachable %v, %d ports, vendor %q", n, s.Unreachable, len(s.Ports), s.Vendor)
			}
		}
	}
	for _, text := range append(files, stdout, stderr) {
		for _, secret := range []string{community, authKey, privKey} {
			if strings.Contains(text, secret) {
				t.Errorf("a secret (%q) appears in output, a log line or a snapshot", secret[:4]+"…")
			}
		}
	}
	// The following audit says gone1 could not be checked.
	if err := os.MkdirAll(filepath.Join(site, "hosts"), 0o755); err != nil {
		t.Fatal(err)
	}
	_, r, _ := auditJSON(t, "audit", site, "--format", "json", "--fail-on", "never")
	found := false
	for _, f := range r.Findings {
		if f.Rule == "map.switch-unreachable" && f.Switch == "gone1" {
			found = true
		}
	}
	if !found {
		t.Errorf("audit of the collected folder does not report gone1 unreachable: %+v", r.Findings)
	}

	// audit --targets polls again and audits with the site, the live
	// switches replacing the files of the same name.
	code, outJSON, errs := runCLI(t, "audit", site, "--targets", targets, "--format", "json", "--fail-on", "never")
	if code != 0 || !strings.Contains(outJSON, `"switches": 3`) || !strings.Contains(outJSON, `"map.switch-unreachable"`) {
		t.Errorf("audit --targets: exit %d, stderr %s\n%.600s", code, errs, outJSON)
	}
	for _, secret := range []string{community, authKey, privKey} {
		if strings.Contains(outJSON+errs, secret) {
			t.Error("audit --targets leaks a secret")
		}
	}

	// Bad targets file: exit 2, file and line named.
	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte("targets:\n  - {name: x, community: public}\n"), 0o600)
	code, _, stderr = runCLI(t, "collect", "switches", "-t", bad, "-o", out)
	if code != 2 || !strings.Contains(stderr, "bad.yaml:2") || !strings.Contains(stderr, "inline secrets") {
		t.Errorf("bad targets: exit %d, stderr %q", code, stderr)
	}
}

// TestCollectSwitchesKeepsGoingWhenASnapshotCannotBeSaved: a snapshot that
// cannot be written (here a folder is in its place; disk full is the same
// path) does not stop the others: every switch is tried, each failure named
// on stderr, and the exit status is 2 (the folder holds stale snapshots).
func TestCollectSwitchesKeepsGoingWhenASnapshotCannotBeSaved(t *testing.T) {
	rec := fixtures.Path("snmp", "librenms__ios_2960x.snmprec")
	if _, err := os.Stat(rec); err != nil {
		t.Skipf("shared fixtures not present: %v", err)
	}
	agent := snmplab.StartAgent(t, snmplab.AgentOptions{Walk: rec, Community: "test-community", Ports: 3})
	dir := t.TempDir()
	t.Setenv("TEST_COMMUNITY", "test-community")
	targets := filepath.Join(dir, "targets.yaml")
	if err := os.WriteFile(targets, []byte(fmt.Sprintf(`
defaults:
  community: {env: TEST_COMMUNITY}
  timeout: 3s
  deadline: 30s
targets:
  - {name: blocked1, address: 127.0.0.1, port: %d}
  - {name: good1, address: 127.0.0.1, port: %d}
  - {name: blocked2, address: 127.0.0.1, port: %d}
`, agent.Ports[0], agent.Ports[1], agent.Ports[2])), 0o600); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "switches")
	for _, n := range []string{"blocked1", "blocked2"} {
		if err := os.MkdirAll(filepath.Join(out, n+".json"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	code, _, stderr := runCLI(t, "collect", "switches", "-t", targets, "-o", out)
	if code != 2 {
		t.Errorf("exit %d, want 2 (snapshots not saved)", code)
	}
	for _, n := range []string{"blocked1", "blocked2"} {
		want := "switch " + n + ": snapshot not saved: writing " + filepath.Join(out, n+".json") + ": is a directory"
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr does not say %q:\n%s", want, stderr)
		}
	}
	if !strings.Contains(stderr, "collected 1 of 3 switches") || !strings.Contains(stderr, "2 of 3 snapshots could not be saved") {
		t.Errorf("stderr does not sum up:\n%s", stderr)
	}
	p := filepath.Join(out, "good1.json")
	f, err := os.Open(p)
	if err != nil {
		t.Fatalf("good1 not written after blocked1 failed: %v", err)
	}
	defer f.Close()
	s, err := topology.LoadSwitch(f, p)
	if err != nil || s.Unreachable || len(s.Ports) == 0 {
		t.Errorf("good1 snapshot: %v, %+v", err, s)
	}
}

// TestTargetsErrorsOnePerLine: a targets file with several errors prints
// each on its own line (the second indented), not joined by a literal \n.
func TestTargetsErrorsOnePerLine(t *testing.T) {
	tf := filepath.Join(t.TempDir(), "t.yaml")
	os.WriteFile(tf, []byte("targets:\n  - {name: a, address: \"bad host\"}\n  - {name: b, address: \"x:99999\"}\n"), 0o644)
	code, _, stderr := runCLI(t, "collect", "switches", "-t", tf, "-o", t.TempDir())
	lines := strings.Split(strings.TrimSpace(stderr), "\n")
	if code != 2 || len(lines) != 2 || !strings.HasPrefix(lines[0], "bondaudit: targets: "+tf+":2: ") ||
		!strings.HasPrefix(lines[1], "  "+tf+":3: ") || strings.Contains(stderr, `\n`) {
		t.Errorf("exit %d, stderr:\n%s", code, stderr)
	}
}
