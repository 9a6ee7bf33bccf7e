// Command bondaudit audits how Linux bonds are cabled to switches and whether
// each bond's mode fits what its switch ports are configured to do.
//
// It is the only package that calls os.Exit: everything below returns errors,
// and exit codes are decided here (0 clean, 1 findings at or above --fail-on,
// 2 the run itself failed).
package main

import (
	"context"
	"os"
	"runtime/debug"
	"strings"
	"time"

	"github.com/bondaudit/bondaudit/internal/memlimit"
)

func main() {
	gc := tuneGC("/", os.Getenv)
	a := &app{stdout: os.Stdout, stderr: os.Stderr, now: time.Now, stderrIsTerminal: isTerminal(os.Stderr), gc: gc}
	os.Exit(a.run(context.Background(), os.Args[1:]))
}

// gcSetting says how the collector was tuned, for --log-level debug.
type gcSetting struct {
	GOGC        string // "400", or "env" when GOGC was set
	SoftLimit   int64  // bytes; 0 when GOMEMLIMIT was set or nothing was found
	LimitSource string
}

// memLimitShare is the part of the memory available to this process that
// the Go heap may fill before the collector works harder: the rest is for
// the runtime's own overhead, stacks and the page cache of the files read.
const memLimitShare = 0.85

// tuneGC trades memory for speed: an audit is a short batch job that builds
// one large model, so the collector runs less often (GOGC 400), under a soft
// limit derived from the memory this process may really use: the cgroup's
// limit in a container or under systemd (MemoryMax=), else half of the
// machine's memory, so that GOGC 400 never grows the heap into the
// OOM killer. GOGC and GOMEMLIMIT in the environment win.
func tuneGC(root string, getenv func(string) string) gcSetting {
	var s gcSetting
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
	l := memlimit.Find(root)
	switch {
	case l.Bytes == 0:
		return s
	case strings.HasPrefix(l.Source, "cgroup"):
		s.SoftLimit = int64(float64(l.Bytes) * memLimitShare)
	default:
		s.SoftLimit = l.Bytes / 2
	}
	s.LimitSource = l.Source
	debug.SetMemoryLimit(s.SoftLimit)
	return s
}

func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
