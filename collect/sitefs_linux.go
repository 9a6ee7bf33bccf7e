package collect

import (
	"os"
	"syscall"
	"time"
)

// readAt opens name relative to the folder's descriptor with O_NOFOLLOW
// (name is one component, so nothing leads out of the folder, which is
// itself beneath the site's root) and reads it when it is a regular file
// within the per-file cap. ok is false when the file is not read that way:
// the caller then reads it through the site's root.
func (d *siteFolder) readAt(name, full string, buf []byte) (b []byte, mod time.Time, ok bool, err error) {
	if !d.descriptor() {
		return nil, time.Time{}, false, nil
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

// descriptor sets d.dirfd, the open folder's descriptor (valid while d is
// open); false when there is none to use.
func (d *siteFolder) descriptor() bool {
	if d.dirfd >= 0 {
		return true
	}
	rc, err := d.File.SyscallConn()
	if err != nil {
		return false
	}
	return rc.Control(func(fd uintptr) { d.dirfd = int(fd) }) == nil && d.dirfd >= 0
}

// openFolderAt opens the folder name relative to d's descriptor, with
// O_NOFOLLOW and O_DIRECTORY (one component: nothing leads out of d, which
// is beneath the site's root). nil when it is not a folder opened that way
// (a symlink, gone, not a folder): the caller then goes through the root.
func (d *siteFolder) openFolderAt(name string) *siteFolder {
	if !d.descriptor() {
		return nil
	}
	for {
		fd, err := syscall.Openat(d.dirfd, name, syscall.O_RDONLY|syscall.O_DIRECTORY|syscall.O_NOFOLLOW|syscall.O_CLOEXEC, 0)
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return nil
		}
		full := d.join(name)
		return &siteFolder{File: os.NewFile(uintptr(fd), full), s: d.s, name: full, dirfd: fd}
	}
}
