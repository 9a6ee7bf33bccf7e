package runjob

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

func TestParseRunName(t *testing.T) {
	for name, want := range map[string]int{
		"2026-12-03T140211Z": 1, "2026-12-03T140211Z-2": 2, "2026-12-03T140211Z-17": 17,
		"2026-12-03T1402Z": 0, "2026-12-03T140211Z-0": 0, "2026-12-03T140211Z-02": 0, "latest": 0,
		".bondaudit-run-123": 0, "2026-13-03T140211Z": 0, "x2026-12-03T140211Z": 0, "2026-12-03T140211Z-2/": 0,
	} {
		r, ok := ParseRunName(name)
		if ok != (want > 0) || (ok && r.Seq != want) {
			t.Errorf("ParseRunName(%q) = %+v, %v; want seq %d", name, r, ok, want)
		}
	}
}

// TestPlaceNeverNests: runs in the same second get -2, -3…, each its own
// folder at the top of the history, none inside another.
func TestPlaceNeverNests(t *testing.T) {
	dir := t.TempDir()
	var names []string
	for i := range 11 {
		tmp, err := os.MkdirTemp(dir, tempPrefix)
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(tmp, "n"), []byte{byte('a' + i)}, 0o644)
		name, err := place(dir, tmp, t0)
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, name)
	}
	if names[0] != "2026-12-03T140211Z" || names[1] != "2026-12-03T140211Z-2" || names[10] != "2026-12-03T140211Z-11" {
		t.Errorf("names %q", names)
	}
	for i, n := range names {
		entries, _ := os.ReadDir(filepath.Join(dir, n))
		if len(entries) != 1 || entries[0].Name() != "n" {
			t.Errorf("%s holds %v: nested or merged", n, entries)
		}
		if b, _ := os.ReadFile(filepath.Join(dir, n, "n")); string(b) != string(rune('a'+i)) {
			t.Errorf("%s holds run %q's files", n, b)
		}
	}
	runs, _ := ListRuns(dir)
	var listed []string
	for _, r := range runs {
		listed = append(listed, r.Name)
	}
	if !slices.Equal(listed, names) {
		t.Errorf("ListRuns order %q, want %q (-10 after -9)", listed, names)
	}
	// an empty folder of the name is not replaced either
	os.Mkdir(filepath.Join(dir, "2026-12-03T150000Z"), 0o755)
	tmp, _ := os.MkdirTemp(dir, tempPrefix)
	if name, err := place(dir, tmp, t0.Add(57*time.Minute+49*time.Second)); err != nil || name != "2026-12-03T150000Z-2" {
		t.Errorf("place over an empty folder: %q, %v", name, err)
	}
}

// TestListRunsOnlyDatedFolders: links, files and other names are no runs.
func TestListRunsOnlyDatedFolders(t *testing.T) {
	dir := t.TempDir()
	os.Mkdir(filepath.Join(dir, "2026-12-01T000000Z"), 0o755)
	os.Mkdir(filepath.Join(dir, "keep-me"), 0o755)
	os.WriteFile(filepath.Join(dir, "2026-12-02T000000Z"), nil, 0o644)
	os.Symlink("2026-12-01T000000Z", filepath.Join(dir, "2026-12-03T000000Z"))
	os.Symlink("2026-12-01T000000Z", filepath.Join(dir, "latest"))
	runs, err := ListRuns(dir)
	if err != nil || len(runs) != 1 || runs[0].Name != "2026-12-01T000000Z" {
		t.Errorf("ListRuns = %+v, %v", runs, err)
	}
}

func TestToPrune(t *testing.T) {
	now := time.Date(2026, 12, 31, 12, 0, 0, 0, time.UTC)
	var runs []RunDir
	for d := 1; d <= 30; d++ { // one run a day, Dec 1 … Dec 30, noon
		r, _ := ParseRunName(time.Date(2026, 12, d, 12, 0, 0, 0, time.UTC).Format(DatedLayout))
		runs = append(runs, r)
	}
	newest := runs[len(runs)-1].Name
	names := func(rs []RunDir) []string {
		var out []string
		for _, r := range rs {
			out = append(out, r.Name[:10])
		}
		return out
	}
	for _, c := range []struct {
		name    string
		ret     Retention
		current string
		want    int    // runs removed
		oldest  string // the oldest kept
	}{
		{"nothing given keeps all", Retention{}, newest, 0, "2026-12-01"},
		{"keep 5", Retention{Keep: 5}, newest, 25, "2026-12-26"},
		{"days 10: 10 days old or older", Retention{Days: 10}, newest, 21, "2026-12-22"},
		{"both: keep wins when it keeps more", Retention{Keep: 15, Days: 10}, newest, 15, "2026-12-16"},
		{"both: days wins when it keeps more", Retention{Keep: 3, Days: 10}, newest, 21, "2026-12-22"},
		{"keep 1 keeps the newest", Retention{Keep: 1}, newest, 29, "2026-12-30"},
		{"days 1 never removes the newest", Retention{Days: 1}, newest, 29, "2026-12-30"},
		{"never the current run", Retention{Keep: 1}, runs[3].Name, 28, "2026-12-04"},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := toPrune(runs, c.ret, c.current, now)
			if len(got) != c.want {
				t.Errorf("removed %d: %v", len(got), names(got))
			}
			for _, r := range got {
				if r.Name == newest || r.Name == c.current {
					t.Errorf("removes %s (newest or current)", r.Name)
				}
			}
			var kept []string
			for _, r := range runs {
				if !slices.Contains(got, r) {
					kept = append(kept, r.Name[:10])
				}
			}
			if len(kept) == 0 || kept[0] != c.oldest {
				t.Errorf("kept %v, want the oldest kept %s", kept, c.oldest)
			}
		})
	}
}

// TestPointLatest: the link is replaced atomically, relative, and a real
// folder named latest is refused rather than replaced.
func TestPointLatest(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []string{"2026-12-01T000000Z", "2026-12-02T000000Z"} {
		os.Mkdir(filepath.Join(dir, n), 0o755)
		if err := pointLatest(dir, n); err != nil {
			t.Fatal(err)
		}
		if got, _ := os.Readlink(filepath.Join(dir, LatestName)); got != n {
			t.Errorf("latest -> %q, want %q", got, n)
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 3 {
		t.Errorf("history holds %v: a temporary link was left", entries)
	}
	other := t.TempDir()
	os.Mkdir(filepath.Join(other, LatestName), 0o755)
	if err := pointLatest(other, "x"); err == nil {
		t.Error("a folder named latest was replaced")
	}
}
