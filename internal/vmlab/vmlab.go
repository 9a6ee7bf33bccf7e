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
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/bondaudit/bondaudit/internal/needtool"
	"time"
)

// DefaultDir is where .ci/run unpacks the Debian kernel (boot/vmlinuz-*,
// lib/modules/*/kernel/...). BONDAUDIT_VM_DIR overrides it.
const DefaultDir = "/tmp/bondaudit-lab/kernel"

// Kernel is an unpacked Debian kernel.
type Kernel struct {
	Version, Vmlinuz, ModDir string
}

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
// busybox, ip or the kernel are missing.
func Need(t testing.TB) *Kernel {
	t.Helper()
	for _, tool := range []struct{ bin, pkg string }{{"qemu-system-x86_64", "qemu-system-x86"}, {"busybox", "busybox-static"}, {"ip", "iproute2"}} {
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
	return im, nil
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
insmod /lib/modules/tls.ko; insmod /lib/modules/bonding.ko max_bonds=0; insmod /lib/modules/veth.ko
for t in /tests/*.test; do
  echo "VMLAB: running $t"
  $t -test.v -test.timeout 240s 2>&1
  echo "VMLAB: rc=$?"
done
echo "VMLAB: DONE"
poweroff -f
`

// Boot runs the image under qemu (TCG: software emulation) and returns
// the serial console.
func Boot(ctx context.Context, k *Kernel, initramfs string) (string, error) {
	cmd := exec.CommandContext(ctx, "qemu-system-x86_64", "-accel", "tcg", "-m", "768", "-smp", "2",
		"-nographic", "-no-reboot", "-net", "none", "-kernel", k.Vmlinuz, "-initrd", initramfs,
		"-append", "console=ttyS0 quiet panic=-1 rdinit=/init")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return out.String(), err
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
const Deadline = 8 * time.Minute
