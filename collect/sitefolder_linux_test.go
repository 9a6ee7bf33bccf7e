package collect

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
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

// Folders are opened relative to their parent (hosts/<name> to the hosts/
// kept open, a capture's subfolder to the capture): a folder that is a
// symlink is still followed only inside the site, whichever way it is
// reached, and a file that is not a folder is refused as before.
func TestOpenFolderRelative(t *testing.T) {
	outside := t.TempDir()
	os.MkdirAll(filepath.Join(outside, "bonding"), 0o755)
	os.WriteFile(filepath.Join(outside, "bonding", "bond0"), []byte("outside"), 0o644)
	dir := mkSite(t, map[string]string{
		"hosts/a/bonding/bond0": "a's bond",
		"hosts/a/file":          "x",
		"elsewhere/bond0":       "linked inside",
	})
	os.Symlink(outside, filepath.Join(dir, "hosts", "out"))
	os.Symlink(filepath.Join("..", "hosts", "a"), filepath.Join(dir, "hosts", "in"))
	os.Symlink(filepath.Join(outside, "bonding"), filepath.Join(dir, "hosts", "a", "outbond"))
	os.Symlink(filepath.Join("..", "..", "elsewhere"), filepath.Join(dir, "hosts", "a", "inbond"))
	s := openSite(t, dir, Limits{})

	if _, err := s.OpenFolder("hosts/out"); !errors.Is(err, ErrLeavesSite) {
		t.Errorf("hosts/out (a link out of the site): %v, want ErrLeavesSite", err)
	}
	in, err := s.OpenFolder("hosts/in")
	if err != nil {
		t.Fatalf("hosts/in (a link inside the site): %v", err)
	}
	defer in.Close()
	if b, _, err := in.ReadFileBuf("file", nil); err != nil || string(b) != "x" {
		t.Errorf("hosts/in/file: %q, %v", b, err)
	}
	a, err := s.OpenFolder("hosts/a")
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	for name, want := range map[string]string{"bonding": "a's bond", "inbond": "linked inside"} {
		f, err := a.OpenFolder(name)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if b, _, err := f.ReadFileBuf("bond0", nil); err != nil || string(b) != want {
			t.Errorf("%s/bond0: %q, %v; want %q", name, b, err, want)
		}
		f.Close()
	}
	if _, err := a.OpenFolder("outbond"); !errors.Is(err, ErrLeavesSite) {
		t.Errorf("outbond (a link out of the site): %v, want ErrLeavesSite", err)
	}
	if _, err := a.OpenFolder("file"); err == nil {
		t.Error("a file opened as a folder")
	}
	if _, err := a.OpenFolder("missing"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing: %v, want ErrNotExist", err)
	}
}
