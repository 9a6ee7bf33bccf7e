package main

import (
	"os"
	"path/filepath"
	"testing"
)

// TestResidentPages: a file just written and read is in the page cache, and
// the count covers every sampled file's pages.
func TestResidentPages(t *testing.T) {
	dir := t.TempDir()
	for _, d := range []string{"switches", "hosts/h1", "hosts/h2"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	page := os.Getpagesize()
	write := func(p string, n int) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, p), make([]byte, n), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := os.ReadFile(filepath.Join(dir, p)); err != nil {
			t.Fatal(err)
		}
	}
	write("switches/a.snmprec", 3*page+1) // 4 pages
	write("hosts/h1/hostname", 3)         // 1
	write("hosts/h1/ip-link.json", page)  // 1
	write("hosts/h1/lldp.json", 0)        // none
	write("hosts/h2/hostname", 3)         // not sampled with step 2
	res, total, err := residentPages(dir, 2)
	if err != nil {
		t.Fatal(err)
	}
	if total != 6 {
		t.Errorf("sampled %d pages, want 6", total)
	}
	if res != total {
		t.Errorf("%d of %d pages resident right after reading them", res, total)
	}
	if _, _, err := residentPages(filepath.Join(dir, "missing"), 1); err == nil {
		t.Error("a missing site: no error")
	}
}
