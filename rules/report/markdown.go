package report

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/bondaudit/bondaudit/rules"
	"github.com/bondaudit/bondaudit/topology/escape"
)

// Markdown writes the report for a change ticket: a title with site and
// time, a summary table, the findings grouped by host (each with its fix and
// evidence), the inputs that could not be read, and the findings policy
// waived, with reason and expiry.
type Markdown struct{}

// mdSiteGroup heads the findings that name no host.
const mdSiteGroup = "Switches / site"

// Write implements Writer.
func (Markdown) Write(w io.Writer, r *Report) error {
	ew := &errWriter{w: w}
	mdSummary(ew, r)
	mdFindings(ew, r)
	mdProblems(ew, r.Problems)
	mdSuppressed(ew, r.Findings)
	return ew.err
}

func mdSummary(ew *errWriter, r *Report) {
	s := Summarize(r)
	ew.printf("# bondaudit: site %s, %s\n\n", mdText(r.Site), r.Generated.UTC().Format("2006-01-02T15:04Z07:00"))
	ew.printf("| site | hosts | bonds | switches | links | errors | warnings | info |\n")
	ew.printf("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n")
	ew.printf("| %s | %d | %d | %d | %d | %d | %d | %d |\n", mdCell(r.Site), s.Hosts, s.Bonds, s.Switches, s.Links,
		s.Findings[rules.Error], s.Findings[rules.Warning], s.Findings[rules.Info])
	if !r.Filter.IsZero() {
		ew.printf("\nFindings selected by %s; the counts are of those.\n", mdText(r.Filter.String()))
	}
}

// mdFindings lists the problems (those with a finding not waived) in a
// table, one row each, then each problem with its findings (fix and
// evidence), in the problems' order.
func mdFindings(ew *errWriter, r *Report) {
	_, all := grouped(r.Findings)
	ps := activeProblems(all)
	ew.printf("\n## Problems\n")
	if len(ps) == 0 {
		ew.printf("\nNo findings.\n")
		return
	}
	n := 0
	for _, p := range ps {
		n += len(p.Findings)
	}
	ew.printf("\n%s in %s, one per root cause; the details list each problem's findings.\n\n", plural(n, "finding", "findings"), plural(len(ps), "problem", "problems"))
	ew.printf("| severity | rule | subject | problem | findings |\n")
	ew.printf("| --- | --- | --- | --- | ---: |\n")
	for _, p := range ps {
		ew.printf("| %s | %s | %s | %s | [%d](#%s) |\n", strings.ToUpper(p.Severity.String()), mdCode(p.Rule),
			mdCell(shortSubject(p.Subject)), mdCell(p.Message()), len(p.Findings), strings.ToLower(p.ID))
	}
	ew.printf("\n## Findings\n")
	for _, p := range ps {
		ew.printf("\n### %s\n\n%s on %s, %s\n", p.ID, mdCode(p.Rule), mdText(problemSubject(r.Model, p.Subject)),
			plural(len(p.Findings), "finding", "findings"))
		for _, f := range p.Findings {
			mdFinding(ew, f)
		}
	}
}

// mdGroupOrder sorts the host names, the group without a host ("") last.
func mdGroupOrder(groups map[string][]rules.Finding) []string {
	hosts := slices.Sorted(maps.Keys(groups))
	if len(hosts) > 0 && hosts[0] == "" {
		hosts = append(hosts[1:], "")
	}
	return hosts
}

func mdFinding(ew *errWriter, f rules.Finding) {
	ew.printf("\n%s\n\n  %s\n", mdItemHead(f, where(f)), mdText(f.Message))
	if f.Fix != "" {
		ew.printf("\n  **Fix:** %s\n", mdText(f.Fix))
	}
	if ev := dedupe(f.Evidence); len(ev) > 0 {
		ew.printf("\n  Evidence:\n\n")
		for _, e := range ev {
			ew.printf("  - %s\n", mdCode(e))
		}
	}
}

// mdItemHead is a finding's list item line: severity, rule and subject.
func mdItemHead(f rules.Finding, subject string) string {
	head := fmt.Sprintf("- **%s** %s", strings.ToUpper(f.Severity.String()), mdCode(f.Rule))
	if subject != "" {
		head += " — " + mdText(subject)
	}
	return head
}

func mdProblems(ew *errWriter, problems []string) {
	ew.printf("\n## Inputs not read\n\n")
	if len(problems) == 0 {
		ew.printf("None: every input was read.\n")
		return
	}
	ew.printf("These inputs could not be read in full; what they would show was not checked.\n\n")
	for _, p := range sortedProblems(problems) {
		ew.printf("- %s\n", mdCode(p))
	}
}

func mdSuppressed(ew *errWriter, fs []rules.Finding) {
	ew.printf("\n## Suppressed (waived)\n")
	n := 0
	for _, f := range fs {
		if !waived(f) {
			continue
		}
		n++
		subject := join2(f.Host, where(f), " ")
		ew.printf("\n%s\n\n  %s\n", mdItemHead(f, subject), mdText(f.Message))
		ew.printf("\n  **Reason:** %s · **Expires:** %s\n", mdText(orElse(f.Reason, "(none given)")), mdText(orElse(f.Expires, "never")))
	}
	if n == 0 {
		ew.printf("\nNone.\n")
	}
}

func orElse[S ~string](s S, none string) string {
	if s == "" {
		return none
	}
	return string(s)
}

// The Markdown escaping policy is escape.Markdown and escape.MarkdownCode
// (one place for every Markdown output: audit, whatif, diff).

// mdText escapes s for running Markdown text, on one line.
func mdText(s string) string { return escape.Markdown(s) }

// mdCell escapes s for a Markdown table cell.
func mdCell(s string) string { return escape.Markdown(s) }

// mdCode puts s in a code span, on one line, with a fence longer than any
// run of backticks in s.
func mdCode(s string) string { return escape.MarkdownCode(s) }
