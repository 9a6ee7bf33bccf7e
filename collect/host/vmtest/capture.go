package vmtest

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Run runs one shell command on the host being captured (locally inside
// the guest, or over SSH from outside) and returns its standard output.
type Run func(shell string) ([]byte, error)

// Capture takes a raw host capture (DESIGN.md "raw host capture") into dir
// with the stock commands, each through run: `hostname`, `ip -details
// -json link show`, every /proc/net/bonding file, and per bond slave
// `ethtool NIC; ethtool -i NIC` (for every interface when ethtoolAll, so
// that every NIC's speed and driver can be compared). The guest has no
// lldpd, Open vSwitch or teamd: their optional files are absent, as on a
// host without them.
func Capture(run Run, dir string, ethtoolAll bool) error {
	put := func(rel string, b []byte) error {
		p := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		return os.WriteFile(p, b, 0o644)
	}
	for _, c := range []struct{ file, shell string }{{"hostname", "hostname"}, {"ip-link.json", "ip -details -json link show"}} {
		b, err := run(c.shell)
		if err != nil {
			return fmt.Errorf("%s: %w", c.shell, err)
		}
		if err := put(c.file, b); err != nil {
			return err
		}
	}
	ls, err := run("ls /proc/net/bonding 2>/dev/null || true")
	if err != nil {
		return fmt.Errorf("ls /proc/net/bonding: %w", err)
	}
	var nics []string
	for _, bond := range strings.Fields(string(ls)) {
		b, err := run("cat /proc/net/bonding/" + bond)
		if err != nil {
			return fmt.Errorf("cat /proc/net/bonding/%s: %w", bond, err)
		}
		if err := put(filepath.Join("bonding", bond), b); err != nil {
			return err
		}
		for _, l := range strings.Split(string(b), "\n") {
			if s, ok := strings.CutPrefix(l, "Slave Interface: "); ok {
				nics = append(nics, strings.TrimSpace(s))
			}
		}
	}
	if ethtoolAll {
		all, err := run("ls /sys/class/net")
		if err != nil {
			return err
		}
		nics = append(nics, strings.Fields(string(all))...)
	}
	slices.Sort(nics)
	for _, n := range slices.Compact(nics) {
		// ethtool exits non-zero for what it cannot tell (a bond's -i is
		// fine, lo's link modes are not): keep what it printed.
		b, _ := run(fmt.Sprintf("ethtool %s; ethtool -i %s; true", n, n))
		if len(b) > 0 {
			if err := put(filepath.Join("ethtool", n), b); err != nil {
				return err
			}
		}
	}
	return nil
}
