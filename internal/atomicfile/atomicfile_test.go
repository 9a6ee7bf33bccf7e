//go:build linux

package atomicfile

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

func readString(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// noTemp fails when a temporary file is left in dir.
func noTemp(t *testing.T, dir string) {
	t.Helper()
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.Contains(e.Name(), tmpMarker) {
			t.Errorf("temporary file left behind: %s", e.Name())
		}
	}
}

func TestNewFileIs0644MinusUmask(t *testing.T) {
	for _, tc := range []struct {
		umask int
		want  os.FileMode
	}{{0o022, 0o644}, {0o027, 0o640}, {0o077, 0o600}} {
		dir := t.TempDir()
		p := filepath.Join(dir, "out.prom")
		old := syscall.Umask(tc.umask)
		err := WriteFile(p, []byte("x 1\n"))
		syscall.Umask(old)
		if err != nil {
			t.Fatal(err)
		}
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode() != tc.want {
			t.Errorf("umask %03o: new file mode %v, want %v", tc.umask, fi.Mode(), tc.want)
		}
		noTemp(t, dir)
	}
}

func TestExistingFileKeepsModeAndOwner(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "report.json")
	if err := os.WriteFile(p, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(p, 0o640); err != nil {
		t.Fatal(err)
	}
	root := os.Geteuid() == 0
	if root {
		if err := os.Chown(p, 65534, 65534); err != nil {
			t.Fatal(err)
		}
	}
	if err := WriteFile(p, []byte("new")); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode() != 0o640 {
		t.Errorf("mode %v, want the old -rw-r-----", fi.Mode())
	}
	if got := readString(t, p); got != "new" {
		t.Errorf("content %q", got)
	}
	if root {
		st := fi.Sys().(*syscall.Stat_t)
		if st.Uid != 65534 || st.Gid != 65534 {
			t.Errorf("owner %d:%d, want the old 65534:65534", st.Uid, st.Gid)
		}
	}
	noTemp(t, dir)
}

func TestSymlinkTargetReplacedLinkKept(t *testing.T) {
	dir := t.TempDir()
	real := filepath.Join(dir, "data", "report.txt")
	if err := os.Mkdir(filepath.Dir(real), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(real, []byte("old"), 0o640); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "current.txt")
	if err := os.Symlink("data/report.txt", link); err != nil { // relative
		t.Fatal(err)
	}
	link2 := filepath.Join(dir, "latest.txt") // a link to a link
	if err := os.Symlink(link, link2); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(link2, []byte("new")); err != nil {
		t.Fatal(err)
	}
	for _, l := range []string{link, link2} {
		fi, err := os.Lstat(l)
		if err != nil || fi.Mode()&os.ModeSymlink == 0 {
			t.Errorf("%s is no longer a symlink: %v %v", l, fi, err)
		}
	}
	if got := readString(t, real); got != "new" {
		t.Errorf("target content %q", got)
	}
	if fi, _ := os.Stat(real); fi.Mode() != 0o640 {
		t.Errorf("target mode %v, want the old 0640", fi.Mode())
	}
	noTemp(t, dir)
	noTemp(t, filepath.Dir(real))

	// A dangling link creates its target.
	dangling := filepath.Join(dir, "next.txt")
	if err := os.Symlink("data/new.txt", dangling); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(dangling, []byte("created")); err != nil {
		t.Fatal(err)
	}
	if got := readString(t, filepath.Join(dir, "data", "new.txt")); got != "created" {
		t.Errorf("dangling link target: %q", got)
	}
	if fi, err := os.Lstat(dangling); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("dangling link replaced: %v %v", fi, err)
	}

	// A loop is an error naming the link.
	loop := filepath.Join(dir, "loop")
	os.Symlink("loop", loop)
	if err := WriteFile(loop, []byte("x")); err == nil || !strings.Contains(err.Error(), loop) {
		t.Errorf("symlink loop: %v", err)
	}
}

func TestDeviceWrittenInPlace(t *testing.T) {
	if err := WriteFile("/dev/null", []byte("discarded\n")); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Lstat("/dev/null")
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode()&os.ModeCharDevice == 0 {
		t.Fatalf("/dev/null is now %v", fi.Mode())
	}
	// A failed write to a device names it: /dev/full is always full.
	err = WriteFile("/dev/full", []byte("x"))
	if !errors.Is(err, syscall.ENOSPC) || !strings.Contains(err.Error(), "writing /dev/full: write:") {
		t.Errorf("/dev/full: %v", err)
	}
	if fi, _ := os.Lstat("/dev/full"); fi.Mode()&os.ModeCharDevice == 0 {
		t.Fatalf("/dev/full is now %v", fi.Mode())
	}
}

func TestFIFO(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "pipe")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	got := make(chan string, 1)
	// read reads the FIFO once; it closes it before saying what it got, so
	// that the next write does not find this reader still there.
	read := func(delay time.Duration) {
		time.Sleep(delay)
		f, err := os.Open(fifo)
		if err != nil {
			got <- err.Error()
			return
		}
		b, _ := io.ReadAll(f)
		f.Close()
		got <- string(b)
	}
	go read(0)
	want := strings.Repeat("0123456789abcdef", 20000) // more than a pipe holds
	if err := WriteFile(fifo, []byte(want)); err != nil {
		t.Fatal(err)
	}
	select {
	case s := <-got:
		if s != want {
			t.Errorf("reader got %d bytes, want %d", len(s), len(want))
		}
	case <-time.After(10 * time.Second):
		t.Fatal("reader got nothing")
	}
	if fi, _ := os.Lstat(fifo); fi.Mode()&os.ModeNamedPipe == 0 {
		t.Errorf("FIFO is now %v", fi.Mode())
	}

	// A reader that comes late (within FIFOWait) still gets the bytes.
	go read(200 * time.Millisecond)
	if err := WriteFile(fifo, []byte("late")); err != nil {
		t.Fatal(err)
	}
	if s := <-got; s != "late" {
		t.Errorf("late reader got %q", s)
	}

	// No reader: an error naming the FIFO after FIFOWait, not a hang.
	defer func(d time.Duration) { FIFOWait = d }(FIFOWait)
	FIFOWait = 100 * time.Millisecond
	start := time.Now()
	err := WriteFile(fifo, []byte("x"))
	if err == nil || !strings.Contains(err.Error(), "writing "+fifo) || !strings.Contains(err.Error(), "for reading") {
		t.Errorf("FIFO without reader: %v", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %s", d)
	}
}

// TestDevFdWrittenInPlace: -o /dev/stdout or /dev/fd/N names an open
// descriptor; it is written through, never resolved and replaced.
func TestDevFdWrittenInPlace(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	p := fmt.Sprintf("/dev/fd/%d", w.Fd())
	if err := WriteFile(p, []byte("through the pipe")); err != nil {
		t.Fatal(err)
	}
	w.Close()
	b, _ := io.ReadAll(r)
	if string(b) != "through the pipe" {
		t.Errorf("pipe got %q", b)
	}

	// A descriptor open on a regular file is appended to, not replaced.
	f, err := os.CreateTemp(t.TempDir(), "out")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	f.WriteString("first\n")
	if err := WriteFile(fmt.Sprintf("/proc/self/fd/%d", f.Fd()), []byte("second\n")); err != nil {
		t.Fatal(err)
	}
	if got := readString(t, f.Name()); got != "first\nsecond\n" {
		t.Errorf("file behind the descriptor: %q", got)
	}
}

func TestErrorsNameTheTarget(t *testing.T) {
	dir := t.TempDir()
	var p string
	if os.Geteuid() == 0 {
		// Root writes anywhere; a file where the folder should be fails for real.
		if err := os.WriteFile(filepath.Join(dir, "notadir"), nil, 0o644); err != nil {
			t.Fatal(err)
		}
		p = filepath.Join(dir, "notadir", "report.json")
	} else {
		ro := filepath.Join(dir, "ro")
		if err := os.Mkdir(ro, 0o500); err != nil {
			t.Fatal(err)
		}
		p = filepath.Join(ro, "report.json")
	}
	err := WriteFile(p, []byte("x"))
	if err == nil {
		t.Fatal("no error")
	}
	if !strings.HasPrefix(err.Error(), "writing "+p+": ") || strings.Contains(err.Error(), tmpMarker) {
		t.Errorf("error %q does not name %s (or names the temporary file)", err, p)
	}

	// A failing writer: the error is passed on, the temporary file removed,
	// the old file untouched.
	p = filepath.Join(dir, "kept.txt")
	os.WriteFile(p, []byte("old"), 0o644)
	boom := errors.New("renderer failed")
	err = Write(p, func(w io.Writer) error {
		w.Write([]byte("half"))
		return boom
	})
	if !errors.Is(err, boom) || !strings.Contains(err.Error(), p) {
		t.Errorf("error %v", err)
	}
	if got := readString(t, p); got != "old" {
		t.Errorf("old file now %q", got)
	}
	noTemp(t, dir)

	// A folder is not overwritten.
	if err := WriteFile(dir, []byte("x")); err == nil || !strings.Contains(err.Error(), "is a directory") {
		t.Errorf("folder target: %v", err)
	}
}

// TestStaleTempFilesRemoved: temporary files of a killed run are removed by
// the next write to the folder; a live run's are kept.
func TestStaleTempFilesRemoved(t *testing.T) {
	dir := t.TempDir()
	cmd := exec.Command("true")
	if err := cmd.Run(); err != nil {
		t.Skip(err)
	}
	dead := cmd.Process.Pid
	if pidAlive(dead) {
		t.Skipf("pid %d reused already", dead)
	}
	mk := func(name string, age time.Duration) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte("partial"), 0o600); err != nil {
			t.Fatal(err)
		}
		mt := time.Now().Add(-age)
		os.Chtimes(p, mt, mt)
		return p
	}
	killed := mk(fmt.Sprintf(".report.json.bondaudit-tmp-%d-1a2b3c", dead), 0)
	otherBase := mk(fmt.Sprintf(".other.prom.bondaudit-tmp-%d-ff", dead), 0)
	ancient := mk(".report.json.bondaudit-tmp-1-abc", 2*StaleAfter) // pid 1 lives; the file is too old
	live := mk(".report.json.bondaudit-tmp-1-abd", 0)               // a run in progress
	notOurs := mk(".report.json.tmp123", 24*time.Hour)
	if err := WriteFile(filepath.Join(dir, "report.json"), []byte("{}")); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{killed, otherBase, ancient} {
		if _, err := os.Lstat(p); err == nil {
			t.Errorf("stale %s not removed", filepath.Base(p))
		}
	}
	for _, p := range []string{live, notOurs} {
		if _, err := os.Lstat(p); err != nil {
			t.Errorf("%s removed: %v", filepath.Base(p), err)
		}
	}
}
