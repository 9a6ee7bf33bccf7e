package collect

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// Between a folder's listing and the open of a file listed in it, the
// file may go, turn into a symlink (leaving the site or not), a FIFO or a
// file over the cap: Folder.ReadFileBuf refuses each as SiteDir.ReadFile
// does, with the same errors, and never follows a link out of the site or
// blocks on a FIFO.
func TestFolderListingChangesBeforeOpen(t *testing.T) {
	outside := t.TempDir()
	os.WriteFile(filepath.Join(outside, "secret"), []byte("outside"), 0o644)
	names := []string{"gone", "out", "in", "fifo", "big", "dir", "plain"}
	files := map[string]string{"hosts/h/target": "inside target"}
	for _, n := range names {
		files["hosts/h/"+n] = "x"
	}
	dir := mkSite(t, files)
	s := openSite(t, dir, Limits{MaxFileBytes: 64})
	f, err := s.OpenFolder("hosts/h")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	entries, err := f.ReadDir(-1)
	if err != nil || len(entries) != len(names)+1 {
		t.Fatalf("listing: %d entries, %v", len(entries), err)
	}
	h := filepath.Join(dir, "hosts", "h")
	for _, n := range names {
		os.Remove(filepath.Join(h, n))
	}
	os.Symlink(filepath.Join(outside, "secret"), filepath.Join(h, "out"))
	os.Symlink("target", filepath.Join(h, "in"))
	if err := syscall.Mkfifo(filepath.Join(h, "fifo"), 0o644); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(h, "big"), bytes.Repeat([]byte("b"), 65), 0o644)
	os.Mkdir(filepath.Join(h, "dir"), 0o755)
	os.WriteFile(filepath.Join(h, "plain"), []byte("plain now"), 0o644)

	for _, c := range []struct {
		name, want string
		is         error
	}{
		{"gone", "open hosts/h/gone: no such file or directory", fs.ErrNotExist},
		{"out", "open hosts/h/out: symlink leaves the site", ErrLeavesSite},
		{"fifo", "open hosts/h/fifo: not a regular file (a named pipe)", ErrNotRegular},
		{"big", "open hosts/h/big: larger than the size cap: 65 bytes is larger than 64 bytes", ErrTooLarge},
		{"dir", "read hosts/h/dir: is a folder", nil},
	} {
		b, _, err := f.ReadFileBuf(c.name, nil)
		if err == nil || err.Error() != c.want || c.is != nil && !errors.Is(err, c.is) {
			t.Errorf("%s: %q, %v; want error %q", c.name, b, err, c.want)
		}
		_, err2 := s.ReadFile("hosts/h/" + c.name)
		if err2 == nil || err2.Error() != err.Error() {
			t.Errorf("%s: SiteDir.ReadFile says %v, the folder %v", c.name, err2, err)
		}
	}
	for n, want := range map[string]string{"in": "inside target", "plain": "plain now"} {
		b, mod, err := f.ReadFileBuf(n, nil)
		if err != nil || string(b) != want || mod.IsZero() {
			t.Errorf("%s: %q (mod %v), %v; want %q", n, b, mod, err, want)
		}
	}
	for _, bad := range []string{"../h/plain", ".", "..", ""} {
		if b, _, err := f.ReadFileBuf(bad, nil); err == nil {
			t.Errorf("%q read through the folder: %q", bad, b)
		}
	}
}

// countingFile serves data the way a regular file does (a read returns
// what is asked for until the end, then 0 and io.EOF) and counts reads.
type countingFile struct {
	data  []byte
	reads int
}

func (c *countingFile) Read(p []byte) (int, error) {
	c.reads++
	if len(c.data) == 0 {
		return 0, io.EOF
	}
	n := copy(p, c.data)
	c.data = c.data[n:]
	return n, nil
}

// A file whose size fstat gave is read with one read into a buffer that is
// reused (no allocation when it is large enough); a file that grew since is
// read to its end; under the caps, one that grew past the per-file cap is
// refused even though its fstat size was under it.
func TestReadAllOneRead(t *testing.T) {
	data := bytes.Repeat([]byte("0123456789"), 1000)
	buf := make([]byte, 0, 20000)
	c := &countingFile{data: data}
	b, err := readAll(c, int64(len(data)), 1<<20, buf)
	if err != nil || !bytes.Equal(b, data) || c.reads != 1 {
		t.Fatalf("%d bytes in %d reads, %v; want %d bytes in 1 read", len(b), c.reads, err, len(data))
	}
	if &b[0] != &buf[:1][0] {
		t.Error("the buffer given was not used")
	}
	grown := append(bytes.Clone(data), "and more since the stat"...)
	c = &countingFile{data: grown}
	if b, err = readAll(c, int64(len(data)), 1<<20, nil); err != nil || !bytes.Equal(b, grown) {
		t.Errorf("a file that grew: %d bytes, %v; want %d", len(b), err, len(grown))
	}
	empty := &countingFile{}
	if b, err = readAll(empty, 0, 1<<20, nil); err != nil || len(b) != 0 || empty.reads != 1 {
		t.Errorf("empty file: %q in %d reads, %v", b, empty.reads, err)
	}

	dir := mkSite(t, map[string]string{"hosts/h/f": strings.Repeat("x", 60)})
	s := openSite(t, dir, Limits{MaxFileBytes: 64})
	cf := &countingFile{data: bytes.Repeat([]byte("y"), 1000)}
	capd := &capped{s: s, name: "hosts/h/f", left: 64, read: cf.Read}
	if b, err = readAll(capd, 60, 64, nil); !errors.Is(err, ErrTooLarge) || len(b) != 64 {
		t.Errorf("grew past the cap: %d bytes, %v; want 64 bytes and ErrTooLarge", len(b), err)
	}
}
