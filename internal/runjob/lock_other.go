//go:build !unix

package runjob

import (
	"errors"
	"io/fs"
	"os"
)

func openLockFile(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
}

func tryLock(*os.File) (bool, error) {
	return false, errors.New("bondaudit run needs flock(2): a Unix system")
}

// idOf knows no inodes here: loops are caught by the depth limit.
func idOf(fs.FileInfo) fileID { return fileID{} }
