// Package golden is the one golden-file check of bondaudit's tests: compare
// an output with the file that holds what it must be, and rewrite the file
// from the output with `go test PKG -update`.
//
// It defines the -update flag: a test package that imports it must not
// define its own.
package golden

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite golden files from the current output")

// Updating reports whether the test run rewrites golden files (-update).
func Updating() bool { return *update }

// Read returns the golden file at path. With -update it first writes got
// there (creating folders). For outputs compared otherwise than byte for
// byte (an SVG by structure); Check is the usual way.
func Read(t testing.TB, path string, got []byte) []byte {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test -update writes it)", err)
	}
	return want
}

// Check fails t unless got is byte for byte the golden file at path;
// with -update it rewrites the file from got.
func Check(t testing.TB, path string, got []byte) {
	t.Helper()
	want := Read(t, path, got)
	if d := cmp.Diff(string(want), string(got)); d != "" {
		t.Errorf("%s differs (-want +got; go test -update rewrites it):\n%s", path, d)
	}
}
