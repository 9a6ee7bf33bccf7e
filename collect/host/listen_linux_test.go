//go:build linux

package host

import (
	"context"
	"net"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/mdlayher/packet"
	"golang.org/x/sys/unix"

	"github.com/bondaudit/bondaudit/internal/netnstest"
	"github.com/bondaudit/bondaudit/topology"
)

// inNetns: the test body runs in a network namespace of its own.
var inNetns = netnstest.InNetns

// lacpdu is a LACPDU from actor system sys, port port (slow rate, in sync).
func lacpdu(sys net.HardwareAddr, port byte) []byte {
	b := []byte{1, 1, 1, 20, 0x80, 0}
	b = append(b, sys...)
	b = append(b, 0, 9, 0x80, 0, 0, port, 0x3d, 0, 0, 0)
	b = append(b, 2, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
	b = append(b, 3, 16, 0, 0)
	b = append(b, make([]byte, 12)...)
	b = append(b, 0, 0)
	return append(b, make([]byte, 110-len(b))...)
}

func etherFrame(dst, src net.HardwareAddr, etype uint16, payload []byte) []byte {
	b := append(append([]byte{}, dst...), src...)
	b = append(b, byte(etype>>8), byte(etype))
	return append(b, payload...)
}

// TestListenStopsOnceEverySlaveHeardAll: two bond slaves whose "switch"
// ends send LLDP and slow-rate LACPDUs. Listening with a 60 s window stops
// as soon as both slaves have heard both (the old listener always sat out
// the whole window); with one slave hearing no LACPDU it listens to the end.
func TestListenStopsOnceEverySlaveHeardAll(t *testing.T) {
	if !inNetns(t) {
		return
	}
	run := func(args ...string) {
		t.Helper()
		if out, err := exec.Command("ip", args...).CombinedOutput(); err != nil {
			t.Fatalf("ip %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	swMAC, _ := net.ParseMAC("02:11:22:33:44:55")
	lldpMcast, _ := net.ParseMAC("01:80:c2:00:00:0e")
	slowMcast, _ := net.ParseMAC("01:80:c2:00:00:02")
	send := func(sw string, lacp bool, stop chan struct{}) {
		ifi, err := net.InterfaceByName(sw)
		if err != nil {
			t.Fatal(err)
		}
		c, err := packet.Listen(ifi, packet.Raw, unix.ETH_P_ALL, nil)
		if err != nil {
			t.Fatal(err)
		}
		go func() {
			defer c.Close()
			for {
				frames := [][]byte{etherFrame(lldpMcast, swMAC, 0x88cc, lldpFrame())}
				if lacp {
					frames = append(frames, etherFrame(slowMcast, swMAC, 0x8809, lacpdu(swMAC, byte(ifi.Index))))
				}
				for _, f := range frames {
					c.WriteTo(f, &packet.Addr{HardwareAddr: f[:6]})
				}
				select {
				case <-stop:
					return
				case <-time.After(200 * time.Millisecond):
				}
			}
		}()
	}
	for _, p := range []string{"0", "1"} {
		run("link", "add", "sw"+p, "type", "veth", "peer", "name", "eth"+p)
		run("link", "set", "sw"+p, "up")
		run("link", "set", "eth"+p, "up")
	}
	host := func() *topology.Host {
		return &topology.Host{
			NICs:  []topology.NIC{{Name: "eth0", Master: "bond0"}, {Name: "eth1", Master: "bond0"}},
			Bonds: []topology.Bond{{Name: "bond0", Slaves: []topology.Slave{{Name: "eth0"}, {Name: "eth1"}}}},
		}
	}
	count := func(h *topology.Host) map[string]int {
		c := map[string]int{}
		for _, n := range h.Neighbours {
			c[n.LocalPort+" "+string(n.Protocol)]++
		}
		return c
	}

	stop := make(chan struct{})
	send("sw0", true, stop)
	send("sw1", true, stop)
	h := host()
	start := time.Now()
	problems := listenOnSlaves(context.Background(), h, CollectOptions{Listen: 60 * time.Second, Now: time.Now})
	took := time.Since(start)
	close(stop)
	if took > 10*time.Second {
		t.Errorf("listening took %s: it should stop once every slave heard LLDP and LACP", took)
	}
	if c := count(h); c["eth0 lldp"] != 1 || c["eth1 lldp"] != 1 || c["eth0 lacp"] != 1 || c["eth1 lacp"] != 1 {
		t.Errorf("heard %v (problems %q)", c, problems)
	}

	// eth1's switch port runs no LACP: nothing says it never will, so the
	// whole (here short) window is heard.
	stop = make(chan struct{})
	send("sw0", true, stop)
	send("sw1", false, stop)
	h = host()
	start = time.Now()
	listenOnSlaves(context.Background(), h, CollectOptions{Listen: 3 * time.Second, Now: time.Now})
	took = time.Since(start)
	close(stop)
	if took < 2900*time.Millisecond {
		t.Errorf("listening stopped after %s although eth1 heard no LACPDU", took)
	}
	if c := count(h); c["eth1 lldp"] != 1 || c["eth1 lacp"] != 0 || c["eth0 lacp"] != 1 {
		t.Errorf("heard %v", c)
	}
}
