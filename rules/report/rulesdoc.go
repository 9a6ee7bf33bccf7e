package report

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/bondaudit/bondaudit/rules"
)

// Rule documentation rendered from the registry, so the reference page,
// "bondaudit rules" and "bondaudit explain" never drift from the code.

// RuleFormats lists the formats RuleList accepts.
func RuleFormats() []string { return Rules.Names() }

// RuleList writes the catalogue: a table (text) or the reference page
// (markdown); "" is text.
func RuleList(w io.Writer, format string, rs []rules.Rule) error {
	if format == "" {
		format = "text"
	}
	write, err := Rules.Writer(format, Options{})
	if err != nil {
		return err
	}
	return write(w, rs)
}

// ruleTable is the catalogue as a table: ID, severity, title.
func ruleTable(w io.Writer, rs []rules.Rule) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "ID\tSEVERITY\tTITLE\n")
	for _, r := range rs {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", r.ID, r.Severity, r.Title)
	}
	return tw.Flush()
}

// themes names the rule ID prefixes, in reference-page order.
var themes = []struct{ prefix, title string }{
	{"bond", "Host bond configuration"},
	{"lacp", "LACP"},
	{"static", "Static bonds (balance-rr, balance-xor, broadcast)"},
	{"independent", "Independent bonds (active-backup, balance-tlb, balance-alb)"},
	{"redundancy", "Redundancy"},
	{"lag", "Port-channels"},
	{"vlan", "VLANs"},
	{"link", "Links"},
	{"fdb", "Forwarding tables"},
	{"stp", "Spanning tree"},
	{"map", "Mapping blind spots"},
	{"switch", "Switch only"},
	{"policy", "Policy"},
}

func themeOf(id string) string {
	p, _, _ := strings.Cut(id, ".")
	return p
}

func ruleMarkdown(w io.Writer, rs []rules.Rule) error {
	ew := &errWriter{w: w}
	ew.printf("# bondaudit rule reference\n\n")
	ew.printf("Generated from the rule registry by `bondaudit rules --format markdown`; do not edit by hand.\n")
	ew.printf("Rule IDs are stable: use them in policy files (severity overrides, `disabled`, waivers) and dashboards.\n\n")
	ew.printf("Severities: **error**, traffic is lost or redundancy the operator believes in does not exist; ")
	ew.printf("**warning**, degraded or fragile; **info**, advice. A rule never fires on missing data: ")
	ew.printf("the `map.*` rules report what could not be checked.\n\n")
	ew.printf("Findings are grouped into **problems**, one per root cause (the audit's reports lead with them). ")
	ew.printf("Each rule declares the subject its findings roll up to (a bond, a LAG, an MLAG pair, a port, a switch, a host, the site) ")
	ew.printf("and which rules' findings on that subject are its cause: when a cause fired on the same subject, the finding is ")
	ew.printf("evidence in the cause's problem (followed up to the root); otherwise it is a problem of its own, and every finding of ")
	ew.printf("one rule on one subject (the per-slave findings of one bond, say) is one problem. ")
	ew.printf("A problem is as severe as its worst finding that is not waived, and is waived only when all its findings are; ")
	ew.printf("its id (`P-` and a hash of rule and subject) is the same in every run. ")
	ew.printf("Each rule's **Problem** line below says how it groups.\n\n")
	ew.printf("| ID | Severity | Checks |\n|---|---|---|\n")
	for _, r := range rs {
		ew.printf("| [%s](#%s) | %s | %s |\n", r.ID, anchor(r.ID), r.Severity, mdCell(r.Title))
	}
	for _, th := range themes {
		var in []rules.Rule
		for _, r := range rs {
			if themeOf(r.ID) == th.prefix {
				in = append(in, r)
			}
		}
		if len(in) == 0 {
			continue
		}
		ew.printf("\n## %s\n", th.title)
		for _, r := range in {
			ew.printf("\n### %s\n\n", r.ID)
			ew.printf("**%s** · default severity **%s**\n\n", r.Title, r.Severity)
			ew.printf("**What it checks.** %s\n\n", oneParagraph(r.Summary))
			ew.printf("**Why it matters.** %s\n\n", oneParagraph(r.Why))
			ew.printf("**Fix on the host.**\n\n%s\n", fixBlock(r.FixHost))
			ew.printf("**Fix on the switch.**\n\n%s\n", fixBlock(r.FixSwitch))
			ew.printf("**Evidence it reads.** %s\n", oneParagraph(r.Evidence))
			ew.printf("\n**Problem.** %s\n", groupingText(r, rs))
			if len(r.References) > 0 {
				ew.printf("\n**References.**\n\n")
				for _, ref := range r.References {
					ew.printf("- %s\n", ref)
				}
			}
		}
	}
	return ew.err
}

// groupingText is a rule's grouping in words: the subject, its causes
// and why, and the rules it is the cause of.
func groupingText(r rules.Rule, rs []rules.Rule) string {
	g := r.Grouping()
	subj := make([]string, len(g.Subjects))
	for i, k := range g.Subjects {
		subj[i] = subjectWords[k]
	}
	out := "Findings roll up to " + strings.Join(subj, ", else ") + "."
	if len(g.CausedBy) > 0 {
		var cs []string
		for _, c := range g.CausedBy {
			cs = append(cs, fmt.Sprintf("[%s](#%s)", c, anchor(c)))
		}
		when := "when it fired too"
		if len(cs) > 1 {
			when = "when one of them fired too (the first listed wins)"
		}
		out += " A consequence of " + strings.Join(cs, ", ") + " on the same subject, " + when + ": " + g.Why + "; otherwise a problem of its own."
	} else {
		out += " Always a problem of its own (a root cause)."
	}
	var of []string
	for _, o := range rs {
		if slices.Contains(o.Grouping().CausedBy, r.ID) {
			of = append(of, fmt.Sprintf("[%s](#%s)", o.ID, anchor(o.ID)))
		}
	}
	if len(of) > 0 {
		out += " Declared the cause of " + strings.Join(of, ", ") + " on the same subject."
	}
	return out
}

// subjectWords names the subject kinds on the reference page.
var subjectWords = map[string]string{
	rules.SubjectBond: "the bond", rules.SubjectLAG: "the LAG", rules.SubjectPair: "the MLAG pair",
	rules.SubjectPort: "the port", rules.SubjectSwitch: "the switch", rules.SubjectHost: "the host", rules.SubjectSite: "the site",
}

// anchor is GitHub's heading anchor for a rule ID heading.
func anchor(id string) string { return strings.ReplaceAll(id, ".", "") }

// oneParagraph joins wrapped lines into one paragraph.
func oneParagraph(s string) string { return strings.Join(strings.Fields(s), " ") }

// fixBlock renders fix advice: "Platform: command" lines become a list
// with the command in code; other text stays a paragraph.
func fixBlock(s string) string {
	var b strings.Builder
	var para []string
	flush := func() {
		if len(para) > 0 {
			b.WriteString(strings.Join(para, " ") + "\n\n")
			para = nil
		}
	}
	list := false
	for _, line := range strings.Split(strings.TrimSpace(s), "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		if label, rest, ok := strings.Cut(line, ": "); ok && isPlatform(label) {
			flush()
			b.WriteString(fmt.Sprintf("- %s: `%s`\n", label, strings.ReplaceAll(rest, "`", "'")))
			list = true
			continue
		}
		if list {
			b.WriteString("\n")
			list = false
		}
		para = append(para, line)
	}
	flush()
	return strings.TrimRight(b.String(), "\n") + "\n"
}

func isPlatform(label string) bool {
	switch label {
	case "iproute2", "NetworkManager", "netplan", "Cisco IOS/NX-OS", "Cisco IOS", "Cisco NX-OS", "Arista EOS", "Junos":
		return true
	}
	return false
}

// Explain writes one rule's help for "bondaudit explain".
func Explain(w io.Writer, r rules.Rule) error {
	ew := &errWriter{w: w}
	ew.printf("%s  (%s)\n%s\n\n", r.ID, r.Severity, r.Title)
	section := func(title, body string) {
		if strings.TrimSpace(body) == "" {
			return
		}
		ew.printf("%s\n", title)
		for _, line := range strings.Split(strings.TrimRight(body, "\n"), "\n") {
			ew.printf("  %s\n", strings.TrimRight(line, " "))
		}
		ew.printf("\n")
	}
	section("What it checks", r.Summary)
	section("Why it matters", r.Why)
	section("Fix on the host", r.FixHost)
	section("Fix on the switch", r.FixSwitch)
	section("Evidence it reads", r.Evidence)
	if len(r.References) > 0 {
		section("References", strings.Join(r.References, "\n"))
	}
	return ew.err
}
