package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/bondaudit/bondaudit/rules"
	"github.com/bondaudit/bondaudit/topology"
	"github.com/bondaudit/bondaudit/topology/escape"
)

// WhatIfSchema is the version of `whatif --format json`.
const WhatIfSchema = "bondaudit.whatif/v1"

// WhatIf is what whatif reports: the impact of the elements taken down,
// and what a plan changes in the findings (nil without --plan).
type WhatIf struct {
	Impact *topology.Impact
	Plan   *Plan
}

// Breaks is whatif's verdict (exit 1): a bond loses connectivity, or the
// plan adds an error. A bond whose outcome is unknown (a slave's switch
// port is unknown: it may be on what goes down) does not count: exit 1
// says the change is known to break something, and on a site where some
// slaves are not mapped every whatif would otherwise exit 1 and the exit
// status would say nothing. Such bonds are listed and counted in every
// format instead (Impact.Uncertain), to be mapped first.
func (w *WhatIf) Breaks() bool {
	return w.Impact != nil && w.Impact.Isolated() ||
		w.Plan != nil && (rules.FailOn{Threshold: rules.Error}).Fails(w.Plan.Delta.New)
}

// Plan is what a plan changes in the findings.
type Plan struct {
	File    string
	Changes int
	// Delta compares the findings before and after the plan: Delta.New
	// are the findings it adds, Delta.Resolved those it removes.
	Delta rules.Delta
}

var outcomeWords = map[topology.Outcome]string{
	topology.OutcomeIsolated:   "LOSES CONNECTIVITY",
	topology.OutcomeRedundancy: "loses redundancy",
	topology.OutcomeFailover:   "fails over",
	topology.OutcomeDegraded:   "degraded, still redundant",
	topology.OutcomeUnknown:    "unknown",
}

// uncertain is the line under a what-if that counts the bonds with a slave
// whose switch port is unknown ("" when none).
func uncertain(im *topology.Impact, esc func(string) string) string {
	n := im.Uncertain()
	if n == 0 {
		return ""
	}
	return fmt.Sprintf("%d bond(s) have a slave whose switch port is unknown: it may be on %s. Map those slaves (LLDP on the host or the switch) to know; they do not count in the exit status.",
		n, strings.Join(mapStrings(im.Down, esc), " or "))
}

// links lists slaves and their switch ports, each name through esc (the
// format's escaping: escape.Text or escape.Markdown).
func links(ls []topology.SlaveLink, esc func(string) string) string {
	if len(ls) == 0 {
		return "none"
	}
	var out []string
	for _, l := range ls {
		if l.Switch == "" {
			out = append(out, esc(l.NIC)+"→?")
		} else {
			out = append(out, fmt.Sprintf("%s→%s:%s", esc(l.NIC), esc(l.Switch), esc(l.Port)))
		}
	}
	return strings.Join(out, " ")
}

// problemRows lists ps as the plan and the diff print them: each
// problem's primary finding (first, with how many others the problem
// has), then its other findings, under it.
func problemRows(ps []rules.Problem, row func(f rules.Finding, first bool, others int)) {
	for _, p := range ps {
		for i, f := range p.Findings {
			row(f, i == 0, len(p.Findings)-1)
		}
	}
}

func writePlan(w io.Writer, p *Plan, md bool) {
	if p == nil {
		return
	}
	head := "\nplan %s (%d changes): adds %s (%s), removes %s (%s)\n"
	item, more, under := "  %s %-8s %-30s %s: %s%s\n", "  +%s", "    "
	esc, code := escape.Text, escape.Text
	if md {
		head = "\n### Plan %s (%d changes): adds %s (%s), removes %s (%s)\n\n"
		item, more, under = "- %s **%s** %s %s: %s%s\n", " (+%s)", "  "
		esc, code = escape.Markdown, escape.MarkdownCode
	}
	subject := func(f rules.Finding) string {
		if f.Host != "" {
			return f.Host
		}
		return f.Switch
	}
	_, added := grouped(p.Delta.New)
	_, removed := grouped(p.Delta.Resolved)
	fmt.Fprintf(w, head, esc(p.File), p.Changes, plural(len(added), "problem", "problems"), plural(len(p.Delta.New), "finding", "findings"),
		plural(len(removed), "problem", "problems"), plural(len(p.Delta.Resolved), "finding", "findings"))
	for _, side := range []struct {
		sign string
		ps   []rules.Problem
	}{{"+", added}, {"-", removed}} {
		problemRows(side.ps, func(f rules.Finding, first bool, others int) {
			indent, suffix := under, ""
			if first {
				indent = ""
				if others > 0 {
					suffix = fmt.Sprintf(more, plural(others, "finding", "findings"))
				}
			}
			fmt.Fprintf(w, indent+item, side.sign, strings.ToUpper(f.Severity.String()), code(f.Rule), esc(subject(f)), esc(f.Message), suffix)
		})
	}
}

func writeWhatIfJSON(w io.Writer, r *WhatIf) error {
	type plan struct {
		File    string        `json:"file"`
		Changes int           `json:"changes"`
		Added   []FindingJSON `json:"added"`
		Removed []FindingJSON `json:"removed"`
		// The added and the removed findings as problems (each grouped
		// among themselves), whose ids the findings' "problem" name.
		AddedProblems   []ProblemJSON `json:"added_problems"`
		RemovedProblems []ProblemJSON `json:"removed_problems"`
	}
	out := struct {
		Schema string `json:"schema"`
		*topology.Impact
		// Uncertain counts the bonds with a slave of unknown switch port.
		Uncertain int   `json:"uncertain_bonds,omitempty"`
		Plan      *plan `json:"plan,omitempty"`
	}{Schema: WhatIfSchema, Impact: r.Impact, Uncertain: r.Impact.Uncertain()}
	if p := r.Plan; p != nil {
		added, addedPs := grouped(p.Delta.New)
		removed, removedPs := grouped(p.Delta.Resolved)
		out.Plan = &plan{p.File, p.Changes, findingsJSON(added, brief), findingsJSON(removed, brief),
			problemsJSON(addedPs), problemsJSON(removedPs)}
	}
	return escape.JSON(w).Encode(out)
}

func writeWhatIfMarkdown(w io.Writer, r *WhatIf) error {
	im := r.Impact
	defer writePlan(w, r.Plan, true)
	if len(im.Down) == 0 {
		return nil
	}
	md := escape.Markdown
	fmt.Fprintf(w, "## What if %s goes down\n\n", strings.Join(mapStrings(im.Down, md), " + "))
	if len(im.Bonds) == 0 {
		fmt.Fprintf(w, "No bond has a slave on it.\n")
	} else {
		fmt.Fprintf(w, "| host | bond | mode | outcome | lost | remaining | takes over | notes |\n|---|---|---|---|---|---|---|---|\n")
		for _, b := range im.Bonds {
			fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s | %s | %s |\n", md(b.Host), md(b.Bond), md(string(b.Mode)), outcomeWords[b.Outcome],
				links(b.Lost, md), links(b.Remaining, md), md(b.TakesOver), strings.Join(mapStrings(b.Notes, md), "; "))
		}
	}
	if len(im.Unreachable) > 0 {
		fmt.Fprintf(w, "\n**Hosts cut off from the fabric:** %s\n", strings.Join(mapStrings(im.Unreachable, md), ", "))
	}
	if u := uncertain(im, md); u != "" {
		fmt.Fprintf(w, "\n**Unknown:** %s\n", u)
	}
	return nil
}

func writeWhatIfText(w io.Writer, r *WhatIf) error {
	im := r.Impact
	defer writePlan(w, r.Plan, false)
	if len(im.Down) == 0 {
		return nil
	}
	t := escape.Text
	fmt.Fprintf(w, "what if %s goes down\n\n", strings.Join(escape.Texts(im.Down), " + "))
	if len(im.Bonds) == 0 {
		fmt.Fprintf(w, "no bond has a slave on it\n")
	}
	for _, b := range im.Bonds {
		fmt.Fprintf(w, "%-20s %s %s (%s)\n", outcomeWords[b.Outcome], t(b.Host), t(b.Bond), t(string(b.Mode)))
		fmt.Fprintf(w, "    lost:      %s\n    remaining: %s\n", links(b.Lost, t), links(b.Remaining, t))
		if b.TakesOver != "" {
			fmt.Fprintf(w, "    takes over: %s\n", t(b.TakesOver))
		}
		for _, n := range b.Notes {
			fmt.Fprintf(w, "    note: %s\n", t(n))
		}
	}
	if len(im.Unreachable) > 0 {
		fmt.Fprintf(w, "\nhosts cut off from the fabric: %s\n", strings.Join(escape.Texts(im.Unreachable), ", "))
	}
	if u := uncertain(im, t); u != "" {
		fmt.Fprintf(w, "\n%s\n", u)
	}
	return nil
}

// problemsJSON maps ps through NewProblemJSON; never null.
func problemsJSON(ps []rules.Problem) []ProblemJSON {
	out := []ProblemJSON{}
	for _, p := range ps {
		out = append(out, NewProblemJSON(p))
	}
	return out
}

// mapStrings applies f to each of ss.
func mapStrings(ss []string, f func(string) string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = f(s)
	}
	return out
}
