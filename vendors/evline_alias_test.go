package vendors

import (
	"testing"
	"unsafe"
)

// TestEvLineKeepsNoAlias: the evidence-line cache outlives the walk whose
// row index names a line (collect reads walks into reused buffers), so its
// keys must hold copies: a key that aliased the walk would change under the
// cache when the buffer is overwritten (and corrupt the sync.Map).
func TestEvLineKeepsNoAlias(t *testing.T) {
	buf := []byte("7.4242.99")
	lo := unsafe.String(unsafe.SliceData(buf), len(buf))
	want := evLine(evKey{form: lineRemV1, lo: lo})
	for i := range buf {
		buf[i] = 0xff
	}
	evLines.Range(func(k, _ any) bool {
		if k.(evKey).lo == string(buf) {
			t.Fatalf("the cache keeps a key aliasing the walk: %q", k.(evKey).lo)
		}
		return true
	})
	if got := evLine(evKey{form: lineRemV1, lo: "7.4242.99"}); got != want || got != "LLDP-MIB lldpRemTable.7.4242.99" {
		t.Errorf("evLine = %q after the walk's buffer changed, want %q", got, want)
	}
}
