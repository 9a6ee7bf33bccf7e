package host

import (
	"encoding/json"
	"os"
	"testing"
	"time"

	"github.com/bondaudit/bondaudit/topology"
)

// The read buffer is pooled and reused from file to file and from host to
// host: nothing a capture's snapshot holds may refer to it. Reading each
// test capture, then scribbling over every pooled buffer, leaves the
// snapshots as they were.
func TestSnapshotsDoNotKeepTheReadBuffer(t *testing.T) {
	fsys := os.DirFS("testdata")
	for _, dir := range []string{"capture/web01", "sosreport-db01"} {
		h, _, err := ReadCaptureFS(fsys, dir)
		if err != nil {
			t.Fatal(err)
		}
		before, _ := json.Marshal(h)
		var got []*[]byte
		for range 8 {
			b := readBufs.Get().(*[]byte)
			full := (*b)[:cap(*b)]
			for i := range full {
				full[i] = 'X'
			}
			got = append(got, b)
		}
		for _, b := range got {
			readBufs.Put(b)
		}
		if after, _ := json.Marshal(h); string(after) != string(before) {
			t.Errorf("%s: the snapshot changed with the pooled buffers:\nbefore %s\nafter  %s", dir, before, after)
		}
	}
}

// The capture reader is pooled: reading one capture after another leaves
// what the first returned as it was, and reads each as a reader of its own.
func TestCaptureReaderReuse(t *testing.T) {
	fsys := os.DirFS("testdata")
	dirs := []string{"capture/web01", "sosreport-db01", "capture/web01", "sosreport-db01"}
	var first []string
	for i, dir := range dirs {
		h, probs, err := ReadCaptureFS(fsys, dir)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(struct {
			H        any
			Problems []string
		}{h, probs})
		if i < 2 {
			first = append(first, string(b))
			continue
		}
		if string(b) != first[i-2] {
			t.Errorf("%s read after another capture differs:\n%s\nwant\n%s", dir, b, first[i-2])
		}
	}
}

// TestCollectedStringReused: a reader's Collected is CollectedString of
// the newest time read, whichever capture before it had the same second
// or another, zero or before 1970.
func TestCollectedStringReused(t *testing.T) {
	r := new(capReader)
	base := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	times := []time.Time{
		base, base.Add(300 * time.Millisecond), base.In(time.FixedZone("x", 3600)), base.Add(time.Second),
		{}, base.Add(time.Second), time.Unix(0, 0), time.Unix(-5, 0), base, base.Add(-time.Second),
	}
	for i, tm := range times {
		r.newest = tm
		if got, want := r.collectedString(), topology.CollectedString(tm); got != want {
			t.Errorf("%d: %v: %q, want %q", i, tm, got, want)
		}
	}
}
