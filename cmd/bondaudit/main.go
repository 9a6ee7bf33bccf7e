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
	"time"
)

func main() {
	tuneGC()
	a := &app{stdout: os.Stdout, stderr: os.Stderr, now: time.Now, stderrIsTerminal: isTerminal(os.Stderr)}
	os.Exit(a.run(context.Background(), os.Args[1:]))
}

// tuneGC trades memory for speed: an audit is a short batch job that builds
// one large model, so the collector runs less often (GOGC 400) under a soft
// limit of 1 GiB. GOGC and GOMEMLIMIT in the environment still win.
func tuneGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(1 << 30)
	}
}

func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
