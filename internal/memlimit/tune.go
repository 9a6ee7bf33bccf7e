package memlimit

import (
	"runtime/debug"
	"strings"
)

// GCSetting says how the collector was tuned, for --log-level debug.
type GCSetting struct {
	GOGC        string // "env" when GOGC was set, else "curve" (GCPercentFor: 400 falling toward 100)
	Headroom    int64  // the curve's headroom (HeadroomFor); 0 when GOGC was set
	SoftLimit   int64  // bytes set by TuneGC; 0 when none was set (GOMEMLIMIT, or no cgroup limit)
	LimitSource string // "GOMEMLIMIT", "cgroup v2 /sys/fs/cgroup/…/memory.max", or "none"
}

// MemLimitShare is the part of a cgroup's memory limit that the Go heap may
// fill before the collector works harder: the rest is for the runtime's own
// overhead, stacks and the page cache of the files read (which the cgroup
// charges too).
const MemLimitShare = 0.85

// TuneGC sets the collector's soft memory limit only where a hard limit
// exists: in a container or under systemd (MemoryMax=) the cgroup's limit
// would kill the process, so the heap is held to MemLimitShare of it and
// the collector works harder instead. Without a cgroup limit no soft limit
// is set: a fixed soft limit below the live heap makes the collector run
// almost continuously (the 100,000-host audit spent 120 s of CPU in it).
// GOGC follows the live heap (GCPercentFor: at most a quarter of the
// memory found more heap than GOGC=100 would allow), and a soft limit caps
// it as it caps GOGC=100. GOGC and GOMEMLIMIT in the environment win.
func TuneGC(root string, getenv func(string) string) GCSetting {
	s := GCSetting{GOGC: "curve"}
	l := Find(root)
	if getenv("GOGC") != "" {
		s.GOGC = "env"
	} else {
		h := HeadroomFor(l.Bytes)
		s.Headroom = int64(h)
		startCurve(h)
	}
	if getenv("GOMEMLIMIT") != "" {
		s.LimitSource = "GOMEMLIMIT"
		return s
	}
	if l.Bytes == 0 || !strings.HasPrefix(l.Source, "cgroup") {
		s.LimitSource = "none"
		return s
	}
	s.SoftLimit = int64(float64(l.Bytes) * MemLimitShare)
	s.LimitSource = l.Source
	debug.SetMemoryLimit(s.SoftLimit)
	return s
}
