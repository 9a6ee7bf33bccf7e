package memlimit

import (
	"math"
	"runtime/debug"
	"testing"
)

// TuneGC on fake cgroup filesystems: a soft limit only from a cgroup's
// hard limit, GOGC on the curve unless the environment sets it, the
// environment first.
func TestTuneGC(t *testing.T) {
	v2 := map[string]string{
		"proc/self/cgroup":    "0::/system.slice/bondaudit.service\n",
		"proc/self/mountinfo": "30 23 0:26 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw,nsdelegate\n",
		"proc/meminfo":        meminfo,
		"sys/fs/cgroup/system.slice/bondaudit.service/memory.max": "402653184\n",
	}
	none := map[string]string{
		"proc/self/cgroup":         "0::/user.slice\n",
		"proc/self/mountinfo":      "30 23 0:26 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n",
		"proc/meminfo":             meminfo,
		"sys/fs/cgroup/memory.max": "max\n",
	}
	cases := []struct {
		name      string
		files     map[string]string
		env       map[string]string
		want      GCSetting
		wantLimit int64 // the runtime's soft limit afterwards
		wantCurve bool  // the curve started
	}{{
		name:      "cgroup v2 limit: 85% of it",
		files:     v2,
		want:      GCSetting{GOGC: "curve", Headroom: MinHeadroom, SoftLimit: 342255206, LimitSource: "cgroup v2 /sys/fs/cgroup/system.slice/bondaudit.service/memory.max"},
		wantLimit: 342255206,
		wantCurve: true,
	}, {
		name:      "no cgroup limit: no soft limit; a quarter of the machine's memory as headroom",
		files:     none,
		want:      GCSetting{GOGC: "curve", Headroom: 24576000 << 10 / 4, LimitSource: "none"},
		wantLimit: math.MaxInt64,
		wantCurve: true,
	}, {
		name:      "nothing readable",
		files:     map[string]string{},
		want:      GCSetting{GOGC: "curve", Headroom: MinHeadroom, LimitSource: "none"},
		wantLimit: math.MaxInt64,
		wantCurve: true,
	}, {
		name:      "GOMEMLIMIT wins over the cgroup",
		files:     v2,
		env:       map[string]string{"GOMEMLIMIT": "200MiB"},
		want:      GCSetting{GOGC: "curve", Headroom: MinHeadroom, LimitSource: "GOMEMLIMIT"},
		wantLimit: math.MaxInt64,
		wantCurve: true,
	}, {
		name:      "GOGC is the environment's; the cgroup limit still applies",
		files:     v2,
		env:       map[string]string{"GOGC": "50"},
		want:      GCSetting{GOGC: "env", SoftLimit: 342255206, LimitSource: "cgroup v2 /sys/fs/cgroup/system.slice/bondaudit.service/memory.max"},
		wantLimit: 342255206,
	}}
	oldLimit := debug.SetMemoryLimit(-1)
	oldPercent := debug.SetGCPercent(100)
	oldStart := startCurve
	started := 0
	var headroom uint64
	startCurve = func(h uint64) { started++; headroom = h }
	t.Cleanup(func() {
		debug.SetMemoryLimit(oldLimit)
		debug.SetGCPercent(oldPercent)
		startCurve = oldStart
	})
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			debug.SetMemoryLimit(math.MaxInt64)
			debug.SetGCPercent(100)
			started, headroom = 0, 0
			got := TuneGC(lay(t, c.files), func(k string) string { return c.env[k] })
			if got != c.want {
				t.Errorf("TuneGC = %+v, want %+v", got, c.want)
			}
			if l := debug.SetMemoryLimit(-1); l != c.wantLimit {
				t.Errorf("runtime soft limit %d, want %d", l, c.wantLimit)
			}
			if p := debug.SetGCPercent(100); p != 100 {
				t.Errorf("GOGC changed to %d, want it left to the curve", p)
			}
			if want := map[bool]int{true: 1}[c.wantCurve]; started != want || headroom != uint64(c.want.Headroom) {
				t.Errorf("curve started %d times with headroom %d, want %d with %d", started, headroom, want, c.want.Headroom)
			}
		})
	}
}
