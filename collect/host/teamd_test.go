package host

import (
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/bondaudit/bondaudit/rules"
	"github.com/bondaudit/bondaudit/topology"
)

func readTeamdFixture(t *testing.T, name, team string) (topology.Bond, string, error) {
	t.Helper()
	file := "testdata/teamd/" + name
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	b, err := ParseTeamdState(data, file, team)
	return b, file, err
}

func boolp(b bool) *bool { return &b }

// TestTeamdStateFixtures compares every field of the bond read from each
// recorded dump (testdata/teamd/README.md).
func TestTeamdStateFixtures(t *testing.T) {
	for _, tc := range []struct {
		file, team string
		want       func(file string) topology.Bond
		class      rules.Class
	}{
		{
			// lacp runner, two ports: en5 selected in aggregator 4, en6 down and not selected
			file: "lacp-media.json", team: "media",
			want: func(f string) topology.Bond {
				return topology.Bond{Name: "media", Kind: topology.BondKindTeam, Mode: "lacp", LACPRate: "slow", LACPActive: boolp(true), Source: f,
					Slaves: []topology.Slave{
						{Name: "en5", MIIStatus: "up", Speed: 10000, Duplex: "full", AggregatorID: 4, Source: f,
							Actor:   &topology.LACPPort{SystemPriority: 65535, System: "00:0f:53:11:22:33", Key: 0, PortPriority: 255, Port: 4, State: 0x3d, StateKnown: true},
							Partner: &topology.LACPPort{SystemPriority: 32768, System: "c4:7d:4f:44:55:66", Key: 8, PortPriority: 32768, Port: 51, State: 0x3c, StateKnown: true}},
						{Name: "en6", MIIStatus: "down", Source: f, // 0 Mb/s half duplex while down: not reported
							Actor:   &topology.LACPPort{SystemPriority: 65535, System: "00:0f:53:11:22:33", Key: 0, PortPriority: 255, Port: 5, State: 0, StateKnown: true},
							Partner: &topology.LACPPort{System: topology.ZeroMAC, StateKnown: true}},
					}}
			},
			class: rules.ClassLACP,
		},
		{
			// activebackup runner with active_port; the backup port is down and flapped twice
			file: "activebackup-team0.json", team: "team0",
			want: func(f string) topology.Bond {
				return topology.Bond{Name: "team0", Kind: topology.BondKindTeam, Mode: "activebackup", ActiveSlave: "eno12399",
					MAC: "9c:63:c0:bd:7d:5e", Source: f,
					Slaves: []topology.Slave{
						{Name: "eno12399", MIIStatus: "up", Speed: 10000, Duplex: "full", Source: f},
						{Name: "ens1f0", MIIStatus: "down", LinkFailures: 2, Source: f},
					}}
			},
			class: rules.ClassIndependent,
		},
		{
			// a dump recorded without its ports object
			file: "activebackup-noports.json", team: "team0",
			want: func(f string) topology.Bond {
				return topology.Bond{Name: "team0", Kind: topology.BondKindTeam, Mode: "activebackup", ActiveSlave: "eno1",
					MAC: "2c:59:e5:47:a9:04", Source: f}
			},
			class: rules.ClassIndependent,
		},
		{
			file: "roundrobin-team0.json", team: "team0",
			want: func(f string) topology.Bond {
				return topology.Bond{Name: "team0", Kind: topology.BondKindTeam, Mode: "roundrobin", MAC: "9c:63:c0:bd:7d:5e", Source: f,
					Slaves: []topology.Slave{
						{Name: "eno12399", MIIStatus: "up", Speed: 10000, Duplex: "full", Source: f},
						{Name: "ens1f0", MIIStatus: "up", Speed: 10000, Duplex: "full", Source: f},
					}}
			},
			class: rules.ClassStatic,
		},
	} {
		t.Run(tc.file, func(t *testing.T) {
			got, file, err := readTeamdFixture(t, tc.file, tc.team)
			if err != nil {
				t.Fatal(err)
			}
			if want := tc.want(file); !reflect.DeepEqual(got, want) {
				t.Errorf("got\n%+v\nwant\n%+v", got, want)
				for i := range got.Slaves {
					t.Logf("slave %+v actor %+v partner %+v", got.Slaves[i], got.Slaves[i].Actor, got.Slaves[i].Partner)
				}
			}
			if c := rules.ClassOf(&got); c != tc.class {
				t.Errorf("class %q, want %q", c, tc.class)
			}
		})
	}
}

// oldTeamdDump is hand-written in libteam's pre-1.12 layout (port runner
// "aggregator_id", link watch "list" an array with an "info" object), from
// the field names the old teamd/teamdctl.c unpacks.
const oldTeamdDump = `{
    "ports": {
        "eth1": {
            "ifinfo": {"dev_addr": "52:54:00:aa:00:01", "dev_addr_len": 6, "ifindex": 3, "ifname": "eth1"},
            "link": {"duplex": "full", "speed": 1000, "up": true},
            "link_watches": {
                "list": [{"info": {"delay_down": 0, "delay_up": 2500, "down_count": 1}, "name": "ethtool", "up": true}],
                "up": true
            },
            "runner": {
                "actor_lacpdu_info": {"key": 17, "port": 3, "port_priority": 255, "state": 63, "system": "52:54:00:aa:00:01", "system_priority": 65535},
                "aggregator_id": 3,
                "key": 17,
                "partner_lacpdu_info": {"key": 9, "port": 7, "port_priority": 32768, "state": 63, "system": "00:1c:73:00:00:99", "system_priority": 32768},
                "prio": 255,
                "selected": true,
                "state": "current"
            }
        },
        "eth2": {
            "ifinfo": {"dev_addr": "52:54:00:aa:00:01", "dev_addr_len": 6, "ifindex": 4, "ifname": "eth2"},
            "link": {"duplex": "full", "speed": 1000, "up": true},
            "link_watches": {
                "list": [{"info": {"delay_down": 0, "delay_up": 2500, "down_count": 0}, "name": "ethtool", "up": true}],
                "up": false
            }
        }
    },
    "runner": {"active": false, "fast_rate": true, "selected_aggregator_id": 3, "sys_prio": 65535},
    "setup": {"daemonized": true, "dbus_enabled": false, "debug_level": 0, "kernel_team_mode_name": "loadbalance",
              "pid": 812, "pid_file": "/var/run/teamd/team1.pid", "runner_name": "lacp"},
    "team_device": {"ifinfo": {"dev_addr": "52:54:00:AA:00:01", "dev_addr_len": 6, "ifindex": 5, "ifname": "team1"}}
}`

func TestTeamdStateOldLayout(t *testing.T) {
	const f = "teamd/team1.json"
	got, err := ParseTeamdState([]byte(oldTeamdDump), f, "team1")
	if err != nil {
		t.Fatal(err)
	}
	want := topology.Bond{Name: "team1", Kind: topology.BondKindTeam, Mode: "lacp", LACPRate: "fast", LACPActive: boolp(false),
		MAC: "52:54:00:aa:00:01", UpDelay: 2500, Source: f,
		Slaves: []topology.Slave{
			{Name: "eth1", MIIStatus: "up", Speed: 1000, Duplex: "full", LinkFailures: 1, AggregatorID: 3, Source: f,
				Actor:   &topology.LACPPort{SystemPriority: 65535, System: "52:54:00:aa:00:01", Key: 17, PortPriority: 255, Port: 3, State: 63, StateKnown: true},
				Partner: &topology.LACPPort{SystemPriority: 32768, System: "00:1c:73:00:00:99", Key: 9, PortPriority: 32768, Port: 7, State: 63, StateKnown: true}},
			// link up but the link watch summary down: the port is not used
			{Name: "eth2", MIIStatus: "down", Speed: 1000, Duplex: "full", Source: f},
		}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got\n%+v\nwant\n%+v", got, want)
	}
}

func TestTeamdStateVariants(t *testing.T) {
	const f = "teamd/team0.json"
	// delays that differ between ports are not summarised; a null
	// active_port is no active port; the team name comes from the dump when
	// none is given.
	in := `{"setup": {"runner_name": "activebackup"}, "runner": {"active_port": null},
	  "team_device": {"ifinfo": {"ifname": "team0"}},
	  "ports": {
	    "a": {"link_watches": {"up": true, "list": {"link_watch_0": {"name": "ethtool", "up": true, "down_count": 3, "delay_up": 100, "delay_down": 0},
	                                                "link_watch_1": {"name": "arp_ping", "up": true, "down_count": 4}}}},
	    "b": {"link_watches": {"up": true, "list": {"link_watch_0": {"name": "ethtool", "up": true, "delay_up": 200, "delay_down": 0}}}}}}`
	got, err := ParseTeamdState([]byte(in), f, "")
	if err != nil {
		t.Fatal(err)
	}
	want := topology.Bond{Name: "team0", Kind: topology.BondKindTeam, Mode: "activebackup", Source: f,
		Slaves: []topology.Slave{{Name: "a", MIIStatus: "up", LinkFailures: 7, Source: f}, {Name: "b", MIIStatus: "up", Source: f}}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got\n%+v\nwant\n%+v", got, want)
	}
	for _, runner := range []topology.BondMode{"loadbalance", "broadcast", "random"} {
		b, err := ParseTeamdState([]byte(`{"setup": {"runner_name": "`+string(runner)+`"}}`), f, "team0")
		if err != nil || b.Mode != runner || rules.ClassOf(&b) != rules.ClassStatic {
			t.Errorf("%s: %+v %v class %q", runner, b, err, rules.ClassOf(&b))
		}
	}
}

func TestTeamdStateErrors(t *testing.T) {
	const f = "hosts/h1/teamd/team0.json"
	good, err := os.ReadFile("testdata/teamd/lacp-media.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, in, team, want string
	}{
		{"garbage", "not json at all", "team0", f + ":1:2: invalid JSON: invalid character 'o'"},
		{"truncated", string(good[:len(good)/2]), "media", f + ":"},
		{"empty", "  \n", "team0", f + ": empty"},
		{"not a state dump", `{"device": "team0", "runner": {"name": "lacp"}}`, "team0", f + ": not a `teamdctl state dump`: no setup.runner_name"},
		{"top level list", `[1, 2]`, "team0", f + ":1:1: wrong type: array where an object is expected"},
		{"another team's dump", string(good), "team0", f + ":123:23: the dump is of team device media (team_device.ifinfo.ifname), not team0"},
		{"no name anywhere", `{"setup": {"runner_name": "lacp"}}`, "", f + ": no team device name"},
		{"port name mismatch", `{"setup": {"runner_name": "lacp"}, "ports": {"eth0": {"ifinfo": {"ifname": "eth9"}}}}`, "team0", f + ":1:76: ports.eth0: ifinfo.ifname is eth9"},
		{"state out of range", `{"setup": {"runner_name": "lacp"}, "ports": {"eth0": {"runner": {"partner_lacpdu_info": {"state": 300}}}}}`, "team0",
			f + ":1:99: ports.eth0.runner.partner_lacpdu_info: state 300 is not a state byte"},
		{"wrong type", `{"setup": {"runner_name": "lacp"},
  "ports": {"eth0": {"link": {"speed": "fast"}}}}`, "team0", f + ":2:40: wrong type: string at \"ports.link.speed\" where a number"},
		{"bad link watch list", `{"setup": {"runner_name": "lacp"}, "ports": {"eth0": {"link_watches": {"list": 5}}}}`, "team0", f + ":1:80: ports.eth0.link_watches.list:"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, err := ParseTeamdState([]byte(tc.in), f, tc.team)
			if err == nil {
				t.Fatalf("no error: %+v", b)
			}
			if !strings.HasPrefix(err.Error(), tc.want) {
				t.Errorf("error %q, want prefix %q", err, tc.want)
			}
			if !reflect.DeepEqual(b, topology.Bond{}) {
				t.Errorf("bond with an error: %+v", b)
			}
		})
	}
	_, err = ParseTeamdState(good[:len(good)/2], f, "media")
	if !strings.Contains(err.Error(), "file ends early") {
		t.Errorf("truncated: %v", err)
	}
}

func FuzzTeamdState(f *testing.F) {
	seedFrom(f, "testdata/teamd/*.json")
	f.Add([]byte(oldTeamdDump))
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := ParseTeamdState(data, "fuzz", "")
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz") {
				t.Fatalf("error does not name the file: %v", err)
			}
			if !reflect.DeepEqual(b, topology.Bond{}) {
				t.Fatalf("bond with an error: %+v", b)
			}
			return
		}
		if b.Name == "" || b.Kind != topology.BondKindTeam || b.Mode == "" || b.Source != "fuzz" {
			t.Fatalf("bond %+v", b)
		}
		for i, s := range b.Slaves {
			if i > 0 && b.Slaves[i-1].Name >= s.Name {
				t.Fatalf("slaves not sorted: %v", b.Slaves)
			}
			if s.Speed < 0 || (s.MIIStatus != "" && s.MIIStatus != "up" && s.MIIStatus != "down") || (s.Duplex != "" && s.Duplex != "full" && s.Duplex != "half") || (s.Actor != nil && s.Actor.System != "" && topology.NormalizeMAC(s.Actor.System) != s.Actor.System) {
				t.Fatalf("slave %+v", s)
			}
		}
	})
}

// captureIPLink is a hand-written `ip -details -json link show` of a host
// with an OVS bond (members enslaved to ovs-system) and a team, in
// iproute2's layout (no team or openvswitch kernel module was at hand to
// record one).
const captureIPLink = `[
{"ifindex":1,"ifname":"lo","flags":["LOOPBACK","UP","LOWER_UP"],"mtu":65536,"operstate":"UNKNOWN","link_type":"loopback","address":"00:00:00:00:00:00","broadcast":"00:00:00:00:00:00"},
{"ifindex":2,"ifname":"ens20f0np0","flags":["BROADCAST","MULTICAST","UP","LOWER_UP"],"mtu":9000,"master":"ovs-system","operstate":"UP","link_type":"ether","address":"b8:59:9f:ab:ff:88","broadcast":"ff:ff:ff:ff:ff:ff","linkinfo":{"info_slave_kind":"openvswitch"}},
{"ifindex":3,"ifname":"ens20f1np1","flags":["BROADCAST","MULTICAST","UP","LOWER_UP"],"mtu":9000,"master":"ovs-system","operstate":"UP","link_type":"ether","address":"b8:59:9f:ab:ff:89","broadcast":"ff:ff:ff:ff:ff:ff","linkinfo":{"info_slave_kind":"openvswitch"}},
{"ifindex":4,"ifname":"eno12399","flags":["BROADCAST","MULTICAST","UP","LOWER_UP"],"mtu":1500,"master":"team0","operstate":"UP","link_type":"ether","address":"9c:63:c0:bd:7d:5e","broadcast":"ff:ff:ff:ff:ff:ff","linkinfo":{"info_slave_kind":"team"}},
{"ifindex":6,"ifname":"ens1f0","flags":["NO-CARRIER","BROADCAST","MULTICAST","UP"],"mtu":1500,"master":"team0","operstate":"DOWN","link_type":"ether","address":"9c:63:c0:bd:7d:5e","permaddr":"9c:63:c0:bd:7d:60","broadcast":"ff:ff:ff:ff:ff:ff","linkinfo":{"info_slave_kind":"team"}},
{"ifindex":7,"ifname":"ovs-system","flags":["BROADCAST","MULTICAST"],"mtu":1500,"operstate":"DOWN","link_type":"ether","address":"6a:1f:0e:39:5c:11","broadcast":"ff:ff:ff:ff:ff:ff","linkinfo":{"info_kind":"openvswitch"}},
{"ifindex":8,"ifname":"team0","flags":["BROADCAST","MULTICAST","MASTER","UP","LOWER_UP"],"mtu":1500,"operstate":"UP","link_type":"ether","address":"9c:63:c0:bd:7d:5e","broadcast":"ff:ff:ff:ff:ff:ff","linkinfo":{"info_kind":"team"}},
{"ifindex":9,"ifname":"vmbr0","flags":["BROADCAST","MULTICAST","UP","LOWER_UP"],"mtu":9000,"operstate":"UNKNOWN","link_type":"ether","address":"b8:59:9f:ab:ff:89","broadcast":"ff:ff:ff:ff:ff:ff","linkinfo":{"info_kind":"openvswitch"}}
]`

func captureFS(t *testing.T, files map[string]string) fstest.MapFS {
	t.Helper()
	fsys := fstest.MapFS{}
	for name, src := range files {
		data := []byte(src)
		if rest, ok := strings.CutPrefix(src, "@"); ok {
			var err error
			if data, err = os.ReadFile(rest); err != nil {
				t.Fatal(err)
			}
		}
		fsys[name] = &fstest.MapFile{Data: data}
	}
	return fsys
}

// TestReadCaptureOVSAndTeamd reads a raw capture and a sosreport holding an
// OVS bond and a team.
func TestReadCaptureOVSAndTeamd(t *testing.T) {
	type wantBond struct {
		name, kind string
		mode       topology.BondMode
		class      rules.Class
		slaves     []string
	}
	want := []wantBond{
		{"bond0", topology.BondKindOVS, "balance-tcp", rules.ClassLACP, []string{"ens20f0np0", "ens20f1np1"}},
		{"team0", topology.BondKindTeam, "activebackup", rules.ClassIndependent, []string{"eno12399", "ens1f0"}},
	}
	check := func(t *testing.T, h *topology.Host, probs []string, err error, ovsFile, teamFile string) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		if len(probs) > 0 {
			t.Errorf("problems %q", probs)
		}
		if len(h.Bonds) != len(want) {
			t.Fatalf("bonds %+v", h.Bonds)
		}
		for i, w := range want {
			b := &h.Bonds[i]
			var slaves []string
			for _, s := range b.Slaves {
				slaves = append(slaves, s.Name)
			}
			if b.Name != w.name || b.Kind != w.kind || b.Mode != w.mode || rules.ClassOf(b) != w.class || !reflect.DeepEqual(slaves, w.slaves) {
				t.Errorf("bond %d: %+v (class %q), want %+v", i, b, rules.ClassOf(b), w)
			}
		}
		if !strings.HasPrefix(h.Bonds[0].Source, ovsFile+" (") || h.Bonds[1].Source != teamFile {
			t.Errorf("sources %q, %q", h.Bonds[0].Source, h.Bonds[1].Source)
		}
		if h.Bonds[1].ActiveSlave != "eno12399" || h.Bonds[1].Slaves[1].MIIStatus != "down" || h.Bonds[1].Slaves[1].LinkFailures != 2 {
			t.Errorf("team0 %+v", h.Bonds[1])
		}
		nics := map[string]topology.NIC{}
		for _, n := range h.NICs {
			nics[n.Name] = n
		}
		if len(nics) != 4 || nics["eno12399"].Speed != 10000 || nics["eno12399"].Duplex != "full" || nics["ens1f0"].Master != "team0" || nics["ens20f0np0"].Master == "" {
			t.Errorf("NICs %+v", h.NICs)
		}
	}

	t.Run("capture folder", func(t *testing.T) {
		fsys := captureFS(t, map[string]string{
			"hv1/hostname":         "hv1.example.net\n",
			"hv1/ip-link.json":     captureIPLink,
			"hv1/ovs-bonds.txt":    "@testdata/ovs/balance-tcp-negotiated-member.txt",
			"hv1/teamd/team0.json": "@testdata/teamd/activebackup-team0.json",
			"hv1/teamd/notes.txt":  "not a dump: ignored",
		})
		h, probs, err := ReadCaptureFS(fsys, "hv1")
		check(t, h, probs, err, "hv1/ovs-bonds.txt", "hv1/teamd/team0.json")
		if h.Name != "hv1.example.net" || nicsPerm(h, "ens1f0") != "9c:63:c0:bd:7d:60" {
			t.Errorf("host %s NICs %+v", h.Name, h.NICs)
		}
	})

	t.Run("sosreport", func(t *testing.T) {
		fsys := captureFS(t, map[string]string{
			"sosreport-hv1/hostname": "hv1\n",
			"sosreport-hv1/sos_commands/openvswitch/ovs-appctl_bond.show": "@testdata/ovs/balance-tcp-negotiated-member.txt",
			"sosreport-hv1/sos_commands/openvswitch/ovs-appctl_lacp.show": "---- bond0 ----\n  status: active negotiated\n",
			"sosreport-hv1/sos_commands/teamd/teamdctl_team0_state_dump":  "@testdata/teamd/activebackup-team0.json",
			"sosreport-hv1/sos_commands/teamd/teamdctl_team0_config_dump": `{"device": "team0"}`,
			"sosreport-hv1/sos_commands/networking/ip_-d_-j_link":         captureIPLink,
		})
		h, probs, err := ReadCaptureFS(fsys, "sosreport-hv1")
		check(t, h, probs, err, "sosreport-hv1/sos_commands/openvswitch/ovs-appctl_bond.show", "sosreport-hv1/sos_commands/teamd/teamdctl_team0_state_dump")
	})

	t.Run("OVS and teamd only", func(t *testing.T) {
		// no ip-link.json and no bonding files: the bonds alone make a host
		fsys := captureFS(t, map[string]string{
			"hv2/ovs-bonds.txt":    "@testdata/ovs/balance-slb-lacp-off.txt",
			"hv2/teamd/team0.json": "@testdata/teamd/lacp-media.json",
		})
		h, probs, err := ReadCaptureFS(fsys, "hv2")
		if err != nil {
			t.Fatal(err)
		}
		// ip-link.json missing, and the dump names team media, not team0
		if len(probs) != 2 || !strings.Contains(probs[0], "hv2/ip-link.json: missing") ||
			probs[1] != "hv2/teamd/team0.json:123:23: the dump is of team device media (team_device.ifinfo.ifname), not team0" {
			t.Errorf("problems %q", probs)
		}
		if len(h.Bonds) != 1 || h.Bonds[0].Name != "ovs-bond" || len(h.NICs) != 2 || h.NICs[0].Master != "ovs-bond" {
			t.Errorf("host %+v", h)
		}
	})

	t.Run("bad files are problems naming file and line", func(t *testing.T) {
		fsys := captureFS(t, map[string]string{
			"hv3/ip-link.json":     captureIPLink,
			"hv3/ovs-bonds.txt":    "---- bond0 ----\nbond_mode: balance-slb\nupdelay: x ms\n",
			"hv3/teamd/team0.json": `{"setup": {"runner_name": "lacp"}, "ports": {`,
			"hv3/teamd/bond0.json": `{"setup": {"runner_name": "lacp"}}`,
		})
		h, probs, err := ReadCaptureFS(fsys, "hv3")
		if err != nil {
			t.Fatal(err)
		}
		wantProbs := []string{
			`hv3/ovs-bonds.txt:3: updelay: "x ms" is not a delay in ms`,
			"hv3/teamd/team0.json:1:46: invalid JSON: file ends early (truncated?)",
			"hv3/teamd/bond0.json: team bond0 has the name of ovs bond0 from hv3/ovs-bonds.txt: only the first is kept",
		}
		slices.Sort(wantProbs[1:])
		got := slices.Clone(probs)
		if len(got) == 3 {
			slices.Sort(got[1:])
		}
		if !reflect.DeepEqual(got, wantProbs) {
			t.Errorf("problems\n%q\nwant\n%q", probs, wantProbs)
		}
		if len(h.Bonds) != 1 || h.Bonds[0].Kind != topology.BondKindOVS {
			t.Errorf("bonds %+v", h.Bonds)
		}
	})
}

func nicsPerm(h *topology.Host, name string) string {
	for _, n := range h.NICs {
		if n.Name == name {
			return n.PermMAC
		}
	}
	return ""
}
