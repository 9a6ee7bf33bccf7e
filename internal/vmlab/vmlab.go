// Package vmlab boots a real Linux kernel (Debian's, with the bonding
// driver this machine's kernel lacks) under qemu with a small initramfs
// (busybox, iproute2, the bonding/veth/tls modules and Go test binaries),
// runs the test binaries inside, and hands their results back as Go test
// results the outer `go test` counts.
package vmlab

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"maps"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bondaudit/bondaudit/internal/needtool"
)

// DefaultDir is where .ci/run unpacks the Debian kernel (boot/vmlinuz-*,
// lib/modules/*/kernel/...). BONDAUDIT_VM_DIR overrides it.
const DefaultDir = "/tmp/bondaudit-lab/kernel"

// Kernel is an unpacked Debian kernel.
type Kernel struct {
	Version, Vmlinuz, ModDir string
	// E1000 is the e1000 driver module (qemu's default NIC, on which the
	// guest's sshd listens), "" when the unpacked kernel lacks it.
	E1000 string
	// Extra are the bridge and 802.1Q modules with their dependencies, in
	// load order, those the unpacked kernel has.
	Extra []string
}

// extraModules are loaded, when present, after bonding and veth: bridges
// and VLAN interfaces for the tests that compare them.
var extraModules = []string{"net/llc/llc.ko", "net/802/stp.ko", "net/802/garp.ko", "net/802/mrp.ko", "net/bridge/bridge.ko", "net/8021q/8021q.ko"}

// FindKernel locates the unpacked kernel, or reports why not.
func FindKernel() (*Kernel, error) {
	dir := os.Getenv("BONDAUDIT_VM_DIR")
	if dir == "" {
		dir = DefaultDir
	}
	vms, _ := filepath.Glob(filepath.Join(dir, "boot", "vmlinuz-*"))
	if len(vms) == 0 {
		return nil, fmt.Errorf("no kernel in %s/boot (.ci/run downloads Debian's linux-image and unpacks vmlinuz and the bonding, veth and tls modules there)", dir)
	}
	sort.Strings(vms)
	vm := vms[len(vms)-1]
	ver := strings.TrimPrefix(filepath.Base(vm), "vmlinuz-")
	k := &Kernel{Version: ver, Vmlinuz: vm, ModDir: filepath.Join(dir, "lib", "modules", ver, "kernel")}
	for _, m := range k.modules() {
		if _, err := os.Stat(m); err != nil {
			return nil, fmt.Errorf("kernel %s: module missing: %v", ver, err)
		}
	}
	if m := filepath.Join(k.ModDir, "drivers/net/ethernet/intel/e1000/e1000.ko"); fileExists(m) {
		k.E1000 = m
	}
	for _, m := range extraModules {
		if m = filepath.Join(k.ModDir, m); fileExists(m) {
			k.Extra = append(k.Extra, m)
		}
	}
	return k, nil
}

func (k *Kernel) modules() []string {
	return []string{
		filepath.Join(k.ModDir, "net/tls/tls.ko"),
		filepath.Join(k.ModDir, "drivers/net/bonding/bonding.ko"),
		filepath.Join(k.ModDir, "drivers/net/veth.ko"),
	}
}

// Need skips (or, with BONDAUDIT_REQUIRE_TOOLS=1, fails) when qemu,
// busybox, ip, ethtool (the guest's stock `ethtool -i`, which the live
// collector is compared with) or the kernel are missing.
func Need(t testing.TB) *Kernel {
	t.Helper()
	for _, tool := range []struct{ bin, pkg string }{{"qemu-system-x86_64", "qemu-system-x86"}, {"busybox", "busybox-static"}, {"ip", "iproute2"}, {"ethtool", "ethtool"}} {
		needtool.Need(t, tool.pkg, tool.bin)
	}
	k, err := FindKernel()
	if err != nil {
		needtool.Missing(t, err.Error())
	}
	return k
}

// cpioWriter writes the newc format the kernel unpacks as initramfs.
type cpioWriter struct {
	w   io.Writer
	ino int
}

func (c *cpioWriter) entry(name string, mode uint32, data []byte) error {
	c.ino++
	hdr := fmt.Sprintf("070701%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x",
		c.ino, mode, 0, 0, 1, 0, len(data), 0, 0, 0, 0, len(name)+1, 0)
	buf := bytes.NewBufferString(hdr)
	buf.WriteString(name)
	buf.WriteByte(0)
	for buf.Len()%4 != 0 {
		buf.WriteByte(0)
	}
	buf.Write(data)
	for buf.Len()%4 != 0 {
		buf.WriteByte(0)
	}
	_, err := c.w.Write(buf.Bytes())
	return err
}

// Image is an initramfs under construction: path in the image → content.
type Image struct {
	files map[string][]byte
	modes map[string]uint32
	links map[string]string
}

// NewImage starts an image with busybox (and its applets), the real ip
// with its libraries, and the kernel's bonding, veth and tls modules.
func NewImage(k *Kernel) (*Image, error) {
	im := &Image{files: map[string][]byte{}, modes: map[string]uint32{}, links: map[string]string{}}
	bb, err := exec.LookPath("busybox")
	if err != nil {
		return nil, err
	}
	if err := im.AddFile(bb, "/bin/busybox", 0o755); err != nil {
		return nil, err
	}
	out, err := exec.Command(bb, "--list").Output()
	if err != nil {
		return nil, fmt.Errorf("busybox --list: %w", err)
	}
	for _, a := range strings.Fields(string(out)) {
		if a != "ip" && a != "busybox" {
			im.links["/bin/"+a] = "busybox"
		}
	}
	// busybox's sh runs its own applets before PATH (so `ip` would be
	// busybox's, not iproute2's): the shell is Debian's dash when there is
	// one, as on a Debian host, and stock commands run the real tools.
	if dash, err := exec.LookPath("dash"); err == nil {
		if err := im.AddELF(dash, "/bin/sh"); err != nil {
			return nil, err
		}
		delete(im.links, "/bin/sh")
	}
	ip, err := exec.LookPath("ip")
	if err != nil {
		return nil, err
	}
	if err := im.AddELF(ip, "/sbin/ip"); err != nil {
		return nil, err
	}
	for _, m := range k.modules() {
		if err := im.AddFile(m, "/lib/modules/"+filepath.Base(m), 0o644); err != nil {
			return nil, err
		}
	}
	for _, m := range append(slices.Clone(k.Extra), k.E1000) {
		if m == "" {
			continue
		}
		if err := im.AddFile(m, "/lib/modules/"+filepath.Base(m), 0o644); err != nil {
			return nil, err
		}
	}
	// ethtool, when this machine has it: the stock `ethtool -i NIC` of a
	// capture, run in the guest.
	if et, err := exec.LookPath("ethtool"); err == nil {
		if err := im.AddELF(et, "/sbin/ethtool"); err != nil {
			return nil, err
		}
	}
	im.AddBytes("/etc/passwd", []byte("root:x:0:0:root:/root:/bin/sh\nsshd:x:100:65534::/run/sshd:/bin/false\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n"), 0o644)
	im.AddBytes("/etc/group", []byte("root:x:0:\nnogroup:x:65534:\n"), 0o644)
	im.AddBytes("/etc/shadow", []byte("root:*:19000:0:99999:7:::\nsshd:*:19000:0:99999:7:::\n"), 0o600)
	return im, nil
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// SSH is what the host needs to reach the guest's sshd: the client key
// the guest authorises and a known_hosts file naming the guest's host key
// at the forwarded port.
type SSH struct {
	Port                  int
	ClientKey, KnownHosts string
	User, Addr            string
}

// Args are the OpenSSH client's options for the guest (no user config,
// strict host key checking against KnownHosts, key auth only).
func (s *SSH) Args() []string {
	return []string{"-F", "none", "-p", fmt.Sprint(s.Port), "-i", s.ClientKey, "-o", "IdentitiesOnly=yes",
		"-o", "UserKnownHostsFile=" + s.KnownHosts, "-o", "StrictHostKeyChecking=yes", "-o", "BatchMode=yes",
		"-o", "ConnectTimeout=30", "-o", "ServerAliveInterval=10", "-l", s.User, s.Addr}
}

// AddSSHD puts Debian's OpenSSH server (sshd and its libraries) into the
// image with a host key and an authorised client key generated here by
// ssh-keygen into dir, and returns how to reach it once Start forwarded
// port to the guest's port 22 (qemu user networking, no KVM needed).
// The guest's /init starts it when /usr/sbin/sshd is present.
func (im *Image) AddSSHD(dir string, port int) (*SSH, error) {
	sshd, err := exec.LookPath("sshd")
	if err != nil {
		return nil, err
	}
	if err := im.AddELF(sshd, "/usr/sbin/sshd"); err != nil {
		return nil, err
	}
	for _, k := range []string{"host", "client"} {
		f := filepath.Join(dir, k+"_ed25519")
		if out, err := exec.Command("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "bondaudit-vmlab-"+k, "-f", f).CombinedOutput(); err != nil {
			return nil, fmt.Errorf("ssh-keygen: %v: %s", err, out)
		}
	}
	if err := im.AddFile(filepath.Join(dir, "host_ed25519"), "/etc/ssh/ssh_host_ed25519_key", 0o600); err != nil {
		return nil, err
	}
	if err := im.AddFile(filepath.Join(dir, "client_ed25519.pub"), "/etc/ssh/authorized_keys", 0o644); err != nil {
		return nil, err
	}
	im.AddBytes("/etc/ssh/sshd_config", []byte(`Port 22
ListenAddress 0.0.0.0
HostKey /etc/ssh/ssh_host_ed25519_key
PermitRootLogin prohibit-password
AuthorizedKeysFile /etc/ssh/authorized_keys
StrictModes no
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
UseDNS no
PidFile /run/sshd.pid
LogLevel INFO
`), 0o644)
	hostPub, err := os.ReadFile(filepath.Join(dir, "host_ed25519.pub"))
	if err != nil {
		return nil, err
	}
	f := strings.Fields(string(hostPub))
	if len(f) < 2 {
		return nil, fmt.Errorf("ssh-keygen wrote %q", hostPub)
	}
	kh := filepath.Join(dir, "known_hosts")
	if err := os.WriteFile(kh, []byte(fmt.Sprintf("[127.0.0.1]:%d %s %s\n", port, f[0], f[1])), 0o600); err != nil {
		return nil, err
	}
	return &SSH{Port: port, ClientKey: filepath.Join(dir, "client_ed25519"), KnownHosts: kh, User: "root", Addr: "127.0.0.1"}, nil
}

// FreePort returns a TCP port free on 127.0.0.1 now.
func FreePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// AddFile copies a host file into the image.
func (im *Image) AddFile(src, dst string, mode uint32) error {
	b, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	im.files[dst], im.modes[dst] = b, mode
	return nil
}

// AddBytes puts content into the image.
func (im *Image) AddBytes(dst string, b []byte, mode uint32) {
	im.files[dst], im.modes[dst] = b, mode
}

var lddLib = regexp.MustCompile(`(/[^ ]+\.so[^ ]*)`)

// AddELF copies a dynamically linked binary and the libraries ldd names.
func (im *Image) AddELF(src, dst string) error {
	if err := im.AddFile(src, dst, 0o755); err != nil {
		return err
	}
	out, err := exec.Command("ldd", src).Output()
	if err != nil {
		return nil // static
	}
	for _, m := range lddLib.FindAllString(string(out), -1) {
		real, err := filepath.EvalSymlinks(m)
		if err != nil {
			continue
		}
		if err := im.AddFile(real, m, 0o755); err != nil {
			return err
		}
	}
	return nil
}

// Write writes the gzip'd newc archive.
func (im *Image) Write(w io.Writer) error {
	zw := gzip.NewWriter(w)
	c := &cpioWriter{w: zw}
	dirs := map[string]bool{}
	var names []string
	for n := range im.files {
		names = append(names, n)
	}
	for n := range im.links {
		names = append(names, n)
	}
	for _, d := range []string{"/proc", "/sys", "/dev", "/run", "/tmp", "/etc", "/var/run"} {
		dirs[d] = true
	}
	for _, n := range names {
		for d := filepath.Dir(n); d != "/"; d = filepath.Dir(d) {
			dirs[d] = true
		}
	}
	for _, d := range slices.Sorted(maps.Keys(dirs)) {
		if err := c.entry(strings.TrimPrefix(d, "/"), 0o040755, nil); err != nil {
			return err
		}
	}
	sort.Strings(names)
	for _, n := range names {
		var err error
		if target, ok := im.links[n]; ok {
			err = c.entry(strings.TrimPrefix(n, "/"), 0o120777, []byte(target))
		} else {
			err = c.entry(strings.TrimPrefix(n, "/"), 0o100000|im.modes[n], im.files[n])
		}
		if err != nil {
			return err
		}
	}
	if err := c.entry("TRAILER!!!", 0, nil); err != nil {
		return err
	}
	return zw.Close()
}

// Init is the /init that loads the modules, runs every /tests/*.test with
// -test.v and powers off.
const Init = `#!/bin/sh
export PATH=/bin:/sbin
mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev
mount -t tmpfs tmp /run; mkdir -p /run/netns /var/run; ln -s /run/netns /var/run/netns 2>/dev/null
ip link set lo up
hostname vm
insmod /lib/modules/tls.ko; insmod /lib/modules/bonding.ko max_bonds=0; insmod /lib/modules/veth.ko
for m in llc stp garp mrp bridge 8021q; do [ -f /lib/modules/$m.ko ] && insmod /lib/modules/$m.ko; done
if [ -f /usr/sbin/sshd ] && [ -f /lib/modules/e1000.ko ]; then
  # qemu user networking: the guest is 10.0.2.15, the host forwards a
  # loopback port to its port 22
  insmod /lib/modules/e1000.ko
  ip link set eth0 up; ip addr add 10.0.2.15/24 dev eth0; ip route add default via 10.0.2.2
  mkdir -p /run/sshd /root; chmod 755 /run/sshd
  /usr/sbin/sshd -f /etc/ssh/sshd_config -E /run/sshd.log && echo "VMLAB: sshd started"
fi
for t in /tests/*.test; do
  echo "VMLAB: running $t"
  $t -test.v -test.timeout 420s 2>&1
  echo "VMLAB: rc=$?"
done
echo "VMLAB: DONE"
poweroff -f
`

// Boot runs the image under qemu (TCG: software emulation) and returns
// the serial console.
func Boot(ctx context.Context, k *Kernel, initramfs string) (string, error) {
	vm, err := Start(ctx, k, initramfs, 0)
	if err != nil {
		return "", err
	}
	return vm.Wait()
}

// VM is a running guest.
type VM struct {
	cmd  *exec.Cmd
	mu   sync.Mutex
	out  bytes.Buffer
	done chan struct{}
	err  error
}

func (v *VM) Write(p []byte) (int, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.out.Write(p)
}

// Console is the serial console so far.
func (v *VM) Console() string {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.out.String()
}

// Start boots the image under qemu (TCG) in the background. With sshPort
// > 0 the guest gets an e1000 NIC on qemu's user network and the host's
// 127.0.0.1:sshPort is forwarded to the guest's port 22.
func Start(ctx context.Context, k *Kernel, initramfs string, sshPort int) (*VM, error) {
	netArgs := []string{"-net", "none"}
	if sshPort > 0 {
		netArgs = []string{"-nic", fmt.Sprintf("user,model=e1000,hostfwd=tcp:127.0.0.1:%d-:22", sshPort)}
	}
	args := append([]string{"-accel", "tcg", "-m", "768", "-smp", "2", "-nographic", "-no-reboot"}, netArgs...)
	args = append(args, "-kernel", k.Vmlinuz, "-initrd", initramfs, "-append", "console=ttyS0 quiet panic=-1 rdinit=/init")
	v := &VM{done: make(chan struct{})}
	v.cmd = exec.CommandContext(ctx, "qemu-system-x86_64", args...)
	v.cmd.Stdout, v.cmd.Stderr = v, v
	if err := v.cmd.Start(); err != nil {
		return nil, err
	}
	go func() {
		v.err = v.cmd.Wait()
		close(v.done)
	}()
	return v, nil
}

// WaitFor waits until the console shows marker (true), or the guest has
// stopped or ctx is done (false).
func (v *VM) WaitFor(ctx context.Context, marker string) bool {
	for {
		if strings.Contains(v.Console(), marker) {
			return true
		}
		select {
		case <-v.done:
			return strings.Contains(v.Console(), marker)
		case <-ctx.Done():
			return false
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// Wait waits for the guest to power off and returns the console.
func (v *VM) Wait() (string, error) {
	<-v.done
	return v.Console(), v.err
}

// Result is one test inside the VM.
type Result struct {
	Name   string
	Passed bool
	Output []string
}

var resultLine = regexp.MustCompile(`^\s*--- (PASS|FAIL|SKIP): (\S+) \(`)

// Parse reads `go test -v` output from the console: one Result per test
// and subtest, with the lines logged under it.
func Parse(console string) (results []Result, done bool) {
	sc := bufio.NewScanner(strings.NewReader(console))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	var pending []string
	for sc.Scan() {
		l := strings.TrimRight(sc.Text(), "\r")
		if strings.Contains(l, "VMLAB: DONE") {
			done = true
		}
		if m := resultLine.FindStringSubmatch(l); m != nil {
			results = append(results, Result{Name: m[2], Passed: m[1] != "FAIL", Output: pending})
			pending = nil
			continue
		}
		if strings.HasPrefix(strings.TrimSpace(l), "vm_test.go:") || strings.HasPrefix(l, "    ") {
			pending = append(pending, l)
		}
	}
	return results, done
}

// Deadline is a generous bound for one boot with its tests.
const Deadline = 9 * time.Minute
