//go:build unix

package atomicfile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"syscall"
	"time"
)

// writeInPlace writes an existing device or FIFO (or, with fdLink, the
// open descriptor a /proc/<pid>/fd link names, appending) without creating,
// truncating or replacing it. The open is non-blocking so that a FIFO with
// no reader is retried until FIFOWait instead of hanging; writes block.
func writeInPlace(path, target string, fdLink bool, write func(io.Writer) error) error {
	fail := func(op string, err error) error {
		return &Error{Path: path, Target: target, Op: op, Err: cause(err)}
	}
	flags := syscall.O_WRONLY | syscall.O_CLOEXEC | syscall.O_NOCTTY | syscall.O_NONBLOCK
	if fdLink {
		flags |= syscall.O_APPEND
	}
	deadline := time.Now().Add(FIFOWait)
	var fd int
	var err error
	for {
		fd, err = syscall.Open(target, flags, 0)
		if errors.Is(err, syscall.EINTR) || errors.Is(err, syscall.ENXIO) && time.Now().Before(deadline) {
			time.Sleep(20 * time.Millisecond)
			continue
		}
		break
	}
	if errors.Is(err, syscall.ENXIO) {
		return fail("open", fmt.Errorf("no process opened the FIFO for reading within %s", FIFOWait))
	}
	if err != nil {
		return fail("open", err)
	}
	if err := syscall.SetNonblock(fd, false); err != nil {
		syscall.Close(fd)
		return fail("open", err)
	}
	f := os.NewFile(uintptr(fd), target)
	defer f.Close()
	// What was opened is checked again: a device or FIFO swapped for a
	// regular file after the first look must not be overwritten in place.
	if fi, err := f.Stat(); err != nil {
		return fail("stat", err)
	} else if !fdLink && fi.Mode().IsRegular() {
		return fail("open", errors.New("became a regular file while being opened; not written"))
	}
	if op, err := run(f, write); err != nil {
		return fail(op, err)
	}
	if err := f.Close(); err != nil {
		return fail("close", err)
	}
	return nil
}

// keepOwner gives the temporary file the owner and group of the file it
// replaces, where the caller may (root may always). Best effort: a file
// that cannot keep its owner is still written, owned by the caller.
func keepOwner(f *os.File, old fs.FileInfo) {
	st, ok := old.Sys().(*syscall.Stat_t)
	if !ok {
		return
	}
	if int(st.Uid) != os.Geteuid() || int(st.Gid) != os.Getegid() {
		_ = f.Chown(int(st.Uid), int(st.Gid))
	}
}

// syncDir makes a rename in dir durable. File systems that cannot fsync a
// folder (EINVAL) are not an error.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, syscall.EINVAL) && !errors.Is(err, syscall.ENOTSUP) {
		return err
	}
	return nil
}

func pidAlive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}
