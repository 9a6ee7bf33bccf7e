package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// The secret a hostile site tries to copy into reports through symlinks.
const secretText = "BEGIN-SECRET-bondaudit-auth-key-7f3a9c-END"

// writeSecret puts a file outside the site, as /etc/bondaudit/auth.key
// would be, and returns its path.
func writeSecret(t *testing.T) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "auth.key")
	if err := os.WriteFile(p, []byte(secretText+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func replaceWithSymlink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.Remove(link); err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
}

// auditAllFormats audits dir in every report format and returns each output
// (stdout and stderr together) by format.
func auditAllFormats(t *testing.T, dir string, extra ...string) map[string]string {
	t.Helper()
	outs := map[string]string{}
	for _, f := range []string{"text", "json", "markdown", "junit", "sarif", "html", "prom"} {
		_, out, errs := runCLI(t, append([]string{"audit", dir, "--format", f, "--fail-on", "never"}, extra...)...)
		outs[f] = out + errs
	}
	for _, cmd := range [][]string{{"topology", dir}, {"diagram", dir, "--format", "dot"}, {"whatif", dir, "--down", "leaf2"}} {
		_, out, errs := runCLI(t, cmd...)
		outs[cmd[0]] = out + errs
	}
	return outs
}

// A symlink inside the site that points outside it is refused with a NOT
// READ line naming the file; the target's content reaches no output, and
// the rest of the site is still audited.
func TestSiteSymlinksLeavingTheSiteAreNotRead(t *testing.T) {
	secret := writeSecret(t)
	dir := copyDemo(t)
	replaceWithSymlink(t, secret, filepath.Join(dir, "hosts", "web01", "hostname"))
	// A relative link that climbs out of the site.
	rel, err := filepath.Rel(filepath.Join(dir, "hosts", "app01", "bonding"), secret)
	if err != nil {
		t.Fatal(err)
	}
	replaceWithSymlink(t, rel, filepath.Join(dir, "hosts", "app01", "bonding", "bond0"))
	// A whole switch recording replaced by a link to a copy outside.
	outside := filepath.Join(t.TempDir(), "leaf2.snmprec")
	b, err := os.ReadFile(filepath.Join(dir, "switches", "leaf2.snmprec"))
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(outside, append(b, []byte("1.3.6.1.2.1.1.5.0|4|"+secretText+"\n")...), 0o644)
	replaceWithSymlink(t, outside, filepath.Join(dir, "switches", "leaf2.snmprec"))
	// A capture folder that is a link to a folder outside.
	outDir := t.TempDir()
	os.WriteFile(filepath.Join(outDir, "hostname"), []byte(secretText+"\n"), 0o644)
	os.Symlink(outDir, filepath.Join(dir, "hosts", "evil"))
	// /dev/zero would grow memory without bound.
	replaceWithSymlink(t, "/dev/zero", filepath.Join(dir, "hosts", "db01", "lldp.json"))

	for f, out := range auditAllFormats(t, dir) {
		if strings.Contains(out, secretText) {
			t.Errorf("%s output carries the content of a file outside the site", f)
		}
	}
	code, r, errs := auditJSON(t, "audit", dir, "--format", "json", "--fail-on", "never")
	if code != 0 {
		t.Fatalf("exit %d, want 0 (the rest of the site is readable)\n%s", code, errs)
	}
	for _, want := range []string{
		"hosts/web01/hostname: symlink leaves the site",
		"hosts/app01/bonding/bond0: symlink leaves the site",
		"switches/leaf2.snmprec: symlink leaves the site",
		"hosts/evil: symlink leaves the site",
		"hosts/db01/lldp.json: symlink leaves the site",
	} {
		if !anyContains(r.Problems, want) {
			t.Errorf("no NOT READ entry %q in %q", want, r.Problems)
		}
	}
	if r.Summary.Hosts != 8 {
		t.Errorf("%d hosts audited, want the demo's 8", r.Summary.Hosts)
	}
}

// A policy.yaml that is a link out of the site stops the run (a policy
// not read would cry wolf) without quoting what it points to.
func TestSitePolicySymlinkIsNotRead(t *testing.T) {
	secret := writeSecret(t)
	dir := copyDemo(t)
	replaceWithSymlink(t, secret, filepath.Join(dir, "policy.yaml"))
	code, out, errs := runCLI(t, "audit", dir)
	if code != exitFailed {
		t.Errorf("exit %d, want %d", code, exitFailed)
	}
	if strings.Contains(out+errs, secretText) {
		t.Errorf("output carries the linked file's content:\n%s%s", out, errs)
	}
	if !strings.Contains(errs, "policy.yaml: symlink leaves the site") {
		t.Errorf("stderr does not say why policy.yaml was not read:\n%s", errs)
	}
}

// Links that stay inside the site keep working, folders and files alike.
func TestSiteSymlinksInsideTheSiteWork(t *testing.T) {
	dir := copyDemo(t)
	// web02's bonding file lives elsewhere in the site and is linked in.
	os.MkdirAll(filepath.Join(dir, "shared"), 0o755)
	if err := os.Rename(filepath.Join(dir, "hosts", "web02", "bonding", "bond0"), filepath.Join(dir, "shared", "web02-bond0")); err != nil {
		t.Fatal(err)
	}
	os.Symlink("../../../shared/web02-bond0", filepath.Join(dir, "hosts", "web02", "bonding", "bond0"))
	// kvm01's whole capture folder is a link inside the site.
	os.Rename(filepath.Join(dir, "hosts", "kvm01"), filepath.Join(dir, "shared", "kvm01"))
	os.Symlink("../shared/kvm01", filepath.Join(dir, "hosts", "kvm01"))

	_, want, _ := auditJSON(t, "demo", "--format", "json")
	_, got, errs := auditJSON(t, "audit", dir, "--format", "json", "--fail-on", "never")
	if len(got.Problems) != 0 {
		t.Errorf("problems with links inside the site: %q\n%s", got.Problems, errs)
	}
	if got.Summary.Hosts != want.Summary.Hosts || len(got.Findings) != len(want.Findings) || len(got.Links) != len(want.Links) {
		t.Errorf("linked site: %d hosts, %d findings, %d links; demo: %d, %d, %d",
			got.Summary.Hosts, len(got.Findings), len(got.Links), want.Summary.Hosts, len(want.Findings), len(want.Links))
	}
}

// A FIFO, a socket or a device as an input is refused at once (a FIFO
// opened for reading would wait for a writer forever).
func TestSiteSpecialFilesAreNotRead(t *testing.T) {
	dir := copyDemo(t)
	fifo := filepath.Join(dir, "hosts", "web01", "lldp.json")
	os.Remove(fifo)
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	fifoSwitch := filepath.Join(dir, "switches", "access2.snmprec")
	os.Remove(fifoSwitch)
	if err := syscall.Mkfifo(fifoSwitch, 0o644); err != nil {
		t.Fatal(err)
	}
	wantDev := false
	if os.Geteuid() == 0 {
		// The same device as /dev/zero, made inside the site.
		dev := filepath.Join(dir, "hosts", "app02", "ip-link.json")
		os.Remove(dev)
		if err := syscall.Mknod(dev, syscall.S_IFCHR|0o644, 1<<8|5); err == nil {
			wantDev = true
		} else {
			t.Logf("mknod: %v (device case not tested)", err)
		}
	}
	done := make(chan struct{})
	var (
		code int
		r    jsonReport
	)
	go func() {
		defer close(done)
		code, r, _ = auditJSON(t, "audit", dir, "--format", "json", "--fail-on", "never")
	}()
	select {
	case <-done:
	case <-time.After(60 * time.Second):
		// Unblock the reader so the test ends, then fail.
		if f, err := os.OpenFile(fifo, os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
			f.Close()
		}
		if f, err := os.OpenFile(fifoSwitch, os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
			f.Close()
		}
		<-done
		t.Fatal("audit blocked on a FIFO in the site")
	}
	if code != 0 {
		t.Errorf("exit %d, want 0", code)
	}
	want := []string{
		"hosts/web01/lldp.json: not a regular file (a named pipe)",
		"switches/access2.snmprec: not a regular file (a named pipe)",
	}
	if wantDev {
		want = append(want, "hosts/app02/ip-link.json: not a regular file (a character device)")
	}
	for _, w := range want {
		if !anyContains(r.Problems, w) {
			t.Errorf("no NOT READ entry %q in %q", w, r.Problems)
		}
	}
}

// Files over --max-file-size are NOT READ with the size and the cap.
func TestSiteFileSizeCap(t *testing.T) {
	dir := copyDemo(t)
	_, r, _ := auditJSON(t, "audit", dir, "--format", "json", "--fail-on", "never", "--max-file-size", "8KiB")
	if !anyContains(r.Problems, "switches/leaf1a.snmprec: larger than the size cap") ||
		!anyContains(r.Problems, "is larger than 8.0 KiB") {
		t.Errorf("no size-cap NOT READ entry for the demo's recordings (all over 8 KiB): %q", r.Problems)
	}
	if r.Summary.Hosts != 8 {
		t.Errorf("%d hosts read, want 8 (host files are under 8 KiB)", r.Summary.Hosts)
	}
	code, _, errs := runCLI(t, "audit", dir, "--max-file-size", "lots")
	if code != exitFailed || !strings.Contains(errs, "--max-file-size") {
		t.Errorf("a bad --max-file-size: exit %d, stderr %q", code, errs)
	}
}

// A site whose hosts/ or switches/ cannot be listed is not an audit that
// passed: it exits 2 naming the folder, under every --fail-on.
func TestSiteUnlistableFolderFailsTheRun(t *testing.T) {
	cases := map[string]func(t *testing.T, dir string){
		"hosts is a file": func(t *testing.T, dir string) {
			os.RemoveAll(filepath.Join(dir, "hosts"))
			os.WriteFile(filepath.Join(dir, "hosts"), []byte("x"), 0o644)
		},
		"hosts is a symlink loop": func(t *testing.T, dir string) {
			os.RemoveAll(filepath.Join(dir, "hosts"))
			os.Symlink("hosts", filepath.Join(dir, "hosts"))
		},
		"switches leaves the site": func(t *testing.T, dir string) {
			os.RemoveAll(filepath.Join(dir, "switches"))
			os.Symlink(t.TempDir(), filepath.Join(dir, "switches"))
		},
	}
	for name, breakIt := range cases {
		t.Run(name, func(t *testing.T) {
			dir := copyDemo(t)
			breakIt(t, dir)
			for _, failOn := range []string{"error", "never"} {
				code, out, errs := runCLI(t, "audit", dir, "--fail-on", failOn)
				if code != exitFailed {
					t.Errorf("--fail-on %s: exit %d, want %d\n%s%s", failOn, code, exitFailed, out, errs)
				}
				if !strings.Contains(errs, "cannot be listed") {
					t.Errorf("stderr does not say which folder: %q", errs)
				}
			}
		})
	}
}

// Run as an unprivileged user (nobody), a hosts/ folder of mode 000 is
// unreadable for real: the run exits 2 instead of reporting 0 hosts.
func TestSiteUnreadableHostsAsNobody(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to run the binary as nobody with setpriv")
	}
	setpriv, err := exec.LookPath("setpriv")
	if err != nil {
		t.Skip("setpriv (util-linux) not installed")
	}
	base := worldReadableDir(t)
	bin := sharedBinary(t)
	dir := filepath.Join(base, "site")
	copyTree(t, copyDemo(t), dir)
	if err := os.Chmod(filepath.Join(dir, "hosts"), 0); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(setpriv, "--reuid=65534", "--regid=65534", "--clear-groups", bin, "audit", dir, "--fail-on", "never")
	cmd.Env = append(os.Environ(), "HOME=/nonexistent")
	out, err := cmd.CombinedOutput()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	if code != exitFailed || !strings.Contains(string(out), "hosts/ cannot be listed") {
		t.Errorf("as nobody with hosts/ mode 000: exit %d, want 2 naming hosts/\n%s", code, out)
	}
}

func anyContains(list []string, sub string) bool {
	for _, s := range list {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// worldReadableDir is a temp folder every user can enter (t.TempDir's
// parents are 0700), removed after the test.
func worldReadableDir(t *testing.T) string {
	t.Helper()
	d, err := os.MkdirTemp("", "bondaudit-test-*")
	if err != nil {
		t.Fatal(err)
	}
	os.Chmod(d, 0o755)
	t.Cleanup(func() {
		filepath.Walk(d, func(p string, _ os.FileInfo, _ error) error { os.Chmod(p, 0o755); return nil })
		os.RemoveAll(d)
	})
	return d
}

func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.Walk(src, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		to := filepath.Join(dst, rel)
		if info.IsDir() {
			return os.MkdirAll(to, 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(to, b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

var (
	builtOnce sync.Once
	builtBin  string
	builtErr  error
)

// sharedBinary builds this command once per test run into a folder every
// user can read, for tests that run it as another user or in a cgroup.
func sharedBinary(t testing.TB) string {
	t.Helper()
	builtOnce.Do(func() {
		d, err := os.MkdirTemp("", "bondaudit-bin-*")
		if err != nil {
			builtErr = err
			return
		}
		os.Chmod(d, 0o755)
		builtBin = filepath.Join(d, "bondaudit")
		goBin, err := exec.LookPath("go")
		if err != nil {
			builtErr = fmt.Errorf("go tool not on PATH: cannot build the bondaudit binary")
			return
		}
		out, err := exec.Command(goBin, "build", "-o", builtBin, ".").CombinedOutput()
		if err != nil {
			builtErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if builtErr != nil {
		t.Fatal(builtErr)
	}
	return builtBin
}
