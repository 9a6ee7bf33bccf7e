package pipeline

import (
	"cmp"
	"errors"
	"io/fs"
	"path/filepath"
	"slices"
	"time"

	"github.com/bondaudit/bondaudit/rules"
	"github.com/bondaudit/bondaudit/rules/report"
)

// SiteLabel is the site's name in a report: flag (--site-label), else the
// policy's site:, else the folder's name. A stable name matters where the
// folder is a dated snapshot: the Prometheus site label must not change
// from run to run.
func SiteLabel(flag string, pol *rules.Policy, folder string) string {
	if pol != nil {
		return cmp.Or(flag, pol.Site, folder)
	}
	return cmp.Or(flag, folder)
}

// SiteName is a site folder's name: the last element of its absolute
// path (dir itself when that cannot be had).
func SiteName(dir string) string {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return dir
	}
	return filepath.Base(abs)
}

// OpenBaseline reads audit's --baseline report at path (a previous JSON
// report); nil without a path. A missing baseline is an error, except when
// firstRunOK (--save-baseline will write it): then it is the first run,
// nil with first true.
func OpenBaseline(path string, firstRunOK bool) (prev *report.Previous, first bool, err error) {
	if path == "" {
		return nil, false, nil
	}
	prev, err = ReadBaseline(path)
	if errors.Is(err, fs.ErrNotExist) && firstRunOK {
		return nil, true, nil
	}
	if err != nil {
		return nil, false, err
	}
	return prev, false, nil
}

// AuditOptions say how Audit judges a run into a report.
type AuditOptions struct {
	Site     string           // the site's name in the report (SiteLabel)
	Baseline *report.Previous // report only findings not in this earlier report; nil: all
	Filter   rules.Filter     // --host, --switch, --rule: what is shown and what fails the run
	Duration time.Duration    // how long the run took
}

// Audited is audit's judgement of a run.
type Audited struct {
	// Report is what is shown: with a baseline only the findings not among
	// its active (not waived) findings, then only those the filter selects.
	Report *report.Report
	// Full is the whole site's report, unfiltered and without the baseline
	// applied: the next run's baseline (--save-baseline).
	Full *report.Report
	// Baseline is the comparison with opt.Baseline; nil without one.
	Baseline *Baseline
}

// Audit makes the judged run r into audit's report: the baseline keeps
// only new findings, the filter selects what is shown and counted.
func Audit(r *Result, opt AuditOptions) *Audited {
	rep := &report.Report{Site: opt.Site, Generated: r.Now, Model: r.Model, Findings: r.Findings,
		Problems: r.Problems(), Duration: opt.Duration}
	full := *rep
	full.Findings = slices.Clone(rep.Findings)
	a := &Audited{Report: rep, Full: &full}
	if opt.Baseline != nil {
		a.Baseline = CompareBaseline(opt.Baseline, r)
		rep.Findings = a.Baseline.Kept
	}
	// the filter selects what is shown and what fails the run; the
	// baseline saved is the whole site's.
	rep.Findings, rep.Filter = opt.Filter.Apply(rep.Findings), opt.Filter
	return a
}

// Fails reports whether failOn fails the run on the report's findings. A
// problem is as severe as its worst active finding, so counting problems
// gives the exit status counting findings gives.
func (a *Audited) Fails(failOn rules.FailOn) bool {
	return failOn.FailsProblems(rules.Group(slices.Clone(a.Report.Findings)))
}
