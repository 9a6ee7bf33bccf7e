package pipeline

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"slices"
	"time"

	"github.com/bondaudit/bondaudit/rules"
	"github.com/bondaudit/bondaudit/rules/report"
	"github.com/bondaudit/bondaudit/topology"
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

// Fails reports whether failOn fails the run on the report's problems. A
// problem is as severe as its worst active finding, so the findings are
// counted directly (FailOn.FailsProblems(Group(fs)) == Fails(fs), tested
// in rules): no second grouping after the report writer's.
func (a *Audited) Fails(failOn rules.FailOn) bool {
	return failOn.Fails(a.Report.Findings)
}

// AuditRequest is what audit (and demo) are asked: their flags.
type AuditRequest struct {
	Format         string // report format; "" is text
	Output         string // -o: the report's file; "" or "-" is Stdout
	FailOn         string // --fail-on
	Policy         string // --policy: a file; "" is the site's policy.yaml
	ShowSuppressed bool
	Targets        string // --targets: switches polled now and audited with the site
	Concurrency    int    // with Targets: switches polled at once
	Baseline       string // --baseline FILE: report only findings not in this earlier JSON report
	SaveBaseline   string // --save-baseline FILE: write the full JSON report here for the next run
	SiteLabel      string // --site-label NAME: the site's name in the report (wins over the policy's site:)
	Filter         rules.Filter
}

// Audit is bondaudit audit on the site in fsys: the policy and the
// baseline are read, the targets polled, the site loaded and judged, the
// report written (and the full one saved for the next --baseline); the
// baseline's first run and its comparison are noted on Stderr. fails: a
// finding shown is at or above --fail-on.
func (e *Env) Audit(ctx context.Context, fsys fs.FS, name string, q AuditRequest) (fails bool, err error) {
	w, err := report.Audit.Writer(cmp.Or(q.Format, "text"), report.Options{ShowSuppressed: q.ShowSuppressed})
	if err != nil {
		return false, fmt.Errorf("--format: %w", err)
	}
	failOn, err := ParseFailOn(q.FailOn)
	if err != nil {
		return false, err
	}
	if err := q.Filter.Check(); err != nil {
		return false, err
	}
	start := time.Now()
	pol, err := Policy(fsys, q.Policy)
	if err != nil {
		return false, err
	}
	// The baseline is read before the site (and before polling): the hosts
	// and switches it audited are the previous run's, and those gone since
	// are findings of this one.
	baseline, first, err := OpenBaseline(q.Baseline, q.SaveBaseline != "")
	if first {
		fmt.Fprintf(e.Stderr, "baseline %s does not exist yet: first run, reporting every finding\n", q.Baseline)
	}
	if err != nil {
		return false, fmt.Errorf("--baseline %s: %w", q.Baseline, err)
	}
	var opt Options
	if q.Targets != "" {
		if opt.Live, err = e.PollTargets(ctx, q.Targets, q.Concurrency); err != nil {
			return false, err
		}
	}
	if baseline != nil {
		opt.Previous = baseline.Inventory
	}
	res, err := e.Judged(fsys, name, pol, opt)
	if err != nil {
		return false, err
	}
	au := Audit(res, AuditOptions{Site: SiteLabel(q.SiteLabel, pol, name),
		Baseline: baseline, Filter: q.Filter, Duration: time.Since(start)})
	if b := au.Baseline; b != nil {
		if b.Site != au.Report.Site && e.Log != nil {
			e.Log.Info("baseline is a report of another site (or folder name)", "baseline", q.Baseline, "baseline_site", b.Site, "site", au.Report.Site)
		}
		fmt.Fprintf(e.Stderr, "compared with baseline %s: %s\n", q.Baseline, b.Summary())
	}
	if err := e.Output("-o", q.Output, func(out io.Writer) error { return w(out, au.Report) }); err != nil {
		return false, err
	}
	if q.SaveBaseline != "" {
		if err := e.Output("--save-baseline", q.SaveBaseline, func(w io.Writer) error { return report.JSON{}.Write(w, au.Full) }); err != nil {
			return false, err
		}
	}
	return au.Fails(failOn), nil
}

// TopologyRequest is what bondaudit topology is asked.
type TopologyRequest struct {
	Format, Output string
	Filter         rules.Filter // with Rules: only where the rules find something
}

// Topology is bondaudit topology: what was understood of the site, kept
// to what the filter selects, written in q.Format.
func (e *Env) Topology(q TopologyRequest, open Opener) error {
	write, err := report.Topology.Writer(q.Format, report.Options{})
	if err != nil {
		return fmt.Errorf("--format: %w", err)
	}
	if err := q.Filter.Check(); err != nil {
		return err
	}
	fsys, name, err := open()
	if err != nil {
		return err
	}
	res, err := e.Load(fsys, name, Options{})
	if err != nil {
		return err
	}
	if len(q.Filter.Rules) > 0 { // --rule: where the rules find something
		pol, err := Policy(fsys, "")
		if err != nil {
			return err
		}
		res.Judge(pol, e.Now())
	}
	v := topology.NewView(res.Model)
	hosts, switches := q.Filter.Sets(res.Model, res.Findings)
	v.Keep(topology.InSet(hosts), topology.InSet(switches))
	return e.Output("-o", q.Output, func(w io.Writer) error { return write(w, v) })
}
