package golden

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// recorder is a testing.TB that records failures instead of failing.
type recorder struct {
	testing.TB
	errors []string
	fatal  bool
}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.errors = append(r.errors, format)
}
func (r *recorder) Fatalf(format string, args ...any) {
	r.errors = append(r.errors, format)
	r.fatal = true
	panic(r)
}

func check(t *testing.T, path string, got []byte) (rec *recorder) {
	rec = &recorder{TB: t}
	defer func() {
		if p := recover(); p != nil && p != any(rec) {
			panic(p)
		}
	}()
	Check(rec, path, got)
	return rec
}

func TestCheck(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.golden")
	if err := os.WriteFile(path, []byte("a\nb\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if r := check(t, path, []byte("a\nb\n")); len(r.errors) > 0 {
		t.Errorf("same bytes: %v", r.errors)
	}
	if r := check(t, path, []byte("a\nc\n")); len(r.errors) != 1 || r.fatal || !strings.Contains(r.errors[0], "differs") {
		t.Errorf("other bytes: %+v", r)
	}
	if r := check(t, path, []byte("a\nb")); len(r.errors) != 1 {
		t.Errorf("a missing final newline went unnoticed: %+v", r)
	}
	if r := check(t, filepath.Join(dir, "missing.golden"), []byte("x")); !r.fatal {
		t.Errorf("a missing golden file is not fatal: %+v", r)
	}
}

func TestUpdate(t *testing.T) {
	*update = true
	defer func() { *update = false }()
	path := filepath.Join(t.TempDir(), "new", "out.golden")
	if r := check(t, path, []byte("fresh\n")); len(r.errors) > 0 {
		t.Fatalf("-update: %v", r.errors)
	}
	if b, err := os.ReadFile(path); err != nil || string(b) != "fresh\n" {
		t.Errorf("-update wrote %q, %v", b, err)
	}
}
