package snmplab

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bondaudit/bondaudit/collect/snmp"
	"github.com/bondaudit/bondaudit/internal/needtool"
)

// NeedTool returns a tool's path, or skips (fails in CI) naming the
// Debian package (internal/needtool).
func NeedTool(t testing.TB, name, pkg string) string {
	t.Helper()
	return needtool.Need(t, pkg, name)
}

// V3User is an SNMPv3 USM user snmpd accepts (authPriv).
type V3User struct {
	Name            string
	AuthProto, Auth string // net-snmp names: SHA, SHA-256, SHA-512, MD5
	PrivProto, Priv string // AES, DES
	NoPriv          bool   // authNoPriv
}

// AgentOptions describe one snmpd.
type AgentOptions struct {
	// Walk is the recording to serve (snmprec or snmpwalk -On).
	Walk      string
	Community string // "" = public
	Users     []V3User
	// Delay makes every pass_persist answer late (a slow agent).
	Delay time.Duration
	// Ports is how many loopback UDP ports the agent listens on (default
	// 1): many "switches" from one snmpd process.
	Ports int
	// View, when set, limits what the community may read to this subtree
	// (snmpd's VACM view of rocommunity), e.g. ".1.3.6.1.2.1.1": an agent
	// configured to show only the system group. It must hold sysObjectID.
	View string
	// Communities are more read-only communities, with the same view (e.g.
	// Cisco's per-VLAN "public@10"; they all see the same walk).
	Communities []string
}

// Agent is a running snmpd.
type Agent struct {
	Addr      string // 127.0.0.1
	Port      uint16
	Ports     []uint16 // every port it listens on (Port is the first)
	Community string
	Dir       string
	cmd       *exec.Cmd
}

// FreeUDPPort returns a loopback UDP port nothing listens on (now).
func FreeUDPPort(t testing.TB) uint16 {
	t.Helper()
	c, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	return uint16(c.LocalAddr().(*net.UDPAddr).Port)
}

// StartAgent starts snmpd on a free loopback port serving opt.Walk, waits
// until it answers, and stops it when the test ends.
func StartAgent(t testing.TB, opt AgentOptions) *Agent {
	t.Helper()
	snmpd := NeedTool(t, "snmpd", "snmpd")
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	walk, err := filepath.Abs(opt.Walk)
	if err != nil {
		t.Fatal(err)
	}
	a := &Agent{Addr: "127.0.0.1", Port: FreeUDPPort(t), Community: opt.Community, Dir: t.TempDir()}
	if a.Community == "" {
		a.Community = "public"
	}
	persist := filepath.Join(a.Dir, "persist")
	if err := os.MkdirAll(persist, 0o700); err != nil {
		t.Fatal(err)
	}
	var conf strings.Builder
	a.Ports = []uint16{a.Port}
	for len(a.Ports) < opt.Ports {
		a.Ports = append(a.Ports, FreeUDPPort(t))
	}
	var addrs []string
	for _, p := range a.Ports {
		addrs = append(addrs, fmt.Sprintf("udp:%s:%d", a.Addr, p))
	}
	fmt.Fprintf(&conf, "agentAddress %s\n", strings.Join(addrs, ","))
	fmt.Fprintf(&conf, "rocommunity %s 127.0.0.1 %s\n", a.Community, opt.View)
	for _, c := range opt.Communities {
		fmt.Fprintf(&conf, "rocommunity %s 127.0.0.1 %s\n", c, opt.View)
	}
	fmt.Fprintf(&conf, "dontLogTCPWrappersConnects yes\n")
	// createUser goes in the main file: -C keeps snmpd from reading the
	// persistent one, and the usmConf module (see -I below) owns the token.
	for _, u := range opt.Users {
		level := "authPriv"
		if u.NoPriv {
			level = "authNoPriv"
			fmt.Fprintf(&conf, "createUser %s %s %q\n", u.Name, u.AuthProto, u.Auth)
		} else {
			fmt.Fprintf(&conf, "createUser %s %s %q %s %q\n", u.Name, u.AuthProto, u.Auth, u.PrivProto, u.Priv)
		}
		fmt.Fprintf(&conf, "rouser %s %s\n", u.Name, level)
	}
	delay := ""
	if opt.Delay > 0 {
		delay = " " + opt.Delay.String()
	}
	// One registration per top arc: a single ".1" serves nothing (LAB.md).
	for _, arc := range []string{".1.0", ".1.2", ".1.3"} {
		fmt.Fprintf(&conf, "pass_persist -p 1 %s %s %s %s%s\n", arc, exe, passFlag, walk, delay)
	}
	confPath := filepath.Join(a.Dir, "snmpd.conf")
	if err := os.WriteFile(confPath, []byte(conf.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	log := filepath.Join(a.Dir, "snmpd.log")
	cmd := exec.Command(snmpd, "-f", "-C", "-c", confPath, "-I", "pass_persist,vacm_conf,usmConf",
		"-Lf", log, "-p", filepath.Join(a.Dir, "snmpd.pid"))
	cmd.Env = append(os.Environ(), "SNMP_PERSISTENT_DIR="+persist, "MIBS=", "MIBDIRS=/nonexistent")
	if err := cmd.Start(); err != nil {
		t.Fatalf("start snmpd: %v", err)
	}
	a.cmd = cmd
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_, _ = cmd.Process.Wait()
	})
	// Ready when it answers sysObjectID (needs the recording to have it).
	deadline := time.Now().Add(10 * time.Second)
	for {
		c, err := snmp.Dial(snmp.Options{Address: a.Addr, Port: a.Port, Version: snmp.V2c,
			Community: snmp.NewSecret(a.Community), Timeout: 300 * time.Millisecond})
		if err == nil {
			_, err = c.Get(context.Background(), ".1.3.6.1.2.1.1.2.0")
			c.Close()
			if err == nil {
				return a
			}
		}
		if time.Now().After(deadline) {
			b, _ := os.ReadFile(log)
			t.Fatalf("snmpd on port %d not answering after 10 s: %v\nsnmpd log:\n%s", a.Port, err, b)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// PortString is the agent's port as text.
func (a *Agent) PortString() string { return strconv.Itoa(int(a.Port)) }
