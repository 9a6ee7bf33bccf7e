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
	"time"

	"github.com/bondaudit/bondaudit/internal/memlimit"
)

func main() {
	gc := memlimit.TuneGC("/", os.Getenv)
	a := &app{stdout: os.Stdout, stderr: os.Stderr, now: time.Now, stderrIsTerminal: isTerminal(os.Stderr), gc: gc}
	os.Exit(a.run(context.Background(), os.Args[1:]))
}

func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
