package runjob

import (
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// A run's snapshot folder is named by its UTC time to the second,
// DatedLayout, with "-2", "-3"… added when the name is taken (two runs in
// one second).
const DatedLayout = "2006-01-02T150405Z"

// LatestName is the symlink to the newest successful run's snapshot.
const LatestName = "latest"

// tempPrefix names a run's folder while it is collected, and the
// temporary latest link: a leftover one is a killed run's.
const tempPrefix = ".bondaudit-run-"

var datedName = regexp.MustCompile(`^([0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{6}Z)(?:-([1-9][0-9]*))?$`)

// RunDir is one dated snapshot folder of a history.
type RunDir struct {
	Name string
	Time time.Time
	Seq  int // 1 for the plain name, 2 for "-2", …
}

// ParseRunName reads a dated folder name; false for any other name.
func ParseRunName(name string) (RunDir, bool) {
	m := datedName.FindStringSubmatch(name)
	if m == nil {
		return RunDir{}, false
	}
	t, err := time.Parse(DatedLayout, m[1])
	if err != nil {
		return RunDir{}, false
	}
	r := RunDir{Name: name, Time: t, Seq: 1}
	if m[2] != "" {
		if r.Seq, err = strconv.Atoi(m[2]); err != nil {
			return RunDir{}, false
		}
	}
	return r, true
}

// ListRuns lists the dated snapshot folders of the history dir (real
// folders, not links), oldest first.
func ListRuns(dir string) ([]RunDir, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []RunDir
	for _, e := range entries {
		r, ok := ParseRunName(e.Name())
		if ok && e.Type().IsDir() {
			out = append(out, r)
		}
	}
	slices.SortFunc(out, func(a, b RunDir) int {
		return cmp.Or(a.Time.Compare(b.Time), cmp.Compare(a.Seq, b.Seq))
	})
	return out, nil
}

// place renames the collected folder tmp to the run's dated name in dir,
// never over an existing folder: a name taken gets "-2", "-3"….
func place(dir, tmp string, t time.Time) (string, error) {
	base := t.UTC().Format(DatedLayout)
	for seq := 1; seq < 10000; seq++ {
		name := base
		if seq > 1 {
			name += "-" + strconv.Itoa(seq)
		}
		err := renameNoReplace(tmp, filepath.Join(dir, name))
		if err == nil {
			return name, nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return "", fmt.Errorf("naming the snapshot %s: %w", name, err)
		}
	}
	return "", fmt.Errorf("naming the snapshot: %s-2 … -9999 are all taken", base)
}

// pointLatest points dir/latest at the snapshot name, atomically: a new
// link under a temporary name renamed over the old one. The link is
// relative, so a history folder can be moved.
func pointLatest(dir, name string) error {
	link := filepath.Join(dir, LatestName)
	if st, err := os.Lstat(link); err == nil && st.Mode()&fs.ModeSymlink == 0 {
		return fmt.Errorf("%s is not a symlink: move it away, a run keeps a link there", link)
	}
	tmp := filepath.Join(dir, fmt.Sprintf("%slatest-%d", tempPrefix, os.Getpid()))
	os.Remove(tmp)
	if err := os.Symlink(name, tmp); err != nil {
		return fmt.Errorf("latest link: %w", err)
	}
	if err := os.Rename(tmp, link); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("latest link: %w", err)
	}
	return nil
}

// removeLeftovers removes what killed runs left in the history dir (their
// half-collected folders, temporary links). The caller holds the lock, so
// none of them is a live run's.
func removeLeftovers(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var removed []string
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), tempPrefix) {
			continue
		}
		if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
			return removed, err
		}
		removed = append(removed, e.Name())
	}
	return removed, nil
}

// toPrune is the runs retention removes: those every rule given allows
// removing (not among the Keep newest; older than Days at now), never the
// newest run nor current.
func toPrune(runs []RunDir, ret Retention, current string, now time.Time) []RunDir {
	if ret.Keep == 0 && ret.Days == 0 {
		return nil
	}
	var out []RunDir
	for i, r := range runs {
		fromNewest := len(runs) - 1 - i
		switch {
		case fromNewest == 0 || r.Name == current:
			continue
		case ret.Keep > 0 && fromNewest < ret.Keep:
			continue
		case ret.Days > 0 && now.Sub(r.Time) < time.Duration(ret.Days)*24*time.Hour:
			continue
		}
		out = append(out, r)
	}
	return out
}

// previous is the newest run before current that finished (holds
// ReportName): the run the current one is compared with.
func previous(dir string, runs []RunDir, current string) (RunDir, bool) {
	i := slices.IndexFunc(runs, func(r RunDir) bool { return r.Name == current })
	if i < 0 {
		i = len(runs)
	}
	for j := i - 1; j >= 0; j-- {
		if st, err := os.Stat(filepath.Join(dir, runs[j].Name, ReportName)); err == nil && st.Mode().IsRegular() {
			return runs[j], true
		}
	}
	return RunDir{}, false
}
