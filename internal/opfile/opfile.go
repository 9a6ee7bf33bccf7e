// Package opfile reads an operator's file (an inventory, an ssh_config):
// trusted content, but still only a regular file, opened without blocking
// on a FIFO a glob or a typo named, and read within a size cap.
package opfile

import (
	"errors"
	"fmt"
	"io"
	"os"
)

// ErrNotRegular is returned (wrapped) for a FIFO, device or folder.
var ErrNotRegular = errors.New("not a regular file")

// TooLargeError says a file holds more than the cap.
type TooLargeError struct{ Max int64 }

func (e *TooLargeError) Error() string { return fmt.Sprintf("larger than %d bytes", e.Max) }

// Read returns the content of the regular file at path, at most max bytes.
// Errors other than os.Open's are ErrNotRegular or *TooLargeError (not
// naming path: callers put it in their own message).
func Read(path string, max int64) ([]byte, error) {
	// Stat first: opening a FIFO would block.
	if st, err := os.Stat(path); err != nil {
		return nil, err
	} else if !st.Mode().IsRegular() {
		return nil, ErrNotRegular
	}
	f, err := os.OpenFile(path, os.O_RDONLY|nonblock, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	// Again on what was opened: the name may have changed in between.
	if st, err := f.Stat(); err != nil {
		return nil, err
	} else if !st.Mode().IsRegular() {
		return nil, ErrNotRegular
	}
	data, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > max {
		return nil, &TooLargeError{Max: max}
	}
	return data, nil
}
