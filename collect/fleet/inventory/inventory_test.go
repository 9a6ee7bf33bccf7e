package inventory

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"syscall"
	"testing"

	"github.com/bondaudit/bondaudit/internal/needtool"
)

func load(t *testing.T, name string) *Inventory {
	t.Helper()
	inv, err := Load(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return inv
}

func names(hs []Host) []string {
	out := make([]string, len(hs))
	for i, h := range hs {
		out[i] = h.Name
	}
	return out
}

func TestDetect(t *testing.T) {
	for file, want := range map[string]Format{"dc.ini": FormatINI, "dc.yaml": FormatYAML, "hosts.txt": FormatList} {
		if inv := load(t, file); inv.Format != want {
			t.Errorf("%s: format %v, want %v", file, inv.Format, want)
		}
	}
	for in, want := range map[string]Format{
		"---\n- a\n":               FormatYAML,
		"# c\nall:\n  hosts:\n":    FormatYAML,
		"web: {hosts: {a: }}\n":    FormatYAML,
		"[web]\na\n":               FormatINI,
		"a ansible_port=22\n":      FormatINI,
		"a\nb:22\n[2001:db8::1]:2": FormatList,
		"ops@a\n":                  FormatList,
		"a note=\"x: y\"\n":        FormatINI,
		"{all: {hosts: {a: }}}\n":  FormatYAML,
		"all:\t# c\n":              FormatYAML,
		"":                         FormatList,
	} {
		if got := Detect([]byte(in)); got != want {
			t.Errorf("Detect(%q) = %v, want %v", in, got, want)
		}
	}
}

// The INI and YAML fixtures describe the same fleet: both readers must give
// the same hosts, groups and connection settings.
func TestINIAndYAMLAgree(t *testing.T) {
	ini, yml := load(t, "dc.ini"), load(t, "dc.yaml")
	if !slices.Equal(ini.Groups(), yml.Groups()) {
		t.Errorf("groups:\n ini %v\nyaml %v", ini.Groups(), yml.Groups())
	}
	a, b := sortedHosts(ini.Hosts), sortedHosts(yml.Hosts)
	if len(a) != len(b) {
		t.Fatalf("ini %d hosts, yaml %d", len(a), len(b))
	}
	for i := range a {
		x, y := a[i], b[i]
		if x.Name != y.Name || x.Address != y.Address || x.Port != y.Port || x.User != y.User ||
			x.Become != y.Become || !slices.Equal(x.Groups, y.Groups) {
			t.Errorf("ini  %+v\nyaml %+v", x, y)
		}
	}
}

func sortedHosts(hs []Host) []Host {
	out := slices.Clone(hs)
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// TestVarsPrecedence spells out what the fixture's merge gives (the same
// values Ansible gives: TestAgreesWithAnsible).
func TestVarsPrecedence(t *testing.T) {
	for _, file := range []string{"dc.ini", "dc.yaml"} {
		inv := load(t, file)
		by := map[string]Host{}
		for _, h := range inv.Hosts {
			by[h.Name] = h
		}
		for _, w := range []Host{
			// host vars beat everything
			{Name: "bastion.example.com", Port: 2200, User: "jump"},
			// web_dc1 (depth 3) beats web (depth 1) beats prod (depth 1, name before web)
			{Name: "web01.dc1.example.com", Port: 22, User: "web1"},
			{Name: "web05.dc1.example.com", Address: "10.0.1.5", Port: 22, User: "deploy"},
			// dc2's port beats prod's; web beats prod for the user (same depth, later name)
			{Name: "web-b.dc2.example.com", Port: 2222, User: "www"},
			// the legacy names beat the new ones (dc2's ansible_port)
			{Name: "db-legacy.dc2.example.com", Address: "10.0.2.99", Port: 2022, User: "ops"},
			{Name: "db3.dc1.example.com", Port: 22, User: "ops", Become: true},
			// host:port in the pattern is the host's ansible_port
			{Name: "lb01.dc1.example.com", Port: 2223, User: "ops"},
			{Name: "2001:db8::10", Port: 2224},
		} {
			h, ok := by[w.Name]
			if !ok {
				t.Errorf("%s: no host %s", file, w.Name)
				continue
			}
			if h.Address != w.Address || h.Port != w.Port || h.User != w.User || h.Become != w.Become {
				t.Errorf("%s: %s: got address %q port %d user %q become %v, want %q %d %q %v", file, w.Name,
					h.Address, h.Port, h.User, h.Become, w.Address, w.Port, w.User, w.Become)
			}
		}
		if h := by["web02.dc1.example.com"]; !slices.Equal(h.Groups, []string{"dc1", "prod", "web", "web_dc1"}) {
			t.Errorf("%s: web02 groups %v", file, h.Groups)
		}
		if h := by["bastion.example.com"]; !slices.Equal(h.Groups, []string{"ungrouped"}) || h.Line == 0 {
			t.Errorf("%s: bastion groups %v line %d", file, h.Groups, h.Line)
		}
	}
}

func TestPlainList(t *testing.T) {
	inv := load(t, "hosts.txt")
	want := []Host{
		{Name: "web01.dc1.example.com", Line: 2},
		{Name: "web02.dc1.example.com", Port: 2222, Line: 3},
		{Name: "db1.dc1.example.com", User: "ops", Line: 4},
		{Name: "db2.dc1.example.com", User: "ops", Port: 2022, Line: 5},
		{Name: "10.0.3.7", Line: 6},
		{Name: "2001:db8::20", Port: 22, Line: 7},
		{Name: "2001:db8::21", Line: 8},
	}
	if len(inv.Hosts) != len(want) {
		t.Fatalf("hosts %v", names(inv.Hosts))
	}
	for i, w := range want {
		h := inv.Hosts[i]
		if h.Name != w.Name || h.Port != w.Port || h.User != w.User || h.Line != w.Line ||
			!slices.Equal(h.Groups, []string{"ungrouped"}) || h.Source != filepath.Join("testdata", "hosts.txt") {
			t.Errorf("host %d: %+v, want %+v", i, h, w)
		}
	}
}

// TestAgreesWithAnsible reads both fixtures with Debian's ansible-inventory
// and compares every host, its groups and its variables.
func TestAgreesWithAnsible(t *testing.T) {
	bin := needtool.Need(t, "ansible", "ansible-inventory")
	for _, file := range []string{"dc.ini", "dc.yaml"} {
		out := runAnsible(t, bin, "-i", filepath.Join("testdata", file), "--list")
		var list map[string]json.RawMessage
		if err := json.Unmarshal(out, &list); err != nil {
			t.Fatal(err)
		}
		var meta struct {
			Hostvars map[string]map[string]any `json:"hostvars"`
		}
		if err := json.Unmarshal(list["_meta"], &meta); err != nil {
			t.Fatal(err)
		}
		type node struct {
			Hosts    []string `json:"hosts"`
			Children []string `json:"children"`
		}
		tree := map[string]node{}
		for g, raw := range list {
			if g == "_meta" {
				continue
			}
			var n node
			if err := json.Unmarshal(raw, &n); err != nil {
				t.Fatal(err)
			}
			tree[g] = n
		}
		groupsOf := map[string]map[string]bool{}
		var walk func(g string, path []string)
		walk = func(g string, path []string) {
			path = append(path, g)
			for _, h := range tree[g].Hosts {
				if groupsOf[h] == nil {
					groupsOf[h] = map[string]bool{}
				}
				for _, p := range path {
					if p != "all" {
						groupsOf[h][p] = true
					}
				}
			}
			for _, c := range tree[g].Children {
				walk(c, path)
			}
		}
		walk("all", nil)

		inv := load(t, file)
		if len(inv.Hosts) != len(meta.Hostvars) {
			t.Errorf("%s: %d hosts, ansible %d", file, len(inv.Hosts), len(meta.Hostvars))
		}
		for _, h := range inv.Hosts {
			av, ok := meta.Hostvars[h.Name]
			if !ok {
				t.Errorf("%s: ansible has no host %s", file, h.Name)
				continue
			}
			var ag []string
			for g := range groupsOf[h.Name] {
				ag = append(ag, g)
			}
			sort.Strings(ag)
			if !slices.Equal(h.Groups, ag) {
				t.Errorf("%s: %s groups %v, ansible %v", file, h.Name, h.Groups, ag)
			}
			for k, v := range av {
				got, ok := h.Vars[k]
				want := fmt.Sprint(v)
				if k == "ansible_become" {
					b, _ := parseBool(want)
					want = fmt.Sprint(b)
					gb, _ := parseBool(got)
					got = fmt.Sprint(gb)
				}
				if !ok || got != want {
					t.Errorf("%s: %s: %s = %q, ansible %q", file, h.Name, k, got, want)
				}
			}
			if len(h.Vars) != len(av) {
				t.Errorf("%s: %s: vars %v, ansible %v", file, h.Name, h.Vars, av)
			}
		}
	}
}

func runAnsible(t *testing.T, bin string, args ...string) []byte {
	t.Helper()
	cmd := exec.Command(bin, args...)
	home := t.TempDir()
	cmd.Env = append(os.Environ(), "HOME="+home, "ANSIBLE_LOCAL_TEMP="+home, "ANSIBLE_NOCOLOR=1",
		"ANSIBLE_INVENTORY_UNPARSED_WARNING=False")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s %v: %v\n%s", bin, args, err, stderr.String())
	}
	return out
}

// TestSelectAgreesWithAnsible asks `ansible --list-hosts PATTERN` and Select
// the same patterns.
func TestSelectAgreesWithAnsible(t *testing.T) {
	bin := needtool.Need(t, "ansible", "ansible")
	path := filepath.Join("testdata", "dc.ini")
	inv := load(t, "dc.ini")
	for _, p := range []string{
		"web*", "dc1", "web:db", "web,lb", "prod:&web", "prod:!dc2", "~db[0-9]",
		"web:&dc1:!web0[12]*", "all:!web_dc1", "*.dc2.example.com", "lb01.dc1.example.com,bastion*",
	} {
		out := runAnsible(t, bin, "-i", path, "--list-hosts", p)
		var want []string
		for _, l := range strings.Split(string(out), "\n")[1:] {
			if l = strings.TrimSpace(l); l != "" {
				want = append(want, l)
			}
		}
		sort.Strings(want)
		got, err := inv.Select([]string{p})
		if err != nil {
			t.Errorf("%s: %v", p, err)
		}
		g := names(got)
		sort.Strings(g)
		if !slices.Equal(g, want) {
			t.Errorf("%s:\n     Select %v\n    ansible %v", p, g, want)
		}
	}
}

func TestSelect(t *testing.T) {
	inv := load(t, "dc.ini")
	sel := func(limit ...string) ([]string, error) {
		hs, err := inv.Select(limit)
		return names(hs), err
	}
	all, err := sel()
	if err != nil || len(all) != len(inv.Hosts) {
		t.Errorf("no limit: %d hosts, %v", len(all), err)
	}
	// Inventory order, several --limit values as one union.
	got, err := sel("lb", "bastion.example.com")
	if err != nil || !slices.Equal(got, []string{"bastion.example.com", "lb01.dc1.example.com", "2001:db8::10"}) {
		t.Errorf("lb + bastion: %v %v", got, err)
	}
	// Only exclusions start from all.
	got, _ = sel("!prod")
	if !slices.Equal(got, []string{"bastion.example.com", "2001:db8::10"}) {
		t.Errorf("!prod: %v", got)
	}
	// An IPv6 address is one term, in any spelling.
	got, err = sel("2001:db8:0::10")
	if err != nil || !slices.Equal(got, []string{"2001:db8::10"}) {
		t.Errorf("v6: %v %v", got, err)
	}
	// Unknown names select nothing and say so; the rest still selects.
	got, err = sel("web01.dc1.example.com,nosuch:!nogroup")
	var ue *UnmatchedError
	if !slices.Equal(got, []string{"web01.dc1.example.com"}) || !asUnmatched(err, &ue) ||
		!slices.Equal(ue.Terms, []string{"nosuch", "!nogroup"}) {
		t.Errorf("unknown: %v %v", got, err)
	}
	if !strings.Contains(err.Error(), `no host or group matches "nosuch", "!nogroup"`) {
		t.Errorf("message %q", err)
	}
	for _, bad := range []string{"~web(", "web[0]", "web:&", "a!b"} {
		if _, err := sel(bad); err == nil || asUnmatched(err, &ue) {
			t.Errorf("%q: err %v, want a pattern error", bad, err)
		}
	}
}

func asUnmatched(err error, ue **UnmatchedError) bool {
	e, ok := err.(*UnmatchedError)
	*ue = e
	return ok
}

func TestErrors(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"ini", "[web]\nweb01 ansible_port=0\n", "inv:2: host web01: ansible_port: bad port \"0\""},
		{"ini", "[web]\nweb01:99999\n", "inv:2: bad port \"99999\""},
		{"ini", "[web]\nweb01 ansible_become=maybe\n", "inv:2: host web01: ansible_become: bad boolean"},
		{"ini", "[web]\nweb01 port\n", "inv:2: host web01: \"port\" is not name=value"},
		{"ini", "[web]\nweb01 ansible_user=a\n[db]\nweb01 ansible_user=b\n", "inv:4: host web01: ansible_user set to \"b\" here and to \"a\" at line 2"},
		{"ini", "[web]\na ansible_host=1.2.3.4 ansible_ssh_host=1.2.3.5\n", "ansible_ssh_host set to \"1.2.3.5\" here and ansible_host to \"1.2.3.4\" at line 2"},
		{"ini", "[web:vars]\nx=1\n[web]\na\n[web:vars]\nx=2\n", "inv:6: group web: x set to \"2\" here and to \"1\" at line 2"},
		{"ini", "[web:children]\nweb01\n[web02]\nb\n", "inv:2: group web01 is named as a child but defined nowhere"},
		{"ini", "[db:vars]\nansible_user=x\n[web]\na\n", "inv:1: [db:vars] for a group that has no [db] or [db:children] section"},
		{"ini", "[a:children]\nb\n[b:children]\na\n", "is its own ancestor"},
		{"ini", "[a:children]\na\n", "inv:2: group a is its own child"},
		{"ini", "[web:hosts]\na\n", "inv:1: unknown section kind \"hosts\""},
		{"ini", "[web]\na \"unterminated\n", "inv:2: unterminated \" quote"},
		{"ini", "[we b]\n", "inv:1: bad group name \"we b\""},
		{"ini", "[web]\nweb[01:3]\n", "zero-padded ranges need begin and end of equal length"},
		{"ini", "[web]\nweb[5:1]\n", "begin after end"},
		{"ini", "[web]\nweb[a:C]\n", "letters must be of one case"},
		{"ini", "[web]\nweb[0:100000]\n", "expands to more than 100000 hosts"},
		{"ini", "[web]\nw[0:999]x[0:999]\n", "expands to more than 100000 hosts"},
		{"ini", "[web]\nweb/01\n", "bad host name \"web/01\""},
		{"ini", "[web]\na:1:2\n", "more than one :port"},
		{"ini", "[web:vars]\njust words\n[web]\na\n", "inv:2: a [web:vars] line is name=value"},
		{"ini", "[web:vars]\nansible_user=ops # not a comment to Ansible\n[web]\na\n", "inv:2: group web: ansible_user: bad ansible_user \"ops # not a comment to Ansible\""},
		{"yaml", "all:\n  hostz:\n    a:\n", "inv:2: group all: unknown key \"hostz\" (want hosts, vars, children)"},
		{"yaml", "all:\n  children:\n    web:\n      hosts:\n        web01:\n    web01:\n", "inv:6: group web01 is named as a child but defined nowhere"},
		{"yaml", "all:\n  hosts:\n    a:\n      ansible_port: 0\n", "inv:4: host a: ansible_port: bad port"},
		{"yaml", "all:\n  hosts:\n    a:\n      ansible_port: [1]\n", "inv:4: ansible_port: want a single value"},
		{"yaml", "all:\n  hosts:\n    a:\n    a:\n", "inv:4: group all hosts: \"a\" given twice (first at line 3)"},
		{"yaml", "all:\n  vars: &v {x: 1}\n  children:\n    g:\n      vars:\n        <<: *v\n", "merge keys (<<) are not supported"},
		{"yaml", "all: [a, b]\n", "inv:1: group all: want a mapping"},
		{"yaml", "- a\n", "inv:1: a YAML inventory is a mapping of groups"},
		{"yaml", "all:\n  hosts: {a: 1}\n", "inv:2: host a: want a mapping of variables"},
		{"yaml", "all:\n hosts:\n  a: {x: 1\n", "inv: YAML:"},
		{"list", "a\nb c\n", "inv:2: one host per line"},
		{"list", "a\nb\na:22\n", "inv:3: host a listed twice (first at line 1)"},
		{"list", "@a\n", "inv:1: bad ansible_user \"\""},
		{"list", "a:0\n", "inv:1: bad port"},
	} {
		f := map[string]Format{"ini": FormatINI, "yaml": FormatYAML, "list": FormatList}[tc.name]
		_, err := ParseFormat("inv", []byte(tc.in), f)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s %q:\n err %v\nwant %q", tc.name, tc.in, err, tc.want)
		}
	}
}

// Ansible's implicit groups: a host in no group (or only in all) is
// ungrouped; one listed under [ungrouped] and elsewhere is not.
func TestUngrouped(t *testing.T) {
	inv, err := ParseFormat("inv", []byte("a\n[all]\nb\n[ungrouped]\nc\nd\n[web]\nd\ne\n"), FormatINI)
	if err != nil {
		t.Fatal(err)
	}
	hs, err := inv.Select([]string{"ungrouped"})
	if got := names(hs); err != nil || !slices.Equal(got, []string{"a", "b", "c"}) {
		t.Errorf("ungrouped: %v %v", got, err)
	}
	if hs, _ := inv.Select([]string{"all"}); len(hs) != 5 {
		t.Errorf("all: %v", names(hs))
	}
}

func TestRanges(t *testing.T) {
	inv, err := ParseFormat("inv", []byte("[web]\nweb[08:11].dc[1:2]\nx[a:e:2] ansible_port=22\n[big]\nh[1:100000]\n"), FormatINI)
	if err != nil {
		t.Fatal(err)
	}
	hs, _ := inv.Select([]string{"web"})
	want := []string{"web08.dc1", "web08.dc2", "web09.dc1", "web09.dc2", "web10.dc1", "web10.dc2",
		"web11.dc1", "web11.dc2", "xa", "xc", "xe"}
	if got := names(hs); !slices.Equal(got, want) {
		t.Errorf("got %v", got)
	}
	if hs, _ := inv.Select([]string{"big"}); len(hs) != 100_000 || hs[99_999].Name != "h100000" {
		t.Errorf("big: %d hosts", len(hs))
	}
}

func TestLoadBounds(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big")
	if err := os.WriteFile(big, bytes.Repeat([]byte("# padding\n"), MaxFileBytes/10+1), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(big); err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("big file: %v", err)
	}
	if _, err := Load(dir); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("directory: %v", err)
	}
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(fifo); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("fifo: %v", err)
	}
	bom := filepath.Join(dir, "bom.ini")
	if err := os.WriteFile(bom, []byte("\xef\xbb\xbf[web]\nweb01\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if inv, err := Load(bom); err != nil || inv.Format != FormatINI || len(inv.Hosts) != 1 {
		t.Errorf("byte order mark: %v", err)
	}
}

func fuzzParse(f *testing.F, format Format, seeds ...string) {
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		inv, err := ParseFormat("inv", data, format)
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("error of type %T: %v", err, err)
			}
			return
		}
		for _, h := range inv.Hosts {
			if h.Port < 0 || h.Port > 65535 || h.Name == "" {
				t.Fatalf("host %+v", h)
			}
		}
		if _, err := inv.Select([]string{"web*:&all:!db"}); err != nil {
			if _, ok := err.(*UnmatchedError); !ok {
				t.Fatal(err)
			}
		}
	})
}

func FuzzParseINI(f *testing.F) {
	fuzzParse(f, FormatINI,
		"a:2222 ansible_user=ops\n[web]\nweb[01:03].x ansible_host=10.0.0.1 'k=v w'\n[web:vars]\nansible_port=22\n[dc:children]\nweb\n",
		"[2001:db8::1]:22\n; c\n[all:vars]\nansible_become=yes # x\n")
}

func FuzzParseYAML(f *testing.F) {
	fuzzParse(f, FormatYAML,
		"all:\n  hosts:\n    a:2222: {ansible_user: ops}\n  vars: {ansible_become: true}\n  children:\n    web:\n      hosts:\n        w[a:c]:\n",
		"web:\n  hosts: {x: &h {ansible_port: 22}, y: *h}\n")
}

func FuzzParseList(f *testing.F) {
	fuzzParse(f, FormatList, "a\nops@b:2222 # c\n[2001:db8::1]:22\nweb[1:3]\n")
}

// TestConnectionAgreesWithAnsible asks Ansible's ssh connection plugin which
// address, port and user it connects with for every host of conn.ini (every
// level sets something, legacy names included): `ansible -m ping -vvv`
// prints the ssh command it runs. Every address is on loopback and nothing
// listens, so each attempt is refused at once.
func TestConnectionAgreesWithAnsible(t *testing.T) {
	bin := needtool.Need(t, "ansible", "ansible")
	needtool.Need(t, "openssh-client", "ssh")
	path := filepath.Join("testdata", "conn.ini")
	cmd := exec.Command(bin, "-i", path, "all", "-m", "ping", "-vvv", "-f", "4",
		"-e", "ansible_ssh_timeout=1", "-e", "ansible_ssh_retries=0")
	home := t.TempDir()
	cmd.Env = append(os.Environ(), "HOME="+home, "ANSIBLE_LOCAL_TEMP="+home, "ANSIBLE_NOCOLOR=1",
		"ANSIBLE_HOST_KEY_CHECKING=False")
	out, _ := cmd.CombinedOutput() // every host is unreachable: exit status 4
	type conn struct {
		user string
		port int
	}
	got := map[string]*conn{}
	for _, l := range strings.Split(string(out), "\n") {
		addr, rest, ok := strings.Cut(strings.TrimPrefix(l, "<"), "> ")
		if !ok || !strings.HasPrefix(l, "<") {
			continue
		}
		if got[addr] == nil {
			got[addr] = &conn{}
		}
		if u, ok := strings.CutPrefix(rest, "ESTABLISH SSH CONNECTION FOR USER: "); ok {
			got[addr].user = u
		}
		if strings.HasPrefix(rest, "SSH: EXEC ssh ") {
			for _, f := range strings.Fields(rest) {
				if p, ok := strings.CutPrefix(f, "Port="); ok {
					fmt.Sscan(p, &got[addr].port)
				}
			}
		}
	}
	inv := load(t, "conn.ini")
	if len(got) != len(inv.Hosts) {
		t.Fatalf("ansible tried %d addresses, inventory has %d hosts:\n%s", len(got), len(inv.Hosts), out)
	}
	for _, h := range inv.Hosts {
		addr := h.Address
		if addr == "" {
			addr = h.Name
		}
		c := got[addr]
		if c == nil {
			t.Errorf("%s: ansible did not connect to %s", h.Name, addr)
			continue
		}
		if c.user != h.User || c.port != h.Port {
			t.Errorf("%s (%s): user %q port %d, ansible user %q port %d", h.Name, addr, h.User, h.Port, c.user, c.port)
		}
	}
}

// FuzzSelect: any --limit either fails as a whole or selects a subset of
// the inventory, in inventory order, each host once.
func FuzzSelect(f *testing.F) {
	for _, s := range []string{"web*:&dc1:!web0[12]*", "~db[0-9],lb", "2001:db8::10", "all:!prod", "web[0]", "!&x"} {
		f.Add(s)
	}
	inv, err := Load(filepath.Join("testdata", "dc.ini"))
	if err != nil {
		f.Fatal(err)
	}
	pos := map[string]int{}
	for i, h := range inv.Hosts {
		pos[h.Name] = i
	}
	f.Fuzz(func(t *testing.T, limit string) {
		hs, err := inv.Select([]string{limit})
		if err != nil {
			if _, ok := err.(*UnmatchedError); !ok {
				if hs != nil {
					t.Fatalf("error %v with hosts", err)
				}
				return
			}
		}
		last := -1
		for _, h := range hs {
			i, ok := pos[h.Name]
			if !ok || i <= last {
				t.Fatalf("%q: %s out of order or not in the inventory", limit, h.Name)
			}
			last = i
		}
	})
}
