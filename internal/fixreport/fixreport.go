// Package fixreport writes bondaudit fix's checked plan: the plan YAML
// whatif --plan reads (collect.FormatPlan), a Markdown change ticket with
// what to type (rules/fix/render), and JSON for tools.
package fixreport

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/bondaudit/bondaudit/collect"
	"github.com/bondaudit/bondaudit/rules"
	"github.com/bondaudit/bondaudit/rules/fix"
	"github.com/bondaudit/bondaudit/rules/fix/render"
	"github.com/bondaudit/bondaudit/rules/report"
	"github.com/bondaudit/bondaudit/topology"
	"github.com/bondaudit/bondaudit/topology/escape"
)

// Subject is a finding's host, bond, NIC, switch and port in words.
func Subject(f rules.Finding) string {
	var parts []string
	for _, s := range []string{f.Host, f.Bond, f.NIC, f.Switch, f.Port} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, " ")
}

// Report writes a checked plan: the YAML whatif --plan reads, a Markdown
// change ticket, or JSON for tools.
type Report struct {
	Site   string
	Result *fix.Result
	Model  *topology.Model // what the switches' vendors and the LAGs' members are, for render
}

func (fr *Report) problem(id string) *fix.ProblemResult {
	for i := range fr.Result.Problems {
		if fr.Result.Problems[i].ID == id {
			return &fr.Result.Problems[i]
		}
	}
	return nil
}

// fixes names what a step fixes: the problem's subject and the rule.
func (fr *Report) fixes(s fix.Step) string {
	return fr.subjectOf(s.Problem) + " (" + s.Rule + ")"
}

// Summary is what the check found, in one line.
func (fr *Report) Summary() string {
	resolved, person, left := fr.Result.Count()
	return fmt.Sprintf("%d problem(s) resolved, %d need a person for the rest, %d left; %d with an error left; %d finding(s) added",
		resolved, person, left, fr.Result.ErrorsLeft(), len(fr.Result.Added))
}

// yaml is the plan whatif --plan reads: a comment above the first change
// of each fix names the problem and why; the header says what the check
// found and what no plan can fix.
func (fr *Report) YAML(w io.Writer) error {
	hdr := []string{"bondaudit fix: site " + fr.Site, "check (whatif): " + fr.Summary(), "verify: bondaudit whatif SITE --plan THIS-FILE"}
	for _, u := range fr.Result.Unfixable {
		hdr = append(hdr, fmt.Sprintf("not fixable: %s %s (%s): %s", fr.subjectOf(u.Problem), u.Rule, u.Severity, u.Reason))
	}
	var steps []collect.PlanStep
	last := ""
	for _, s := range fr.Result.Changes {
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

func (fr *Report) subjectOf(id string) string {
	if p := fr.problem(id); p != nil {
		return p.Subject
	}
	return id
}

// markdown is a change ticket.
func (fr *Report) Markdown(w io.Writer) error {
	var b bytes.Buffer
	md := escape.Markdown
	fmt.Fprintf(&b, "# Fix plan: site %s\n\n", md(fr.Site))
	fmt.Fprintf(&b, "Checked by bondaudit before anything is typed: the plan applied to the site (whatif) and audited again: **%s**.\n\n", fr.Summary())
	fmt.Fprintf(&b, "## Changes\n\n")
	if len(fr.Result.Changes) == 0 {
		fmt.Fprintf(&b, "None.\n\n")
	} else {
		fmt.Fprintf(&b, "| # | Change | Fixes | Why |\n|---|---|---|---|\n")
		for i, s := range fr.Result.Changes {
			t, err := collect.ChangeText(s.Change)
			if err != nil {
				return err
			}
			fmt.Fprintf(&b, "| %d | %s | %s | %s |\n", i+1, md(t), md(fr.fixes(s)), md(s.Why))
		}
		b.WriteString("\n")
		var cs []topology.Change
		for _, s := range fr.Result.Changes {
			cs = append(cs, s.Change)
		}
		fmt.Fprintf(&b, "## What to type\n\n%s\n", render.Markdown(cs, fr.Model))
	}
	fmt.Fprintf(&b, "## What the check found\n\n")
	for _, p := range fr.Result.Problems {
		audit := ""
		if len(p.AuditProblems) > 0 {
			audit = "; audit problems " + strings.Join(p.AuditProblems, ", ")
		}
		fmt.Fprintf(&b, "- **%s** %s: %s (%s, %d finding(s)%s)\n", p.Outcome, md(p.Subject), md(p.Rule), p.Severity, len(p.Findings), md(audit))
		for _, f := range p.Left {
			fmt.Fprintf(&b, "  - left: %s %s: %s\n", md(f.Rule), md(Subject(f)), md(f.Message))
		}
	}
	for _, f := range fr.Result.Added {
		fmt.Fprintf(&b, "- **added** %s %s (%s): %s\n", md(f.Rule), md(Subject(f)), f.Severity, md(f.Message))
	}
	if len(fr.Result.Unfixable) > 0 {
		fmt.Fprintf(&b, "\n## Not fixable by a plan\n\n")
		for _, u := range fr.Result.Unfixable {
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

func (fr *Report) JSON(w io.Writer) error {
	out := fixJSON{Schema: "bondaudit.fix/v1", Site: fr.Site, Changes: []fixChangeJSON{}, Problems: []fixProblemJSON{},
		Unfixable: []fixUnfixedJSON{}, Added: findingsJSON(fr.Result.Added)}
	for _, s := range fr.Result.Changes {
		t, err := collect.ChangeText(s.Change)
		if err != nil {
			return err
		}
		snips, err := render.With(fr.Model).All(s.Change)
		if err != nil {
			return err
		}
		if snips == nil {
			snips = []render.Snippet{}
		}
		out.Changes = append(out.Changes, fixChangeJSON{YAML: t, Change: s.Change, Problem: s.Problem, Rule: s.Rule, Why: s.Why, Type: snips})
	}
	for _, p := range fr.Result.Problems {
		out.Problems = append(out.Problems, fixProblemJSON{ID: p.ID, Subject: p.Subject, Rule: p.Rule, Severity: p.Severity.String(),
			Outcome: string(p.Outcome), Findings: findingsJSON(p.Findings), Left: findingsJSON(p.Left),
			AuditProblems: append([]string{}, p.AuditProblems...)})
	}
	for _, u := range fr.Result.Unfixable {
		out.Unfixable = append(out.Unfixable, fixUnfixedJSON{Problem: u.Problem, Rule: u.Rule, Severity: u.Severity.String(), Reason: u.Reason})
	}
	enc := escape.JSON(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
