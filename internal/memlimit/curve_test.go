package memlimit

import (
	"runtime"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// GCPercentFor: 200 up to Headroom of live heap, then falling toward 100,
// and the heap's goal never more than Headroom above GOGC=100's.
func TestGCPercentFor(t *testing.T) {
	for _, c := range []struct {
		live uint64
		want int
	}{
		{0, 200}, {1 << 20, 200}, {Headroom, 200}, {Headroom + 1, 199},
		{2 * Headroom, 150}, {4 * Headroom, 125}, {10 * Headroom, 110}, {1000 * Headroom, 100},
	} {
		if got := GCPercentFor(c.live); got != c.want {
			t.Errorf("GCPercentFor(%d MiB) = %d, want %d", c.live>>20, got, c.want)
		}
	}
	for live := uint64(1 << 20); live < 64<<30; live = live*5/4 + 12345 {
		p := GCPercentFor(live)
		goal := live + live*uint64(p)/100
		if goal < 2*live || goal > 2*live+Headroom {
			t.Fatalf("live %d: GOGC %d makes the goal %d, want within [%d, %d]", live, p, goal, 2*live, 2*live+Headroom)
		}
	}
}

// The curve sets GOGC at once, then again after every collection from the
// live heap that collection left, and stops when told.
func TestCurveFollowsCollections(t *testing.T) {
	var mu sync.Mutex
	var set []int
	var live atomic.Uint64
	c := &curve{
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
	if s := seen(); len(s) != 1 || s[0] != 200 {
		t.Fatalf("start set %v, want [200] (an empty heap)", s)
	}
	live.Store(4 * Headroom)
	wait(125)
	live.Store(2 * Headroom)
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
	c := &curve{set: debug.SetGCPercent, live: func() uint64 { return 3 * Headroom }}
	c.start()
	c.stopped.Store(true)
	if p := debug.SetGCPercent(old); p != 133 {
		t.Errorf("runtime GOGC %d after start with a live heap of 3×Headroom, want 133", p)
	}
	if l := liveHeap(); l == 0 {
		t.Error("liveHeap read 0 bytes: /gc/heap/live:bytes missing")
	}
}
