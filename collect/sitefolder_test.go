package collect

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
)

// countingFile serves data the way a regular file does (a read returns
// what is asked for until the end, then 0 and io.EOF) and counts reads.
type countingFile struct {
	data  []byte
	reads int
}

func (c *countingFile) Read(p []byte) (int, error) {
	c.reads++
	if len(c.data) == 0 {
		return 0, io.EOF
	}
	n := copy(p, c.data)
	c.data = c.data[n:]
	return n, nil
}

// A file whose size fstat gave is read with one read into a buffer that is
// reused (no allocation when it is large enough); a file that grew since is
// read to its end; under the caps, one that grew past the per-file cap is
// refused even though its fstat size was under it.
func TestReadAllOneRead(t *testing.T) {
	data := bytes.Repeat([]byte("0123456789"), 1000)
	buf := make([]byte, 0, 20000)
	c := &countingFile{data: data}
	b, err := readAll(c, int64(len(data)), 1<<20, buf)
	if err != nil || !bytes.Equal(b, data) || c.reads != 1 {
		t.Fatalf("%d bytes in %d reads, %v; want %d bytes in 1 read", len(b), c.reads, err, len(data))
	}
	if &b[0] != &buf[:1][0] {
		t.Error("the buffer given was not used")
	}
	grown := append(bytes.Clone(data), "and more since the stat"...)
	c = &countingFile{data: grown}
	if b, err = readAll(c, int64(len(data)), 1<<20, nil); err != nil || !bytes.Equal(b, grown) {
		t.Errorf("a file that grew: %d bytes, %v; want %d", len(b), err, len(grown))
	}
	empty := &countingFile{}
	if b, err = readAll(empty, 0, 1<<20, nil); err != nil || len(b) != 0 || empty.reads != 1 {
		t.Errorf("empty file: %q in %d reads, %v", b, empty.reads, err)
	}

	dir := mkSite(t, map[string]string{"hosts/h/f": strings.Repeat("x", 60)})
	s := openSite(t, dir, Limits{MaxFileBytes: 64})
	cf := &countingFile{data: bytes.Repeat([]byte("y"), 1000)}
	capd := &capped{s: s, name: "hosts/h/f", left: 64, read: cf.Read}
	if b, err = readAll(capd, 60, 64, nil); !errors.Is(err, ErrTooLarge) || len(b) != 64 {
		t.Errorf("grew past the cap: %d bytes, %v; want 64 bytes and ErrTooLarge", len(b), err)
	}
}
