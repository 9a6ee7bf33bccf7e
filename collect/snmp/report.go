package snmp

import (
	"fmt"
	"io"
	"time"

	"github.com/bondaudit/bondaudit/topology/escape"
)

// ProgressLine reports a Poll on W, as PollOptions.Progress: one line per
// switch that could not be collected and, on a terminal, a progress line
// redrawn in place.
type ProgressLine struct {
	W        io.Writer
	Terminal bool
	started  time.Time
	failed   int
}

// Report is PollOptions.Progress.
func (p *ProgressLine) Report(done, total int, r *Result) {
	if p.started.IsZero() {
		p.started = time.Now()
	}
	if r.Err != nil {
		p.failed++
		if p.Terminal {
			fmt.Fprintf(p.W, "\r\033[K")
		}
		fmt.Fprintf(p.W, "switch %s: not collected: %s\n", escape.Text(r.Target.Name), escape.Text(r.Err.Error()))
	}
	if p.Terminal {
		fmt.Fprintf(p.W, "\rcollecting switches: %d/%d (%d failed, %s)", done, total, p.failed, time.Since(p.started).Round(time.Second))
		if done == total {
			fmt.Fprintln(p.W)
		}
	}
}

// SaveReport saves every result's snapshot in dir (SaveAll), says on w
// which could not be saved and how many switches were collected, and
// returns the switches collected and the snapshots not saved.
func SaveReport(w io.Writer, dir string, results []Result) (ok, unsaved int) {
	for _, sv := range SaveAll(dir, results) {
		switch {
		case sv.Err != nil:
			unsaved++
			fmt.Fprintf(w, "switch %s: snapshot not saved: %s\n", escape.Text(sv.Result.Target.Name), escape.Text(sv.Err.Error()))
		case sv.Result.Err == nil:
			ok++
		}
	}
	fmt.Fprintf(w, "collected %d of %d switches into %s\n", ok, len(results), escape.Text(dir))
	return ok, unsaved
}
