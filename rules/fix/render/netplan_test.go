package render

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/bondaudit/bondaudit/internal/needtool"
	"github.com/bondaudit/bondaudit/topology"
)

// netplanDoc is the part of a netplan file the fragments write.
type netplanDoc struct {
	Network struct {
		Version   int                       `yaml:"version"`
		Bonds     map[string]netplanIf      `yaml:"bonds"`
		Ethernets map[string]netplanIf      `yaml:"ethernets"`
		Other     map[string]map[string]any `yaml:",inline"`
	} `yaml:"network"`
}

type netplanIf struct {
	MTU        int `yaml:"mtu"`
	Parameters struct {
		Mode         string   `yaml:"mode"`
		MII          *int     `yaml:"mii-monitor-interval"`
		LACPRate     string   `yaml:"lacp-rate"`
		Hash         string   `yaml:"transmit-hash-policy"`
		ARPInterval  *int     `yaml:"arp-interval"`
		ARPIPTargets []string `yaml:"arp-ip-targets"`
	} `yaml:"parameters"`
}

func netplanOf(t *testing.T, c topology.Change) string {
	t.Helper()
	s, err := Host(c, Netplan)
	if err != nil || len(s) != 1 {
		t.Fatalf("%s: %v %v", Describe(c), s, err)
	}
	return strings.Join(s[0].Lines, "\n") + "\n"
}

// TestNetplanParsesBack parses every netplan fragment (golden cases and
// hostile names) with a YAML parser, strictly (no key it does not know),
// and finds each name and value exactly as the change gave it.
func TestNetplanParsesBack(t *testing.T) {
	var changes []topology.Change
	for _, tc := range cases {
		changes = append(changes, tc.c)
	}
	for _, n := range hostileNames {
		changes = append(changes, hostChanges(n)...)
	}
	for _, c := range changes {
		s, err := Host(c, Netplan)
		if err != nil {
			t.Fatal(err)
		}
		if s == nil {
			continue
		}
		var doc netplanDoc
		dec := yaml.NewDecoder(strings.NewReader(strings.Join(s[0].Lines, "\n")))
		dec.KnownFields(true)
		if err := dec.Decode(&doc); err != nil {
			t.Fatalf("%s: %v\n%s", Describe(c), err, strings.Join(s[0].Lines, "\n"))
		}
		if doc.Network.Version != 2 || len(doc.Network.Other) != 0 {
			t.Errorf("%s: %+v", Describe(c), doc.Network)
		}
		switch {
		case c.BondMode != nil:
			if got := doc.Network.Bonds[c.BondMode.Bond].Parameters.Mode; got != string(c.BondMode.Mode.LinuxName()) {
				t.Errorf("%s: mode %q", Describe(c), got)
			}
		case c.BondParams != nil:
			p, got := c.BondParams, doc.Network.Bonds[c.BondParams.Bond].Parameters
			if !eqInt(p.Miimon, got.MII) || !eqInt(p.ARPInterval, got.ARPInterval) || p.LACPRate != got.LACPRate ||
				p.XmitHashPolicy != got.Hash || fmt.Sprint(p.ARPIPTargets) != fmt.Sprint(got.ARPIPTargets) {
				t.Errorf("%s: parameters %+v", Describe(c), got)
			}
		case c.MTU != nil:
			if got := doc.Network.Ethernets[c.MTU.NIC].MTU; got != c.MTU.MTU {
				t.Errorf("%s: mtu %d", Describe(c), got)
			}
		default:
			t.Errorf("%s: netplan for a change it cannot express", Describe(c))
		}
	}
}

func eqInt(a, b *int) bool { return a == nil && b == nil || a != nil && b != nil && *a == *b }

// TestNetplanGenerate gives each fragment to Debian's netplan, over a
// base file that defines the bond, for both renderers: netplan generate
// must accept it and write the bond parameters into systemd-networkd's
// .netdev and NetworkManager's keyfile. netplan generate needs no running
// systemd or NetworkManager.
func TestNetplanGenerate(t *testing.T) {
	netplan := needtool.Need(t, "netplan.io", "netplan")
	tests := []struct {
		c        topology.Change
		networkd []string // lines in 10-netplan-bond0.netdev
		nm       []string // lines in netplan-bond0.nmconnection
	}{
		{topology.Change{BondMode: &topology.BondModeChange{Host: "h", Bond: "bond0", Mode: topology.Mode8023AD}},
			[]string{"Mode=802.3ad"}, []string{"mode=802.3ad"}},
		{topology.Change{BondParams: &topology.BondParamsChange{Host: "h", Bond: "bond0", Miimon: ip(100), LACPRate: "fast", XmitHashPolicy: "layer3+4"}},
			[]string{"LACPTransmitRate=fast", "MIIMonitorSec=100ms", "TransmitHashPolicy=layer3+4"},
			[]string{"lacp_rate=fast", "miimon=100", "xmit_hash_policy=layer3+4"}},
		{topology.Change{BondParams: &topology.BondParamsChange{Host: "h", Bond: "bond0", Miimon: ip(0), ARPInterval: ip(200), ARPIPTargets: []string{"10.0.0.1", "10.0.0.254"}}},
			[]string{"ARPIntervalSec=200ms", "ARPIPTargets=10.0.0.1 10.0.0.254"},
			[]string{"arp_interval=200", "arp_ip_target=10.0.0.1,10.0.0.254"}},
		{topology.Change{MTU: &topology.MTUChange{Host: "h", NIC: "eth0", MTU: 9000}}, nil, nil},
	}
	for i, tc := range tests {
		for _, renderer := range []string{"networkd", "NetworkManager"} {
			t.Run(fmt.Sprintf("%d-%s", i, renderer), func(t *testing.T) {
				root := t.TempDir()
				dir := filepath.Join(root, "etc", "netplan")
				if err := os.MkdirAll(dir, 0o755); err != nil {
					t.Fatal(err)
				}
				base := fmt.Sprintf("network:\n  version: 2\n  renderer: %s\n  ethernets:\n    eth0: {}\n    eth1: {}\n"+
					"  bonds:\n    bond0:\n      interfaces: [eth0, eth1]\n      parameters:\n        mode: active-backup\n", renderer)
				write(t, filepath.Join(dir, "50-base.yaml"), base)
				write(t, filepath.Join(root, strings.TrimPrefix(netplanFile, "/")), netplanOf(t, tc.c))
				if out, err := exec.Command(netplan, "generate", "--root-dir", root).CombinedOutput(); err != nil {
					t.Fatalf("netplan generate: %v\n%s", err, out)
				}
				var file string
				var want []string
				switch {
				case tc.c.MTU != nil && renderer == "networkd":
					file, want = "run/systemd/network/10-netplan-eth0.network", []string{"MTUBytes=9000"}
				case tc.c.MTU != nil:
					file, want = "run/NetworkManager/system-connections/netplan-eth0.nmconnection", []string{"mtu=9000"}
				case renderer == "networkd":
					file, want = "run/systemd/network/10-netplan-bond0.netdev", tc.networkd
				default:
					file, want = "run/NetworkManager/system-connections/netplan-bond0.nmconnection", tc.nm
				}
				b, err := os.ReadFile(filepath.Join(root, file))
				if err != nil {
					t.Fatal(err)
				}
				for _, w := range want {
					if !strings.Contains("\n"+string(b), "\n"+w+"\n") {
						t.Errorf("%s: no %q in\n%s", file, w, b)
					}
				}
			})
		}
	}
}

// TestNetplanRejectsWrongKey is the check the test above relies on:
// netplan generate fails on a key it does not know.
func TestNetplanRejectsWrongKey(t *testing.T) {
	netplan := needtool.Need(t, "netplan.io", "netplan")
	root := t.TempDir()
	write(t, filepath.Join(root, "etc/netplan/90-x.yaml"), "network:\n  version: 2\n  bonds:\n    bond0:\n      parameters:\n        lacp_rate: fast\n")
	if out, err := exec.Command(netplan, "generate", "--root-dir", root).CombinedOutput(); err == nil {
		t.Fatalf("netplan took an unknown key:\n%s", out)
	}
}

func write(t *testing.T, path, s string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(s), 0o600); err != nil {
		t.Fatal(err)
	}
}
