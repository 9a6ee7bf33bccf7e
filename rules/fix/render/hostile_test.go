package render

import (
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/bondaudit/bondaudit/topology"
)

func fieldNames(v any) []string {
	var out []string
	t := reflect.TypeOf(v)
	for i := range t.NumField() {
		out = append(out, t.Field(i).Name)
	}
	return out
}

// hostileNames are names a host could report: typeable ones (spaces,
// quotes, command substitutions, a leading dash) must reach the tool as
// themselves; the others (control and bidi characters, a backslash that
// escape.Text would double) must not be typed at all.
var hostileNames = []string{
	"eth 0",
	`e'$(touch PWNED)'`,
	`"; touch PWNED; "`,
	"`touch PWNED`",
	"$(touch PWNED)",
	"-rf",
	"a'b\"c",
	"bönd0",
}

var untypeableNames = []string{"eth0\ntouch PWNED", "bond\x1b[2J", "bo\u202end", "x\ty", `back\slash`, "bad\xffutf8", ""}

// hostChanges are the changes that name a host interface.
func hostChanges(name string) []topology.Change {
	return []topology.Change{
		{MoveCable: &topology.MoveCable{Host: "h", NIC: name, Switch: "s", Port: "Ethernet1"}},
		{BondMode: &topology.BondModeChange{Host: "h", Bond: name, Mode: topology.Mode8023AD}},
		{BondParams: &topology.BondParamsChange{Host: "h", Bond: name, Miimon: ip(100), LACPRate: "fast", XmitHashPolicy: "layer2+3",
			ARPInterval: ip(0), ARPIPTargets: []string{"10.0.0.1", "10.0.0.2"}}},
		{MTU: &topology.MTUChange{Host: "h", NIC: name, MTU: 9000}},
	}
}

// stubs stand in for the host's programs: each writes its arguments, one
// per line after its own name and a line "--" at the end, to $log.
const stubs = `log="$PWD/log"
rec() { for a in "$@"; do printf '%s\n' "$a" >> "$log"; done; printf -- '--\n' >> "$log"; }
ip() { rec ip "$@"; }
nmcli() { rec nmcli "$@"; }
lldpcli() { rec lldpcli "$@"; }
cat() { rec cat "$@"; printf 'eth0 eth1\n'; }
`

// TestHostileNamesInert runs every iproute2 and nmcli line rendered for a
// hostile name in a real shell, with the programs replaced by stubs that
// record their arguments: the name must arrive as one argument, exactly,
// and nothing it holds may run.
func TestHostileNamesInert(t *testing.T) {
	for _, name := range hostileNames {
		for _, c := range hostChanges(name) {
			for _, tool := range []string{IPRoute2, NMCLI} {
				s, err := Host(c, tool)
				if err != nil {
					t.Fatal(err)
				}
				if s == nil {
					continue
				}
				dir := t.TempDir()
				script := stubs + strings.Join(s[0].Lines, "\n") + "\n"
				cmd := exec.Command("sh", "-eu", "-c", script)
				cmd.Dir = dir
				if out, err := cmd.CombinedOutput(); err != nil {
					t.Fatalf("%q %s %s: %v\n%s\n%s", name, tool, Describe(c), err, out, script)
				}
				if _, err := os.Stat(filepath.Join(dir, "PWNED")); err == nil {
					t.Fatalf("%q %s: the name ran a command:\n%s", name, tool, script)
				}
				log, err := os.ReadFile(filepath.Join(dir, "log"))
				if err != nil {
					t.Fatal(err)
				}
				args := strings.Split(string(log), "\n")
				found := slices.Contains(args, name) || slices.Contains(args, "/sys/class/net/"+name+"/bonding/slaves")
				if !found {
					t.Errorf("%q %s %s: the name is not one argument of any command: %q", name, tool, Describe(c), args)
				}
				for _, l := range s[0].Lines {
					if hasControl(l) {
						t.Errorf("%q: a control character in %q", name, l)
					}
				}
			}
		}
	}
}

// TestUntypeableNamesRefused: a name with a character that would act in a
// terminal gives one comment line per tool, never a command.
func TestUntypeableNamesRefused(t *testing.T) {
	for _, name := range untypeableNames {
		for _, c := range hostChanges(name) {
			for _, tool := range Tools {
				s, err := Host(c, tool)
				if err != nil {
					t.Fatal(err)
				}
				if s == nil {
					continue
				}
				if len(s[0].Lines) != 1 || !strings.HasPrefix(s[0].Lines[0], "# ") || hasControl(s[0].Lines[0]) {
					t.Errorf("%q %s: %q", name, tool, s[0].Lines)
				}
			}
		}
	}
	script := IPRoute2Script(hostChanges("eth0\nreboot"))
	if strings.Contains(script, "\nreboot") {
		t.Errorf("script runs a line of a name:\n%s", script)
	}
}

// TestHostilePortNamesLeftOut: a switch port or LAG name that is not an
// interface name never reaches a line that is not a comment, on any
// family, and no line has a control character.
func TestHostilePortNamesLeftOut(t *testing.T) {
	bad := []string{"Ethernet1\nreload", "Et1; reload", "Ethernet1 ,Ethernet2", "ge-0/0/1 | delete", "Gi1/0/1\r", "Et1\u202e", "1Ethernet", ""}
	for _, p := range bad {
		changes := []topology.Change{
			{MoveCable: &topology.MoveCable{Host: "h", NIC: "eth0", Switch: "s", Port: p}},
			{LAGAdd: &topology.LAGChange{Switch: "s", LAG: "Po1", Kind: topology.LAGLACP, Ports: []string{p, "Ethernet9"}}},
			{LAGAdd: &topology.LAGChange{Switch: "s", LAG: p, Kind: topology.LAGLACP, Ports: []string{"Ethernet9"}}},
			{LAGRemove: &topology.LAGChange{Switch: "s", LAG: "Po1", Ports: []string{p}}},
			{VLANs: &topology.VLANChange{Switch: "s", Port: p, PVID: 1, Tagged: []int{2}}},
			{LAGKind: &topology.LAGKindChange{Switch: "s", LAG: p, Kind: topology.LAGStatic}},
			{MLAG: &topology.MLAGChange{Switch: "s", LAG: p, MLAGID: 3}},
			{MTU: &topology.MTUChange{Switch: "s", Port: p, MTU: 9000}},
		}
		for _, c := range changes {
			for _, v := range append(Vendors[:len(Vendors):len(Vendors)], noRenderer) {
				s, err := Switch(c, v)
				if err != nil {
					t.Fatal(err)
				}
				for _, l := range s[0].Lines {
					if hasControl(l) {
						t.Errorf("%q %s: control character in %q", p, v, l)
					}
					if p != "" && strings.Contains(l, p) && !strings.HasPrefix(l, "#") && !strings.HasPrefix(l, "!") {
						t.Errorf("%q %s: the name is typed: %q", p, v, l)
					}
				}
			}
		}
	}
}

// TestIPRoute2ForReal runs the rendered MTU command in a network namespace
// of its own on a veth pair whose name is hostile (the kernel takes
// quotes, $ and parentheses in a name): the MTU is set and nothing in the
// name runs.
func TestIPRoute2ForReal(t *testing.T) {
	unshare := needNetns(t)
	dir := t.TempDir()
	name := `e'$(id>P)"x` // 11 bytes: an interface name has at most 15
	s, err := Host(topology.Change{MTU: &topology.MTUChange{Host: "h", NIC: name, MTU: 9000}}, IPRoute2)
	if err != nil {
		t.Fatal(err)
	}
	script := "set -eu\nip link add dev " + sq(name) + " type veth peer name p0\n" + strings.Join(s[0].Lines, "\n") +
		"\nip -o link show dev " + sq(name) + "\n"
	cmd := exec.Command(unshare, "-n", "sh", "-c", script)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%v\n%s\n%s", err, out, script)
	}
	if !strings.Contains(string(out), " mtu 9000 ") {
		t.Errorf("MTU not set:\n%s", out)
	}
	if _, err := os.Stat(filepath.Join(dir, "P")); err == nil {
		t.Error("the name ran a command")
	}
}

// TestIPRoute2BondForReal runs IPRoute2Script's mode and parameter changes
// on a real bond with two veth slaves in a namespace, and reads the result
// back from sysfs. Kernels without the bonding driver (this test's usual
// host) skip it: the qemu guest test runs IPRoute2Script on Debian's kernel.
func TestIPRoute2BondForReal(t *testing.T) {
	unshare := needNetns(t)
	if out, err := exec.Command(unshare, "-n", "ip", "link", "add", "b0", "type", "bond").CombinedOutput(); err != nil {
		t.Skipf("no bonding driver in this kernel (%s): the qemu guest test runs IPRoute2Script", strings.TrimSpace(string(out)))
	}
	script := IPRoute2Script([]topology.Change{
		{BondMode: &topology.BondModeChange{Host: "h", Bond: "bond0", Mode: topology.Mode8023AD}},
		{BondParams: &topology.BondParamsChange{Host: "h", Bond: "bond0", Miimon: ip(100), LACPRate: "fast", XmitHashPolicy: "layer3+4"}},
		{MTU: &topology.MTUChange{Host: "h", NIC: "bond0", MTU: 9000}},
	})
	setup := "set -eu\nip link add bond0 type bond mode active-backup\n" +
		"for i in 0 1; do ip link add s$i type veth peer name p$i; ip link set s$i master bond0; done\nip link set bond0 up\n"
	check := "\ncat /sys/class/net/bond0/bonding/mode /sys/class/net/bond0/bonding/lacp_rate /sys/class/net/bond0/bonding/xmit_hash_policy " +
		"/sys/class/net/bond0/bonding/miimon /sys/class/net/bond0/bonding/slaves /sys/class/net/bond0/mtu\n"
	out, err := exec.Command(unshare, "-n", "sh", "-c", setup+"sh -c "+sq(script)+check).CombinedOutput()
	if err != nil {
		t.Fatalf("%v\n%s\n%s", err, out, script)
	}
	for _, want := range []string{"802.3ad 4", "fast 1", "layer3+4 1", "100", "s0 s1", "9000"} {
		if !strings.Contains(string(out), want+"\n") {
			t.Errorf("want %q in\n%s", want, out)
		}
	}
}

func needNetns(t *testing.T) string {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root for a network namespace")
	}
	unshare, err := exec.LookPath("unshare")
	if err != nil {
		t.Skip("no unshare (util-linux)")
	}
	if out, err := exec.Command(unshare, "-n", "true").CombinedOutput(); err != nil {
		t.Skipf("no network namespace here: %v %s", err, out)
	}
	return unshare
}

// TestIPRoute2Order runs IPRoute2Script with ip and cat replaced by
// recorders (this kernel has no bonding driver) and holds the order the
// kernel needs: a mode changes only with the bond down and every slave
// released, lacp_rate only with the bond down; the slaves come back and
// the bond up after.
func TestIPRoute2Order(t *testing.T) {
	script := IPRoute2Script([]topology.Change{
		{BondMode: &topology.BondModeChange{Host: "h", Bond: "bond0", Mode: topology.Mode8023AD}},
		{BondParams: &topology.BondParamsChange{Host: "h", Bond: "bond0", LACPRate: "fast"}},
		{BondParams: &topology.BondParamsChange{Host: "h", Bond: "bond0", XmitHashPolicy: "layer3+4"}},
	})
	stub := `log="$PWD/log"
ip() { printf '%s\n' "ip $*" >> "$log"; }
cat() { printf '%s\n' "cat $*" >> "$log"; printf 'eth0 eth1\n'; }
`
	dir := t.TempDir()
	cmd := exec.Command("sh", "-c", stub+". ./script")
	cmd.Dir = dir
	write(t, filepath.Join(dir, "script"), script)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%v\n%s\n%s", err, out, script)
	}
	log, _ := os.ReadFile(filepath.Join(dir, "log"))
	want := `cat /sys/class/net/bond0/bonding/slaves
ip link set dev bond0 down
ip link set dev eth0 nomaster
ip link set dev eth1 nomaster
ip link set dev bond0 type bond mode 802.3ad
ip link set dev eth0 down
ip link set dev eth0 master bond0
ip link set dev eth1 down
ip link set dev eth1 master bond0
ip link set dev bond0 up
ip link set dev bond0 down
ip link set dev bond0 type bond lacp_rate fast
ip link set dev bond0 up
ip link set dev bond0 type bond xmit_hash_policy layer3+4
`
	if string(log) != want {
		t.Errorf("commands run:\n%s\nwant:\n%s", log, want)
	}
	if !strings.HasPrefix(script, "#!/bin/sh\nset -eu\n") {
		t.Errorf("script does not stop at the first failure:\n%s", script)
	}
}
