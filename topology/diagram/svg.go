package diagram

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"time"
)

// DotTimeout bounds one run of Graphviz's dot: a layout that takes longer
// is abandoned and SVG fails.
var DotTimeout = 60 * time.Second

// MaxSVGSize bounds the SVG dot may write; more is an error.
var MaxSVGSize int64 = 256 << 20

// ErrNoDot is the error (wrapped) when Graphviz's dot is not installed.
var ErrNoDot = errors.New("drawing SVG needs Graphviz's dot, which is not on PATH")

// SVG writes the Diagram as SVG, laid out by the system's Graphviz dot
// (Debian package graphviz) from the DOT that DOT writes. dot runs as a
// child process only here, when an SVG is drawn, and only from a place no
// other user can write (see findDot); nothing is cached. Comments
// (Graphviz's version banner among them) are left out; the rest is
// deterministic for a given Diagram and Graphviz version (another version
// may lay out differently).
//
// Every node, edge and cluster is a <g> whose id is Anchor of its stable ID
// (d-h_web01, d-b_web01__bond0__leaf1a__Port_2dChannel1, …) and whose
// class names its kind and severity (host sev-error, bond single-homed, …).
func (d *Diagram) SVG(w io.Writer) error {
	svg, err := d.renderSVG()
	if err != nil {
		return err
	}
	_, err = w.Write(svg)
	return err
}

func (d *Diagram) renderSVG() ([]byte, error) {
	var src bytes.Buffer
	if err := d.DOT(&src); err != nil {
		return nil, err
	}
	svg, err := graphvizSVG(src.Bytes())
	if err != nil {
		return nil, fmt.Errorf("diagram: SVG: %w", err)
	}
	return cleanSVG(svg), nil
}

// graphvizSVG lays out DOT source with Graphviz's dot and renders SVG:
// DOT on dot's stdin, SVG from its stdout, within DotTimeout and
// MaxSVGSize.
func graphvizSVG(src []byte) ([]byte, error) {
	dot, err := findDot()
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), DotTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, dot, "-Tsvg")
	cmd.Dir = "/"
	cmd.Env = dotEnv(os.Environ())
	cmd.Stdin = bytes.NewReader(src)
	out := &cappedWriter{max: MaxSVGSize, full: cancel}
	stderr := &clipWriter{max: 2000}
	cmd.Stdout, cmd.Stderr = out, stderr
	cmd.WaitDelay = 5 * time.Second
	err = cmd.Run()
	switch {
	case out.over:
		return nil, fmt.Errorf("%s wrote more than %d bytes of SVG", dot, MaxSVGSize)
	case ctx.Err() == context.DeadlineExceeded:
		return nil, fmt.Errorf("%s took longer than %v to lay out the diagram", dot, DotTimeout)
	case err != nil:
		if msg := strings.TrimSpace(stderr.String()); msg != "" {
			return nil, fmt.Errorf("%s -Tsvg: %v: %s", dot, err, msg)
		}
		return nil, fmt.Errorf("%s -Tsvg: %v", dot, err)
	}
	return out.buf.Bytes(), nil
}

// dotEnv is env without GVBINDIR, which would make dot load its plugins
// (code) from another folder than the system's.
func dotEnv(env []string) []string {
	var out []string
	for _, kv := range env {
		if !strings.HasPrefix(kv, "GVBINDIR=") {
			out = append(out, kv)
		}
	}
	return out
}

// findDot looks dot up in PATH and returns its absolute path when no user
// other than root and the caller could have put it there: see trustedPath.
func findDot() (string, error) {
	p, err := exec.LookPath("dot")
	if errors.Is(err, exec.ErrDot) {
		return "", fmt.Errorf("refusing to run Graphviz's dot at %s: found through a relative folder in PATH", p)
	}
	if err != nil {
		return "", fmt.Errorf("%w: install Graphviz (apt install graphviz), or draw with --format dot or --format mermaid", ErrNoDot)
	}
	if p, err = filepath.Abs(p); err != nil {
		return "", err
	}
	if err := trustedPath(p, os.Geteuid()); err != nil {
		return "", fmt.Errorf("refusing to run Graphviz's dot at %s: %w", p, err)
	}
	return p, nil
}

// trustedPath checks every name the kernel follows to reach path (each
// folder from /, each symbolic link and the folders of its target, and the
// file it ends at): each must belong to root or uid, and none may be
// writable by group or others, except a folder with the sticky bit (/tmp),
// where others cannot replace what is not theirs. The file must be a
// regular file. The error names the offending path and why.
func trustedPath(path string, uid int) error {
	if err := trustedEntry("/", uid); err != nil {
		return err
	}
	todo := strings.Split(path, "/")
	cur, links := "/", 0
	for len(todo) > 0 {
		name := todo[0]
		todo = todo[1:]
		switch name {
		case "", ".":
			continue
		case "..":
			cur = filepath.Dir(cur)
			continue
		}
		next := filepath.Join(cur, name)
		if err := trustedEntry(next, uid); err != nil {
			return err
		}
		fi, err := os.Lstat(next)
		if err != nil {
			return err
		}
		if fi.Mode()&fs.ModeSymlink != 0 {
			if links++; links > 40 {
				return fmt.Errorf("%s: too many symbolic links", path)
			}
			target, err := os.Readlink(next)
			if err != nil {
				return err
			}
			if filepath.IsAbs(target) {
				cur = "/"
			}
			todo = append(strings.Split(target, "/"), todo...)
			continue
		}
		if len(todo) > 0 && !fi.IsDir() {
			return fmt.Errorf("%s is not a folder", next)
		}
		cur = next
	}
	if fi, err := os.Stat(cur); err != nil {
		return err
	} else if !fi.Mode().IsRegular() {
		return fmt.Errorf("%s is not a regular file", cur)
	}
	return nil
}

// trustedEntry checks one name of trustedPath.
func trustedEntry(p string, uid int) error {
	fi, err := os.Lstat(p)
	if err != nil {
		return err
	}
	if st, ok := fi.Sys().(*syscall.Stat_t); ok && st.Uid != 0 && int(st.Uid) != uid {
		return fmt.Errorf("%s belongs to uid %d, neither root nor the user running bondaudit", p, st.Uid)
	}
	m := fi.Mode()
	if m&fs.ModeSymlink == 0 && m.Perm()&0o022 != 0 && !(m.IsDir() && m&fs.ModeSticky != 0) {
		return fmt.Errorf("%s is writable by users other than its owner (mode %v)", p, m)
	}
	return nil
}

// cappedWriter keeps up to max bytes; past that it fails and calls full
// (which stops dot).
type cappedWriter struct {
	buf  bytes.Buffer
	max  int64
	over bool
	full func()
}

func (w *cappedWriter) Write(p []byte) (int, error) {
	if int64(w.buf.Len())+int64(len(p)) > w.max {
		w.over = true
		w.full()
		return 0, errors.New("output too large")
	}
	return w.buf.Write(p)
}

// clipWriter keeps the first max bytes written to it and drops the rest.
type clipWriter struct {
	buf     bytes.Buffer
	max     int
	clipped bool
}

func (w *clipWriter) Write(p []byte) (int, error) {
	if room := w.max - w.buf.Len(); len(p) > room {
		w.buf.Write(p[:max(room, 0)])
		w.clipped = true
	} else {
		w.buf.Write(p)
	}
	return len(p), nil
}

func (w *clipWriter) String() string {
	if w.clipped {
		return w.buf.String() + " …"
	}
	return w.buf.String()
}

var svgComment = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?s)<!--.*?-->\n?`) })

// cleanSVG drops comments (the Graphviz version banner, a comment per
// element) and writes '-', which Graphviz escapes as &#45; so that it can
// put names in comments, as itself.
func cleanSVG(svg []byte) []byte {
	svg = svgComment().ReplaceAll(svg, nil)
	return bytes.ReplaceAll(svg, []byte("&#45;"), []byte("-"))
}
