//go:build linux

package sshlab

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/netip"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
)

// labRange is where labs take their subnets: 198.18.0.0/15, set aside for
// benchmarking network devices (RFC 2544), so no real network uses it.
var labRange = netip.MustParsePrefix("198.18.0.0/15")

const (
	lockFile    = "/run/bondaudit-sshlab.lock"
	aliasPrefix = "bondaudit-sshlab pid="
)

type labNet struct {
	id, bridge string
	gateway    netip.Addr // the test namespace's address; hosts follow it
	prefixLen  int
}

// allocate picks a lab id and a free subnet for n hosts and creates the
// bridge with the gateway address, under a machine-wide lock so that labs
// started at once by other test processes never share one. Labs whose test
// process is gone are swept first.
func allocate(ctx context.Context, n int) (labNet, error) {
	lock, err := os.OpenFile(lockFile, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return labNet{}, err
	}
	defer lock.Close()
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX); err != nil {
		return labNet{}, fmt.Errorf("lock %s: %v", lockFile, err)
	}
	defer syscall.Flock(int(lock.Fd()), syscall.LOCK_UN)
	sweep(ctx)

	bits := 8 // a /24 at least
	for 1<<bits < n+3 {
		bits++
	}
	if bits > 32-labRange.Bits() {
		return labNet{}, fmt.Errorf("%d hosts do not fit in %s", n, labRange)
	}
	used, err := usedPrefixes(ctx)
	if err != nil {
		return labNet{}, err
	}
	blocks := uint32(1) << (32 - labRange.Bits() - bits)
	base := binary.BigEndian.Uint32(labRange.Addr().AsSlice())
	var rnd [8]byte
	for range 64 {
		rand.Read(rnd[:])
		blk := binary.BigEndian.Uint32(rnd[:4]) % blocks
		var a [4]byte
		binary.BigEndian.PutUint32(a[:], base+blk<<bits)
		pfx := netip.PrefixFrom(netip.AddrFrom4(a), 32-bits)
		if overlaps(pfx, used) {
			continue
		}
		id := hex.EncodeToString(rnd[4:7])
		ln := labNet{id: id, bridge: "sl" + id + "br", gateway: pfx.Addr().Next(), prefixLen: pfx.Bits()}
		if _, err := os.Stat("/sys/class/net/" + ln.bridge); err == nil {
			continue
		}
		batch := fmt.Sprintf("link add %s type bridge\nlink set %s alias %q\naddr add %s/%d dev %s\nlink set %s up\n",
			ln.bridge, ln.bridge, aliasPrefix+strconv.Itoa(os.Getpid()), ln.gateway, ln.prefixLen, ln.bridge, ln.bridge)
		f, err := os.CreateTemp("", "sshlab-bridge-*.batch")
		if err != nil {
			return labNet{}, err
		}
		f.WriteString(batch)
		f.Close()
		err = ipBatch(ctx, f.Name(), "")
		os.Remove(f.Name())
		if err != nil {
			exec.Command("ip", "link", "del", ln.bridge).Run()
			return labNet{}, err
		}
		return ln, nil
	}
	return labNet{}, fmt.Errorf("no free subnet for %d hosts in %s", n, labRange)
}

// usedPrefixes lists every IPv4 address prefix and route of the test's
// namespace.
func usedPrefixes(ctx context.Context) ([]netip.Prefix, error) {
	var out []netip.Prefix
	b, err := exec.CommandContext(ctx, "ip", "-j", "-4", "addr", "show").Output()
	if err != nil {
		return nil, fmt.Errorf("ip -j -4 addr show: %v", err)
	}
	var links []struct {
		AddrInfo []struct {
			Local     string `json:"local"`
			PrefixLen int    `json:"prefixlen"`
		} `json:"addr_info"`
	}
	if err := json.Unmarshal(b, &links); err != nil {
		return nil, fmt.Errorf("ip -j -4 addr show: %v", err)
	}
	for _, l := range links {
		for _, a := range l.AddrInfo {
			if p, err := netip.ParsePrefix(a.Local + "/" + strconv.Itoa(a.PrefixLen)); err == nil {
				out = append(out, p.Masked())
			}
		}
	}
	b, err = exec.CommandContext(ctx, "ip", "-j", "-4", "route", "show", "table", "all").Output()
	if err != nil {
		return nil, fmt.Errorf("ip -j -4 route show table all: %v", err)
	}
	var routes []struct {
		Dst string `json:"dst"`
	}
	if err := json.Unmarshal(b, &routes); err != nil {
		return nil, fmt.Errorf("ip -j -4 route: %v", err)
	}
	for _, r := range routes {
		if r.Dst == "default" || r.Dst == "" {
			continue
		}
		s := r.Dst
		if !strings.Contains(s, "/") {
			s += "/32"
		}
		if p, err := netip.ParsePrefix(s); err == nil {
			out = append(out, p.Masked())
		}
	}
	return out, nil
}

func overlaps(p netip.Prefix, used []netip.Prefix) bool {
	for _, u := range used {
		if u.Overlaps(p) {
			return true
		}
	}
	return false
}

// sweep removes the bridges and uplinks of labs whose test process is gone
// (killed before its cleanup ran). Their sshds died with it (Pdeathsig);
// their namespaces, which a socket closing may keep for minutes, lose
// their links now.
func sweep(ctx context.Context) {
	b, err := exec.CommandContext(ctx, "ip", "-j", "link", "show").Output()
	if err != nil {
		return
	}
	var links []struct {
		Name  string `json:"ifname"`
		Alias string `json:"ifalias"`
	}
	if json.Unmarshal(b, &links) != nil {
		return
	}
	var batch strings.Builder
	for _, l := range links {
		s, ok := strings.CutPrefix(l.Alias, aliasPrefix)
		bridge, isLab := strings.CutSuffix(l.Name, "br")
		if !ok || !isLab || !strings.HasPrefix(l.Name, "sl") {
			continue
		}
		pid, err := strconv.Atoi(s)
		if err != nil || pid <= 0 {
			continue
		}
		if err := syscall.Kill(pid, 0); !errors.Is(err, syscall.ESRCH) {
			continue
		}
		fmt.Fprintf(&batch, "link del %s\n", l.Name)
		for _, v := range links {
			if rest, ok := strings.CutPrefix(v.Name, bridge+"v"); ok && rest != "" {
				fmt.Fprintf(&batch, "link del %s\n", v.Name)
			}
		}
	}
	if batch.Len() > 0 {
		if f, err := os.CreateTemp("", "sshlab-sweep-*.batch"); err == nil {
			f.Close()
			ipBatchForce(f.Name(), batch.String())
			os.Remove(f.Name())
		}
	}
}

// ipBatch writes batch to path (unless empty) and runs ip -b on it.
func ipBatch(ctx context.Context, path, batch string) error {
	if batch != "" {
		if err := os.WriteFile(path, []byte(batch), 0o644); err != nil {
			return err
		}
	}
	out, err := exec.CommandContext(ctx, "ip", "-b", path).CombinedOutput()
	if err != nil {
		return fmt.Errorf("ip -b %s: %v: %s", path, err, out)
	}
	return nil
}

// ipBatchForce runs ip -force -b: every line is tried, errors are ignored.
func ipBatchForce(path, batch string) {
	if os.WriteFile(path, []byte(batch), 0o644) == nil {
		exec.Command("ip", "-force", "-b", path).Run()
	}
}
