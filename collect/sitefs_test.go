package collect

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/bondaudit/bondaudit/internal/quote"

	"github.com/bondaudit/bondaudit/topology"
)

func mkSite(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for p, body := range files {
		full := filepath.Join(dir, filepath.FromSlash(p))
		os.MkdirAll(filepath.Dir(full), 0o755)
		if err := os.WriteFile(full, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func openSite(t *testing.T, dir string, lim Limits) *SiteDir {
	t.Helper()
	s, err := OpenSiteDir(dir, lim)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// The os.Root error for a path that leaves the root is unexported and
// matched by its text in refuse: this keeps that match honest, for an
// absolute link, a relative one climbing out, and a link in a middle
// component.
func TestSiteDirRefusesEscapes(t *testing.T) {
	outside := t.TempDir()
	os.WriteFile(filepath.Join(outside, "f"), []byte("outside"), 0o644)
	dir := mkSite(t, map[string]string{"hosts/a/x": "inside"})
	os.Symlink(filepath.Join(outside, "f"), filepath.Join(dir, "hosts", "a", "abs"))
	os.Symlink("../../../"+filepath.Base(outside)+"/f", filepath.Join(dir, "hosts", "a", "rel"))
	os.Symlink(outside, filepath.Join(dir, "hosts", "out"))
	s := openSite(t, dir, Limits{})
	for _, p := range []string{"hosts/a/abs", "hosts/a/rel", "hosts/out/f", "hosts/out"} {
		_, err := s.ReadFile(p)
		if !errors.Is(err, ErrLeavesSite) {
			t.Errorf("ReadFile(%s) = %v, want ErrLeavesSite", p, err)
		}
		if _, err := s.Stat(p); !errors.Is(err, ErrLeavesSite) {
			t.Errorf("Stat(%s) = %v, want ErrLeavesSite", p, err)
		}
	}
	if b, err := s.ReadFile("hosts/a/x"); err != nil || string(b) != "inside" {
		t.Errorf("ReadFile(hosts/a/x) = %q, %v", b, err)
	}
	// A missing file is still fs.ErrNotExist (optional capture files).
	if _, err := s.ReadFile("hosts/a/missing"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: %v, want fs.ErrNotExist", err)
	}
	// Paths fs.FS does not allow are refused before any system call.
	if _, err := s.Open("../x"); !errors.Is(err, fs.ErrInvalid) {
		t.Errorf("Open(../x) = %v, want fs.ErrInvalid", err)
	}
}

// A listing shows a link inside the site as what it points to, and a link
// leaving the site as a link (which Open refuses).
func TestSiteDirReadDirResolvesInsideLinks(t *testing.T) {
	dir := mkSite(t, map[string]string{"data/web01/hostname": "web01\n"})
	os.MkdirAll(filepath.Join(dir, "hosts"), 0o755)
	os.Symlink("../data/web01", filepath.Join(dir, "hosts", "web01"))
	os.Symlink(t.TempDir(), filepath.Join(dir, "hosts", "away"))
	s := openSite(t, dir, Limits{})
	entries, err := fs.ReadDir(s, "hosts")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]fs.FileMode{}
	for _, e := range entries {
		got[e.Name()] = e.Type()
	}
	if !got["web01"].IsDir() {
		t.Errorf("hosts/web01 (link to a folder inside the site) listed as %v, want a folder", got["web01"])
	}
	if got["away"]&fs.ModeSymlink == 0 {
		t.Errorf("hosts/away (link leaving the site) listed as %v, want a symlink", got["away"])
	}
	sub, err := fs.Sub(s, "data")
	if err != nil {
		t.Fatal(err)
	}
	if err := fstest.TestFS(sub, "web01/hostname"); err != nil {
		t.Errorf("fstest: %v", err)
	}
}

// Per-file cap: a file of exactly the cap is read, one byte more is not;
// the per-site cap stops reading once all files together pass it.
func TestSiteDirCaps(t *testing.T) {
	dir := mkSite(t, map[string]string{
		"a": strings.Repeat("a", 100),
		"b": strings.Repeat("b", 101),
		"c": strings.Repeat("c", 100),
	})
	s := openSite(t, dir, Limits{MaxFileBytes: 100, MaxSiteBytes: 150})
	if b, err := s.ReadFile("a"); err != nil || len(b) != 100 {
		t.Errorf("a (100 bytes, cap 100): %d bytes, %v", len(b), err)
	}
	_, err := s.ReadFile("b")
	if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "101 bytes is larger than 100 bytes") {
		t.Errorf("b (101 bytes, cap 100): %v, want ErrTooLarge with both sizes", err)
	}
	if _, err := s.ReadFile("c"); !errors.Is(err, ErrSiteBudget) {
		t.Errorf("c (site total 200 > 150): %v, want ErrSiteBudget", err)
	}
}

// A file that grows past the cap while it is read (the size in its stat
// was under the cap) stops at the cap.
func TestSiteDirFileGrowingPastCap(t *testing.T) {
	dir := mkSite(t, map[string]string{"grow": strings.Repeat("x", 10)})
	s := openSite(t, dir, Limits{MaxFileBytes: 64})
	f, err := s.Open("grow")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w, _ := os.OpenFile(filepath.Join(dir, "grow"), os.O_APPEND|os.O_WRONLY, 0)
	w.Write(bytes.Repeat([]byte("y"), 1000))
	w.Close()
	b, err := io.ReadAll(f)
	if !errors.Is(err, ErrTooLarge) || len(b) != 64 {
		t.Errorf("read %d bytes, %v; want 64 and ErrTooLarge", len(b), err)
	}
}

// LoadSite on a site whose hosts/ cannot be listed fails: an audit that
// checked nothing must not pass, even when switches/ was read.
func TestLoadSiteUnlistableHosts(t *testing.T) {
	fsys := fstest.MapFS{
		"hosts":                  {Data: []byte("a file, not a folder")},
		"switches/leaf1.snmprec": {Data: []byte("1.3.6.1.2.1.1.5.0|4|leaf1\n")},
	}
	_, err := LoadSite(fsys, "t", LoadOptions{})
	if !errors.Is(err, ErrNothingReadable) || !strings.Contains(err.Error(), "hosts/ cannot be listed") {
		t.Errorf("LoadSite = %v, want ErrNothingReadable naming hosts/", err)
	}
}

// No NOT READ line copies a large input whole, whoever composed it: a
// vendor decoder quoting a 1 MB OID index, a duplicate 100 KB host name.
func TestLoadSiteProblemsAreClipped(t *testing.T) {
	huge := strings.Repeat("7.", 500_000) + "7"
	name := strings.Repeat("h", 100_000)
	snap := `{"schema":"bondaudit.host/v1","name":"` + name + `"}`
	fsys := fstest.MapFS{
		"hosts/a.json": {Data: []byte(snap)},
		"hosts/b.json": {Data: []byte(snap)},
		"switches/s1.snmprec": {Data: []byte("1.3.6.1.2.1.1.5.0|4|s1\n" +
			"1.3.6.1.2.1.2.2.1.2." + huge + "|4|eth0\n" +
			"1.3.6.1.2.1.31.1.1.1.1.1|4|eth1\n")},
	}
	site, err := LoadSite(fsys, "t", LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(site.Problems) == 0 {
		t.Fatal("no problems: the test no longer provokes any")
	}
	sawDup, sawIndex := false, false
	for _, p := range topology.ProblemTexts(site.Problems) {
		if len(p) > quote.MaxMessage+200 { // the message plus its file and line
			t.Errorf("problem of %d bytes: %.200s…", len(p), p)
		}
		sawDup = sawDup || strings.Contains(p, "duplicate host name")
		sawIndex = sawIndex || strings.Contains(p, "bytes in all")
	}
	if !sawDup || !sawIndex {
		t.Errorf("want a clipped duplicate-name and a clipped decoder problem, got %d problems:\n%.600q", len(site.Problems), topology.ProblemTexts(site.Problems))
	}
}

// TestLoadSitePlacesProblems: a vendor decoder's problem (it knows the
// walk's line) and a walk reader's (it knows file and line) arrive in
// Site.Problems as typed problems placed in the file, not as prose.
func TestLoadSitePlacesProblems(t *testing.T) {
	fsys := fstest.MapFS{
		"switches/s1.snmprec": {Data: []byte("1.3.6.1.2.1.1.5.0|4|s1\n" +
			"1.3.6.1.2.1.31.1.1.1.1.1|4|eth1\n" +
			"1.3.6.1.2.1.2.2.1.2.1.2|4|eth0\n" +
			"not a record\n")},
	}
	site, err := LoadSite(fsys, "t", LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var decoded, read bool
	for _, p := range site.Problems {
		t.Logf("%#v", p)
		if p.File != "switches/s1.snmprec" {
			t.Errorf("problem not placed in the walk's file: %#v", p)
		}
		decoded = decoded || p.Line == 3 && strings.Contains(p.What, "index is not an integer") && !strings.Contains(p.What, "line")
		read = read || p.Line == 4
	}
	if !decoded || !read {
		t.Errorf("want the decoder's problem at line 3 and the reader's at line 4, got %q", topology.ProblemTexts(site.Problems))
	}
}

// switches/ is listed first and read while hosts/ is listed, but an
// unlistable hosts/ still wins over an unlistable switches/, as when
// hosts/ was listed first.
func TestLoadSiteUnlistableSwitches(t *testing.T) {
	for _, c := range []struct {
		name string
		fsys fstest.MapFS
		want string
	}{
		{"switches", fstest.MapFS{
			"hosts/h1.json": {Data: []byte(`{"schema":"bondaudit.host/v1","name":"h1"}`)},
			"switches":      {Data: []byte("a file, not a folder")},
		}, "switches/ cannot be listed"},
		{"both", fstest.MapFS{
			"hosts":    {Data: []byte("a file")},
			"switches": {Data: []byte("a file")},
		}, "hosts/ cannot be listed"},
	} {
		_, err := LoadSite(c.fsys, "t", LoadOptions{})
		if !errors.Is(err, ErrNothingReadable) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: LoadSite = %v, want ErrNothingReadable saying %q", c.name, err, c.want)
		}
	}
}

// Progress hears of every input once the total is known, in order, and
// last of all of the last one; the site keeps its hosts, then its
// switches, in name order, whatever order they were read in.
func TestLoadSiteProgressAndOrder(t *testing.T) {
	fsys := fstest.MapFS{}
	const hosts, switches = 40, 30
	for i := range hosts {
		n := fmt.Sprintf("h%02d", i)
		fsys["hosts/"+n+".json"] = &fstest.MapFile{Data: []byte(`{"schema":"bondaudit.host/v1","name":"` + n + `"}`)}
	}
	for i := range switches {
		n := fmt.Sprintf("s%02d", i)
		fsys["switches/"+n+".snmprec"] = &fstest.MapFile{Data: []byte("1.3.6.1.2.1.1.5.0|4|" + n + "\n")}
	}
	for _, workers := range []int{1, 2, 5} {
		var calls [][2]int
		site, err := LoadSite(fsys, "t", LoadOptions{Workers: workers, Progress: func(done, total int) {
			calls = append(calls, [2]int{done, total}) // called under the loader's lock
		}})
		if err != nil {
			t.Fatal(err)
		}
		if len(site.Hosts) != hosts || len(site.Switches) != switches {
			t.Fatalf("workers %d: %d hosts, %d switches", workers, len(site.Hosts), len(site.Switches))
		}
		for i, h := range site.Hosts {
			if want := fmt.Sprintf("h%02d", i); h.Name != want {
				t.Errorf("workers %d: host %d is %s, want %s", workers, i, h.Name, want)
			}
		}
		for i, s := range site.Switches {
			if want := fmt.Sprintf("s%02d", i); s.Name != want {
				t.Errorf("workers %d: switch %d is %s, want %s", workers, i, s.Name, want)
			}
		}
		if len(calls) == 0 || calls[len(calls)-1] != [2]int{hosts + switches, hosts + switches} {
			t.Fatalf("workers %d: progress %v, want it to end with the total twice", workers, calls)
		}
		for i, c := range calls {
			if c[1] != hosts+switches || i > 0 && c[0] != calls[i-1][0]+1 {
				t.Fatalf("workers %d: progress %v: not one call per input against the total", workers, calls)
			}
		}
	}
}
