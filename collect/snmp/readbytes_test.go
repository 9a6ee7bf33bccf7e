package snmp

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/bondaudit/bondaudit/vendors"
)

type bytesReader func(data []byte, readErr error, name string) ([]vendors.VarBind, []error)

// sameAsBytes checks that reading data whole gives what the streaming
// reader gave (vbs, errs), and that what it returns does not refer to
// data: scribbling over the buffer afterwards changes nothing.
func sameAsBytes(t *testing.T, data []byte, vbs []vendors.VarBind, errs []error, read bytesReader) {
	t.Helper()
	buf := bytes.Clone(data)
	got, gotErrs := read(buf, nil, "fuzz")
	for i := range buf {
		buf[i] = 'X'
	}
	if !reflect.DeepEqual(vbs, got) {
		t.Fatalf("read whole differs from streamed (-streamed +whole):\n%s", cmp.Diff(vbs, got))
	}
	if a, b := fmt.Sprint(errs), fmt.Sprint(gotErrs); a != b {
		t.Fatalf("errors read whole differ:\nstreamed %s\nwhole    %s", a, b)
	}
}

// failAfter gives data, then err (with the last bytes, as a file read
// that fails part way does).
type failAfter struct {
	data []byte
	err  error
}

func (f *failAfter) Read(p []byte) (int, error) {
	n := copy(p, f.data)
	f.data = f.data[n:]
	if len(f.data) == 0 {
		return n, f.err
	}
	return n, nil
}

// TestReadBytesSameAsStreamed: every test file and recorded fixture read
// whole (ReadSnmprecBytes, ReadSnmpwalkBytes, as collect.LoadSite reads a
// site's walks) gives the varbinds and errors the streaming reader gives,
// also when reading stops with an error part way through a line.
func TestReadBytesSameAsStreamed(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*"))
	fx, _ := filepath.Glob(filepath.Join(fixtureDir, "*"))
	files = append(files, fx...)
	n := 0
	for _, p := range files {
		streamed, whole := ReadSnmpwalk, ReadSnmpwalkBytes
		switch {
		case strings.HasSuffix(p, ".snmprec"):
			streamed, whole = ReadSnmprec, ReadSnmprecBytes
		case strings.HasSuffix(p, ".walk"), strings.HasSuffix(p, ".snmpwalk"):
		default:
			continue
		}
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		n++
		t.Run(filepath.Base(p), func(t *testing.T) {
			vbs, errs := streamed(bytes.NewReader(data), "fuzz")
			sameAsBytes(t, data, vbs, errs, whole)
			// A read that fails after 2/3 of the file.
			cut := len(data) * 2 / 3
			boom := errors.New("read fails")
			vbs, errs = streamed(&failAfter{data: data[:cut], err: boom}, "fuzz")
			got, gotErrs := whole(bytes.Clone(data[:cut]), boom, "fuzz")
			if diff := cmp.Diff(vbs, got); diff != "" {
				t.Fatalf("cut read whole differs (-streamed +whole):\n%s", diff)
			}
			if a, b := fmt.Sprint(errs), fmt.Sprint(gotErrs); a != b {
				t.Fatalf("cut errors differ:\nstreamed %s\nwhole    %s", a, b)
			}
			if len(data) > 0 && !errors.Is(gotErrs[len(gotErrs)-1], boom) {
				t.Fatalf("the read error is not reported: %v", gotErrs)
			}
		})
	}
	if n < 5 {
		t.Fatalf("only %d walk files found", n)
	}
}

// TestReadBytesLongLines: lines at and over maxLineLen, with and without a
// final newline, are kept or skipped read whole as when streamed.
func TestReadBytesLongLines(t *testing.T) {
	pre := "1.3.6.1.2.1.1.2.0|4|"
	line := func(total int) string { return pre + strings.Repeat("x", total-len(pre)) }
	for i, in := range []string{
		line(maxLineLen-1) + "\n1.3.6.1.2.1.1.3.0|67|5\n",
		line(maxLineLen) + "\n1.3.6.1.2.1.1.3.0|67|5\n",
		"1.3.6.1.2.1.1.3.0|67|5\n" + line(maxLineLen),
		"1.3.6.1.2.1.1.3.0|67|5\n" + line(maxLineLen+1),
		"\xef\xbb\xbf1.3.6.1.2.1.1.3.0|67|5\r\n\r\n",
	} {
		vbs, errs := ReadSnmprec(strings.NewReader(in), "fuzz")
		sameAsBytes(t, []byte(in), vbs, errs, ReadSnmprecBytes)
		if i == 1 && len(errs) != 1 {
			t.Errorf("case %d: want the long line skipped, got %v", i, errs)
		}
	}
}

// fuzzReader is one WalkReader the fuzz targets reuse from input to input,
// as a pooled one is.
var fuzzReader struct {
	sync.Mutex
	r WalkReader
}

// sameAsPooled checks that a reused WalkReader reads data into the walk of
// the varbinds read streamed, with the same errors.
func sameAsPooled(t *testing.T, data []byte, vbs []vendors.VarBind, errs []error, snmprec bool) {
	t.Helper()
	fuzzReader.Lock()
	defer fuzzReader.Unlock()
	read := fuzzReader.r.ReadSnmpwalk
	if snmprec {
		read = fuzzReader.r.ReadSnmprec
	}
	w, gotErrs := read(bytes.Clone(data), nil, "fuzz")
	if want := vendors.NewWalk(vbs).All(); !reflect.DeepEqual(w.All(), want) && (len(want) > 0 || w.Len() > 0) {
		t.Fatalf("pooled reader differs from streamed (-streamed +pooled):\n%s", cmp.Diff(want, w.All()))
	}
	if a, b := fmt.Sprint(errs), fmt.Sprint(gotErrs); a != b {
		t.Fatalf("errors read pooled differ:\nstreamed %s\npooled   %s", a, b)
	}
	fuzzReader.r.Release()
}
