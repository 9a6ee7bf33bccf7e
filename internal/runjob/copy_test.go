package runjob

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/bondaudit/bondaudit/collect"
	"github.com/bondaudit/bondaudit/topology"
)

func write(t *testing.T, path, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestCopyIsTheSiteReader: the hosts' folder is hostile. The copy takes
// regular files and folders beneath it only, within the caps, skips dot
// names, keeps modification times, and says what it refused in the
// words and with the names an audit of a site would use.
func TestCopyIsTheSiteReader(t *testing.T) {
	src := t.TempDir()
	outside := filepath.Join(t.TempDir(), "secret")
	write(t, outside, "root:x:0:0")
	write(t, filepath.Join(src, "web01", "hostname"), "web01\n")
	write(t, filepath.Join(src, "web01", "bonding", "bond0"), "Bonding Mode: IEEE 802.3ad\n")
	write(t, filepath.Join(src, "db01.json"), "{}")
	write(t, filepath.Join(src, ".db02.json.Xy12"), "rsync temp")                  // skipped
	write(t, filepath.Join(src, "web01", ".hidden"), "skipped")                    // skipped
	write(t, filepath.Join(src, "big", "ip-link.json"), strings.Repeat("x", 2000)) // over the file cap
	os.Symlink(outside, filepath.Join(src, "evil.json"))                           // leaves the folder
	os.Symlink("../../../secret", filepath.Join(src, "web01", "lldp.json"))        // leaves it too
	os.Symlink("hostname", filepath.Join(src, "web01", "hostname2"))               // stays inside: copied as a file
	os.Symlink("..", filepath.Join(src, "web01", "loop"))                          // a loop
	if err := syscall.Mkfifo(filepath.Join(src, "web01", "fifo"), 0o644); err != nil {
		t.Fatal(err)
	}
	old := time.Date(2026, 11, 1, 6, 0, 0, 0, time.UTC)
	os.Chtimes(filepath.Join(src, "web01", "hostname"), old, old)
	os.Chtimes(filepath.Join(src, "web01"), old, old)

	dst := filepath.Join(t.TempDir(), "hosts")
	done := make(chan *copier)
	go func() {
		c, err := copyInputs(src, dst, "hosts", collect.Limits{MaxFileBytes: 1000})
		if err != nil {
			t.Error(err)
		}
		done <- c
	}()
	var c *copier
	select {
	case c = <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("the copy hangs (on the FIFO?)")
	}
	if c == nil {
		return
	}
	var got []string
	filepath.WalkDir(dst, func(p string, d os.DirEntry, err error) error {
		rel, _ := filepath.Rel(dst, p)
		if d.Type()&os.ModeSymlink != 0 || !(d.IsDir() || d.Type().IsRegular()) {
			t.Errorf("%s copied as %v", rel, d.Type())
		}
		got = append(got, rel)
		return nil
	})
	want := []string{".", "big", "db01.json", "web01", "web01/bonding", "web01/bonding/bond0", "web01/hostname", "web01/hostname2"}
	if !slices.Equal(got, want) {
		t.Errorf("copied %q\nwant %q", got, want)
	}
	if c.entries != 3 {
		t.Errorf("entries = %d, want 3 (big/ is copied empty: the audit says it holds no host data)", c.entries)
	}
	probs := topology.ProblemTexts(c.problems)
	for _, w := range []string{
		"hosts/big/ip-link.json: larger than the size cap",
		"hosts/evil.json: symlink leaves the site",
		"hosts/web01/fifo: not a regular file (a named pipe)",
		"hosts/web01/lldp.json: symlink leaves the site",
		"hosts/web01/loop: not copied: a symlink back to a folder above it",
	} {
		if !slices.ContainsFunc(probs, func(p string) bool { return strings.HasPrefix(p, w) }) {
			t.Errorf("no problem %q in\n%s", w, strings.Join(probs, "\n"))
		}
	}
	if len(probs) != 5 {
		t.Errorf("%d problems:\n%s", len(probs), strings.Join(probs, "\n"))
	}
	for _, p := range []string{"web01/hostname", "web01"} {
		st, err := os.Stat(filepath.Join(dst, p))
		if err != nil || !st.ModTime().Equal(old) {
			t.Errorf("%s: modification time %v, want the capture's %v (%v)", p, st.ModTime(), old, err)
		}
	}
}

// TestCopySiteBudget: the per-site cap bounds the whole copy.
func TestCopySiteBudget(t *testing.T) {
	src := t.TempDir()
	for _, n := range []string{"a", "b", "c"} {
		write(t, filepath.Join(src, n+".json"), strings.Repeat("x", 600))
	}
	c, err := copyInputs(src, filepath.Join(t.TempDir(), "hosts"), "hosts", collect.Limits{MaxSiteBytes: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if c.entries != 1 || len(c.problems) != 2 || !strings.Contains(c.problems[0].What, "size cap is used up") {
		t.Errorf("entries %d, problems %v", c.entries, c.problems)
	}
}
