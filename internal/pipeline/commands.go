package pipeline

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"

	"github.com/bondaudit/bondaudit/collect"
	"github.com/bondaudit/bondaudit/internal/fixreport"
	"github.com/bondaudit/bondaudit/rules"
	"github.com/bondaudit/bondaudit/rules/fix"
	"github.com/bondaudit/bondaudit/rules/report"
	"github.com/bondaudit/bondaudit/topology"
	"github.com/bondaudit/bondaudit/topology/diagram"
	"github.com/bondaudit/bondaudit/topology/escape"
)

// WhatIfRequest is what bondaudit whatif is asked.
type WhatIfRequest struct {
	Downs, Peers, Modules []string // --down, --down-mlag-peer, --down-module
	Format, Output        string
	Plan, Policy          string // --plan FILE judged with --policy FILE ("": the site's)
}

// WhatIf is bondaudit whatif: the plan's changes applied and judged (with
// a plan), then what breaks when what q takes down goes down. fails:
// something breaks.
func (e *Env) WhatIf(q WhatIfRequest, open Opener) (fails bool, err error) {
	write, err := report.WhatIfs.Writer(q.Format, report.Options{})
	if err != nil {
		return false, fmt.Errorf("--format: %w", err)
	}
	if len(q.Downs)+len(q.Peers)+len(q.Modules) == 0 && q.Plan == "" {
		return false, fmt.Errorf("nothing to judge: give --down, --down-mlag-peer, --down-module or --plan")
	}
	fsys, name, err := open()
	if err != nil {
		return false, err
	}
	res, err := e.Load(fsys, name, Options{})
	if err != nil {
		return false, err
	}
	out := &report.WhatIf{}
	if q.Plan != "" {
		if out.Plan, err = e.plan(res, fsys, q.Plan, q.Policy); err != nil {
			return false, err
		}
	}
	ds, err := Downs(res.Model, q.Downs, q.Peers, q.Modules)
	if err != nil {
		return false, err
	}
	if out.Impact, err = res.Model.WhatIf(ds); err != nil {
		return false, err
	}
	if err := e.Output("-o", q.Output, func(w io.Writer) error { return write(w, out) }); err != nil {
		return false, err
	}
	return out.Breaks(), nil
}

// plan judges the site, applies the plan file's changes to it and judges
// again.
func (e *Env) plan(res *Result, fsys fs.FS, planFile, policyFile string) (*report.Plan, error) {
	changes, err := collect.LoadPlan(planFile)
	if err != nil {
		return nil, fmt.Errorf("--plan: %w", err)
	}
	pol, err := Policy(fsys, policyFile)
	if err != nil {
		return nil, err
	}
	res.Judge(pol, e.Now())
	d, err := res.PlanOnce(changes) // the site is held once: nothing reads it as it was
	var pe *PlanError
	if errors.As(err, &pe) {
		return nil, fmt.Errorf("--plan %s: %w", planFile, pe.Err)
	}
	if err != nil {
		return nil, err
	}
	return &report.Plan{File: planFile, Changes: len(changes), Delta: d}, nil
}

// DiffRequest is what bondaudit diff is asked.
type DiffRequest struct {
	Format, Output, FailOn string
	Policy                 string // for both sides; "": each site's own policy.yaml
}

// Diff is bondaudit diff OLD NEW: each side read, joined and judged (NEW
// with OLD as its previous run), the drift written. open opens a side's
// folder. fails: a NEW finding is at or above --fail-on.
func (e *Env) Diff(q DiffRequest, args [2]string, open func(arg string) (fs.FS, error)) (fails bool, err error) {
	write, err := report.Diffs.Writer(q.Format, report.Options{})
	if err != nil {
		return false, fmt.Errorf("--format: %w", err)
	}
	threshold, err := ParseFailOn(q.FailOn)
	if err != nil {
		return false, err
	}
	names := DiffLabels(args[0], args[1])
	var sides [2]*report.DiffSide
	// NEW's previous run is OLD: a host or switch OLD had and NEW
	// lacks is a map.host-missing / map.switch-missing finding of NEW.
	var prev *topology.Inventory
	for i, arg := range args {
		fsys, err := open(arg)
		if err != nil {
			return false, err
		}
		if sides[i], err = e.diffSide(fsys, arg, names[i], q.Policy, prev); err != nil {
			return false, err
		}
		prev = sides[i].Model.Inventory()
		prev.Source = names[i]
		if i == 0 {
			collectBetweenPhases() // OLD is read and judged; NEW is next
		}
	}
	d := report.NewDiff(sides[0], sides[1], e.Now())
	if err := e.Output("-o", q.Output, func(w io.Writer) error { return write(w, d) }); err != nil {
		return false, err
	}
	return threshold.Fails(d.Delta.New), nil
}

// DiffLabels names diff's two sides: each site's folder name, or the
// paths as given when the names are the same (two dated copies of
// "site").
func DiffLabels(old, new string) [2]string {
	a, b := SiteName(old), SiteName(new)
	if a == b {
		a, b = filepath.Clean(old), filepath.Clean(new)
	}
	return [2]string{a, b}
}

// diffSide reads, joins and judges one side, with its own policy.yaml
// unless policy names one for both, and prev as its previous run (nil
// for OLD).
func (e *Env) diffSide(fsys fs.FS, arg, name, policy string, prev *topology.Inventory) (*report.DiffSide, error) {
	pol, err := Policy(fsys, policy)
	if err != nil {
		return nil, fmt.Errorf("site %s: %w", arg, err)
	}
	res, err := e.Judged(fsys, name, pol, Options{Previous: prev})
	if err != nil {
		return nil, err
	}
	return &report.DiffSide{Name: name, Model: res.Model, Findings: res.Findings, Problems: res.Problems()}, nil
}

// DiagramRequest is what bondaudit diagram is asked.
type DiagramRequest struct {
	Focus          string
	Depth          int
	Ports          bool
	Format, Output string
	Policy         string
	MaxNodes       int
	Filter         rules.Filter
}

// Diagram is bondaudit diagram: the site read and judged, the picture
// built around q.Focus with the findings the filter keeps marked, and
// written.
func (e *Env) Diagram(q DiagramRequest, open Opener) error {
	render, err := report.Diagrams.Writer(q.Format, report.Options{})
	if err != nil {
		return fmt.Errorf("--format: %w", err)
	}
	if q.Depth < 1 {
		return fmt.Errorf("--depth %d: want 1 or more", q.Depth)
	}
	if q.MaxNodes == 0 {
		return fmt.Errorf("--max-nodes 0: want a positive limit, or -1 for none")
	}
	if err := q.Filter.Check(); err != nil {
		return err
	}
	fsys, name, err := open()
	if err != nil {
		return err
	}
	pol, err := Policy(fsys, q.Policy)
	if err != nil {
		return err
	}
	res, err := e.Judged(fsys, name, pol, Options{})
	if err != nil {
		return err
	}
	hosts, switches := q.Filter.Sets(res.Model, res.Findings)
	d, err := diagram.Build(res.Model, diagram.Options{Focus: q.Focus, Depth: q.Depth, Ports: q.Ports,
		Marks: report.Marks(q.Filter.Apply(res.Findings)), MaxNodes: q.MaxNodes, Title: name,
		Hosts: topology.InSet(hosts), Switches: topology.InSet(switches)})
	if err != nil {
		return err
	}
	return e.Output("-o", q.Output, func(w io.Writer) error { return render(w, d) })
}

// FixFormats are bondaudit fix's output formats.
var FixFormats = []string{"yaml", "markdown", "json"}

// FixFormatByExt is fix's format for the file -o names: markdown for .md,
// json for .json, else def.
func FixFormatByExt(output, def string) string {
	switch strings.ToLower(filepath.Ext(output)) {
	case ".md":
		return "markdown"
	case ".json":
		return "json"
	}
	return def
}

// FixRequest is what bondaudit fix is asked.
type FixRequest struct {
	Format, Output string
	Prefer         string // hosts, switches or "" (the policy's fix_prefer, else the side with fewer changes)
	Policy         string
	Force          bool // write a plan that would add an error
	// Plan makes the plan: fix.Plan when nil.
	Plan func(*topology.Model, []rules.Finding, fix.Options) *fix.Result
}

// Fix is bondaudit fix: the site judged, a plan made and checked, its
// check summed up on Stderr, and the plan written unless it would add an
// error (those listed on Stderr; q.Force writes it anyway). fails: errors
// are left after the plan.
func (e *Env) Fix(q FixRequest, open Opener) (fails bool, err error) {
	if !slices.Contains(FixFormats, q.Format) {
		return false, fmt.Errorf("--format: unknown format %q: want %s", q.Format, FormatList(FixFormats))
	}
	if q.Prefer != "" && q.Prefer != "hosts" && q.Prefer != "switches" {
		return false, fmt.Errorf("--prefer %q: want hosts or switches", q.Prefer)
	}
	fsys, name, err := open()
	if err != nil {
		return false, err
	}
	pol, err := Policy(fsys, q.Policy)
	if err != nil {
		return false, err
	}
	res, err := e.Judged(fsys, name, pol, Options{})
	if err != nil {
		return false, err
	}
	opt := fix.Options{Prefer: q.Prefer, Policy: pol, Now: res.Now}
	if opt.Prefer == "" && pol != nil {
		opt.Prefer = pol.FixPrefer
	}
	plan := q.Plan
	if plan == nil {
		plan = fix.Plan
	}
	r := plan(res.Model, res.Findings, opt)
	if r.Err != nil {
		return false, fmt.Errorf("the plan does not apply to the site: %w", r.Err)
	}
	fr := &fixreport.Report{Site: name, Result: r, Model: res.Model}
	fmt.Fprintf(e.Stderr, "bondaudit fix: %d change(s); check: %s\n", len(r.Changes), fr.Summary())
	if r.AddsError() && !q.Force {
		for _, f := range r.Added {
			if f.Severity >= rules.Error {
				fmt.Fprintf(e.Stderr, "  would add: %s %s: %s\n", f.Rule, escape.Text(fixreport.Subject(f)), escape.Text(f.Message))
			}
		}
		return false, fmt.Errorf("the plan would add an error: not written (--force writes it anyway)")
	}
	write := map[string]func(io.Writer) error{"yaml": fr.YAML, "markdown": fr.Markdown, "json": fr.JSON}[q.Format]
	if err := e.Output("-o", q.Output, write); err != nil {
		return false, err
	}
	return r.ErrorsLeft() > 0, nil
}
