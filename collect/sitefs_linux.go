package collect

import (
	"errors"
	"os"

	"golang.org/x/sys/unix"
)

// openBeneath opens name below the site's folder in one openat2 call with
// RESOLVE_BENEATH: the kernel resolves every component, follows a symlink
// only while it stays inside the folder, and refuses magic links (/proc).
// It is the fast path of Open (os.Root walks a path one openat per
// component); ok is false when this kernel or its seccomp filter has no
// openat2, and Open then uses os.Root for the rest of the run.
func (s *SiteDir) openBeneath(name string, flags int) (f *os.File, err error, ok bool) {
	if s.dirfd == nil || s.noOpenat2.Load() {
		return nil, nil, false
	}
	how := &unix.OpenHow{
		Flags:   uint64(flags | unix.O_CLOEXEC),
		Resolve: unix.RESOLVE_BENEATH | unix.RESOLVE_NO_MAGICLINKS,
	}
	for {
		fd, err := unix.Openat2(int(s.dirfd.Fd()), name, how)
		switch {
		case err == nil:
			return os.NewFile(uintptr(fd), s.dir+"/"+name), nil, true
		case errors.Is(err, unix.EINTR) || errors.Is(err, unix.EAGAIN):
			continue
		case errors.Is(err, unix.ENOSYS) || errors.Is(err, unix.EPERM) && !s.openat2Worked.Load():
			s.noOpenat2.Store(true)
			return nil, nil, false
		case errors.Is(err, unix.EXDEV):
			return nil, ErrLeavesSite, true
		case errors.Is(err, unix.ELOOP):
			return nil, ErrLinkLoop, true
		default:
			return nil, err, true
		}
	}
}

func openDirFD(dir string) *os.File {
	f, err := os.OpenFile(dir, os.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil
	}
	return f
}
