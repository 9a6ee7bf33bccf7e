//go:build !linux

package collect

import (
	"errors"
	"io/fs"
	"time"

	"github.com/bondaudit/bondaudit/collect/host"
)

// readAt is Linux's fast path; elsewhere every file is read through the
// site's root.
func (d *siteFolder) readAt(name string, buf []byte) ([]byte, time.Time, bool, error) {
	return nil, time.Time{}, false, nil
}

func (d *siteFolder) descriptor() bool { return false }

func (d *siteFolder) openFolderAt(name string) *siteFolder { return nil }

// listFolder is Linux's getdents64 listing; elsewhere os.File.ReadDir lists.
func (d *siteFolder) listFolder() ([]fs.DirEntry, bool, error) { return nil, false, nil }

func (d *siteFolder) listEntries(dst []host.Entry) ([]host.Entry, bool, error) {
	return dst, false, nil
}

// readFD and closeFD serve Linux's descriptor-only files and folders,
// which are not made elsewhere.
func readFD(fd int, p []byte) (int, error) { return 0, errors.ErrUnsupported }

func closeFD(fd int) error { return errors.ErrUnsupported }

// Release is Linux's reuse of descriptor-only folders, not made elsewhere.
func (d *siteFolder) Release() {}
