package diagram

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// fakeDot writes an executable shell script named dot into dir, which
// touches dir/ran when it runs and then runs body.
func fakeDot(t *testing.T, dir, body string) string {
	t.Helper()
	p := filepath.Join(dir, "dot")
	script := "#!/bin/sh\nPATH=/usr/bin:/bin\ntouch '" + filepath.Join(dir, "ran") + "'\n" + body + "\n"
	if err := os.WriteFile(p, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

func smallSVG(t *testing.T) ([]byte, error) {
	t.Helper()
	var b bytes.Buffer
	err := mustBuild(t, smallSite(t), Options{Marks: smallMarks}).SVG(&b)
	return b.Bytes(), err
}

// TestSVGWithoutDot: no dot on PATH is an error (ErrNoDot) that says how to
// get one and which formats need none.
func TestSVGWithoutDot(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	_, err := smallSVG(t)
	if !errors.Is(err, ErrNoDot) {
		t.Fatalf("err %v, want ErrNoDot", err)
	}
	for _, want := range []string{"apt install graphviz", "--format dot", "--format mermaid"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%q does not say %q", err, want)
		}
	}
}

// TestSVGRefusesDotOthersCanWrite: a dot that a user other than root and
// the caller could have put or changed is never run; the error names the
// path and why.
func TestSVGRefusesDotOthersCanWrite(t *testing.T) {
	// setup returns the folder to put in PATH, the one where the script
	// is (which it touches when run), the path to refuse and why.
	type setup func(t *testing.T) (pathDir, scriptDir, bad, why string)
	cases := map[string]setup{
		"folder writable by others": func(t *testing.T) (string, string, string, string) {
			dir := t.TempDir()
			fakeDot(t, dir, "exit 0")
			os.Chmod(dir, 0o777)
			return dir, dir, dir, "writable by users other than its owner"
		},
		"folder writable by group": func(t *testing.T) (string, string, string, string) {
			dir := t.TempDir()
			fakeDot(t, dir, "exit 0")
			os.Chmod(dir, 0o775)
			return dir, dir, dir, "writable by users other than its owner"
		},
		"file writable by others": func(t *testing.T) (string, string, string, string) {
			dir := t.TempDir()
			p := fakeDot(t, dir, "exit 0")
			os.Chmod(p, 0o757)
			return dir, dir, p, "writable by users other than its owner"
		},
		"symlink into a folder others can write": func(t *testing.T) (string, string, string, string) {
			bin, evil := t.TempDir(), t.TempDir()
			fakeDot(t, evil, "exit 0")
			os.Chmod(evil, 0o777)
			if err := os.Symlink(filepath.Join(evil, "dot"), filepath.Join(bin, "dot")); err != nil {
				t.Fatal(err)
			}
			return bin, evil, evil, "writable by users other than its owner"
		},
	}
	if os.Geteuid() == 0 {
		cases["file of another user"] = func(t *testing.T) (string, string, string, string) {
			dir := t.TempDir()
			p := fakeDot(t, dir, "exit 0")
			if err := os.Chown(p, 65534, 65534); err != nil {
				t.Fatal(err)
			}
			return dir, dir, p, "belongs to uid 65534, neither root nor the user running bondaudit"
		}
		cases["folder of another user"] = func(t *testing.T) (string, string, string, string) {
			dir := t.TempDir()
			fakeDot(t, dir, "exit 0")
			if err := os.Chown(dir, 65534, 65534); err != nil {
				t.Fatal(err)
			}
			return dir, dir, dir, "belongs to uid 65534"
		}
	} else {
		t.Log("not root: the cases of files owned by another user are left out")
	}
	for name, setup := range cases {
		t.Run(name, func(t *testing.T) {
			pathDir, scriptDir, bad, why := setup(t)
			t.Setenv("PATH", pathDir)
			_, err := smallSVG(t)
			if err == nil {
				t.Error("no error: the dot was accepted")
			} else if !strings.Contains(err.Error(), "refusing to run Graphviz's dot at "+filepath.Join(pathDir, "dot")) ||
				!strings.Contains(err.Error(), bad+" ") || !strings.Contains(err.Error(), why) {
				t.Errorf("error %q\nshould name %s and say %q", err, bad, why)
			}
			if _, err := os.Stat(filepath.Join(scriptDir, "ran")); err == nil {
				t.Error("the refused dot ran")
			}
		})
	}
}

// TestSVGRunsTrustedFakeDot: a dot in a folder only the caller can write
// (t.TempDir under the sticky /tmp) is run, without GVBINDIR (which would
// load plugins from elsewhere), with the DOT on its stdin.
func TestSVGRunsTrustedFakeDot(t *testing.T) {
	dir := t.TempDir()
	fakeDot(t, dir, `echo "<svg><!-- ${GVBINDIR:-no-GVBINDIR} --><text>&#45;$(grep -c d-graph)</text></svg>"`)
	t.Setenv("PATH", dir)
	t.Setenv("GVBINDIR", filepath.Join(dir, "plugins"))
	got, err := smallSVG(t)
	if err != nil {
		t.Fatal(err)
	}
	if want := "<svg><text>-1</text></svg>\n"; string(got) != want {
		t.Errorf("SVG %q, want %q (comments dropped, &#45; as -, the DOT on stdin)", got, want)
	}
	if _, err := os.Stat(filepath.Join(dir, "ran")); err != nil {
		t.Error("the fake dot did not run")
	}
}

// TestSVGBoundsDot: dot's time and output are bounded, and its stderr is
// in the error, clipped.
func TestSVGBoundsDot(t *testing.T) {
	for _, tc := range []struct {
		name, body, want string
	}{
		{"too slow", "exec sleep 30", "took longer than 300ms"},
		{"too much", "exec yes '<svg>'", "wrote more than 100000 bytes of SVG"},
		{"fails", `i=0; while [ $i -lt 500 ]; do printf 'Error: syntax error in line %d\n' $i >&2; i=$((i+1)); done; exit 3`,
			"-Tsvg: exit status 3: Error: syntax error in line 0\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			fakeDot(t, dir, "cat >/dev/null\n"+tc.body)
			t.Setenv("PATH", dir)
			defer func(d time.Duration, n int64) { DotTimeout, MaxSVGSize = d, n }(DotTimeout, MaxSVGSize)
			DotTimeout, MaxSVGSize = 300*time.Millisecond, 100000
			start := time.Now()
			_, err := smallSVG(t)
			if took := time.Since(start); took > 10*time.Second {
				t.Errorf("took %v", took)
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err %v, want %q", err, tc.want)
			}
			if len(err.Error()) > 2500 {
				t.Errorf("error of %d bytes: dot's stderr is not clipped", len(err.Error()))
			}
		})
	}
}

// TestTrustedPathOfSystemDot: the Debian dot (/usr/bin/dot, a symbolic
// link to /usr/sbin/libgvc6-config-update) is trusted.
func TestTrustedPathOfSystemDot(t *testing.T) {
	p, err := findDot()
	if errors.Is(err, ErrNoDot) {
		t.Skip(err)
	}
	if err != nil {
		t.Fatal(err)
	}
	if !filepath.IsAbs(p) {
		t.Errorf("findDot returned %q, not an absolute path", p)
	}
}
