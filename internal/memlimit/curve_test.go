package memlimit

import (
	"runtime"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// GCPercentFor: 400 while the live heap is small against the headroom, then
// falling toward 100, the heap's goal never more than the headroom above
// GOGC=100's; HeadroomFor: a quarter of the memory, at least MinHeadroom.
func TestGCPercentFor(t *testing.T) {
	const h = 1 << 30
	for _, c := range []struct {
		live uint64
		want int
	}{
		{0, 400}, {1 << 20, 400}, {h / 3, 400}, {h/3 + 1, 399},
		{h / 2, 300}, {h, 200}, {2 * h, 150}, {10 * h, 110}, {1000 * h, 100},
	} {
		if got := GCPercentFor(c.live, h); got != c.want {
			t.Errorf("GCPercentFor(%d MiB, 1 GiB) = %d, want %d", c.live>>20, got, c.want)
		}
	}
	for _, head := range []uint64{MinHeadroom, h, 6 * h} {
		for live := uint64(1 << 20); live < 64<<30; live = live*5/4 + 12345 {
			p := GCPercentFor(live, head)
			goal := live + live*uint64(p)/100
			if p > MaxGCPercent || goal < 2*live || goal > 2*live+head {
				t.Fatalf("live %d, headroom %d: GOGC %d makes the goal %d, want GOGC ≤ %d and the goal within [%d, %d]",
					live, head, p, goal, MaxGCPercent, 2*live, 2*live+head)
			}
		}
	}
	for _, c := range []struct {
		limit int64
		want  uint64
	}{{0, MinHeadroom}, {-1, MinHeadroom}, {256 << 20, MinHeadroom}, {24 << 30, 6 << 30}} {
		if got := HeadroomFor(c.limit); got != c.want {
			t.Errorf("HeadroomFor(%d) = %d, want %d", c.limit, got, c.want)
		}
	}
}

// The curve sets GOGC at once, then again after every collection from the
// live heap that collection left, and stops when told.
func TestCurveFollowsCollections(t *testing.T) {
	var mu sync.Mutex
	var set []int
	var live atomic.Uint64
	const head = 1 << 30
	c := &curve{
		headroom: head,
		set: func(p int) int {
			mu.Lock()
			defer mu.Unlock()
			set = append(set, p)
			return 100
		},
		live: live.Load,
	}
	seen := func() []int {
		mu.Lock()
		defer mu.Unlock()
		return append([]int(nil), set...)
	}
	// wait collects until the curve has set want, for up to 10 s.
	wait := func(want int) {
		t.Helper()
		for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); {
			runtime.GC()
			if s := seen(); len(s) > 0 && s[len(s)-1] == want {
				return
			}
			time.Sleep(time.Millisecond)
		}
		t.Fatalf("GOGC set to %v, want it to reach %d", seen(), want)
	}
	c.start()
	if s := seen(); len(s) != 1 || s[0] != 400 {
		t.Fatalf("start set %v, want [400] (an empty heap)", s)
	}
	live.Store(4 * head)
	wait(125)
	live.Store(2 * head)
	wait(150)

	c.stopped.Store(true)
	runtime.GC() // runs the finalizer armed before the stop, if it had not run
	time.Sleep(10 * time.Millisecond)
	n := len(seen())
	for range 3 {
		runtime.GC()
	}
	time.Sleep(10 * time.Millisecond)
	if s := seen(); len(s) != n {
		t.Errorf("GOGC set %v after the curve was stopped, want nothing after %v", s[n:], s[:n])
	}
}

// The process's curve sets the runtime's GOGC itself.
func TestCurveSetsRuntimeGOGC(t *testing.T) {
	old := debug.SetGCPercent(100)
	c := &curve{headroom: MinHeadroom, set: debug.SetGCPercent, live: func() uint64 { return 3 * MinHeadroom }}
	c.start()
	c.stopped.Store(true)
	if p := debug.SetGCPercent(old); p != 133 {
		t.Errorf("runtime GOGC %d after start with a live heap of 3×MinHeadroom, want 133", p)
	}
	if l := liveHeap(); l == 0 {
		t.Error("liveHeap read 0 bytes: /gc/heap/live:bytes missing")
	}
}
