//go:build linux

package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/bondaudit/bondaudit/internal/needtool"
)

// Output files go through internal/atomicfile; these tests hold the CLI to
// it for -o and --save-baseline (issue 12, item 3).

// noTempFiles fails when a temporary file is left in dir.
func noTempFiles(t *testing.T, dir string) {
	t.Helper()
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.Contains(e.Name(), "bondaudit-tmp") || strings.Contains(e.Name(), ".tmp") {
			t.Errorf("temporary file left in %s: %s", dir, e.Name())
		}
	}
}

// TestOutputDevNullStaysADevice: -o /dev/null (as root, the old writer
// renamed a 0600 regular file over it) discards the report and leaves the
// device alone. Harmless as any user; it matters as root.
func TestOutputDevNullStaysADevice(t *testing.T) {
	code, stdout, errs := runCLI(t, "demo", "--format", "json", "-o", "/dev/null")
	if code == 2 || stdout != "" {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, stdout, errs)
	}
	fi, err := os.Lstat("/dev/null")
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode()&os.ModeCharDevice == 0 || fi.Mode().Perm() != 0o666 {
		t.Fatalf("/dev/null is now %v", fi.Mode())
	}
	// --save-baseline goes through the same writer.
	if code, _, errs := runCLI(t, "demo", "--save-baseline", "/dev/null", "-o", "/dev/null"); code == 2 {
		t.Fatalf("--save-baseline /dev/null: %s", errs)
	}
	if fi, _ := os.Lstat("/dev/null"); fi.Mode()&os.ModeCharDevice == 0 {
		t.Fatalf("/dev/null is now %v", fi.Mode())
	}
}

func TestOutputToFIFO(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "report.pipe")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	got := make(chan []byte, 1)
	go func() {
		f, err := os.Open(fifo)
		if err != nil {
			got <- []byte(err.Error())
			return
		}
		b, _ := io.ReadAll(f)
		f.Close()
		got <- b
	}()
	code, _, errs := runCLI(t, "demo", "--format", "json", "-o", fifo)
	if code == 2 {
		t.Fatalf("exit 2: %s", errs)
	}
	select {
	case b := <-got:
		if !json.Valid(b) || !strings.Contains(string(b), `"bondaudit.report/v1"`) {
			t.Errorf("reader got %.200q", b)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the FIFO's reader got nothing")
	}
	if fi, _ := os.Lstat(fifo); fi.Mode()&os.ModeNamedPipe == 0 {
		t.Errorf("FIFO replaced by %v", fi.Mode())
	}
	noTempFiles(t, dir)
}

func TestOutputToSymlinkReplacesTarget(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "reports", "2026-11-25.json")
	os.Mkdir(filepath.Dir(target), 0o755)
	if err := os.WriteFile(target, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "latest.json")
	if err := os.Symlink("reports/2026-11-25.json", link); err != nil {
		t.Fatal(err)
	}
	if code, _, errs := runCLI(t, "demo", "--format", "json", "-o", link); code == 2 {
		t.Fatalf("exit 2: %s", errs)
	}
	fi, err := os.Lstat(link)
	if err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("the link is gone: %v %v", fi, err)
	}
	if b, _ := os.ReadFile(target); !json.Valid(b) {
		t.Errorf("target not replaced by the report: %.100q", b)
	}
	noTempFiles(t, dir)
	noTempFiles(t, filepath.Dir(target))
}

func TestOutputKeepsModeOfExistingFile(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "report.txt")
	base := filepath.Join(dir, "baseline.json")
	for _, p := range []string{out, base} {
		if err := os.WriteFile(p, []byte("old"), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(p, 0o640); err != nil {
			t.Fatal(err)
		}
	}
	if code, _, errs := runCLI(t, "demo", "-o", out, "--save-baseline", base); code == 2 {
		t.Fatalf("exit 2: %s", errs)
	}
	for _, p := range []string{out, base} {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode() != 0o640 {
			t.Errorf("%s: mode %v, want the old -rw-r-----", filepath.Base(p), fi.Mode())
		}
		if b, _ := os.ReadFile(p); string(b) == "old" {
			t.Errorf("%s not written", filepath.Base(p))
		}
	}
}

func TestOutputNewFileIs0644UnderUmask022(t *testing.T) {
	old := syscall.Umask(0o022)
	defer syscall.Umask(old)
	dir := t.TempDir()
	out, base := filepath.Join(dir, "bondaudit.prom"), filepath.Join(dir, "baseline.json")
	if code, _, errs := runCLI(t, "demo", "--format", "prom", "-o", out, "--save-baseline", base); code == 2 {
		t.Fatalf("exit 2: %s", errs)
	}
	for _, p := range []string{out, base} {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode() != 0o644 {
			t.Errorf("%s: mode %v, want -rw-r--r--", filepath.Base(p), fi.Mode())
		}
	}
}

// TestOutputErrorNamesTarget: a folder the report cannot be written into
// gives exit 2 and a message naming -o's file, not a temporary one.
func TestOutputErrorNamesTarget(t *testing.T) {
	dir := t.TempDir()
	var out string
	if os.Geteuid() == 0 {
		// root writes into read-only folders; a file where the folder
		// should be fails for real.
		os.WriteFile(filepath.Join(dir, "reports"), nil, 0o644)
		out = filepath.Join(dir, "reports", "report.json")
	} else {
		os.Mkdir(filepath.Join(dir, "reports"), 0o500)
		out = filepath.Join(dir, "reports", "report.json")
	}
	code, _, errs := runCLI(t, "demo", "--format", "json", "-o", out)
	if code != 2 || !strings.Contains(errs, "-o: writing "+out+": ") || strings.Contains(errs, "bondaudit-tmp") {
		t.Errorf("exit %d, stderr %q: want 2 and the target named, no temporary name", code, errs)
	}
	code, _, errs = runCLI(t, "demo", "--save-baseline", out)
	if code != 2 || !strings.Contains(errs, "--save-baseline: writing "+out+": ") || strings.Contains(errs, "bondaudit-tmp") {
		t.Errorf("--save-baseline: exit %d, stderr %q", code, errs)
	}
}

// TestOutputRemovesTempFilesOfKilledRun: a run killed between creating its
// temporary file and the rename leaves it; the next run into the folder
// removes it.
func TestOutputRemovesTempFilesOfKilledRun(t *testing.T) {
	dir := t.TempDir()
	cmd := exec.Command("true")
	if err := cmd.Run(); err != nil {
		t.Skip(err)
	}
	if err := syscall.Kill(cmd.Process.Pid, 0); err == nil {
		t.Skip("pid reused already")
	}
	stale := filepath.Join(dir, fmt.Sprintf(".report.json.bondaudit-tmp-%d-5eed", cmd.Process.Pid))
	if err := os.WriteFile(stale, []byte(`{"half`), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, _, errs := runCLI(t, "demo", "--format", "json", "-o", filepath.Join(dir, "report.json")); code == 2 {
		t.Fatalf("exit 2: %s", errs)
	}
	if _, err := os.Lstat(stale); err == nil {
		t.Errorf("temporary file of the killed run still there")
	}
}

// promDir is a folder user nobody can enter (t.TempDir's parents are 0700).
func promDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "bondaudit-prom-")
	if err != nil {
		t.Fatal(err)
	}
	os.Chmod(dir, 0o755)
	t.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

// TestPromOutputReadableByOtherUser: node_exporter runs as its own user;
// a .prom written by a root audit must be readable by it (the old writer
// left every output 0600).
func TestPromOutputReadableByOtherUser(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to read the file as another user")
	}
	setpriv := needtool.Need(t, "util-linux", "setpriv")
	old := syscall.Umask(0o022)
	defer syscall.Umask(old)
	out := filepath.Join(promDir(t), "bondaudit.prom")
	if code, _, errs := runCLI(t, "demo", "--format", "prom", "-o", out); code == 2 {
		t.Fatalf("exit 2: %s", errs)
	}
	b, err := exec.Command(setpriv, "--reuid=65534", "--regid=65534", "--clear-groups", "cat", out).CombinedOutput()
	if err != nil || !strings.Contains(string(b), "bondaudit_hosts") {
		t.Errorf("user nobody cannot read %s: %v\n%.300s", out, err, b)
	}
}

// TestPromOutputScrapedByNodeExporter: the real consumer, node_exporter's
// textfile collector running as nobody, reads the .prom a root audit
// wrote, without a scrape error.
func TestPromOutputScrapedByNodeExporter(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to run node_exporter as another user")
	}
	needtool.Need(t, "prometheus-node-exporter", "prometheus-node-exporter")
	old := syscall.Umask(0o022)
	defer syscall.Umask(old)
	dir := promDir(t)
	if code, _, errs := runCLI(t, "demo", "--format", "prom", "-o", filepath.Join(dir, "bondaudit.prom")); code == 2 {
		t.Fatalf("exit 2: %s", errs)
	}
	body, logs := scrapeTextfiles(t, dir)
	if !strings.Contains(body, "\nnode_textfile_scrape_error 0\n") {
		t.Errorf("textfile scrape error:\n%s\nlogs:\n%s", grepLines(body, "textfile"), logs)
	}
	if !strings.Contains(body, "\nbondaudit_hosts{site=\"demo\"} ") {
		t.Errorf("no bondaudit metric in the scrape:\n%.2000s", body)
	}
}

// scrapeTextfiles runs node_exporter's textfile collector on dir as user
// nobody, listening on loopback, and returns one scrape of its /metrics
// (starting with a newline, so "\nname" finds a line) and its logs. The
// caller needs root and the exporter (needtool).
func scrapeTextfiles(t *testing.T, dir string) (body, logs string) {
	t.Helper()
	exporter := needtool.Need(t, "prometheus-node-exporter", "prometheus-node-exporter")
	setpriv := needtool.Need(t, "util-linux", "setpriv")
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	cmd := exec.Command(setpriv, "--reuid=65534", "--regid=65534", "--clear-groups", exporter,
		"--web.listen-address="+addr, "--collector.disable-defaults", "--collector.textfile",
		"--collector.textfile.directory="+dir)
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// the logs are read once the exporter is gone (its output is copied
	// into out by another goroutine until then)
	stop := func() string {
		cmd.Process.Kill()
		cmd.Wait()
		return out.String()
	}
	client := &http.Client{Timeout: 5 * time.Second}
	for deadline := time.Now().Add(20 * time.Second); ; {
		resp, err := client.Get("http://" + addr + "/metrics")
		if err == nil {
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			return "\n" + string(b), stop()
		}
		if time.Now().After(deadline) {
			t.Fatalf("node_exporter did not answer on %s: %v\n%s", addr, err, stop())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func grepLines(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
