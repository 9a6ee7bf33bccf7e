package main

import (
	"bytes"
	"debug/buildinfo"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/bondaudit/bondaudit/internal/dottest"
	"github.com/bondaudit/bondaudit/internal/needtool"
)

// Issue 12 item 1: bondaudit runs no code from a folder another user can
// write. go-graphviz compiled a WebAssembly Graphviz in init(), for every
// command, and cached the native code in $TMPDIR/go-graphviz, checked only
// by a CRC: whoever made that folder ran code as the next root run, and a
// second user got a panic (permission denied) on every command. SVG now
// runs the system's dot, only when an SVG is drawn, and caches nothing.

// linkedOut are the modules that must not be in the binary.
var linkedOut = []string{"github.com/goccy/go-graphviz", "github.com/tetratelabs/wazero"}

// buildBondaudit builds the bondaudit command into dir and returns its path
// (mode 0755). BONDAUDIT_TEST_BINARY names a binary to copy instead, to run
// these tests against another build (an older one, say).
func buildBondaudit(t *testing.T, dir string) string {
	t.Helper()
	bin := filepath.Join(dir, "bondaudit")
	src := os.Getenv("BONDAUDIT_TEST_BINARY")
	if src == "" {
		src = sharedBinary(t)
	}
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bin, b, 0o755); err != nil {
		t.Fatal(err)
	}
	os.Chmod(bin, 0o755)
	return bin
}

// TestBinaryLinksNoGraphvizOrWazero: the built bondaudit holds neither
// go-graphviz nor wazero, by its build information and by its bytes (their
// package paths are in any binary that links them).
func TestBinaryLinksNoGraphvizOrWazero(t *testing.T) {
	bin := buildBondaudit(t, t.TempDir())
	info, err := buildinfo.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	if info.Main.Path != "github.com/bondaudit/bondaudit" {
		t.Fatalf("built %q, not bondaudit", info.Main.Path)
	}
	for _, d := range info.Deps {
		if slices.Contains(linkedOut, d.Path) {
			t.Errorf("the binary links %s %s", d.Path, d.Version)
		}
	}
	b, err := os.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range linkedOut {
		if bytes.Contains(b, []byte(m+"/")) || bytes.Contains(b, []byte(m+".")) {
			t.Errorf("the binary names %s", m)
		}
	}
}

// TestNoCodeFromATMPDIROthersCanWrite runs the built binary as root and
// then as nobody (setpriv) with TMPDIR set to folders holding what
// go-graphviz's init() used: a go-graphviz cache that another user made,
// full of hostile files; the one a root run of the old bondaudit left in a
// shared /tmp (owned by root, where it panicked for every other user); and
// a go-graphviz that is a symbolic link to a root folder (where the old
// code wrote its cache as root). --help, rules, demo and diagram --format
// svg must succeed; nothing under those folders may be opened, created or
// changed (watched with inotify, and compared byte for byte with its
// mtimes). The real cache file name hashes the CPU's features, so rather
// than guess it the test lets no file there be opened at all.
func TestNoCodeFromATMPDIROthersCanWrite(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root: runs bondaudit as root and as nobody (setpriv), beside folders owned by nobody")
	}
	setpriv := needtool.Need(t, "util-linux", "setpriv")
	dottest.Need(t)
	// nobody must reach the binary: t.TempDir's parents are 0700.
	dir, err := os.MkdirTemp("", "bondaudit-privsep-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	must(t, os.Chmod(dir, 0o755))
	bin := buildBondaudit(t, dir)

	const nobody = 65534
	cacheDir := "wazero-v1.10.1-amd64-linux"
	hostile := map[string][]byte{
		// The file the old bondaudit loaded on this project's CI machine
		// kind (the name hashes the CPU's features: elsewhere the watch
		// catches it under its own name).
		"go-graphviz/" + cacheDir + "/65d05e8bbea8a6610d0686e4cb2ab62ff93a257de48b3587eb75f15ddf3c84ca": bytes.Repeat([]byte{0xcc}, 4096),
		"go-graphviz/" + cacheDir + "/payload.sh":                                                       []byte("#!/bin/sh\ntouch /tmp/bondaudit-pwned\n"),
		"go-graphviz/graphviz.wasm":                                                                     []byte("\x00asm\x01\x00\x00\x00hostile"),
	}
	mkTree := func(root string, uid int, rootMode fs.FileMode) {
		must(t, os.Mkdir(root, 0o755))
		for name, content := range hostile {
			p := filepath.Join(root, name)
			must(t, os.MkdirAll(filepath.Dir(p), 0o755))
			must(t, os.WriteFile(p, content, 0o755))
		}
		must(t, filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			return os.Lchown(p, uid, uid)
		}))
		must(t, os.Chmod(root, rootMode))
	}
	// TMPDIR of nobody, who planted a cache (0777: anyone could have).
	ofNobody := filepath.Join(dir, "tmp-of-nobody")
	mkTree(ofNobody, nobody, 0o755)
	must(t, os.Chmod(filepath.Join(ofNobody, "go-graphviz"), 0o777))
	// A shared /tmp after a root run of the old bondaudit.
	shared := filepath.Join(dir, "tmp-shared")
	mkTree(shared, 0, 0o755)
	must(t, os.Chmod(shared, 0o777|fs.ModeSticky))
	// go-graphviz planted by nobody as a link to a folder of root's.
	linked := filepath.Join(dir, "tmp-linked")
	victim := filepath.Join(dir, "root-only")
	must(t, os.Mkdir(linked, 0o755))
	must(t, os.Mkdir(victim, 0o755))
	must(t, os.WriteFile(filepath.Join(victim, "config"), []byte("root's\n"), 0o644))
	must(t, os.Symlink(victim, filepath.Join(linked, "go-graphviz")))
	must(t, os.Lchown(filepath.Join(linked, "go-graphviz"), nobody, nobody))
	must(t, os.Chown(linked, nobody, nobody))

	watched := []string{ofNobody, shared, linked, victim}
	w := newTreeWatch(t, watched...)
	before := map[string]string{}
	for _, root := range watched {
		before[root] = snapshot(t, root)
	}

	users := []struct {
		name   string
		prefix []string
	}{
		{"root", nil},
		{"nobody", []string{setpriv, fmt.Sprintf("--reuid=%d", nobody), fmt.Sprintf("--regid=%d", nobody), "--clear-groups"}},
	}
	for _, tmp := range []string{ofNobody, shared, linked} {
		for _, u := range users {
			for _, args := range [][]string{{"--help"}, {"rules"}, {"demo"}, {"diagram", "--demo", "--format", "svg"}} {
				what := fmt.Sprintf("TMPDIR=%s, as %s: bondaudit %s", filepath.Base(tmp), u.name, strings.Join(args, " "))
				w.drain()
				argv := append(slices.Clone(u.prefix), append([]string{bin}, args...)...)
				cmd := exec.Command(argv[0], argv[1:]...)
				cmd.Dir = dir
				cmd.Env = append(os.Environ(), "TMPDIR="+tmp)
				var stdout, stderr bytes.Buffer
				cmd.Stdout, cmd.Stderr = &stdout, &stderr
				if err := cmd.Run(); err != nil {
					t.Errorf("%s: %v\n%s", what, err, tailOf(stderr.String(), 2000))
				}
				if strings.Contains(stderr.String(), "panic") {
					t.Errorf("%s panics:\n%s", what, tailOf(stderr.String(), 2000))
				}
				if args[0] == "diagram" && !strings.Contains(stdout.String(), "</svg>") {
					t.Errorf("%s wrote no SVG", what)
				}
				if ev := w.events(); len(ev) > 0 {
					t.Errorf("%s touched the folders it must not:\n%s", what, strings.Join(ev, "\n"))
				}
				for _, root := range watched {
					if now := snapshot(t, root); now != before[root] {
						t.Errorf("%s changed %s:\nbefore:\n%s\nafter:\n%s", what, root, before[root], now)
						before[root] = now
					}
				}
			}
		}
	}
	if _, err := os.Lstat("/tmp/bondaudit-pwned"); err == nil {
		t.Error("the hostile payload ran")
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func tailOf(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}

// snapshot describes every entry under root: path, type and mode, owner,
// mtime and content (or link target).
func snapshot(t *testing.T, root string) string {
	t.Helper()
	var b strings.Builder
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		fi, err := os.Lstat(p)
		if err != nil {
			return err
		}
		st := fi.Sys().(*syscall.Stat_t)
		fmt.Fprintf(&b, "%s %v %d:%d mtime=%d.%09d", p, fi.Mode(), st.Uid, st.Gid, st.Mtim.Sec, st.Mtim.Nsec)
		switch {
		case fi.Mode()&fs.ModeSymlink != 0:
			target, err := os.Readlink(p)
			if err != nil {
				return err
			}
			fmt.Fprintf(&b, " -> %s", target)
		case fi.Mode().IsRegular():
			content, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			fmt.Fprintf(&b, " %q", content)
		}
		b.WriteString("\n")
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// treeWatch reports, with inotify, every open, access, change, creation
// and deletion of an entry of the folders under its roots (symbolic links
// not followed) and of the roots themselves.
type treeWatch struct {
	t   *testing.T
	fd  int
	dir map[int]string
}

func newTreeWatch(t *testing.T, roots ...string) *treeWatch {
	t.Helper()
	fd, err := unix.InotifyInit1(unix.IN_NONBLOCK | unix.IN_CLOEXEC)
	if err != nil {
		t.Fatalf("inotify: %v", err)
	}
	t.Cleanup(func() { unix.Close(fd) })
	w := &treeWatch{t: t, fd: fd, dir: map[int]string{}}
	for _, root := range roots {
		must(t, filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || !d.IsDir() {
				return err
			}
			wd, err := unix.InotifyAddWatch(fd, p, unix.IN_ALL_EVENTS|unix.IN_DONT_FOLLOW)
			if err != nil {
				return fmt.Errorf("inotify watch %s: %w", p, err)
			}
			w.dir[wd] = p
			return nil
		}))
	}
	return w
}

// events returns what happened since the last call, one line each.
func (w *treeWatch) events() []string {
	var out []string
	buf := make([]byte, 64<<10)
	for {
		n, err := unix.Read(w.fd, buf)
		if errors.Is(err, unix.EAGAIN) || n <= 0 {
			return out
		}
		if err != nil && !errors.Is(err, io.EOF) {
			w.t.Fatalf("inotify read: %v", err)
		}
		for off := 0; off+unix.SizeofInotifyEvent <= n; {
			ev := (*unix.InotifyEvent)(unsafe.Pointer(&buf[off]))
			name := string(bytes.TrimRight(buf[off+unix.SizeofInotifyEvent:off+unix.SizeofInotifyEvent+int(ev.Len)], "\x00"))
			out = append(out, fmt.Sprintf("%s: %s", filepath.Join(w.dir[int(ev.Wd)], name), inotifyMask(ev.Mask)))
			off += unix.SizeofInotifyEvent + int(ev.Len)
		}
	}
}

// drain forgets what happened so far (the test's own snapshots).
func (w *treeWatch) drain() { w.events() }

func inotifyMask(m uint32) string {
	var names []string
	for _, f := range []struct {
		bit  uint32
		name string
	}{
		{unix.IN_ACCESS, "read"}, {unix.IN_MODIFY, "written"}, {unix.IN_ATTRIB, "attributes changed"},
		{unix.IN_CLOSE_WRITE, "closed after writing"}, {unix.IN_CLOSE_NOWRITE, "closed"}, {unix.IN_OPEN, "opened"},
		{unix.IN_MOVED_FROM, "moved away"}, {unix.IN_MOVED_TO, "moved in"}, {unix.IN_CREATE, "created"},
		{unix.IN_DELETE, "deleted"}, {unix.IN_DELETE_SELF, "folder deleted"}, {unix.IN_MOVE_SELF, "folder moved"},
		{unix.IN_ISDIR, "(folder)"},
	} {
		if m&f.bit != 0 {
			names = append(names, f.name)
		}
	}
	return strings.Join(names, ", ")
}
