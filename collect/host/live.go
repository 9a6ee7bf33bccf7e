package host

import (
	"errors"
	"time"
)

// CollectOptions configure a live collection of this host.
type CollectOptions struct {
	// ProcBonding is the folder of the bonding driver's status files
	// (default /proc/net/bonding; inside a network namespace entered on
	// one thread, /proc/thread-self/net/bonding).
	ProcBonding string
	// SysClassNet is sysfs' network class folder (default /sys/class/net).
	SysClassNet string
	// LLDPCli is the lldpcli binary (default "lldpcli"); LLDPSocket its
	// control socket when lldpd runs with -u.
	LLDPCli, LLDPSocket string
	// Listen, when positive, listens at most this long on every bond
	// slave for LLDP, CDP and LACPDUs (needs CAP_NET_RAW), and stops as
	// soon as every slave has heard both LLDP (or CDP) and a LACPDU: all a
	// slave can hear. DefaultListen is the window to use.
	Listen time.Duration
	// Pcap is a capture file read through the same decoders.
	Pcap string
	// Name, when set, is the snapshot's host name instead of this host's
	// hostname (collect host --name).
	Name string
	Now  func() time.Time
}

func (o *CollectOptions) defaults() {
	if o.ProcBonding == "" {
		o.ProcBonding = "/proc/net/bonding"
	}
	if o.SysClassNet == "" {
		o.SysClassNet = "/sys/class/net"
	}
	if o.LLDPCli == "" {
		o.LLDPCli = "lldpcli"
	}
	if o.Now == nil {
		o.Now = time.Now
	}
}

// DefaultListen is the default listening window: two slow-rate LACPDU
// intervals (30 s each) and two LLDP intervals (30 s), with a margin for a
// busy switch, so that a port that sends one of its slow LACPDUs just
// before the listening starts is still heard once. It is a maximum: the
// listening ends once every slave has heard LLDP or CDP and a LACPDU.
const DefaultListen = 65 * time.Second

// ErrLinuxOnly is returned by Collect on other systems.
var ErrLinuxOnly = errors.New("collect host reads the Linux kernel (netlink, /proc/net/bonding): run it on the Linux host, or capture the host with stock tools (see bondaudit audit --help)")
