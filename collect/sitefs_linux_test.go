package collect

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"

	"github.com/bondaudit/bondaudit/collect/host"
)

// oddFolder fills dir with names that stress a getdents64 parser (the
// longest a name may be, UTF-8, dots, spaces, a newline), more entries
// than one 8 KiB getdents64 call returns, and every kind of entry: file,
// folder, symlink inside and out of the site, dangling link, FIFO.
func oddFolder(t *testing.T, dir string) {
	t.Helper()
	names := []string{
		strings.Repeat("n", 255), strings.Repeat("é", 127), "ünïcödé-主机", "...", ".hidden", "a b",
		"new\nline", "-", "z", "0", "tab\tx", strings.Repeat(".", 3) + "x",
	}
	for i := range 300 {
		names = append(names, fmt.Sprintf("f%03d-%s", i, strings.Repeat("x", i%40)))
	}
	for _, n := range names {
		if err := os.WriteFile(filepath.Join(dir, n), []byte(n), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	os.Mkdir(filepath.Join(dir, "sub"), 0o755)
	os.WriteFile(filepath.Join(dir, "sub", "inner"), []byte("inner"), 0o644)
	os.Symlink("sub", filepath.Join(dir, "link-in"))
	os.Symlink("/etc/hostname", filepath.Join(dir, "link-out"))
	os.Symlink("nowhere", filepath.Join(dir, "link-dangling"))
	if err := syscall.Mkfifo(filepath.Join(dir, "fifo"), 0o644); err != nil {
		t.Fatal(err)
	}
}

type listed struct {
	name  string
	typ   fs.FileMode
	isDir bool
	mode  fs.FileMode // Info's, as far as it is the same for both
}

func describe(t *testing.T, entries []fs.DirEntry) []listed {
	t.Helper()
	var out []listed
	for _, e := range entries {
		l := listed{name: e.Name(), typ: e.Type(), isDir: e.IsDir()}
		if st, err := e.Info(); err == nil {
			l.mode = st.Mode()
		} else {
			t.Errorf("%q: Info: %v", e.Name(), err)
		}
		out = append(out, l)
	}
	return out
}

// The getdents64 listing (listFolder) gives what os.File.ReadDir with the
// links resolved gave before (readDirOS), sorted, on a real folder with odd
// names, for a folder opened through the root (SiteDir.ReadDir) and one
// opened at its parent's descriptor (OpenFolder); and ReadDir(n > 0) pages
// through the same listing.
func TestListFolderSameAsOSReadDir(t *testing.T) {
	dir := mkSite(t, nil)
	h := filepath.Join(dir, "hosts", "h")
	os.MkdirAll(h, 0o755)
	oddFolder(t, h)
	s := openSite(t, dir, Limits{})

	f, err := s.Open("hosts/h")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ref := f.(*siteFolder)
	want, err := ref.readDirOS(-1)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.IsSortedFunc(want, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) }) {
		t.Fatal("reference listing not sorted")
	}
	wantD := describe(t, want)

	viaRoot, err := s.ReadDir("hosts/h")
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := viaRoot[0].(*dirEntry); !ok {
		t.Errorf("SiteDir.ReadDir did not list with getdents64 (entry %T)", viaRoot[0])
	}
	if got := describe(t, viaRoot); !slices.Equal(got, wantD) {
		t.Errorf("SiteDir.ReadDir differs from os.File.ReadDir:\n got %v\nwant %v", got, wantD)
	}

	hf, err := s.OpenFolder("hosts/h")
	if err != nil {
		t.Fatal(err)
	}
	defer hf.Close()
	if d := hf.(*siteFolder); d.f != nil {
		t.Fatal("hosts/h was not opened at hosts/'s descriptor")
	}
	var paged []fs.DirEntry
	for {
		p, err := hf.ReadDir(7)
		if err == io.EOF {
			break
		}
		if err != nil || len(p) == 0 || len(p) > 7 {
			t.Fatalf("ReadDir(7): %d entries, %v", len(p), err)
		}
		paged = append(paged, p...)
	}
	if got := describe(t, paged); !slices.Equal(got, wantD) {
		t.Errorf("OpenFolder's ReadDir(7) pages differ from os.File.ReadDir:\n got %v\nwant %v", got, wantD)
	}
	if rest, err := hf.ReadDir(-1); err != nil || len(rest) != 0 {
		t.Errorf("ReadDir(-1) after the pages: %d entries, %v", len(rest), err)
	}

	// Reading every listed regular file through the folder gives its name
	// (each file holds its name), including the 255-byte one.
	for _, e := range viaRoot {
		if !e.Type().IsRegular() {
			continue
		}
		b, _, err := hf.ReadFileBuf(e.Name(), nil)
		if err != nil || string(b) != e.Name() {
			t.Errorf("%q: read %q, %v", e.Name(), b, err)
		}
	}
}

// A listing reuses pooled scratch (the getdents64 buffer, names, offsets):
// entries listed before must not change when another folder is listed
// after, and a name of 256 bytes or more is refused as the kernel refuses it
// (openat's stack copy holds NAME_MAX bytes and the NUL).
func TestListFolderScratchNotAliased(t *testing.T) {
	dir := mkSite(t, map[string]string{
		"hosts/a/alpha": "1", "hosts/a/beta": "2", "hosts/a/gamma": "3",
		"hosts/b/zulu-longer-name": "4", "hosts/b/yankee-longer-name": "5", "hosts/b/xray-longer-name": "6",
	})
	s := openSite(t, dir, Limits{})
	fa, err := s.OpenFolder("hosts/a")
	if err != nil {
		t.Fatal(err)
	}
	defer fa.Close()
	a, err := fa.ReadDir(-1)
	if err != nil {
		t.Fatal(err)
	}
	before := describe(t, a)
	for range 3 {
		fb, err := s.OpenFolder("hosts/b")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := fb.ReadDir(-1); err != nil {
			t.Fatal(err)
		}
		fb.Close()
	}
	if after := describe(t, a); !slices.Equal(after, before) || len(a) != 3 || a[0].Name() != "alpha" || a[2].Name() != "gamma" {
		t.Errorf("hosts/a's listing changed after hosts/b's: %v, was %v", after, before)
	}

	dfd, err := syscall.Open(filepath.Join(dir, "hosts", "a"), syscall.O_RDONLY|syscall.O_DIRECTORY|syscall.O_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer syscall.Close(dfd)
	if fd, err := openat(dfd, "alpha", syscall.O_RDONLY|syscall.O_CLOEXEC); err != nil {
		t.Errorf("openat alpha: %v", err)
	} else {
		syscall.Close(fd)
	}
	for _, n := range []string{strings.Repeat("n", 256), strings.Repeat("n", 300), "nul\x00byte"} {
		if _, _, err := fa.ReadFileBuf(n, nil); err == nil {
			t.Errorf("%d-byte name read", len(n))
		}
		want := syscall.ENAMETOOLONG
		if strings.Contains(n, "\x00") {
			want = syscall.EINVAL
		}
		if _, err := openat(dfd, n, syscall.O_RDONLY); !errors.Is(err, want) {
			t.Errorf("openat of a %d-byte name: %v; want %v", len(n), err, want)
		}
	}
}

// A folder opened at its parent's descriptor makes its path only for an
// error; the error names the whole path, as SiteDir.ReadFile's does, two
// levels down as well.
func TestFolderAtDescriptorErrorPaths(t *testing.T) {
	dir := mkSite(t, map[string]string{"hosts/h/sub/deeper/ok": "ok"})
	os.Symlink("/etc/hostname", filepath.Join(dir, "hosts/h/sub/deeper/out"))
	s := openSite(t, dir, Limits{})
	h, err := s.OpenFolder("hosts/h")
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	sub, err := h.OpenFolder("sub")
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	deeper, err := sub.OpenFolder("deeper")
	if err != nil {
		t.Fatal(err)
	}
	defer deeper.Close()
	if d := deeper.(*siteFolder); d.f != nil || d.parent == nil {
		t.Fatal("hosts/h/sub/deeper was not opened at its parent's descriptor")
	}
	if b, _, err := deeper.ReadFileBuf("ok", nil); err != nil || string(b) != "ok" {
		t.Errorf("ok: %q, %v", b, err)
	}
	_, _, err = deeper.ReadFileBuf("out", nil)
	if want := "open hosts/h/sub/deeper/out: symlink leaves the site"; err == nil || err.Error() != want {
		t.Errorf("out: %v; want %s", err, want)
	}
	if err := deeper.Close(); err != nil {
		t.Errorf("close: %v", err)
	}
	if err := deeper.Close(); !errors.Is(err, fs.ErrClosed) || !strings.Contains(err.Error(), "hosts/h/sub/deeper") {
		t.Errorf("second close: %v", err)
	}
}

// dirents encodes names as getdents64 records (inode 1, d_type DT_REG).
func dirents(names ...string) []byte {
	var b []byte
	for _, n := range names {
		reclen := (direntHeader + len(n) + 1 + 7) &^ 7
		rec := make([]byte, reclen)
		binary.NativeEndian.PutUint64(rec[0:], 1)
		binary.NativeEndian.PutUint16(rec[16:], uint16(reclen))
		rec[18] = syscall.DT_REG
		copy(rec[direntHeader:], n)
		b = append(b, rec...)
	}
	return b
}

// parseDirents reads records as the kernel writes them and refuses, without
// reading past the buffer, ones it could not have written.
func TestParseDirents(t *testing.T) {
	names, ents, ok := parseDirents(dirents(".", "..", "a", "héllo", strings.Repeat("x", 255)), nil, nil)
	if !ok || len(ents) != 3 {
		t.Fatalf("%d entries, ok %v", len(ents), ok)
	}
	var got []string
	for _, e := range ents {
		got = append(got, string(names[e.off:e.end]))
	}
	if want := []string{"a", "héllo", strings.Repeat("x", 255)}; !slices.Equal(got, want) {
		t.Errorf("names %q; want %q", got, want)
	}
	good := dirents("a")
	for name, b := range map[string][]byte{
		"short header":     good[:10],
		"reclen too small": func() []byte { c := bytes.Clone(good); binary.NativeEndian.PutUint16(c[16:], 4); return c }(),
		"reclen too big":   func() []byte { c := bytes.Clone(good); binary.NativeEndian.PutUint16(c[16:], 200); return c }(),
		"no NUL": func() []byte {
			c := bytes.Clone(good)
			for i := direntHeader; i < len(c); i++ {
				c[i] = 'x'
			}
			return c
		}(),
		"empty name": dirents(""),
		"slash":      dirents("a/b"),
	} {
		if _, _, ok := parseDirents(b, nil, nil); ok {
			t.Errorf("%s: parsed", name)
		}
	}
}

func FuzzParseDirents(f *testing.F) {
	f.Add(dirents("a", "b"))
	f.Add(dirents(".", "..", "héllo"))
	f.Add(dirents("x")[:20])
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		names, ents, ok := parseDirents(b, nil, nil)
		if !ok {
			return
		}
		var again []string
		for _, e := range ents {
			if e.off < 0 || e.end > len(names) || e.off >= e.end {
				t.Fatalf("entry %+v outside names (%d bytes)", e, len(names))
			}
			n := string(names[e.off:e.end])
			if n == "." || n == ".." || strings.ContainsAny(n, "/\x00") {
				t.Fatalf("name %q kept", n)
			}
			again = append(again, n)
		}
		// What parses re-encodes to records that parse to the same names.
		n2, e2, ok := parseDirents(dirents(again...), nil, nil)
		if !ok || len(e2) != len(ents) {
			t.Fatalf("re-encoded %q: %d entries, ok %v", again, len(e2), ok)
		}
		for i, e := range e2 {
			if string(n2[e.off:e.end]) != again[i] {
				t.Fatalf("re-encoded %q: entry %d is %q", again, i, n2[e.off:e.end])
			}
		}
	})
}

// ListEntries (host.EntryLister) gives the names and types ReadDir(-1)
// gives on the odd folder (links resolved the same way, sorted), appended
// after what the caller's storage already holds; through the root and at
// the parent's descriptor, and, after ReadDir(n > 0) has begun, the rest of
// the listing.
func TestListEntriesSameAsReadDir(t *testing.T) {
	dir := mkSite(t, nil)
	h := filepath.Join(dir, "hosts", "h")
	os.MkdirAll(h, 0o755)
	oddFolder(t, h)
	s := openSite(t, dir, Limits{})
	ref, err := s.ReadDir("hosts/h")
	if err != nil {
		t.Fatal(err)
	}
	var want []host.Entry
	for _, e := range ref {
		want = append(want, host.Entry{Name: e.Name(), Type: e.Type()})
	}
	if len(want) < 300 || !slices.ContainsFunc(want, func(e host.Entry) bool { return e.Name == "link-in" && e.IsDir() }) {
		t.Fatalf("reference listing lacks the odd folder's entries: %d", len(want))
	}
	open := map[string]func() (host.Folder, error){
		"OpenFolder": func() (host.Folder, error) { return s.OpenFolder("hosts/h") },
		"Open": func() (host.Folder, error) {
			f, err := s.Open("hosts/h")
			if err != nil {
				return nil, err
			}
			return f.(*siteFolder), nil
		},
	}
	for how, openIt := range open {
		f, err := openIt()
		if err != nil {
			t.Fatal(err)
		}
		lister, ok := f.(host.EntryLister)
		if !ok {
			t.Fatalf("%s: %T is not an EntryLister", how, f)
		}
		held := []host.Entry{{Name: "held", Type: fs.ModeDir}}
		got, err := lister.ListEntries(held)
		if err != nil {
			t.Fatalf("%s: %v", how, err)
		}
		if got[0] != held[0] || !slices.Equal(got[1:], want) {
			t.Errorf("%s: ListEntries differs from ReadDir: %d entries, want 1+%d", how, len(got), len(want))
		}
		if rest, err := f.ReadDir(-1); err != nil || len(rest) != 0 {
			t.Errorf("%s: ReadDir(-1) after ListEntries: %d entries, %v", how, len(rest), err)
		}
		f.Close()

		f, _ = openIt()
		first, err := f.ReadDir(5)
		if err != nil || len(first) != 5 {
			t.Fatalf("%s: ReadDir(5): %d, %v", how, len(first), err)
		}
		// (through os.File, a page is in the folder's order, sorted)
		rest, err := f.(host.EntryLister).ListEntries(nil)
		for _, e := range first {
			rest = append(rest, host.Entry{Name: e.Name(), Type: e.Type()})
		}
		slices.SortFunc(rest, func(a, b host.Entry) int { return strings.Compare(a.Name, b.Name) })
		if err != nil || !slices.Equal(rest, want) {
			t.Errorf("%s: ReadDir(5) and ListEntries after it: %d entries (%v), want %d", how, len(rest), err, len(want))
		}
		f.Close()
	}
}

// A folder given back (host.Releaser) after its listing handed out
// entries that name it is not reused: the entries still say where they
// are after other folders are opened, listed and released.
func TestReleasedFolderKeptWhileItsEntriesAre(t *testing.T) {
	dir := mkSite(t, map[string]string{
		"hosts/a/alpha": "1", "hosts/a/beta": "2",
		"hosts/b/zulu": "3", "hosts/b/yankee": "4",
	})
	s := openSite(t, dir, Limits{})
	fa, err := s.OpenFolder("hosts/a")
	if err != nil {
		t.Fatal(err)
	}
	a, err := fa.ReadDir(-1)
	if err != nil || len(a) != 2 {
		t.Fatalf("hosts/a: %d entries, %v", len(a), err)
	}
	fa.Close()
	fa.(host.Releaser).Release()
	for range 20 {
		fb, err := s.OpenFolder("hosts/b")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := fb.(host.EntryLister).ListEntries(nil); err != nil {
			t.Fatal(err)
		}
		if b, _, err := fb.ReadFileBuf("zulu", nil); err != nil || string(b) != "3" {
			t.Fatalf("hosts/b/zulu: %q, %v", b, err)
		}
		fb.Close()
		fb.(host.Releaser).Release()
	}
	for _, e := range a {
		st, err := e.Info()
		if err != nil || st.Name() != e.Name() {
			t.Errorf("%s: Info after other folders were released: %v, %v", e.Name(), st, err)
		}
	}
	if got := fmt.Sprint(a[0]); !strings.Contains(got, "alpha") {
		t.Errorf("entry %q", got)
	}
}
