package topology

import (
	"runtime"
	"sync"
)

// spanMinWeight is the least work (claims, slaves) worth a goroutine of
// its own: small sites run Build's per-host passes on one. spanMax caps
// the runs. (Variables: tests cut small sites into many runs.)
var (
	spanMinWeight = 4096
	spanMax       = 4
)

// spans splits items [0, n) into at most GOMAXPROCS (and spanMax) runs of
// consecutive items of about equal weight, cum[i] being the weight of the
// items before i (len(cum) == n+1). Runs keep their items' order, so what
// each run makes can be laid out in item order whatever the scheduling.
func spans(cum []int) [][2]int {
	n := len(cum) - 1
	w := max(1, min(runtime.GOMAXPROCS(0), spanMax, cum[n]/spanMinWeight))
	out := make([][2]int, 0, w)
	lo := 0
	for k := 1; k <= w; k++ {
		hi := n
		if k < w {
			target := cum[n] * k / w
			hi = lo
			for hi < n && cum[hi] < target {
				hi++
			}
		}
		out = append(out, [2]int{lo, hi})
		lo = hi
	}
	return out
}

// eachSpan runs f for every span, side by side, the first on this
// goroutine, and returns when all are done.
func eachSpan(sp [][2]int, f func(i, lo, hi int)) {
	var wg sync.WaitGroup
	for i := 1; i < len(sp); i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			f(i, sp[i][0], sp[i][1])
		}()
	}
	if len(sp) > 0 {
		f(0, sp[0][0], sp[0][1])
	}
	wg.Wait()
}
