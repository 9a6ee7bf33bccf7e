//go:build linux

package l2_test

import (
	"context"
	"net"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/mdlayher/packet"
	"golang.org/x/sys/unix"

	"github.com/bondaudit/bondaudit/collect/l2"
	"github.com/bondaudit/bondaudit/internal/netnstest"
)

// inNetns: the test body runs in a network namespace of its own.
var inNetns = netnstest.InNetns

func ip(t *testing.T, args ...string) {
	t.Helper()
	if out, err := exec.Command("ip", args...).CombinedOutput(); err != nil {
		t.Fatalf("ip %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// TestListenVeth: a "switch" end of a veth pair sends LLDP, LACP, CDP, a
// Marker PDU, an IP packet and a malformed LLDPDU; Listen on the "host" end
// hears the three protocols, reports the malformed frame, and Listen on the
// sending end hears nothing (its own frames are outgoing).
func TestListenVeth(t *testing.T) {
	if !inNetns(t) {
		return
	}
	ip(t, "link", "add", "sw0", "type", "veth", "peer", "name", "eth0")
	ip(t, "link", "set", "sw0", "up")
	ip(t, "link", "set", "eth0", "up")

	sw, err := net.InterfaceByName("sw0")
	if err != nil {
		t.Fatal(err)
	}
	tx, err := packet.Listen(sw, packet.Raw, unix.ETH_P_ALL, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Close()
	sends := [][]byte{
		ether(lldpMcast, leaf1MAC, 0x88cc, leaf1DU),
		ether(slowMcast, leaf1MAC, 0x8809, leafPDU),
		ether(slowMcast, leaf1MAC, 0x8809, marker),
		dot3(cdpMcast, leaf1MAC, 0, cat(snapCDP, nexusCDP)),
		ether(hostMAC, leaf1MAC, 0x0800, ipv4UDP),
		ether(lldpMcast, leaf1MAC, 0x88cc, badDU),
	}
	stop := make(chan struct{})
	sent := make(chan int)
	go func() {
		n := 0
		defer func() { sent <- n }()
		for {
			for _, b := range sends {
				if _, err := tx.WriteTo(b, &packet.Addr{HardwareAddr: b[:6]}); err != nil {
					t.Errorf("sending: %v", err)
					return
				}
			}
			n++
			select {
			case <-stop:
				return
			case <-time.After(100 * time.Millisecond):
			}
		}
	}()

	clock := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	frames, errs := l2.Listen(context.Background(), l2.ListenConfig{
		Interfaces: []string{"eth0", "sw0", "nosuch0"}, Duration: 1500 * time.Millisecond,
		Now: func() time.Time { return clock },
	})
	close(stop)
	rounds := <-sent
	if rounds < 3 {
		t.Fatalf("only %d rounds of frames sent", rounds)
	}

	count := map[string]int{}
	for _, f := range frames {
		count[f.Interface+" "+string(f.Kind)]++
		if !f.Time.Equal(clock) || f.Tunnel != "" || f.Outgoing || f.SrcMAC != "00:1c:73:ab:cd:07" ||
			!strings.HasPrefix(f.Neighbour.Source, "listen eth0 frame ") {
			t.Errorf("frame %+v", f)
		}
	}
	t.Logf("%d rounds sent; heard %v; %d errors", rounds, count, len(errs))
	// The listener opens its sockets after the sender starts: the first
	// round may be missed.
	for _, k := range []string{"eth0 lldp", "eth0 lacp", "eth0 cdp"} {
		// Under load the last rounds may land after the listen window:
		// at least half, never more than were sent.
		if count[k] < rounds/2 || count[k] > rounds {
			t.Errorf("%s: %d frames for %d rounds sent (%v)", k, count[k], rounds, count)
		}
	}
	if len(count) != 3 {
		t.Errorf("frames heard: %v (nothing on sw0, whose frames are all outgoing)", count)
	}

	var malformed int
	for _, err := range errs {
		switch msg := err.Error(); {
		case strings.HasPrefix(msg, "listening on nosuch0: "):
		case strings.HasPrefix(msg, "listening on eth0: frame ") && strings.Contains(msg, "System Name (5) TLV at offset 27"):
			malformed++
		default:
			t.Errorf("unexpected error: %v", err)
		}
	}
	if malformed < rounds/2 || malformed > rounds {
		t.Errorf("%d malformed-frame errors for %d rounds", malformed, rounds)
	}

	got := l2.Neighbours(frames, "")
	if len(got) != 3 || got[0].LocalPort != "eth0" || got[0].Protocol != "cdp" || got[1].LACP == nil ||
		got[2].LinkAgg == nil || got[2].LinkAgg.PortID != 1007 {
		t.Errorf("Neighbours: %+v", got)
	}
}

// TestListenCancel: cancelling the context ends a long listen at once.
func TestListenCancel(t *testing.T) {
	if !inNetns(t) {
		return
	}
	ip(t, "link", "set", "lo", "up")
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(200*time.Millisecond, cancel)
	start := time.Now()
	frames, errs := l2.Listen(ctx, l2.ListenConfig{Interfaces: []string{"lo"}, Duration: time.Hour})
	if d := time.Since(start); d > 5*time.Second || len(frames) != 0 || len(errs) != 0 {
		t.Errorf("took %v, frames %v, errors %v", d, frames, errs)
	}
}
