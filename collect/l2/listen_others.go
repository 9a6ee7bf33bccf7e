//go:build !linux

package l2

import (
	"errors"
	"os"
)

func openSource(string) (frameSource, error) { return nil, ErrListenUnsupported }

func isTimeout(err error) bool { return errors.Is(err, os.ErrDeadlineExceeded) }
