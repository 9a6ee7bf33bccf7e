package render

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bondaudit/bondaudit/internal/needtool"
	"github.com/bondaudit/bondaudit/topology"
)

// nmcliStub runs "nmcli connection modify id NAME SETTINGS…" as Debian's
// nmcli in offline mode (no NetworkManager running: it reads the profile's
// keyfile on stdin and writes the modified one), after checking NAME is
// the profile's; "nmcli connection up id NAME" is only checked.
const nmcliStub = `nmcli() {
	[ "$3" = id ] && [ "$4" = "$WANT" ] || { printf 'wrong profile selector: %s %s\n' "$3" "$4" >&2; exit 3; }
	case "$1 $2" in
	"connection modify") shift 4; "$NMCLI" --offline connection modify "$@" < "$BASE" > "$OUT" ;;
	"connection up") [ $# -eq 4 ] || exit 4 ;;
	*) exit 5 ;;
	esac
}
`

// TestNMCLIOffline types the rendered nmcli lines against a profile made
// by nmcli itself, with NetworkManager's own option checks (a bond option
// the mode does not take, an unknown value, a bad list are refused):
// every line must pass and the profile must then hold the change. Names
// include hostile ones (the profile is named like the interface).
func TestNMCLIOffline(t *testing.T) {
	nmcli := needtool.Need(t, "network-manager", "nmcli")
	if out, err := exec.Command(nmcli, "--offline", "connection", "add", "type", "bond", "ifname", "bond0").CombinedOutput(); err != nil {
		needtool.Missing(t, "nmcli has no --offline mode (NetworkManager 1.40 or later): "+strings.TrimSpace(string(out)))
	}
	tests := []struct {
		name     string
		kind     string // profile type: bond or ethernet
		baseMode string
		c        topology.Change
		want     []string // keyfile lines
	}{
		{"bond0", "bond", "active-backup", topology.Change{BondMode: &topology.BondModeChange{Host: "h", Bond: "bond0", Mode: topology.Mode8023AD}},
			[]string{"mode=802.3ad"}},
		{"bond0", "bond", "802.3ad", topology.Change{BondParams: &topology.BondParamsChange{Host: "h", Bond: "bond0", Miimon: ip(100), LACPRate: "fast", XmitHashPolicy: "layer3+4"}},
			[]string{"lacp_rate=fast", "miimon=100", "xmit_hash_policy=layer3+4", "mode=802.3ad"}},
		{"bond1", "bond", "active-backup", topology.Change{BondParams: &topology.BondParamsChange{Host: "h", Bond: "bond1", Miimon: ip(0), ARPInterval: ip(200), ARPIPTargets: []string{"10.0.0.1", "10.0.0.254"}}},
			[]string{"arp_interval=200", "arp_ip_target=10.0.0.1,10.0.0.254"}},
		{"bond0", "bond", "802.3ad", topology.Change{MTU: &topology.MTUChange{Host: "h", NIC: "bond0", MTU: 9000}}, []string{"mtu=9000"}},
		{"eth0", "ethernet", "", topology.Change{MTU: &topology.MTUChange{Host: "h", NIC: "eth0", MTU: 9000}}, []string{"mtu=9000"}},
	}
	for _, n := range hostileNames {
		tests = append(tests, struct {
			name, kind, baseMode string
			c                    topology.Change
			want                 []string
		}{n, "bond", "active-backup", topology.Change{BondMode: &topology.BondModeChange{Host: "h", Bond: n, Mode: topology.ModeBalanceXOR}},
			[]string{"mode=balance-xor"}})
	}
	for _, tc := range tests {
		t.Run(tc.name+"/"+Describe(tc.c), func(t *testing.T) {
			dir := t.TempDir()
			base, out := filepath.Join(dir, "base.nmconnection"), filepath.Join(dir, "out.nmconnection")
			args := []string{"--offline", "connection", "add", "type", tc.kind, "con-name", tc.name, "ifname", "x0"}
			if tc.baseMode != "" {
				args = append(args, "bond.options", "mode="+tc.baseMode)
			}
			keyfile, err := exec.Command(nmcli, args...).Output()
			if err != nil {
				t.Fatalf("nmcli %q: %v", args, err)
			}
			write(t, base, string(keyfile))
			s, err := Host(tc.c, NMCLI)
			if err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command("sh", "-eu", "-c", nmcliStub+strings.Join(s[0].Lines, "\n")+"\n")
			cmd.Dir = dir
			cmd.Env = append(os.Environ(), "NMCLI="+nmcli, "BASE="+base, "OUT="+out, "WANT="+tc.name)
			if o, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("%v\n%s\n%s", err, o, strings.Join(s[0].Lines, "\n"))
			}
			got, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tc.want {
				if !strings.Contains("\n"+string(got), "\n"+w+"\n") {
					t.Errorf("no %q in\n%s", w, got)
				}
			}
			if _, err := os.Stat(filepath.Join(dir, "PWNED")); err == nil {
				t.Error("the name ran a command")
			}
		})
	}
}
