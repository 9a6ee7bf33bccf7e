//go:build !vmtest

package vmtest

import (
	"archive/tar"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bondaudit/bondaudit/collect/fleet"
	"github.com/bondaudit/bondaudit/collect/host"
	"github.com/bondaudit/bondaudit/internal/needtool"
	"github.com/bondaudit/bondaudit/internal/vmlab"
	"github.com/bondaudit/bondaudit/rules"
	"github.com/bondaudit/bondaudit/topology"
)

// TestInVM builds this package's vmtest binary, boots Debian's kernel under
// qemu with it, and reports every in-VM test and subtest as a subtest here,
// so `go test` counts them. When this machine has OpenSSH (server and
// client), the guest also runs sshd behind a forwarded loopback port and
// the SSH subtest captures it from here (see TestServeCaptureOverSSH).
func TestInVM(t *testing.T) {
	k := vmlab.Need(t)
	// Read the in-VM sources so go test's cache knows this result depends
	// on them (they are built by a child go process it does not watch).
	for _, f := range []string{"vm_test.go", "agree_vm_test.go", "fix_vm_test.go", "capture.go", "../live_linux.go", "../capture.go", "../l2.go", "../iplink.go", "../lldp.go"} {
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

	// SSH into the guest when this machine can.
	var ssh *vmlab.SSH
	var noSSH string
	for _, tool := range []string{"sshd", "ssh", "ssh-keygen"} {
		if _, err := exec.LookPath(tool); err != nil {
			noSSH = tool + " not installed (Debian openssh-server, openssh-client)"
		}
	}
	if k.E1000 == "" {
		noSSH = "the unpacked kernel has no e1000 module (.ci/vm-kernel.sh unpacks it)"
	}
	port := 0
	if noSSH == "" {
		if port, err = vmlab.FreePort(); err != nil {
			t.Fatal(err)
		}
		keys := filepath.Join(dir, "ssh")
		os.MkdirAll(keys, 0o700)
		if ssh, err = im.AddSSHD(keys, port); err != nil {
			t.Fatal(err)
		}
	}

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
	vm, err := vmlab.Start(ctx, k, initrd, port)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("SSH", func(t *testing.T) {
		if noSSH != "" {
			needtool.Missing(t, noSSH)
		}
		if !vm.WaitFor(ctx, "VMLAB: SSH READY") {
			t.Fatal("the guest never said it was ready to be captured over SSH")
		}
		// Whatever happens here, let the guest go on with its tests.
		defer sshRun(ssh, "touch /run/ssh-done")
		sshCaptureEqualsLocal(t, ssh, t.TempDir())
	})
	console, err := vm.Wait()
	if p := os.Getenv("BONDAUDIT_VM_CONSOLE"); p != "" {
		// The whole console, for a look after the run (the tail is in a
		// failure's message anyway); nothing is left in /tmp otherwise.
		if err := os.WriteFile(p, []byte(console), 0o644); err != nil {
			t.Errorf("BONDAUDIT_VM_CONSOLE: %v", err)
		}
	}
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

// sshRun runs a shell command in the guest with the system's OpenSSH
// client, host key checked against the generated known_hosts.
func sshRun(s *vmlab.SSH, shell string) ([]byte, error) {
	cmd := exec.Command("ssh", append(s.Args(), shell)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return out, errors.New(err.Error() + ": " + strings.TrimSpace(stderr.String()))
	}
	return out, nil
}

// sshCaptureEqualsLocal captures the guest over SSH with the stock
// commands, fetches the capture the guest took of itself, and checks both
// read back to the same bonds, slaves and LACP facts and audit to the same
// findings.
func sshCaptureEqualsLocal(t *testing.T, s *vmlab.SSH, dir string) {
	needtool.Need(t, "openssh-client", "ssh")
	needtool.Need(t, "openssh-server", "sshd")
	// The guest over SSH with bondaudit's fleet collector (what `collect
	// hosts` runs): strict known_hosts, the generated key only.
	res := fleet.Collect(context.Background(), []fleet.Target{{Name: "vm", Addr: s.Addr, Port: s.Port, User: s.User,
		IdentityFiles: []string{s.ClientKey}}}, fleet.Options{Out: filepath.Join(dir, "ssh"), Concurrency: 1,
		KnownHosts: []string{s.KnownHosts}, Home: dir, AgentSocket: "-", ConnectTimeout: 30 * time.Second, Timeout: 2 * time.Minute})
	if len(res) != 1 || res[0].Err != nil {
		t.Fatalf("collecting the guest over SSH with collect/fleet: %+v", res)
	}
	for _, n := range res[0].Notes {
		t.Logf("fleet note: %s", n)
	}
	tarball, err := sshRun(s, "tar -C /run/localcap/vm -cf - .")
	if err != nil {
		t.Fatalf("fetching the guest's own capture: %v", err)
	}
	if err := untar(tarball, filepath.Join(dir, "local", "vm")); err != nil {
		t.Fatal(err)
	}
	read := func(side string) (*topology.Host, []rules.Finding) {
		h, problems, err := host.ReadCaptureFS(os.DirFS(filepath.Join(dir, side)), "vm")
		if err != nil {
			t.Fatalf("%s capture: %v", side, err)
		}
		for _, p := range problems {
			t.Logf("%s capture problem: %s", side, p)
		}
		h.Collected = "" // file times: when each copy was written
		m, err := topology.Build([]*topology.Host{h}, nil, topology.BuildOptions{})
		if err != nil {
			t.Fatal(err)
		}
		return h, rules.Run(m, rules.Params{}, nil)
	}
	sh, sf := read("ssh")
	lh, lf := read("local")
	var lacpSlaves int
	for _, b := range sh.Bonds {
		for _, sl := range b.Slaves {
			if sl.Partner != nil && sl.Partner.System != "" && sl.Partner.System != topology.ZeroMAC {
				lacpSlaves++
			}
		}
	}
	if len(sh.Bonds) < 2 || lacpSlaves < 2 {
		t.Fatalf("the SSH capture holds %d bonds and %d slaves with a LACP partner: want the guest's bonds", len(sh.Bonds), lacpSlaves)
	}
	for _, c := range []struct {
		what string
		a, b any
	}{
		{"bonds (every field, slaves, LACP actor and partner)", sh.Bonds, lh.Bonds},
		{"NICs", sh.NICs, lh.NICs},
		{"bridges and VLAN interfaces", []any{sh.Bridges, sh.VLANs}, []any{lh.Bridges, lh.VLANs}},
		{"findings", sf, lf},
	} {
		a, _ := json.MarshalIndent(c.a, "", " ")
		b, _ := json.MarshalIndent(c.b, "", " ")
		if !bytes.Equal(a, b) {
			t.Errorf("%s: the SSH capture and the guest's own capture differ:\n ssh   %s\n local %s", c.what, a, b)
		}
	}
	t.Logf("over SSH: %d bonds, %d slaves with a LACP partner, %d findings, the same as the guest's own capture", len(sh.Bonds), lacpSlaves, len(sf))
}

func untar(b []byte, dir string) error {
	tr := tar.NewReader(bytes.NewReader(b))
	for {
		hd, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		name := filepath.Clean(hd.Name)
		if name == "." || strings.HasPrefix(name, "..") || filepath.IsAbs(name) {
			continue
		}
		p := filepath.Join(dir, name)
		switch hd.Typeflag {
		case tar.TypeDir:
			if err := os.MkdirAll(p, 0o755); err != nil {
				return err
			}
		case tar.TypeReg:
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				return err
			}
			data, err := io.ReadAll(tr)
			if err != nil {
				return err
			}
			if err := os.WriteFile(p, data, 0o644); err != nil {
				return err
			}
		}
	}
}
