package collect

import (
	"syscall"
	"time"
)

// readAt opens name relative to the folder's descriptor with O_NOFOLLOW
// (name is one component, so nothing leads out of the folder, which is
// itself beneath the site's root) and reads it when it is a regular file
// within the per-file cap. ok is false when the file is not read that way:
// the caller then reads it through the site's root.
func (d *siteFolder) readAt(name, full string, buf []byte) (b []byte, mod time.Time, ok bool, err error) {
	if d.dirfd < 0 {
		rc, err := d.File.SyscallConn()
		if err != nil {
			return nil, time.Time{}, false, nil
		}
		if rc.Control(func(fd uintptr) { d.dirfd = int(fd) }) != nil {
			return nil, time.Time{}, false, nil
		}
	}
	var fd int
	for {
		fd, err = syscall.Openat(d.dirfd, name, syscall.O_RDONLY|syscall.O_NOFOLLOW|syscall.O_NONBLOCK|syscall.O_NOCTTY|syscall.O_CLOEXEC, 0)
		if err != syscall.EINTR {
			break
		}
	}
	if err != nil {
		return nil, time.Time{}, false, nil
	}
	defer syscall.Close(fd)
	var st syscall.Stat_t
	if syscall.Fstat(fd, &st) != nil || st.Mode&syscall.S_IFMT != syscall.S_IFREG || st.Size > d.s.lim.file() {
		return nil, time.Time{}, false, nil
	}
	c := capped{s: d.s, name: full, left: d.s.lim.file(), read: func(p []byte) (int, error) {
		for {
			n, err := syscall.Read(fd, p)
			if err == syscall.EINTR {
				continue
			}
			return max(n, 0), err
		}
	}}
	if b, err = readAll(&c, st.Size, d.s.lim.file(), buf); err != nil {
		return nil, time.Time{}, true, err
	}
	return b, time.Unix(st.Mtim.Unix()), true, nil
}
