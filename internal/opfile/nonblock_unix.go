//go:build unix

package opfile

import "syscall"

// nonblock: a FIFO swapped in after the first stat does not block the open.
const nonblock = syscall.O_NONBLOCK
