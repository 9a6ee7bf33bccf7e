// Package runjob is `bondaudit run CONFIG`, the scheduled job: under a
// lock on the history folder it collects the site into a temporary folder
// there (host captures copied from the folder the hosts keep, read as
// untrusted input; switches polled now or recorded walks copied; the
// policy), renames it to a dated snapshot folder (never over another
// run's), audits it with the pipeline, writes report.json (the next run's
// baseline) and the drift against the previous run (diff.md, diff.json)
// inside it, writes every configured output atomically, points the
// `latest` link at it and prunes old runs per the retention.
//
// It sits beside internal/pipeline: only cmd imports it.
package runjob

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/bondaudit/bondaudit/collect"
	"github.com/bondaudit/bondaudit/collect/snmp"
	"github.com/bondaudit/bondaudit/internal/atomicfile"
	"github.com/bondaudit/bondaudit/internal/pipeline"
	"github.com/bondaudit/bondaudit/rules"
	"github.com/bondaudit/bondaudit/rules/report"
	"github.com/bondaudit/bondaudit/topology"
	"github.com/bondaudit/bondaudit/topology/escape"
)

// Files a run writes in its snapshot folder besides hosts/, switches/ and
// policy.yaml (which make it a site `bondaudit audit` reads as is).
const (
	// ReportName is the full JSON report: the next run's baseline.
	ReportName = "report.json"
	// DiffMarkdownName and DiffJSONName are the drift against the
	// previous run, as `bondaudit diff PREVIOUS THIS` writes it.
	DiffMarkdownName = "diff.md"
	DiffJSONName     = "diff.json"
	// ManifestName says what the run collected from where, and what it
	// could not copy.
	ManifestName = "run.json"
)

// ManifestSchema is the version of run.json.
const ManifestSchema = "bondaudit.run/v1"

// Options are what a run takes from its caller.
type Options struct {
	// Now is the clock (default time.Now): the run's time names its
	// snapshot and is the audit's.
	Now func() time.Time
	// Stderr gets the progress and summary lines.
	Stderr io.Writer
	Log    *slog.Logger
	// Limits cap reading what the hosts wrote (as audit's
	// --max-file-size, --max-site-size).
	Limits collect.Limits
	// Poll polls the switches of a targets file (default: snmp.Poll
	// with no progress).
	Poll func(ctx context.Context, targets string, concurrency int) ([]snmp.Result, error)
	// CollectHosts collects the hosts of h.Inventory over SSH into dir (a
	// snapshot's hosts/ folder): ok of total collected, the others with an
	// unreachable snapshot; err when nothing could start or a capture
	// could not be saved. nil: a config with hosts.inventory fails.
	CollectHosts func(ctx context.Context, h *Hosts, dir string) (ok, total int, err error)
	// Hostname names this machine in the lock file (default os.Hostname).
	Hostname func() (string, error)
}

// Outcome is what a finished run did.
type Outcome struct {
	// Snapshot is the run's dated folder (absolute).
	Snapshot string
	Report   *report.Report
	// Previous is the run compared with ("" on the first run or when it
	// could not be read); Diff is the comparison.
	Previous string
	Diff     *report.Diff
	Written  []string // outputs written
	Pruned   []string // runs removed from history
}

// Error is a run that failed, with the inputs it could not read when
// that is why (nothing readable).
type Error struct {
	Err      error
	Problems []string
	// Snapshot is the dated folder the failed run left ("" when it failed
	// before one was made); it has no report.json.
	Snapshot string
}

func (e *Error) Error() string { return e.Err.Error() }
func (e *Error) Unwrap() error { return e.Err }

// manifest is run.json.
type manifest struct {
	Schema  string    `json:"schema"`
	Site    string    `json:"site"`
	Config  string    `json:"config"`
	Started time.Time `json:"started"`
	Host    string    `json:"host"`
	Hosts   string    `json:"hosts_from,omitempty"`
	// Inventory: the hosts were collected over SSH from it.
	Inventory string `json:"hosts_inventory,omitempty"`
	Targets   string `json:"switches_targets,omitempty"`
	Switches  string `json:"switches_from,omitempty"`
	// Problems are the inputs not copied (NOT READ in the audit).
	Problems []string `json:"problems,omitempty"`
	problems []topology.Problem
}

type runner struct {
	cfg   *Config
	opt   Options
	now   time.Time // the run's time, from Options.Now
	start time.Time // the wall clock's, for the duration
}

func (r *runner) say(format string, args ...any) {
	if r.opt.Stderr != nil {
		fmt.Fprintf(r.opt.Stderr, "%s\n", escape.Text(fmt.Sprintf(format, args...)))
	}
}

// Run runs the job the config describes once.
func Run(ctx context.Context, cfg *Config, opt Options) (*Outcome, error) {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Hostname == nil {
		opt.Hostname = os.Hostname
	}
	if opt.Poll == nil {
		opt.Poll = func(ctx context.Context, targets string, concurrency int) ([]snmp.Result, error) {
			ts, err := snmp.LoadTargets(targets)
			if err != nil {
				return nil, fmt.Errorf("targets: %w", err)
			}
			return snmp.Poll(ctx, ts, snmp.PollOptions{Concurrency: concurrency, Log: opt.Log, Now: opt.Now}), nil
		}
	}
	r := &runner{cfg: cfg, opt: opt, now: opt.Now().UTC(), start: time.Now()}
	host, _ := opt.Hostname()
	lock, err := Acquire(cfg.History, Holder{PID: os.Getpid(), Host: host, Started: r.now, Config: cfg.Path})
	if err != nil {
		return nil, err
	}
	defer lock.Release()
	if lock.Stale != nil {
		r.say("took over the lock of a run that ended without releasing it (%s)", lock.Stale.describe(r.now))
	}
	if gone, err := removeLeftovers(cfg.History); err != nil {
		return nil, fmt.Errorf("history %s: removing what a killed run left: %w", cfg.History, err)
	} else if len(gone) > 0 {
		r.say("removed what a killed run left in %s: %s", cfg.History, strings.Join(gone, ", "))
	}
	return r.run(ctx, host)
}

func (r *runner) run(ctx context.Context, host string) (*Outcome, error) {
	cfg := r.cfg
	tmp, err := os.MkdirTemp(cfg.History, tempPrefix+"*")
	if err != nil {
		return nil, fmt.Errorf("history: %w", err)
	}
	placed := false
	defer func() {
		if !placed {
			os.RemoveAll(tmp)
		}
	}()
	if err := os.Chmod(tmp, 0o755); err != nil {
		return nil, err
	}
	m := &manifest{Schema: ManifestSchema, Site: cfg.Site, Config: cfg.Path, Started: r.now, Host: host}
	if err := r.collect(ctx, tmp, m); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("stopped while collecting: %w", err)
	}
	m.Problems = topology.ProblemTexts(m.problems)
	b, err := json.MarshalIndent(m, "", "  ")
	if err == nil {
		err = os.WriteFile(filepath.Join(tmp, ManifestName), append(b, '\n'), 0o644)
	}
	if err != nil {
		return nil, fmt.Errorf("snapshot: %w", err)
	}
	name, err := place(cfg.History, tmp, r.now)
	if err != nil {
		return nil, fmt.Errorf("history %s: %w", cfg.History, err)
	}
	placed = true
	out := &Outcome{Snapshot: filepath.Join(cfg.History, name)}
	r.say("snapshot %s", out.Snapshot)

	runs, err := ListRuns(cfg.History)
	if err != nil {
		return nil, fmt.Errorf("history %s: %w", cfg.History, err)
	}
	prev, hasPrev := previous(cfg.History, runs, name)
	var prevReport string
	if hasPrev {
		prevReport = filepath.Join(cfg.History, prev.Name, ReportName)
	}
	// The previous run's inventory: hosts and switches it had that are
	// missing now are map.host-missing / map.switch-missing findings, and
	// their findings are gone with them, not resolved.
	var prevInv *topology.Inventory
	if prevReport != "" {
		if p, err := report.ReadPrevious(prevReport); err != nil {
			r.say("previous run's report %s could not be read (hosts or switches gone since are not reported): %v", prevReport, err)
		} else {
			prevInv = p.Inventory
		}
	}
	res, err := loadRun(out.Snapshot, cfg.Site, r.opt, r.now, m.problems, prevInv)
	if err != nil {
		e := &Error{Err: err, Snapshot: out.Snapshot}
		var le *pipeline.LoadError
		if errors.As(err, &le) {
			e.Problems = le.Problems
		}
		r.say("the run failed: %s keeps what was collected, with no report", out.Snapshot)
		return nil, e
	}
	out.Report = &report.Report{Site: cfg.Site, Generated: r.now, Model: res.Model, Findings: res.Findings,
		Problems: res.Problems(), Duration: time.Since(r.start)}
	sum := report.Summarize(out.Report)
	r.say("audit: %s, %s, %s: %s, %s, %d info%s", n(sum.Hosts, "host"), n(sum.Bonds, "bond"), n(sum.Switches, "switch"),
		n(sum.Findings[rules.Error], "error"), n(sum.Findings[rules.Warning], "warning"), sum.Findings[rules.Info], notRead(len(out.Report.Problems), "; "))
	if err := atomicfile.Write(filepath.Join(out.Snapshot, ReportName), func(w io.Writer) error {
		return report.JSON{}.Write(w, out.Report)
	}); err != nil {
		return nil, &Error{Err: err, Snapshot: out.Snapshot}
	}

	if hasPrev {
		if err := r.diff(out, res, prev, name); err != nil {
			return nil, err
		}
	} else {
		r.say("first run in %s: nothing to compare with", cfg.History)
	}

	var failedOutputs []error
	for _, o := range cfg.Outputs {
		// A run that fails before its outputs writes none: its failure
		// shows as a last-success time that stops moving.
		w, err := report.Audit.Writer(o.Format, report.Options{Site: cfg.Site,
			Run: &report.RunStats{Started: r.now, Duration: time.Since(r.start), Success: true}})
		if err == nil {
			err = atomicfile.Write(o.Path, func(wr io.Writer) error { return w(wr, out.Report) })
		}
		if err != nil {
			failedOutputs = append(failedOutputs, fmt.Errorf("output %s: %w", o.Path, err))
			r.say("output %s %s: NOT WRITTEN: %v", o.Format, o.Path, err)
			continue
		}
		out.Written = append(out.Written, o.Path)
		r.say("wrote %s %s", o.Format, o.Path)
	}

	if err := pointLatest(cfg.History, name); err != nil {
		return nil, errors.Join(append(failedOutputs, err)...)
	}
	for _, p := range toPrune(runs, cfg.Retention, name, r.now) {
		if err := os.RemoveAll(filepath.Join(cfg.History, p.Name)); err != nil {
			r.say("pruning %s: %v", p.Name, err)
			continue
		}
		out.Pruned = append(out.Pruned, p.Name)
	}
	switch {
	case len(out.Pruned) > 0:
		r.say("pruned %s (%s): %s", n(len(out.Pruned), "run"), r.retentionWords(), strings.Join(out.Pruned, ", "))
	case cfg.Retention != Retention{}:
		r.say("pruned nothing (%s)", r.retentionWords())
	}
	if len(failedOutputs) > 0 {
		return out, &Error{Err: errors.Join(failedOutputs...), Snapshot: out.Snapshot}
	}
	return out, nil
}

func (r *runner) retentionWords() string {
	var w []string
	if k := r.cfg.Retention.Keep; k > 0 {
		w = append(w, fmt.Sprintf("keep %d", k))
	}
	if d := r.cfg.Retention.Days; d > 0 {
		w = append(w, fmt.Sprintf("%d days", d))
	}
	return strings.Join(w, ", ")
}

// collect fills the snapshot folder dir: policy.yaml (first: a policy
// that does not parse fails the run before anything is polled), hosts/,
// switches/.
func (r *runner) collect(ctx context.Context, dir string, m *manifest) error {
	cfg := r.cfg
	if cfg.Policy != "" {
		b, err := os.ReadFile(cfg.Policy)
		if err == nil {
			_, err = rules.ParsePolicy(b, cfg.Policy)
		}
		if err != nil {
			return fmt.Errorf("policy: %w", err)
		}
		if err := os.WriteFile(filepath.Join(dir, "policy.yaml"), b, 0o644); err != nil {
			return err
		}
	}
	if h := cfg.Hosts; h != nil && h.Inventory != "" {
		m.Inventory = h.Inventory
		if r.opt.CollectHosts == nil {
			return fmt.Errorf("hosts.inventory: this bondaudit cannot collect hosts over SSH")
		}
		ok, total, err := r.opt.CollectHosts(ctx, h, filepath.Join(dir, "hosts"))
		if err != nil {
			return fmt.Errorf("hosts.inventory: %w", err)
		}
		if ok == total {
			r.say("collected %s over SSH from %s", n(ok, "host"), h.Inventory)
		} else {
			r.say("collected %d of %s over SSH from %s (%d not collected: reported unreachable)", ok, n(total, "host"), h.Inventory, total-ok)
		}
	}
	if cfg.Hosts != nil && cfg.Hosts.From != "" {
		m.Hosts = cfg.Hosts.From
		c, err := copyInputs(cfg.Hosts.From, filepath.Join(dir, "hosts"), "hosts", r.opt.Limits)
		if err != nil {
			return fmt.Errorf("hosts.from: %w", err)
		}
		m.problems = append(m.problems, c.problems...)
		r.say("collected %s from %s%s", n(c.entries, "host"), cfg.Hosts.From, notCopied(c.problems))
	}
	if s := cfg.Switches; s != nil && s.From != "" {
		m.Switches = s.From
		c, err := copyInputs(s.From, filepath.Join(dir, "switches"), "switches", r.opt.Limits)
		if err != nil {
			return fmt.Errorf("switches.from: %w", err)
		}
		m.problems = append(m.problems, c.problems...)
		r.say("collected %s from %s%s", n(c.entries, "switch"), s.From, notCopied(c.problems))
	}
	if s := cfg.Switches; s != nil && s.Targets != "" {
		m.Targets = s.Targets
		results, err := r.opt.Poll(ctx, s.Targets, s.Concurrency)
		if err != nil {
			return err
		}
		sdir := filepath.Join(dir, "switches")
		if err := os.MkdirAll(sdir, 0o755); err != nil {
			return err
		}
		ok := 0
		var unsaved []error
		for _, sv := range snmp.SaveAll(sdir, results) {
			switch {
			case sv.Err != nil:
				unsaved = append(unsaved, fmt.Errorf("switch %s: snapshot not saved: %w", sv.Result.Target.Name, sv.Err))
			case sv.Result.Err == nil:
				ok++
			}
		}
		if len(unsaved) > 0 {
			return errors.Join(unsaved...)
		}
		if ok == len(results) {
			r.say("polled %s from %s", n(ok, "switch"), s.Targets)
		} else {
			r.say("polled %d of %s from %s (%d not collected: reported unreachable)", ok, n(len(results), "switch"), s.Targets, len(results)-ok)
		}
	}
	return nil
}

func notCopied(ps []topology.Problem) string {
	if len(ps) == 0 {
		return ""
	}
	return " (" + notRead(len(ps), "") + ")"
}

// notRead is "N inputs NOT READ" after sep, or nothing for none.
func notRead(k int, sep string) string {
	if k == 0 {
		return ""
	}
	return sep + n(k, "input") + " NOT READ"
}

// n is "1 thing" or "k things".
func n(k int, what string) string {
	switch {
	case k == 1:
		return "1 " + what
	case strings.HasSuffix(what, "ch"):
		return fmt.Sprintf("%d %ses", k, what)
	}
	return fmt.Sprintf("%d %ss", k, what)
}

// loadRun reads one run's snapshot folder as a site, with its
// policy.yaml, and judges it as of at; copyProblems (inputs the hosts'
// folder held that were not copied) go first among its problems.
// previous is the inventory of the run before it (nil: none known).
func loadRun(dir, site string, opt Options, at time.Time, copyProblems []topology.Problem, previous *topology.Inventory) (*pipeline.Result, error) {
	sd, err := collect.OpenSiteDir(dir, opt.Limits)
	if err != nil {
		return nil, err
	}
	defer sd.Close()
	pol, err := pipeline.SitePolicy(sd)
	if err != nil {
		return nil, err
	}
	res, err := pipeline.Load(sd, site, pipeline.Options{Log: opt.Log, Previous: previous})
	var le *pipeline.LoadError
	if errors.As(err, &le) {
		le.Problems = append(topology.ProblemTexts(copyProblems), le.Problems...)
	}
	if err != nil {
		return nil, err
	}
	res.Site.Problems = append(copyProblems, res.Site.Problems...)
	res.Judge(pol, at)
	return res, nil
}

// readManifest reads a run's run.json; nil when it has none.
func readManifest(dir string) *manifest {
	b, err := os.ReadFile(filepath.Join(dir, ManifestName))
	if err != nil {
		return nil
	}
	var m manifest
	if json.Unmarshal(b, &m) != nil {
		return nil
	}
	return &m
}

// diff compares the run with the previous one that finished, as `bondaudit
// diff PREVIOUS THIS` does (the previous run judged as of its own time),
// and writes diff.md and diff.json in the snapshot. A previous run that
// cannot be read is said on stderr; the run goes on.
func (r *runner) diff(out *Outcome, res *pipeline.Result, prev RunDir, name string) error {
	dir := filepath.Join(r.cfg.History, prev.Name)
	var copyProblems []topology.Problem
	if m := readManifest(dir); m != nil {
		for _, p := range m.Problems {
			copyProblems = append(copyProblems, topology.Problem{What: p})
		}
	}
	// The run before prev is not looked up: the previous side's missing
	// rules stay silent, as for a first run.
	old, err := loadRun(dir, r.cfg.Site, r.opt, prev.Time, copyProblems, nil)
	if err != nil {
		r.say("previous run %s could not be read, no diff: %v", prev.Name, err)
		return nil
	}
	d := report.NewDiff(
		&report.DiffSide{Name: prev.Name, Model: old.Model, Findings: old.Findings, Problems: old.Problems()},
		&report.DiffSide{Name: name, Model: res.Model, Findings: res.Findings, Problems: out.Report.Problems},
		r.now)
	for _, f := range [][2]string{{DiffMarkdownName, "markdown"}, {DiffJSONName, "json"}} {
		w, err := report.Diffs.Writer(f[1], report.Options{})
		if err == nil {
			err = atomicfile.Write(filepath.Join(out.Snapshot, f[0]), func(wr io.Writer) error { return w(wr, d) })
		}
		if err != nil {
			return &Error{Err: err, Snapshot: out.Snapshot}
		}
	}
	out.Previous, out.Diff = dir, d
	gone := ""
	if k := d.Delta.GoneKeys(); k > 0 {
		gone = fmt.Sprintf(", %d gone with %s", k, report.MissingCount(len(d.Drift.HostsRemoved), len(d.Drift.SwitchesRemoved)))
	}
	r.say("since %s: %d new, %d resolved, %d unchanged findings%s; %s (%s)",
		prev.Name, len(d.Delta.New), d.Delta.ResolvedKeys(), len(d.Delta.Unchanged), gone, n(driftCount(d.Drift), "topology change"),
		filepath.Join(out.Snapshot, DiffMarkdownName))
	return nil
}

// driftCount is the number of changes a drift lists.
func driftCount(d *topology.Drift) int {
	if d == nil {
		return 0
	}
	return len(d.HostsAdded) + len(d.HostsRemoved) + len(d.SwitchesAdded) + len(d.SwitchesRemoved) +
		len(d.LinksGained) + len(d.LinksLost) + len(d.LinksMoved) + len(d.BondsAdded) + len(d.BondsRemoved) +
		len(d.BondsChanged) + len(d.LAGsAdded) + len(d.LAGsRemoved) + len(d.LAGsChanged) + len(d.PortVLANs)
}
