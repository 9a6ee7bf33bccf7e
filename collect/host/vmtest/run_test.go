//go:build !vmtest

package vmtest

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bondaudit/bondaudit/internal/vmlab"
)

// TestInVM builds this package's vmtest binary, boots Debian's kernel under
// qemu with it, and reports every in-VM test and subtest as a subtest here,
// so `go test` counts them.
func TestInVM(t *testing.T) {
	k := vmlab.Need(t)
	// Read the in-VM sources so go test's cache knows this result depends
	// on them (they are built by a child go process it does not watch).
	for _, f := range []string{"vm_test.go", "../live_linux.go", "../capture.go", "../l2.go"} {
		if _, err := os.ReadFile(f); err != nil {
			t.Fatal(err)
		}
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "host.test")
	build := exec.Command("go", "test", "-c", "-tags", "vmtest", "-o", bin, ".")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the in-VM tests: %v\n%s", err, out)
	}
	im, err := vmlab.NewImage(k)
	if err != nil {
		t.Fatal(err)
	}
	if err := im.AddFile(bin, "/tests/host.test", 0o755); err != nil {
		t.Fatal(err)
	}
	im.AddBytes("/init", []byte(vmlab.Init), 0o755)
	initrd := filepath.Join(dir, "initramfs.cpio.gz")
	f, err := os.Create(initrd)
	if err != nil {
		t.Fatal(err)
	}
	if err := im.Write(f); err != nil {
		t.Fatal(err)
	}
	f.Close()
	ctx, cancel := context.WithTimeout(context.Background(), vmlab.Deadline)
	defer cancel()
	console, err := vmlab.Boot(ctx, k, initrd)
	os.WriteFile(filepath.Join(os.TempDir(), "bondaudit-vm-console.log"), []byte(console), 0o644)
	results, done := vmlab.Parse(console)
	if !done || len(results) == 0 {
		tail := console
		if len(tail) > 6000 {
			tail = tail[len(tail)-6000:]
		}
		t.Fatalf("the VM did not finish its tests (qemu: %v); console tail:\n%s", err, tail)
	}
	for _, r := range results {
		t.Run(strings.ReplaceAll(r.Name, "/", "-"), func(t *testing.T) {
			for _, l := range r.Output {
				t.Log(l)
			}
			if !r.Passed {
				t.Error("failed inside the VM")
			}
		})
	}
	if !strings.Contains(console, "VMLAB: rc=0") {
		t.Error("the in-VM test binary exited non-zero")
	}
}
