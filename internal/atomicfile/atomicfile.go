// Package atomicfile is bondaudit's one writer for output files (-o,
// --save-baseline, snapshots). It never damages what it writes to:
//
//   - a regular file is replaced atomically: the new content goes to a
//     temporary file in the same folder, which is fsynced, given the old
//     file's mode (and owner, when allowed), renamed over the file, and the
//     folder is fsynced after the rename. A reader sees the old file or the
//     new one, never half of one. A new file gets 0644 minus the umask.
//   - a symlink is followed (a dangling one creates its target) and the
//     target is replaced as above; the link itself stays.
//   - a device, a FIFO, "-" (stdout) and /dev/stdout-style links to an open
//     descriptor are written in place: opened for writing, never created,
//     truncated or renamed over. A FIFO nobody reads is waited for
//     FIFOWait, then the write fails instead of hanging.
//   - errors name the file asked for (and the symlink's target), never the
//     temporary file, which is removed.
//   - temporary files a killed run left behind (".<name>.bondaudit-tmp-<pid>-<random>")
//     are removed on the next write to the same folder once their process
//     is gone or they are older than StaleAfter.
package atomicfile

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// FIFOWait is how long writing to a FIFO waits for a reader to open it.
var FIFOWait = 10 * time.Second

// StaleAfter is the age after which a leftover temporary file is removed
// even when a process with its pid exists (pid reuse, another namespace).
var StaleAfter = 15 * time.Minute

// tmpMarker is in every temporary file's name: ".<base>" + tmpMarker + "<pid>-<random>".
const tmpMarker = ".bondaudit-tmp-"

// Error is a failed write. Its message names Path (and Target when Path is
// a symlink), never the temporary file.
type Error struct {
	Path   string // the file asked for
	Target string // what Path resolves to, when it is a symlink
	Op     string // what failed: "creating a temporary file in DIR", "write", "rename", …
	Err    error
}

func (e *Error) Error() string {
	s := "writing " + e.Path
	if e.Target != "" && e.Target != e.Path {
		s += " (symlink to " + e.Target + ")"
	}
	if e.Op != "" {
		s += ": " + e.Op
	}
	return s + ": " + e.Err.Error()
}

func (e *Error) Unwrap() error { return e.Err }

// WriteFile writes data to path; see Write.
func WriteFile(path string, data []byte) error {
	return Write(path, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// Write calls write with a buffered writer whose content ends up in path,
// as the package documentation describes. "-" is the process's stdout.
func Write(path string, write func(io.Writer) error) error {
	if path == "" {
		return &Error{Path: `""`, Err: errors.New("no file name")}
	}
	if path == "-" {
		if op, err := run(os.Stdout, write); err != nil {
			return &Error{Path: "stdout", Op: op, Err: err}
		}
		return nil
	}
	target, fdLink, op, err := resolve(path)
	if err != nil {
		return &Error{Path: path, Op: op, Err: cause(err)}
	}
	if fdLink {
		return writeInPlace(path, path, true, write)
	}
	fi, err := os.Lstat(target)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return replace(path, target, nil, write)
	case err != nil:
		return &Error{Path: path, Target: target, Err: cause(err)}
	case fi.Mode().IsRegular():
		return replace(path, target, fi, write)
	case fi.IsDir():
		return &Error{Path: path, Target: target, Err: errors.New("is a directory")}
	case fi.Mode()&(fs.ModeDevice|fs.ModeCharDevice|fs.ModeNamedPipe) != 0:
		return writeInPlace(path, target, false, write)
	default:
		return &Error{Path: path, Target: target, Err: fmt.Errorf("not a regular file, device or FIFO (%v)", fi.Mode().Type())}
	}
}

// resolve follows path's symlinks to the file to write (which may not
// exist yet). fdLink reports a link into /proc/<pid>/fd (/dev/stdout,
// /dev/fd/N): its target names an open descriptor, not a path, so it is
// written in place through the link. op says what failed.
func resolve(path string) (target string, fdLink bool, op string, err error) {
	p := path
	for range 40 {
		fi, err := os.Lstat(p)
		if errors.Is(err, fs.ErrNotExist) {
			return p, false, "", nil
		}
		if err != nil {
			if p != path {
				op = "following the symlink to " + p
			}
			return "", false, op, err
		}
		if fi.Mode()&fs.ModeSymlink == 0 {
			return p, false, "", nil
		}
		op = "following the symlink " + p
		dir, err := filepath.EvalSymlinks(filepath.Dir(p))
		if err != nil {
			return "", false, op, err
		}
		if strings.HasPrefix(dir, "/proc/") && filepath.Base(dir) == "fd" {
			return p, true, "", nil
		}
		link, err := os.Readlink(p)
		if err != nil {
			return "", false, op, err
		}
		if !filepath.IsAbs(link) {
			link = filepath.Join(dir, link)
		}
		p = link
	}
	return "", false, "following the symlink", errors.New("too many levels of symbolic links")
}

// replace writes target through a temporary file and a rename. old is the
// existing file, nil for a new one.
func replace(path, target string, old fs.FileInfo, write func(io.Writer) error) error {
	fail := func(op string, err error) error {
		return &Error{Path: path, Target: target, Op: op, Err: cause(err)}
	}
	dir, base := filepath.Dir(target), filepath.Base(target)
	removeStale(dir)
	perm := fs.FileMode(0o644) // minus the umask, applied by the kernel
	if old != nil {
		perm = 0o600 // until the old mode is set, after the content is written
	}
	f, tmp, err := createTemp(dir, base, perm)
	if err != nil {
		return fail("creating a temporary file in "+dir, err)
	}
	done := false
	defer func() {
		if !done {
			f.Close()
			os.Remove(tmp)
		}
	}()
	if op, err := run(f, write); err != nil {
		return fail(op, err)
	}
	if old != nil {
		keepOwner(f, old)
		if err := f.Chmod(old.Mode() & (fs.ModePerm | fs.ModeSetuid | fs.ModeSetgid | fs.ModeSticky)); err != nil {
			return fail("keeping the file mode", err)
		}
	}
	if err := f.Sync(); err != nil {
		return fail("fsync", err)
	}
	if err := f.Close(); err != nil {
		return fail("close", err)
	}
	if err := os.Rename(tmp, target); err != nil {
		return fail("rename", err)
	}
	done = true
	if err := syncDir(dir); err != nil {
		return fail("fsync of the folder "+dir+" after the rename", err)
	}
	return nil
}

// tmpPrefix is the start of every temporary file name for base; long
// names are shortened so that the temporary name stays within NAME_MAX.
func tmpPrefix(base string) string {
	if len(base) > 200 {
		base = base[:200]
	}
	return "." + base + tmpMarker
}

func createTemp(dir, base string, perm fs.FileMode) (*os.File, string, error) {
	prefix := tmpPrefix(base) + strconv.Itoa(os.Getpid()) + "-"
	for range 100 {
		name := filepath.Join(dir, prefix+strconv.FormatUint(uint64(rand.Uint32()), 16))
		f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		return f, name, err
	}
	return nil, "", errors.New("no unused temporary file name")
}

var scanned sync.Map // folder → time of its last stale-file scan

// removeStale removes the temporary files a killed run left in dir: those
// whose process is gone, or older than StaleAfter. A folder is scanned at
// most once a minute per process, so collecting thousands of switches into
// one folder does not read it thousands of times.
func removeStale(dir string) {
	now := time.Now()
	if t, ok := scanned.Load(dir); ok && now.Sub(t.(time.Time)) < time.Minute {
		return
	}
	scanned.Store(dir, now)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		name := e.Name()
		i := strings.LastIndex(name, tmpMarker)
		if !strings.HasPrefix(name, ".") || i < 0 || !e.Type().IsRegular() {
			continue
		}
		pidStr, rnd, ok := strings.Cut(name[i+len(tmpMarker):], "-")
		pid, err := strconv.Atoi(pidStr)
		if _, herr := strconv.ParseUint(rnd, 16, 32); !ok || err != nil || herr != nil || pid <= 0 {
			continue
		}
		info, err := e.Info()
		if err != nil {
			continue
		}
		old := now.Sub(info.ModTime()) > StaleAfter
		if old || (pid != os.Getpid() && !pidAlive(pid)) {
			os.Remove(filepath.Join(dir, name))
		}
	}
}

// run calls write with a buffered writer on w. op is "write" when writing
// to w failed (err is then the system's error, without the file name).
func run(w io.Writer, write func(io.Writer) error) (op string, err error) {
	ew := &errWriter{w: w}
	bw := bufio.NewWriterSize(ew, 64<<10)
	err = write(bw)
	if err == nil {
		err = bw.Flush()
	}
	if ew.err != nil {
		return "write", ew.err
	}
	return "", err
}

// errWriter keeps the first write error, stripped of the file's name.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	n, err := e.w.Write(p)
	if err != nil {
		if e.err == nil {
			e.err = cause(err)
		}
		return n, e.err
	}
	return n, nil
}

// cause strips the path (a temporary name, say) from an os error.
func cause(err error) error {
	var pe *fs.PathError
	var le *os.LinkError
	var se *os.SyscallError
	switch {
	case errors.As(err, &pe):
		return pe.Err
	case errors.As(err, &le):
		return le.Err
	case errors.As(err, &se):
		return se.Err
	}
	return err
}
