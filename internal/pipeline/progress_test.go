package pipeline

import (
	"strings"
	"testing"
)

// TestProgressLine: nothing for a small site; for a large one the line is
// redrawn in place and ended once everything is read.
func TestProgressLine(t *testing.T) {
	var b strings.Builder
	p := ProgressLine(&b, "dc1")
	p(10, 199)
	p(199, 199)
	if b.Len() != 0 {
		t.Fatalf("a 199-input site printed %q", b.String())
	}
	p(1, 400)
	p(2, 400) // within 200 ms of the last: not drawn
	p(400, 400)
	if got, want := b.String(), "\rreading dc1: 1/400 inputs\rreading dc1: 400/400 inputs\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
