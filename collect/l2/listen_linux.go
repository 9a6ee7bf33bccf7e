//go:build linux

package l2

import (
	"errors"
	"fmt"
	"net"
	"os"
	"time"

	"github.com/mdlayher/packet"
	"golang.org/x/net/bpf"
	"golang.org/x/sys/unix"
)

// listenGroups are the multicast groups of LLDP (nearest bridge, nearest
// non-TPMR bridge, nearest customer bridge), slow protocols and CDP.
var listenGroups = []net.HardwareAddr{
	{0x01, 0x80, 0xc2, 0x00, 0x00, 0x0e},
	{0x01, 0x80, 0xc2, 0x00, 0x00, 0x03},
	{0x01, 0x80, 0xc2, 0x00, 0x00, 0x00},
	{0x01, 0x80, 0xc2, 0x00, 0x00, 0x02},
	{0x01, 0x00, 0x0c, 0xcc, 0xcc, 0xcc},
}

// l2Filter is a BPF program passing untagged LLDP, slow-protocols and CDP
// (802.3 length, LLC AA-AA-03, SNAP 00-00-0C/2000) frames.
func l2Filter() ([]bpf.RawInstruction, error) {
	return bpf.Assemble([]bpf.Instruction{
		bpf.LoadAbsolute{Off: 12, Size: 2},
		bpf.JumpIf{Cond: bpf.JumpEqual, Val: EtherTypeLLDP, SkipTrue: 6},
		bpf.JumpIf{Cond: bpf.JumpEqual, Val: EtherTypeSlowProtocols, SkipTrue: 5},
		bpf.JumpIf{Cond: bpf.JumpGreaterThan, Val: 1500, SkipTrue: 5},
		bpf.LoadAbsolute{Off: 14, Size: 4},
		bpf.JumpIf{Cond: bpf.JumpNotEqual, Val: 0xaaaa0300, SkipTrue: 3},
		bpf.LoadAbsolute{Off: 18, Size: 4},
		bpf.JumpIf{Cond: bpf.JumpNotEqual, Val: 0x000c2000, SkipTrue: 1},
		bpf.RetConstant{Val: 65535},
		bpf.RetConstant{Val: 0},
	})
}

type packetSource struct {
	c *packet.Conn
}

func openSource(name string) (frameSource, error) {
	ifi, err := net.InterfaceByName(name)
	if err != nil {
		return nil, err
	}
	filter, err := l2Filter()
	if err != nil {
		return nil, fmt.Errorf("assembling the BPF filter: %w", err)
	}
	// ETH_P_ALL: taps see a slave's frames before the bonding driver
	// consumes its LACPDUs; a protocol-bound socket would not.
	c, err := packet.Listen(ifi, packet.Raw, unix.ETH_P_ALL, &packet.Config{Filter: filter})
	if err != nil {
		if errors.Is(err, os.ErrPermission) {
			return nil, fmt.Errorf("needs CAP_NET_RAW: run as root or grant the capability: %w", err)
		}
		return nil, err
	}
	rc, err := c.SyscallConn()
	if err == nil {
		var serr error
		err = rc.Control(func(fd uintptr) {
			serr = unix.SetsockoptInt(int(fd), unix.SOL_PACKET, unix.PACKET_IGNORE_OUTGOING, 1)
		})
		if err == nil {
			err = serr
		}
	}
	if err != nil {
		c.Close()
		return nil, fmt.Errorf("ignoring outgoing frames (PACKET_IGNORE_OUTGOING needs Linux 4.20): %w", err)
	}
	for _, g := range listenGroups {
		if err := c.JoinGroup(g); err != nil {
			c.Close()
			return nil, fmt.Errorf("joining multicast group %s: %w", g, err)
		}
	}
	return packetSource{c}, nil
}

func (s packetSource) read(b []byte) (int, error) {
	n, _, err := s.c.ReadFrom(b)
	return n, err
}

func (s packetSource) setDeadline(t time.Time) error { return s.c.SetReadDeadline(t) }
func (s packetSource) close() error                  { return s.c.Close() }

func isTimeout(err error) bool { return errors.Is(err, os.ErrDeadlineExceeded) }
