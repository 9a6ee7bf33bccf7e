package main

import (
	"bytes"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/bondaudit/bondaudit/collect"
	"github.com/bondaudit/bondaudit/internal/pipeline"
	"github.com/bondaudit/bondaudit/rules"
	"github.com/bondaudit/bondaudit/rules/fix"
	"github.com/bondaudit/bondaudit/rules/fix/render"
	"github.com/bondaudit/bondaudit/rules/report"
	"github.com/bondaudit/bondaudit/topology"
	"github.com/bondaudit/bondaudit/topology/escape"
)

// planFix is fix.Plan (a test replaces it to check what happens to a plan
// that would add an error).
var planFix = fix.Plan

// fixFormats are bondaudit fix's output formats.
var fixFormats = []string{"yaml", "markdown", "json"}

func (a *app) fixCmd() *cobra.Command {
	var format, output, prefer, policyFile string
	var force bool
	cmd := &cobra.Command{
		Use:   "fix SITE",
		Short: "A plan of changes that fixes the audit's problems, checked with whatif before it is written",
		Long:  help("fix"),
		Example: "  bondaudit fix ./site -o plan.yaml && bondaudit whatif ./site --plan plan.yaml\n" +
			"  bondaudit fix ./site --format markdown -o CHG-4711.md\n" +
			"  bondaudit fix ./site --prefer hosts --format json | jq '.changes[].yaml'",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if !cmd.Flags().Changed("format") {
				switch strings.ToLower(filepath.Ext(output)) {
				case ".md":
					format = "markdown"
				case ".json":
					format = "json"
				}
			}
			if !slices.Contains(fixFormats, format) {
				return failed(fmt.Errorf("--format: unknown format %q: want %s", format, formatList(fixFormats)))
			}
			if prefer != "" && prefer != "hosts" && prefer != "switches" {
				return failed(fmt.Errorf("--prefer %q: want hosts or switches", prefer))
			}
			fsys, name, err := a.site(args, false)
			if err != nil {
				return err
			}
			pol, err := pipeline.Policy(fsys, policyFile)
			if err != nil {
				return failed(err)
			}
			res, err := a.load(fsys, name)
			if err != nil {
				return err
			}
			res.Judge(pol, a.now())
			opt := fix.Options{Prefer: prefer, Policy: pol, Now: res.Now}
			if opt.Prefer == "" && pol != nil {
				opt.Prefer = pol.FixPrefer
			}
			r := planFix(res.Model, res.Findings, opt)
			if r.Err != nil {
				return failed(fmt.Errorf("the plan does not apply to the site: %w", r.Err))
			}
			fr := &fixReport{site: name, r: r, m: res.Model}
			fmt.Fprintf(a.stderr, "bondaudit fix: %d change(s); check: %s\n", len(r.Changes), fr.summary())
			if r.AddsError() && !force {
				for _, f := range r.Added {
					if f.Severity >= rules.Error {
						fmt.Fprintf(a.stderr, "  would add: %s %s: %s\n", f.Rule, escape.Text(subject(f)), escape.Text(f.Message))
					}
				}
				return failed(fmt.Errorf("the plan would add an error: not written (--force writes it anyway)"))
			}
			write := map[string]func(io.Writer) error{"yaml": fr.yaml, "markdown": fr.markdown, "json": fr.json}[format]
			if err := a.writeOutput(output, write); err != nil {
				return failed(err)
			}
			if r.ErrorsLeft() > 0 {
				return &exitError{code: exitFindings}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&format, "format", "yaml", "yaml (the plan for whatif --plan), markdown (a change ticket) or json (default from the -o extension: .md, .json; else yaml)")
	cmd.Flags().StringVarP(&output, "output", "o", "", "write to FILE (atomically) instead of stdout")
	cmd.Flags().StringVar(&prefer, "prefer", "", "change hosts or switches first (default: the policy's fix_prefer, else the side that needs fewer changes)")
	cmd.Flags().BoolVar(&force, "force", false, "write the plan even when its check finds it would add an error")
	cmd.Flags().StringVar(&policyFile, "policy", "", "policy file (default: the site's policy.yaml)")
	return cmd
}

func subject(f rules.Finding) string {
	var parts []string
	for _, s := range []string{f.Host, f.Bond, f.NIC, f.Switch, f.Port} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, " ")
}

// fixReport writes a checked plan.
type fixReport struct {
	site string
	r    *fix.Result
	m    *topology.Model // what the switches' vendors and the LAGs' members are, for render
}

func (fr *fixReport) problem(id string) *fix.ProblemResult {
	for i := range fr.r.Problems {
		if fr.r.Problems[i].ID == id {
			return &fr.r.Problems[i]
		}
	}
	return nil
}

// fixes names what a step fixes: the problem's subject and the rule.
func (fr *fixReport) fixes(s fix.Step) string {
	return fr.subjectOf(s.Problem) + " (" + s.Rule + ")"
}

func (fr *fixReport) summary() string {
	resolved, person, left := fr.r.Count()
	return fmt.Sprintf("%d problem(s) resolved, %d need a person for the rest, %d left; %d with an error left; %d finding(s) added",
		resolved, person, left, fr.r.ErrorsLeft(), len(fr.r.Added))
}

// yaml is the plan whatif --plan reads: a comment above the first change
// of each fix names the problem and why; the header says what the check
// found and what no plan can fix.
func (fr *fixReport) yaml(w io.Writer) error {
	hdr := []string{"bondaudit fix: site " + fr.site, "check (whatif): " + fr.summary(), "verify: bondaudit whatif SITE --plan THIS-FILE"}
	for _, u := range fr.r.Unfixable {
		hdr = append(hdr, fmt.Sprintf("not fixable: %s %s (%s): %s", fr.subjectOf(u.Problem), u.Rule, u.Severity, u.Reason))
	}
	var steps []collect.PlanStep
	last := ""
	for _, s := range fr.r.Changes {
		c := ""
		if key := s.Problem + "\x00" + s.Why; key != last {
			c, last = "fixes "+fr.fixes(s)+": "+s.Why, key
		}
		steps = append(steps, collect.PlanStep{Change: s.Change, Comment: c})
	}
	b, err := collect.FormatPlan(hdr, steps)
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

func (fr *fixReport) subjectOf(id string) string {
	if p := fr.problem(id); p != nil {
		return p.Subject
	}
	return id
}

// markdown is a change ticket.
func (fr *fixReport) markdown(w io.Writer) error {
	var b bytes.Buffer
	md := escape.Markdown
	fmt.Fprintf(&b, "# Fix plan: site %s\n\n", md(fr.site))
	fmt.Fprintf(&b, "Checked by bondaudit before anything is typed: the plan applied to the site (whatif) and audited again: **%s**.\n\n", fr.summary())
	fmt.Fprintf(&b, "## Changes\n\n")
	if len(fr.r.Changes) == 0 {
		fmt.Fprintf(&b, "None.\n\n")
	} else {
		fmt.Fprintf(&b, "| # | Change | Fixes | Why |\n|---|---|---|---|\n")
		for i, s := range fr.r.Changes {
			t, err := collect.ChangeText(s.Change)
			if err != nil {
				return err
			}
			fmt.Fprintf(&b, "| %d | %s | %s | %s |\n", i+1, md(t), md(fr.fixes(s)), md(s.Why))
		}
		b.WriteString("\n")
		var cs []topology.Change
		for _, s := range fr.r.Changes {
			cs = append(cs, s.Change)
		}
		fmt.Fprintf(&b, "## What to type\n\n%s\n", render.Markdown(cs, fr.m))
	}
	fmt.Fprintf(&b, "## What the check found\n\n")
	for _, p := range fr.r.Problems {
		audit := ""
		if len(p.AuditProblems) > 0 {
			audit = "; audit problems " + strings.Join(p.AuditProblems, ", ")
		}
		fmt.Fprintf(&b, "- **%s** %s: %s (%s, %d finding(s)%s)\n", p.Outcome, md(p.Subject), md(p.Rule), p.Severity, len(p.Findings), md(audit))
		for _, f := range p.Left {
			fmt.Fprintf(&b, "  - left: %s %s: %s\n", md(f.Rule), md(subject(f)), md(f.Message))
		}
	}
	for _, f := range fr.r.Added {
		fmt.Fprintf(&b, "- **added** %s %s (%s): %s\n", md(f.Rule), md(subject(f)), f.Severity, md(f.Message))
	}
	if len(fr.r.Unfixable) > 0 {
		fmt.Fprintf(&b, "\n## Not fixable by a plan\n\n")
		for _, u := range fr.r.Unfixable {
			fmt.Fprintf(&b, "- %s %s (%s): %s\n", md(fr.subjectOf(u.Problem)), md(u.Rule), u.Severity, md(u.Reason))
		}
	}
	fmt.Fprintf(&b, "\nVerify: `bondaudit fix SITE -o plan.yaml` writes the plan, `bondaudit whatif SITE --plan plan.yaml` judges it again.\n")
	_, err := w.Write(b.Bytes())
	return err
}

// fixJSON is --format json.
type fixJSON struct {
	Schema    string               `json:"schema"`
	Site      string               `json:"site"`
	Changes   []fixChangeJSON      `json:"changes"`
	Problems  []fixProblemJSON     `json:"problems"`
	Unfixable []fixUnfixedJSON     `json:"unfixable"`
	Added     []report.FindingJSON `json:"added"`
}

type fixChangeJSON struct {
	YAML    string `json:"yaml"`
	Change  any    `json:"change"`
	Problem string `json:"problem"`
	Rule    string `json:"rule"`
	Why     string `json:"why"`
	// Type is what to type for it, per switch vendor and host tool.
	Type []render.Snippet `json:"type"`
}

type fixProblemJSON struct {
	ID       string               `json:"id"`
	Subject  string               `json:"subject"`
	Rule     string               `json:"rule"`
	Severity string               `json:"severity"`
	Outcome  string               `json:"outcome"`
	Findings []report.FindingJSON `json:"findings"`
	Left     []report.FindingJSON `json:"left"`
	// AuditProblems are the ids of the audit's problems it covers.
	AuditProblems []string `json:"audit_problems"`
}

type fixUnfixedJSON struct {
	Problem  string `json:"problem"`
	Rule     string `json:"rule"`
	Severity string `json:"severity"`
	Reason   string `json:"reason"`
}

func findingsJSON(fs []rules.Finding) []report.FindingJSON {
	out := []report.FindingJSON{}
	for _, f := range fs {
		out = append(out, report.NewFindingJSON(f))
	}
	return out
}

func (fr *fixReport) json(w io.Writer) error {
	out := fixJSON{Schema: "bondaudit.fix/v1", Site: fr.site, Changes: []fixChangeJSON{}, Problems: []fixProblemJSON{},
		Unfixable: []fixUnfixedJSON{}, Added: findingsJSON(fr.r.Added)}
	for _, s := range fr.r.Changes {
		t, err := collect.ChangeText(s.Change)
		if err != nil {
			return err
		}
		snips, err := render.With(fr.m).All(s.Change)
		if err != nil {
			return err
		}
		if snips == nil {
			snips = []render.Snippet{}
		}
		out.Changes = append(out.Changes, fixChangeJSON{YAML: t, Change: s.Change, Problem: s.Problem, Rule: s.Rule, Why: s.Why, Type: snips})
	}
	for _, p := range fr.r.Problems {
		out.Problems = append(out.Problems, fixProblemJSON{ID: p.ID, Subject: p.Subject, Rule: p.Rule, Severity: p.Severity.String(),
			Outcome: string(p.Outcome), Findings: findingsJSON(p.Findings), Left: findingsJSON(p.Left),
			AuditProblems: append([]string{}, p.AuditProblems...)})
	}
	for _, u := range fr.r.Unfixable {
		out.Unfixable = append(out.Unfixable, fixUnfixedJSON{Problem: u.Problem, Rule: u.Rule, Severity: u.Severity.String(), Reason: u.Reason})
	}
	enc := escape.JSON(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
