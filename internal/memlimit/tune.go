package memlimit

import (
	"runtime/debug"
	"strings"
)

// GCSetting says how the collector was tuned, for --log-level debug.
type GCSetting struct {
	GOGC        string // "400", or "env" when GOGC was set
	SoftLimit   int64  // bytes; 0 when GOMEMLIMIT was set or nothing was found
	LimitSource string
}

// MemLimitShare is the part of the memory available to this process that
// the Go heap may fill before the collector works harder: the rest is for
// the runtime's own overhead, stacks and the page cache of the files read.
const MemLimitShare = 0.85

// TuneGC trades memory for speed: an audit is a short batch job that builds
// one large model, so the collector runs less often (GOGC 400), under a soft
// limit derived from the memory this process may really use: the cgroup's
// limit in a container or under systemd (MemoryMax=), else half of the
// machine's memory, so that GOGC 400 never grows the heap into the
// OOM killer. GOGC and GOMEMLIMIT in the environment win.
func TuneGC(root string, getenv func(string) string) GCSetting {
	var s GCSetting
	if getenv("GOGC") == "" {
		debug.SetGCPercent(400)
		s.GOGC = "400"
	} else {
		s.GOGC = "env"
	}
	if getenv("GOMEMLIMIT") != "" {
		s.LimitSource = "GOMEMLIMIT"
		return s
	}
	l := Find(root)
	switch {
	case l.Bytes == 0:
		return s
	case strings.HasPrefix(l.Source, "cgroup"):
		s.SoftLimit = int64(float64(l.Bytes) * MemLimitShare)
	default:
		s.SoftLimit = l.Bytes / 2
	}
	s.LimitSource = l.Source
	debug.SetMemoryLimit(s.SoftLimit)
	return s
}
