package vendors

import (
	"fmt"
	"strings"
	"testing"
	"unsafe"
)

// TestStrsKeepsWhatItGave: strings made by a strs, of every length around
// its chunk size and its long-string limit, from bytes, strings and as
// hex, keep their text while more are made after them (in the same chunk
// and in new ones), and short ones share chunks.
func TestStrsKeepsWhatItGave(t *testing.T) {
	var a strs
	var got, want []string
	buf := []byte{}
	for i := range 400 {
		n := (i * 37) % (strsChunk/2 + 40)
		text := strings.Repeat(string(rune('a'+i%26)), n) + fmt.Sprint(i)
		buf = append(buf[:0], text...)
		switch i % 3 {
		case 0:
			got = append(got, a.bytes(buf))
			want = append(want, text)
		case 1:
			got = append(got, a.string(text))
			want = append(want, text)
		case 2:
			got = append(got, a.hex(buf))
			want = append(want, HexString(buf))
		}
		for j := range buf {
			buf[j] = 'X' // the source changes: the string must not
		}
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("string %d: %q, want %q", i, got[i], want[i])
		}
	}
	if a.bytes(nil) != "" || a.string("") != "" || a.hex(nil) != "" {
		t.Error("empty input: want empty strings")
	}
	var nilStrs *strs
	if h := nilStrs.hex([]byte{0, 0x1c, 0xff}); h != "00:1c:ff" {
		t.Errorf("nil strs hex: %q", h)
	}
	x, y := a.string("short one"), a.string("short two")
	if d := uintptr(unsafe.Pointer(unsafe.StringData(y))) - uintptr(unsafe.Pointer(unsafe.StringData(x))); d != uintptr(len(x)) {
		t.Errorf("two short strings not adjacent in one chunk (%d bytes apart)", d)
	}
}
