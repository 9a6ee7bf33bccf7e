package fleet

import (
	"errors"
	"os"
	"path/filepath"
)

// replaceDirAside moves dst aside (to a hidden name), renames tmp to dst
// and removes the old folder: for file systems without an atomic swap.
func replaceDirAside(tmp, dst string) error {
	st, err := os.Lstat(dst)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return os.Rename(tmp, dst)
	case err != nil:
		return err
	case !st.IsDir():
		// a file in the way (not a capture): replace it
		if err := os.Remove(dst); err != nil {
			return err
		}
		return os.Rename(tmp, dst)
	}
	aside, err := os.MkdirTemp(filepath.Dir(dst), ".fleet-old-")
	if err != nil {
		return err
	}
	if err := os.Rename(dst, filepath.Join(aside, "x")); err != nil {
		os.Remove(aside)
		return err
	}
	if err := os.Rename(tmp, dst); err != nil {
		os.Rename(filepath.Join(aside, "x"), dst)
		os.Remove(aside)
		return err
	}
	return os.RemoveAll(aside)
}
