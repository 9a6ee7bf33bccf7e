// Package pipeline is bondaudit's one way from a site folder to judged
// findings: load → build → rules → policy. Every command that audits
// (audit, demo, diagram, diff, whatif with or without --plan, fix) runs it.
//
// Env's methods are the commands' runs beneath their flags (Env.Audit,
// Topology, WhatIf, Diff, Diagram, Fix, ExportDemo, and the collect
// commands' CollectSwitches, CollectHost, CollectHosts, CollectSite): what
// to read, in which order, what to note on stderr, what to write, and
// whether the run fails. The CLI only declares flags and help, opens the
// SITE it is given and maps a run's outcome to an exit code, so every run
// can be tested here without it.
//
// It sits above collect, rules and topology and below cmd only: nothing
// but cmd (and internal/runjob, the scheduled run cmd starts) imports it.
package pipeline

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"runtime"
	"strings"
	"time"

	"github.com/bondaudit/bondaudit/collect"
	"github.com/bondaudit/bondaudit/collect/snmp"
	"github.com/bondaudit/bondaudit/rules"
	"github.com/bondaudit/bondaudit/rules/report"
	"github.com/bondaudit/bondaudit/topology"
)

// Options tune Load.
type Options struct {
	// Live are switches polled now: each replaces the site's switch of the
	// same name (its target name or its own).
	Live []snmp.Result
	// Progress, when set, is called after each input is read.
	Progress func(done, total int)
	// Log, when set, gets one info line per site read.
	Log *slog.Logger
	// Previous names the hosts and switches of the site's previous run
	// (Model.Previous): those missing now are map.host-missing and
	// map.switch-missing findings. nil: no previous run known.
	Previous *topology.Inventory
}

// Result is one site read, joined and (after Judge) judged.
type Result struct {
	Name  string
	Site  *collect.Site
	Model *topology.Model
	// Findings are the rules' findings with the policy applied (waived
	// ones suppressed); nil until Judge.
	Findings []rules.Finding
	// Policy and Now are what Judge applied, for a plan judged after.
	Policy *rules.Policy
	Now    time.Time

	log *slog.Logger // Options.Log: Judge's phase timing
}

// LoadError is a site that could not be read at all; Problems say why,
// input by input.
type LoadError struct {
	Err      error
	Problems []string
}

func (e *LoadError) Error() string { return e.Err.Error() }
func (e *LoadError) Unwrap() error { return e.Err }

// Load reads the site in fsys and joins it into a Model.
func Load(fsys fs.FS, name string, opt Options) (*Result, error) {
	start := time.Now()
	site, err := collect.LoadSite(fsys, name, collect.LoadOptions{Progress: opt.Progress})
	if err != nil {
		var problems []string
		if site != nil {
			problems = topology.ProblemTexts(site.Problems)
		}
		return nil, &LoadError{Err: err, Problems: problems}
	}
	if len(opt.Live) > 0 {
		site.Switches = mergeSwitches(site.Switches, opt.Live)
	}
	if opt.Log != nil {
		opt.Log.Info("site read", "site", name, "hosts", len(site.Hosts), "switches", len(site.Switches),
			"problems", len(site.Problems), "elapsed", time.Since(start))
	}
	built := time.Now()
	m, err := topology.Build(site.Hosts, site.Switches, topology.BuildOptions{Previous: opt.Previous})
	if err != nil {
		return nil, fmt.Errorf("site %s: %w", name, err)
	}
	if opt.Log != nil {
		opt.Log.Debug("model built", "site", name, "links", len(m.Links), "domains", len(m.Domains),
			"elapsed", time.Since(built))
	}
	return &Result{Name: name, Site: site, Model: m, log: opt.Log}, nil
}

// Run is Load then Judge.
func Run(fsys fs.FS, name string, pol *rules.Policy, now time.Time, opt Options) (*Result, error) {
	r, err := Load(fsys, name, opt)
	if err != nil {
		return nil, err
	}
	r.Judge(pol, now)
	return r, nil
}

// Judge runs every rule the policy enables on the Model and applies the
// policy (nil: none) as of now; now is also the clock captures are aged
// by (map.stale-capture).
func (r *Result) Judge(pol *rules.Policy, now time.Time) {
	r.Policy, r.Now = pol, now
	start := time.Now()
	p := pol.Params()
	p.Now = now
	r.Findings = pol.Apply(rules.Run(r.Model, p, pol.Enabled), now)
	if r.log != nil {
		r.log.Debug("rules run", "site", r.Name, "findings", len(r.Findings), "elapsed", time.Since(start))
	}
}

// Problems are the inputs that could not be read and what the join had to
// work around, in that order.
func (r *Result) Problems() []string {
	return append(topology.ProblemTexts(r.Site.Problems), r.Model.Problems...)
}

// Plan applies planned changes to the judged site and judges the result
// with the same policy and time: r then holds the Model of the changed
// site (topology's Model.Plan: built from copies of the snapshots, with
// the LACP state the changes make stale forgotten) and its findings, and
// the returned Delta says what the plan adds (New) and removes
// (Resolved). The site is read once. After an error r is unchanged.
func (r *Result) Plan(changes []topology.Change) (rules.Delta, error) {
	before := r.Findings
	m, err := r.Model.Plan(changes)
	if err != nil {
		return rules.Delta{}, &PlanError{err}
	}
	r.Model = m
	r.Judge(r.Policy, r.Now)
	return rules.Compare(before, r.Findings), nil
}

// PlanOnce is Plan for a caller that needs r's site only as the plan
// leaves it (whatif --plan): the changes are applied to the site's own
// snapshots (Model.PlanInPlace) instead of copies, so the site is held
// once, not twice, and the Model before the plan can be collected while
// the changed site is joined. Afterwards r.Site's hosts and switches are
// the changed ones; after an error r has no Model.
func (r *Result) PlanOnce(changes []topology.Change) (rules.Delta, error) {
	before := r.Findings
	collectBetweenPhases() // the site is read and judged; the plan's join is next
	old := r.Model
	r.Model = nil
	m, err := old.PlanInPlace(changes)
	if err != nil {
		return rules.Delta{}, &PlanError{err}
	}
	r.Model = m
	r.Judge(r.Policy, r.Now)
	return rules.Compare(before, r.Findings), nil
}

// collectBetweenPhases runs one collection, while nothing else runs,
// between two phases that each fill the heap: diff's two sites, and
// whatif --plan's site and the plan's join. The first phase's read and
// join left their garbage; after the collection the collector's next goal,
// set from the live heap (internal/memlimit's GC curve), covers the second
// phase. Otherwise the second pays midway for a collection over the whole
// heap, beside its read or join: at 100,000 hosts 1.5 s of the collector's
// wall time in diff against 0.25 s here (diff 11.5 → 10.9 s), and a join
// of 0.84-1.03 s instead of 0.74 s in whatif --plan (README, "Scale").
func collectBetweenPhases() { runtime.GC() }

// PlanError is a plan that does not fit the site (a host, NIC, switch or
// port it names is not there).
type PlanError struct{ Err error }

func (e *PlanError) Error() string { return e.Err.Error() }
func (e *PlanError) Unwrap() error { return e.Err }

// Baseline is a run's findings compared with an earlier JSON report
// (audit --baseline, the scheduled run's previous report).
type Baseline struct {
	Site string          // the site the earlier report was of
	Kept []rules.Finding // the run's findings not in the earlier report
	// Delta: new, still present and resolved findings, and those gone with
	// a host or switch the run no longer has (not resolved).
	Delta rules.Delta
	// GoneHosts and GoneSwitches are in the earlier report's inventory and
	// not in this run (none when the report has no inventory).
	GoneHosts, GoneSwitches []string
}

// ReadBaseline reads the earlier JSON report at path. Load it before the
// run: its Inventory is the run's Options.Previous, so what is gone since
// is reported (map.host-missing, map.switch-missing).
func ReadBaseline(path string) (*report.Previous, error) {
	return report.ReadPrevious(path)
}

// CompareBaseline compares the judged run r with the earlier report prev:
// findings are new, still present, resolved, or gone with a host or
// switch that r no longer has.
func CompareBaseline(prev *report.Previous, r *Result) *Baseline {
	b := &Baseline{Site: prev.Site, Kept: rules.NotIn(r.Findings, prev.Findings)}
	b.GoneHosts, b.GoneSwitches = prev.Inventory.Gone(r.Model.Inventory())
	b.Delta = rules.Compare(prev.Findings, r.Findings).WithGone(b.GoneHosts, b.GoneSwitches)
	return b
}

// Summary is the baseline comparison in one line, as audit --baseline
// prints it: "2 new, 5 still present, 1 resolved", then ", 3 gone with 1
// missing host" when hosts or switches are gone.
func (b *Baseline) Summary() string {
	s := fmt.Sprintf("%d new, %d still present, %d resolved", len(b.Delta.New), len(b.Delta.Unchanged), b.Delta.ResolvedKeys())
	if len(b.GoneHosts) > 0 || len(b.GoneSwitches) > 0 {
		s += fmt.Sprintf(", %d gone with %s", b.Delta.GoneKeys(), report.MissingCount(len(b.GoneHosts), len(b.GoneSwitches)))
	}
	return s
}

// Policy is the policy a run judges with: the file --policy names (file),
// else the site's policy.yaml, else none (nil).
func Policy(fsys fs.FS, file string) (*rules.Policy, error) {
	if file == "" {
		return SitePolicy(fsys)
	}
	p, err := rules.LoadPolicy(file)
	if err != nil {
		return nil, fmt.Errorf("--policy: %w", err)
	}
	return p, nil
}

// SitePolicy reads the site's policy.yaml; nil (no policy) when there is
// none. A policy that does not parse is an error: auditing without the
// waivers someone wrote would cry wolf.
func SitePolicy(fsys fs.FS) (*rules.Policy, error) {
	b, err := fs.ReadFile(fsys, "policy.yaml")
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("policy.yaml: %w", err)
	}
	return rules.ParsePolicy(b, "policy.yaml")
}

// mergeSwitches replaces file switches by the live ones of the same name.
func mergeSwitches(file []*topology.Switch, live []snmp.Result) []*topology.Switch {
	byName := map[string]bool{}
	var out []*topology.Switch
	for i := range live {
		out = append(out, live[i].Switch)
		byName[strings.ToLower(live[i].Target.Name)] = true
		byName[strings.ToLower(live[i].Switch.Name)] = true
	}
	for _, s := range file {
		if !byName[strings.ToLower(s.Name)] {
			out = append(out, s)
		}
	}
	return out
}

// Downs reads whatif's --down, --down-mlag-peer and --down-module values
// into what goes down; an error names the flag.
func Downs(m *topology.Model, downs, peers, modules []string) ([]topology.Down, error) {
	var ds []topology.Down
	for _, s := range downs {
		d, err := topology.ParseDown(s)
		if err != nil {
			return nil, fmt.Errorf("--down %w", err)
		}
		ds = append(ds, d)
	}
	for _, s := range peers {
		ps, err := m.MLAGPeers(s)
		if err != nil {
			return nil, fmt.Errorf("--down-mlag-peer: %w", err)
		}
		for _, p := range ps {
			ds = append(ds, topology.Down{Switch: p})
		}
	}
	for _, s := range modules {
		d, err := topology.ParseDownModule(s)
		if err != nil {
			return nil, fmt.Errorf("--down-module %w", err)
		}
		ds = append(ds, d)
	}
	return ds, nil
}

// ProgressLine returns an Options.Progress that redraws "reading NAME:
// DONE/TOTAL inputs" on w (a terminal) at most five times a second, for
// sites of 200 inputs or more, ending the line when all are read.
func ProgressLine(w io.Writer, name string) func(done, total int) {
	var last time.Time
	return func(done, total int) {
		if total < 200 {
			return
		}
		if now := time.Now(); now.Sub(last) > 200*time.Millisecond || done == total {
			last = now
			fmt.Fprintf(w, "\rreading %s: %d/%d inputs", name, done, total)
			if done == total {
				fmt.Fprintf(w, "\n")
			}
		}
	}
}
