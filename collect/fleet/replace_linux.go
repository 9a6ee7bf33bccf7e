package fleet

import (
	"errors"
	"os"

	"golang.org/x/sys/unix"
)

// replaceDir puts the folder tmp at dst: when dst exists, the two are
// swapped in one step (renameat2 RENAME_EXCHANGE: a reader sees the old
// capture or the new, never none) and the old one, now at tmp, removed.
func replaceDir(tmp, dst string) error {
	err := unix.Renameat2(unix.AT_FDCWD, tmp, unix.AT_FDCWD, dst, unix.RENAME_EXCHANGE)
	switch {
	case err == nil:
		return os.RemoveAll(tmp)
	case errors.Is(err, unix.ENOENT):
		return os.Rename(tmp, dst)
	case errors.Is(err, unix.EINVAL), errors.Is(err, unix.ENOSYS):
		return replaceDirAside(tmp, dst)
	}
	return &os.LinkError{Op: "rename", Old: tmp, New: dst, Err: err}
}
