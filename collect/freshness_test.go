package collect_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bondaudit/bondaudit/collect"
	"github.com/bondaudit/bondaudit/collect/demo"
	"github.com/bondaudit/bondaudit/topology"
)

// TestCaptureTimes: every snapshot a site holds says when it was captured.
// A raw capture folder is as old as the newest file read from it (not the
// files beside it that no reader opens, nor one a symlink outside the site
// names); a walk file is as old as the file; a JSON snapshot keeps its own
// "collected" and falls back to the file's time. The embedded demo site
// keeps no times: every capture time stays unknown.
func TestCaptureTimes(t *testing.T) {
	site, err := collect.LoadSite(demo.FS(), "demo", collect.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range site.Hosts {
		if h.Collected != "" {
			t.Errorf("demo host %s: collected %q, want unknown (embedded files have no times)", h.Name, h.Collected)
		}
	}
	for _, s := range site.Switches {
		if s.Collected != "" {
			t.Errorf("demo switch %s: collected %q, want unknown", s.Name, s.Collected)
		}
	}

	dir := t.TempDir()
	t0 := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	if err := os.CopyFS(dir, demo.FS()); err != nil {
		t.Fatal(err)
	}
	err = fs.WalkDir(os.DirFS(dir), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		return os.Chtimes(filepath.Join(dir, filepath.FromSlash(p)), t0, t0)
	})
	if err != nil {
		t.Fatal(err)
	}
	write := func(rel, body string, mt time.Time) {
		t.Helper()
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if body != "" {
			if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		if err := os.Chtimes(p, mt, mt); err != nil {
			t.Fatal(err)
		}
	}
	write("hosts/web01/bonding/bond0", "", time.Date(2026, 11, 21, 8, 0, 0, 0, time.UTC)) // the newest file read
	write("hosts/web01/notes.txt", "not a capture file", time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC))
	write("switches/leaf2.snmprec", "", time.Date(2026, 11, 22, 7, 30, 0, 0, time.UTC))
	write("switches/sw9.json", `{"name": "sw9"}`, time.Date(2026, 11, 23, 6, 0, 0, 0, time.UTC))
	write("hosts/old01.json", `{"name": "old01", "collected": "2026-01-02T03:04:05Z"}`, time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC))
	write("hosts/new01.json", `{"name": "new01"}`, time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC))
	// web02's LLDP file leads out of the site: refused, its time is not read.
	outside := filepath.Join(t.TempDir(), "lldp.json")
	if err := os.WriteFile(outside, []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(outside, time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	os.Remove(filepath.Join(dir, "hosts/web02/lldp.json"))
	if err := os.Symlink(outside, filepath.Join(dir, "hosts/web02/lldp.json")); err != nil {
		t.Fatal(err)
	}

	sd, err := collect.OpenSiteDir(dir, collect.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	defer sd.Close()
	site, err = collect.LoadSite(sd, "copy", collect.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"web01": "2026-11-21T08:00:00Z", "web02": "2026-11-20T10:00:00Z", "app01": "2026-11-20T10:00:00Z",
		"old01": "2026-01-02T03:04:05Z", "new01": "2026-11-24T12:00:00Z",
		"leaf2": "2026-11-22T07:30:00Z", "leaf1a": "2026-11-20T10:00:00Z", "sw9": "2026-11-23T06:00:00Z",
	}
	got := map[string]string{}
	for _, h := range site.Hosts {
		got[h.Name] = h.Collected
	}
	for _, s := range site.Switches {
		got[s.Name] = s.Collected
	}
	for name, w := range want {
		if got[name] != w {
			t.Errorf("%s: collected %q, want %q", name, got[name], w)
		}
	}
	var refused bool
	for _, p := range topology.ProblemTexts(site.Problems) {
		refused = refused || strings.Contains(p, "hosts/web02/lldp.json") && strings.Contains(p, "symlink leaves the site")
	}
	if !refused {
		t.Errorf("the symlink leaving the site was not refused: %v", site.Problems)
	}
}
