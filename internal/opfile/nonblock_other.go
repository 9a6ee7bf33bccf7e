//go:build !unix

package opfile

const nonblock = 0
