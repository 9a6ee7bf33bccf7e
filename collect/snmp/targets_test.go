package snmp

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"strings"
	"testing"
	"time"
)

var testEnv = map[string]string{"RO_COMMUNITY": "s3cret-community", "AUTH": "auth-key-value", "PRIV": "priv-key-value"}

func lookup(k string) (string, bool) { v, ok := testEnv[k]; return v, ok }

func fakeReadFile(p string) ([]byte, error) {
	if p == "/etc/bondaudit/access.community" {
		return []byte("file-community\n"), nil
	}
	return nil, &fs.PathError{Op: "open", Path: p, Err: fs.ErrNotExist}
}

func TestParseTargetsLayers(t *testing.T) {
	ts, err := ParseTargets([]byte(`
defaults:
  community: {env: RO_COMMUNITY}
  timeout: 3s
  retries: 2
  deadline: 90s
groups:
  leafs:
    version: 3
    max_repetitions: 40
    max_varbinds: 2000
    v3:
      user: bondaudit
      auth_protocol: sha-256
      auth_key: {env: AUTH}
      priv_protocol: AES
      priv_key: {env: PRIV}
targets:
  - {name: leaf1a, address: 10.0.0.11, group: leafs}
  - name: access2
    address: 10.0.1.2
    port: 1161
    no_bulk: true
    full_walk: true
    community: {file: /etc/bondaudit/access.community}
  - name: core1
`), "targets.yaml", lookup, fakeReadFile)
	if err != nil {
		t.Fatal(err)
	}
	if len(ts) != 3 {
		t.Fatalf("%d targets", len(ts))
	}
	leaf, acc, core := ts[0], ts[1], ts[2]
	if leaf.Options.Version != V3 || leaf.Options.V3 == nil || leaf.Options.V3.User != "bondaudit" || leaf.Options.V3.AuthProtocol != "SHA256" ||
		leaf.Options.V3.AuthKey.Reveal() != "auth-key-value" || leaf.Options.V3.PrivKey.Reveal() != "priv-key-value" ||
		leaf.Options.MaxRepetitions != 40 || leaf.Options.MaxVarBinds != 2000 || leaf.Options.Timeout != 3*time.Second || leaf.Deadline != 90*time.Second || leaf.Line != 19 {
		t.Errorf("leaf1a: %+v %+v", leaf, leaf.Options.V3)
	}
	if acc.Options.Version != V2c || acc.Options.Port != 1161 || !acc.Options.NoBulk || !acc.Options.FullWalk || leaf.Options.FullWalk || acc.Options.Community.Reveal() != "file-community" || acc.Options.Retries != 2 {
		t.Errorf("access2: %+v", acc.Options)
	}
	if core.Options.Address != "core1" || core.Options.Port != 161 || core.Options.Community.Reveal() != "s3cret-community" || core.Options.MaxRepetitions != 25 ||
		core.Options.MaxVarBinds != DefaultMaxVarBinds {
		t.Errorf("core1: %+v", core.Options)
	}
}

// TestParsePerVLANFDBBudget: per_vlan_fdb_budget is a share of the
// deadline (default 20%), resolved against the target's own deadline
// whichever layer sets either, or a duration.
func TestParsePerVLANFDBBudget(t *testing.T) {
	ts, err := ParseTargets([]byte(`
defaults:
  community: {env: RO_COMMUNITY}
  per_vlan_fdb_budget: 10%
groups:
  slow:
    per_vlan_fdb_budget: 45s
targets:
  - {name: a}
  - {name: b, deadline: 5m}
  - {name: c, group: slow}
  - {name: d, per_vlan_fdb_budget: 100%}
`), "targets.yaml", lookup, fakeReadFile)
	if err != nil {
		t.Fatal(err)
	}
	want := []time.Duration{12 * time.Second, 30 * time.Second, 45 * time.Second, 2 * time.Minute}
	for i, tg := range ts {
		if tg.PerVLANFDBBudget != want[i] {
			t.Errorf("%s: budget %s, want %s", tg.Name, tg.PerVLANFDBBudget, want[i])
		}
	}
	ts, err = ParseTargets([]byte("targets:\n  - {name: a, community: {env: RO_COMMUNITY}}\n"), "targets.yaml", lookup, fakeReadFile)
	if err != nil || ts[0].PerVLANFDBBudget != 2*time.Minute*DefaultPerVLANFDBShare/100 {
		t.Errorf("default budget: %v %v", ts, err)
	}
}

func TestParseTargetsErrors(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []string
	}{
		{"targets:\n  - {name: a, community: public}\n", []string{"targets.yaml:2", "inline secrets are not allowed", "{env: VARIABLE}"}},
		{"targets:\n  - {name: a, community: {env: NOPE}}\n", []string{"environment variable NOPE is not set"}},
		{"targets:\n  - {name: a, community: {file: /nope}}\n", []string{"/nope"}},
		{"targets:\n  - {name: a, comunity: {env: RO_COMMUNITY}}\n", []string{`unknown key "comunity" in target`, "name, address, group, version"}},
		{"defaults:\n  retry: 1\ntargets:\n  - {name: a}\n", []string{"targets.yaml:2", `unknown key "retry" in defaults`, "retries"}},
		{"target:\n  - {name: a}\n", []string{`unknown key "target"`, "defaults, groups, targets"}},
		{"targets:\n  - {name: a, group: x, community: {env: RO_COMMUNITY}}\n", []string{`no group "x"`}},
		{"targets:\n  - {name: a, community: {env: RO_COMMUNITY}}\n  - {name: a, community: {env: RO_COMMUNITY}}\n", []string{"defined twice (first at line 2)"}},
		{"targets:\n  - {name: a, version: 4, community: {env: RO_COMMUNITY}}\n", []string{"want 1, 2c or 3"}},
		{"targets:\n  - {name: a}\n", []string{"needs a community"}},
		{"targets:\n  - {name: a, version: 3}\n", []string{"needs v3.user"}},
		{"targets:\n  - {name: a, version: 3, v3: {user: u, auth_protocol: SHA1024}}\n", []string{"SHA256", "SHA1024"}},
		{"targets:\n  - {name: ../a, community: {env: RO_COMMUNITY}}\n", []string{"no slashes"}},
		{"targets: []\n", []string{"want a list of switches"}},
		{"targets:\n  - {name: a, timeout: soon, community: {env: RO_COMMUNITY}}\n", []string{"duration"}},
		{"defaults:\n  max_varbinds: 0\ntargets:\n  - {name: a, community: {env: RO_COMMUNITY}}\n", []string{"targets.yaml:2", "max_varbinds: want a varbind count from 1 to 50000000", `got "0"`}},
		{"targets:\n  - {name: a, max_varbinds: 1e6, community: {env: RO_COMMUNITY}}\n", []string{"max_varbinds", `got "1e6"`}},
		{"targets:\n  - {name: a, max_varbinds: 99999999999, community: {env: RO_COMMUNITY}}\n", []string{"max_varbinds", "50000000"}},
		{"targets:\n  - {name: a, max_varbind: 10, community: {env: RO_COMMUNITY}}\n", []string{`unknown key "max_varbind"`, "max_varbinds"}},
		{"defaults:\n  per_vlan_fdb_budget: 0%\ntargets:\n  - {name: a, community: {env: RO_COMMUNITY}}\n", []string{"targets.yaml:2", "per_vlan_fdb_budget: want a share of the deadline from 1% to 100% (default 20%) or a duration like 20s", `got "0%"`}},
		{"targets:\n  - {name: a, per_vlan_fdb_budget: 150%, community: {env: RO_COMMUNITY}}\n", []string{"targets.yaml:2", "per_vlan_fdb_budget", `got "150%"`}},
		{"targets:\n  - {name: a, per_vlan_fdb_budget: a fifth, community: {env: RO_COMMUNITY}}\n", []string{"targets.yaml:2", "per_vlan_fdb_budget", `got "a fifth"`}},
		{"targets:\n  - {name: a, per_vlan_fdb_budget: -5s, community: {env: RO_COMMUNITY}}\n", []string{"targets.yaml:2", "per_vlan_fdb_budget", `got "-5s"`}},
		{"defaults:\n  deadline: 1m\ntargets:\n  - {name: a, per_vlan_fdb_budget: 2m, community: {env: RO_COMMUNITY}}\n", []string{"targets.yaml:4", "target a: per_vlan_fdb_budget 2m0s is longer than the deadline 1m0s"}},
		// values that are not single values are refused, not read as ""
		{"targets:\n  - {name: a, context: [x], community: {env: RO_COMMUNITY}}\n", []string{"targets.yaml:2", "context: want a single value"}},
		{"targets:\n  - {name: a, community: {env: RO_COMMUNITY}, community: {env: AUTH}}\n", []string{"targets.yaml:2", `target: key "community" given twice`}},
		{"groups:\n  g:\n    retry: 1\ntargets:\n  - {name: a, group: g, community: {env: RO_COMMUNITY}}\n", []string{"targets.yaml:3", `unknown key "retry" in group g`}},
	} {
		_, err := ParseTargets([]byte(c.in), "targets.yaml", lookup, fakeReadFile)
		if err == nil {
			t.Errorf("%q: no error", c.in)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%q: error %q lacks %q", c.in, err, w)
			}
		}
		for _, v := range testEnv {
			if strings.Contains(err.Error(), v) {
				t.Errorf("%q: error leaks a secret: %v", c.in, err)
			}
		}
	}
}

// TestSecretNeverPrints: every way a credential could reach output or a
// log shows <redacted>.
func TestSecretNeverPrints(t *testing.T) {
	s := NewSecret("hunter2-community")
	o := Options{Address: "10.0.0.1", Community: s, V3: &V3Options{User: "u", AuthKey: NewSecret("hunter2-auth"), PrivKey: NewSecret("hunter2-priv")}}
	var outs []string
	outs = append(outs, fmt.Sprint(s), fmt.Sprintf("%v %+v %#v %s %q", o, o, o, s, s), fmt.Sprintf("%+v %#v", *o.V3, *o.V3))
	b, _ := json.Marshal(o)
	outs = append(outs, string(b))
	var logb strings.Builder
	slog.New(slog.NewTextHandler(&logb, nil)).Info("dial", "options", o, "community", s, "v3", o.V3)
	slog.New(slog.NewJSONHandler(&logb, nil)).Info("dial", "options", o, "community", s)
	outs = append(outs, logb.String(), errors.New(fmt.Sprint("dial ", o)).Error())
	for _, out := range outs {
		if strings.Contains(out, "hunter2") {
			t.Errorf("secret printed: %s", out)
		}
	}
	if s.Reveal() != "hunter2-community" {
		t.Error("Reveal")
	}
}

// TestParseTargetsAddresses: addresses are checked when the file is read,
// each error at the address's own line: HOST, HOST:PORT, IPv6 and
// [IPv6]:PORT are read; an empty address, a port out of range or not a
// number, a name that is no host name, and a port given twice are not.
func TestParseTargetsAddresses(t *testing.T) {
	head := "defaults:\n  community: {env: RO_COMMUNITY}\ntargets:\n"
	ts, err := ParseTargets([]byte(head+`  - {name: a, address: 10.0.0.1:1161}
  - {name: b, address: "[2001:db8::1]:1162"}
  - {name: c, address: "2001:db8::2"}
  - {name: d, address: sw-d.dc1.example.net}
  - {name: e.example.net}
  - {name: f, address: "10.0.0.6:1163", port: 1163}
`), "targets.yaml", lookup, fakeReadFile)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		host string
		port uint16
	}{{"10.0.0.1", 1161}, {"2001:db8::1", 1162}, {"2001:db8::2", 161}, {"sw-d.dc1.example.net", 161}, {"e.example.net", 161}, {"10.0.0.6", 1163}}
	for i, w := range want {
		if ts[i].Options.Address != w.host || ts[i].Options.Port != w.port {
			t.Errorf("%s: address %q port %d, want %q %d", ts[i].Name, ts[i].Options.Address, ts[i].Options.Port, w.host, w.port)
		}
	}
	for _, c := range []struct {
		target string
		want   []string
	}{
		{"  - name: a\n    address: \"\"\n", []string{"targets.yaml:5", "target a: address \"\": empty address"}},
		{"  - name: a\n    address: 10.0.0.1:0\n", []string{"targets.yaml:5", "port 0 is out of range 1-65535"}},
		{"  - name: a\n    address: 10.0.0.1:70000\n", []string{"targets.yaml:5", "port 70000 is out of range 1-65535"}},
		{"  - name: a\n    address: 10.0.0.1:99999999999999999999\n", []string{"targets.yaml:5", "out of range"}},
		{"  - name: a\n    address: \"10.0.0.1:snmp\"\n", []string{"targets.yaml:5", `port "snmp" is not a number`}},
		{"  - name: a\n    address: \"10.0.0.1:\"\n", []string{"targets.yaml:5", "no port after ':'"}},
		{"  - name: a\n    address: sw 1\n", []string{"targets.yaml:5", `address "sw 1": not a host name or IP address`}},
		{"  - name: a\n    address: http://sw1/\n", []string{"targets.yaml:5", "want HOST or HOST:PORT"}},
		{"  - name: a\n    address: 2001:db8::zz\n", []string{"targets.yaml:5", "not an IPv6 address", "[ADDRESS]:PORT"}},
		{"  - name: a\n    address: \"[sw1]:161\"\n", []string{"targets.yaml:5", "not an IPv6 address"}},
		{"  - name: a\n    address: 10.0.0.1:1161\n    port: 1162\n", []string{"targets.yaml:5", "names port 1161 and port: says 1162"}},
		{"  - name: a\n    port: 70000\n", []string{"targets.yaml:5", "1 to 65535", `"70000"`}},
		{"  - name: sw_1 a\n", []string{"targets.yaml:4", `no address, and the name as one "sw_1 a"`}},
	} {
		_, err := ParseTargets([]byte(head+c.target), "targets.yaml", lookup, fakeReadFile)
		if err == nil {
			t.Errorf("%q: no error", c.target)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%q: error %q lacks %q", c.target, err, w)
			}
		}
	}
}
