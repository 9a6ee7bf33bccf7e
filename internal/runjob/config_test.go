package runjob

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestExampleConfigLoads keeps docs/run.example.yaml valid, and shows
// what it means.
func TestExampleConfigLoads(t *testing.T) {
	c, err := Load(filepath.Join("..", "..", "docs", "run.example.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if c.Site != "dc1" || c.Hosts == nil || c.Hosts.From != "/var/lib/bondaudit/hosts" ||
		c.Switches == nil || c.Switches.Targets != "/etc/bondaudit/targets.yaml" || c.Switches.Concurrency != 16 ||
		c.Policy != "/etc/bondaudit/policy.yaml" || c.History != "/var/lib/bondaudit/history" ||
		c.Retention != (Retention{Keep: 60, Days: 90}) || c.FailOnName != "error" || len(c.Outputs) != 3 {
		t.Errorf("example config read as %+v", c)
	}
	for _, o := range c.Outputs {
		if o.Format == "" || !filepath.IsAbs(o.Path) {
			t.Errorf("output %+v", o)
		}
	}
}

// TestRelativePathsFromTheConfigFolder: a config reads the same from any
// working directory.
func TestRelativePathsFromTheConfigFolder(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "etc", "run.yaml")
	os.MkdirAll(filepath.Dir(p), 0o755)
	os.WriteFile(p, []byte("site: x\nhosts: {from: ../hosts}\nswitches: {from: walks}\npolicy: policy.yaml\nhistory: /srv/h\noutputs:\n  - {path: out/r.prom}\n"), 0o644)
	t.Chdir(t.TempDir())
	c, err := Load("../" + filepath.Base(filepath.Dir(filepath.Dir(p))) + "/etc/run.yaml")
	if err != nil {
		t.Fatal(err)
	}
	etc := filepath.Join(dir, "etc")
	if c.Hosts.From != filepath.Join(dir, "hosts") || c.Switches.From != filepath.Join(etc, "walks") ||
		c.Policy != filepath.Join(etc, "policy.yaml") || c.History != "/srv/h" ||
		c.Outputs[0].Path != filepath.Join(etc, "out", "r.prom") || c.Outputs[0].Format != "prom" || c.Path != p {
		t.Errorf("paths: %+v hosts %+v switches %+v outputs %+v", c, c.Hosts, c.Switches, c.Outputs)
	}
}

// TestConfigErrors: strict, every problem with file:line, unknown keys
// naming the allowed ones, all problems of a file at once.
func TestConfigErrors(t *testing.T) {
	const ok = "site: dc1\nhosts: {from: /srv/hosts}\nhistory: /srv/history\n"
	for _, c := range []struct {
		name, yaml string
		want       []string
	}{
		{"unknown top-level key", ok + "histroy: x\n", []string{
			`run.yaml:4: unknown key "histroy"; allowed: site, hosts, switches, policy, history, retention, outputs, fail_on`}},
		{"unknown key in hosts", "site: dc1\nhosts:\n  from: /srv/hosts\n  form: x\nhistory: /h\n", []string{
			`run.yaml:4: unknown key "form" in hosts; allowed: from, inventory, limit, concurrency, known_hosts, become`}},
		{"unknown key in switches", ok + "switches: {targets: t.yaml, community: public}\n", []string{
			`run.yaml:4: unknown key "community" in switches; allowed: targets, from, concurrency`}},
		{"unknown key in retention", ok + "retention:\n  keep: 3\n  weeks: 2\n", []string{
			`run.yaml:6: unknown key "weeks" in retention; allowed: keep, days`}},
		{"unknown key in an output", ok + "outputs:\n  - format: prom\n    file: x.prom\n", []string{
			`run.yaml:6: unknown key "file" in output; allowed: format, path`, `run.yaml:5: output: path required`}},
		{"no site", "hosts: {from: /h}\nhistory: /x\n", []string{`run.yaml:1: site: required`}},
		{"no history", "site: a\nhosts: {from: /h}\n", []string{`run.yaml:1: history: required`}},
		{"no source", "site: a\nhistory: /x\n", []string{`run.yaml:1: hosts and switches: give at least one`}},
		{"hosts from and inventory", "site: a\nhosts: {from: /h, inventory: /i}\nhistory: /x\n", []string{`run.yaml:2: hosts: give from or inventory, not both`}},
		{"hosts limit without inventory", "site: a\nhosts: {from: /h, limit: web*}\nhistory: /x\n", []string{`run.yaml:2: hosts.limit: only with inventory`}},
		{"hosts concurrency 0", "site: a\nhosts: {inventory: /i, concurrency: 0}\nhistory: /x\n", []string{`run.yaml:2: hosts.concurrency: want hosts collected at once, 1 or more, got "0"`}},
		{"hosts without from", "site: a\nhosts: {}\nhistory: /x\n", []string{`run.yaml:2: hosts.from: required`}},
		{"targets and from", ok + "switches: {targets: t.yaml, from: walks}\n", []string{`run.yaml:4: switches: give targets or from, not both`}},
		{"neither targets nor from", ok + "switches: {}\n", []string{`run.yaml:4: switches: give targets`}},
		{"concurrency without targets", ok + "switches: {from: w, concurrency: 4}\n", []string{`run.yaml:4: switches.concurrency: only with targets`}},
		{"concurrency zero", ok + "switches: {targets: t.yaml, concurrency: 0}\n", []string{`run.yaml:4: switches.concurrency: want switches polled at once, 1 or more, got "0"`}},
		{"keep zero", ok + "retention: {keep: 0}\n", []string{`run.yaml:4: retention.keep: want a number of runs, 1 or more, got "0"`}},
		{"days not a number", ok + "retention: {days: 3w}\n", []string{`run.yaml:4: retention.days:`}},
		{"bad fail_on", ok + "fail_on: critical\n", []string{`run.yaml:4: fail_on "critical": want error, warning, info or never`}},
		{"bad format", ok + "outputs:\n  - {format: pdf, path: r.pdf}\n", []string{`run.yaml:5: output /cfg/r.pdf: unknown report format "pdf": choose one of text, json`}},
		{"stdout output", ok + "outputs:\n  - {format: json, path: '-'}\n", []string{`run.yaml:5: output: path "-"`}},
		{"same output twice", ok + "outputs:\n  - {path: r.json}\n  - {format: json, path: ./r.json}\n", []string{`run.yaml:6: output /cfg/r.json: already written by the output at line 5`}},
		{"hosts a list", "site: a\nhosts: [/h]\nhistory: /x\n", []string{`run.yaml:2: hosts: want a mapping of from, inventory, limit, concurrency, known_hosts, become`}},
		{"not a mapping", "- a\n", []string{`run.yaml: a run config is a mapping of site, hosts`}},
		{"history inside hosts.from", "site: a\nhosts: {from: /srv/hosts}\nhistory: /srv/hosts/history\n", []string{`history /srv/hosts/history and hosts.from /srv/hosts overlap`}},
		{"hosts.from inside history", "site: a\nswitches: {from: /srv/h/walks}\nhistory: /srv/h\n", []string{`history /srv/h and switches.from /srv/h/walks overlap`}},
		{"several problems at once", "site: a\nhosts: {from: /h, x: 1}\nhistory: /x\nfail_on: sometimes\n", []string{`run.yaml:2: unknown key "x" in hosts`, `run.yaml:4: fail_on "sometimes"`}},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse([]byte(c.yaml), "/cfg/run.yaml")
			if err == nil {
				t.Fatalf("accepted:\n%s", c.yaml)
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error\n%v\nwant it to contain\n%s", err, w)
				}
			}
		})
	}
	if _, err := Parse([]byte(ok), "/cfg/run.yaml"); err != nil {
		t.Errorf("the minimal config is refused: %v", err)
	}
}

// TestHostsInventoryConfig: hosts: {inventory: …} instead of from, its
// paths relative to the config, concurrency 64 by default.
func TestHostsInventoryConfig(t *testing.T) {
	c, err := Parse([]byte("site: a\nhosts: {inventory: hosts.ini, limit: 'web*', known_hosts: kh, become: true}\nhistory: /x\n"), "/etc/ba/run.yaml")
	if err != nil {
		t.Fatal(err)
	}
	want := Hosts{Inventory: "/etc/ba/hosts.ini", Limit: "web*", KnownHosts: "/etc/ba/kh", Become: true, Concurrency: 64}
	if *c.Hosts != want {
		t.Errorf("hosts %+v, want %+v", *c.Hosts, want)
	}
}
