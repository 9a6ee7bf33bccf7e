package report

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/bondaudit/bondaudit/rules"
	"github.com/bondaudit/bondaudit/topology"
	"github.com/bondaudit/bondaudit/topology/escape"
)

// Text writes the report a network engineer reads at a glance and pastes
// into a ticket: one line per bond with where its slaves land, then the
// findings grouped by host and bond with message, fix and evidence, then
// what could not be read.
type Text struct {
	// ShowEvidence prints evidence lines under each finding (default on in New).
	HideEvidence bool
	// ShowSuppressed lists findings waived by the policy (with the
	// waiver's reason and expiry); otherwise only their number is shown.
	ShowSuppressed bool
}

// Write implements Writer.
func (t Text) Write(w io.Writer, r *Report) error {
	ew := &errWriter{w: w}
	s := Summarize(r)
	ew.printf("bondaudit: site %s, %s\n", escape.Text(r.Site), r.Generated.UTC().Format("2006-01-02 15:04 UTC"))
	mapped, slaves := 0, 0
	if r.Model != nil {
		for _, h := range r.Model.Hosts {
			for _, bf := range h.BondFacts() {
				for _, sf := range bf.Slaves {
					slaves++
					if sf.Mapped() {
						mapped++
					}
				}
			}
		}
	}
	domains := ""
	if r.Model != nil && len(r.Model.Domains) > 0 {
		domains = fmt.Sprintf(" (%s)", plural(len(r.Model.Domains), "MLAG/stack domain", "MLAG/stack domains"))
	}
	ew.printf("%s, %s, %s%s; %d of %d bond slaves mapped to switch ports\n",
		plural(s.Hosts, "host", "hosts"), plural(s.Bonds, "bond", "bonds"), plural(s.Switches, "switch", "switches"), domains, mapped, slaves)

	byBond := bondFindings(r.Findings)
	if r.Model != nil && s.Bonds > 0 {
		ew.printf("\nBONDS\n")
		tw := tabwriter.NewWriter(ew, 0, 0, 2, ' ', 0)
		fmt.Fprintf(tw, "HOST\tBOND\tMODE\tSLAVE → SWITCH PORT\tRESULT\n")
		for _, h := range r.Model.Hosts {
			if !r.Filter.Host(h.Name) {
				continue
			}
			for _, bf := range h.BondFacts() {
				if !bondOnSwitch(bf, r.Filter) {
					continue
				}
				b := bf.Bond
				var legs []string
				for _, sf := range bf.Slaves {
					if l := sf.Link; l != nil {
						legs = append(legs, fmt.Sprintf("%s→%s:%s", escape.Text(sf.Slave.Name), escape.Text(l.Switch), escape.Text(l.Port)))
					} else {
						legs = append(legs, escape.Text(sf.Slave.Name)+"→?")
					}
				}
				if len(legs) == 0 {
					legs = []string{"(no slaves)"}
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", escape.Text(h.Name), escape.Text(b.Name), escape.Text(string(b.Mode)), strings.Join(legs, "  "), resultWord(byBond[[2]string{h.Name, b.Name}]))
			}
		}
		tw.Flush()
	}

	_, all := grouped(r.Findings)
	ps := activeProblems(all)
	active := 0
	for _, p := range ps {
		active += len(p.Findings)
	}
	selected := ""
	if !r.Filter.IsZero() {
		selected = " (selected by " + escape.Text(r.Filter.String()) + ")"
	}
	pc := problemCounts(ps)
	ew.printf("\nFINDINGS%s: %s in %s: %s, %s, %s\n", selected, plural(active, "finding", "findings"), plural(len(ps), "problem", "problems"),
		plural(s.Findings[rules.Error], "error", "errors"),
		plural(s.Findings[rules.Warning], "warning", "warnings"), plural(s.Findings[rules.Info], "info", "info"))
	if active == 0 {
		ew.printf("  none\n")
	} else {
		// One line per problem: what to fix, the rest is its evidence.
		ew.printf("\nPROBLEMS: %s, %s, %s\n", plural(pc[rules.Error], "error", "errors"),
			plural(pc[rules.Warning], "warning", "warnings"), plural(pc[rules.Info], "info", "info"))
		tw := tabwriter.NewWriter(ew, 0, 0, 2, ' ', 0)
		for _, p := range ps {
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", strings.ToUpper(p.Severity.String()), escape.Text(p.Rule),
				escape.Text(shortSubject(p.Subject)), strings.Join(nonEmpty(escape.Text(p.Message()), more(len(p.Findings))), "  "))
		}
		tw.Flush()
	}
	for _, p := range ps {
		ew.printf("\n%s %s: %s on %s, %s\n", p.ID, strings.ToUpper(p.Severity.String()), escape.Text(p.Rule),
			escape.Text(problemSubject(r.Model, p.Subject)), plural(len(p.Findings), "finding", "findings"))
		for _, f := range p.Findings {
			t.finding(ew, f)
		}
	}
	var waived []rules.Finding
	for _, f := range r.Findings {
		if f.Status == rules.StatusSuppressed {
			waived = append(waived, f)
		}
	}
	if len(waived) > 0 && !t.ShowSuppressed {
		ew.printf("\nSUPPRESSED: %s waived by the policy (--show-suppressed lists them)\n", plural(len(waived), "finding", "findings"))
	}
	if len(waived) > 0 && t.ShowSuppressed {
		ew.printf("\nSUPPRESSED (%d): waived by the policy; they count again when the waiver expires\n", len(waived))
		for _, f := range waived {
			subj := strings.TrimSpace(strings.Join(nonEmpty(f.Host, f.Bond, f.NIC, arrow(f.NIC, f.Switch, f.Port)), " "))
			ew.printf("  %-8s %-30s %s\n", strings.ToUpper(f.Severity.String()), escape.Text(f.Rule), escape.Text(subj))
			ew.printf("           %s\n", escape.Text(f.Message))
			ew.printf("           waived until %s: %s\n", escape.Text(f.Expires), escape.Text(f.Reason))
		}
	}
	if len(r.Problems) > 0 {
		ew.printf("\nNOT READ (%d): these inputs could not be read in full; what they would show was not checked\n", len(r.Problems))
		for _, p := range sortedProblems(r.Problems) {
			ew.printf("  %s\n", escape.Text(p))
		}
	}
	return ew.err
}

// finding prints one finding under its problem: severity, rule and
// where, then message, fix and evidence.
func (t Text) finding(ew *errWriter, f rules.Finding) {
	where := strings.TrimSpace(strings.Join(nonEmpty(f.NIC, arrow(f.NIC, f.Switch, f.Port)), " "))
	if f.Host != "" && f.Bond == "" {
		where = strings.TrimSpace(f.Host + " " + where)
	}
	ew.printf("  %-8s %-30s %s\n", strings.ToUpper(f.Severity.String()), escape.Text(f.Rule), escape.Text(where))
	ew.printf("           %s\n", escape.Text(f.Message))
	if f.Fix != "" {
		ew.printf("           fix: %s\n", escape.Text(f.Fix))
	}
	if !t.HideEvidence {
		ev := dedupe(f.Evidence)
		for i, e := range ev {
			if i == maxTextEvidence && len(ev) > maxTextEvidence+1 {
				ew.printf("           evidence: … %d more (--format json lists all)\n", len(ev)-i)
				break
			}
			ew.printf("           evidence: %s\n", escape.Text(e))
		}
	}
}

// maxTextEvidence bounds the evidence lines per finding in text; JSON has all.
const maxTextEvidence = 6

// dedupe is ss without repeats, in first-seen order; a short list (what
// a finding's evidence is) by scanning, without a map.
func dedupe(ss []string) []string {
	if len(ss) <= 16 {
		var out []string
	next:
		for i, s := range ss {
			for _, seen := range ss[:i] {
				if seen == s {
					continue next
				}
			}
			out = append(out, s)
		}
		return out
	}
	seen := map[string]bool{}
	var out []string
	for _, s := range ss {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// textOrder groups findings by subject (host and bond, or switch), the
// groups with the worst findings first, and within a group by severity.
func textOrder(fs []rules.Finding) []rules.Finding {
	type key struct{ host, bond, sw string }
	k := func(f rules.Finding) key {
		if f.Host != "" {
			return key{f.Host, f.Bond, ""}
		}
		return key{"", "", f.Switch}
	}
	worst := map[key]rules.Severity{}
	for _, f := range fs {
		if f.Status == rules.StatusSuppressed {
			continue
		}
		if w, ok := worst[k(f)]; !ok || f.Severity > w {
			worst[k(f)] = f.Severity
		}
	}
	out := slices.Clone(fs)
	slices.SortStableFunc(out, func(a, b rules.Finding) int {
		ka, kb := k(a), k(b)
		return cmp.Or(
			cmp.Compare(worst[kb], worst[ka]),
			cmp.Compare(ka.host, kb.host), cmp.Compare(ka.bond, kb.bond), cmp.Compare(ka.sw, kb.sw),
			cmp.Compare(b.Severity, a.Severity),
			topology.CompareNames(a.NIC, b.NIC), cmp.Compare(a.Rule, b.Rule))
	})
	return out
}

func arrow(nic, sw, port string) string {
	if sw == "" {
		return ""
	}
	target := sw
	if port != "" {
		target += " " + port
	}
	if nic != "" {
		return "→ " + target
	}
	return target
}

func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

func subjectTitle(m *topology.Model, f rules.Finding) string {
	switch {
	case f.Host != "" && f.Bond != "":
		mode := ""
		if m != nil {
			if h := m.Host(f.Host); h != nil {
				for _, b := range h.Bonds {
					if b.Name == f.Bond {
						mode = " (" + string(b.Mode) + ")"
					}
				}
			}
		}
		return "host " + f.Host + " " + f.Bond + mode
	case f.Host != "":
		return "host " + f.Host
	case f.Switch != "":
		return "switch " + f.Switch
	}
	return "site"
}

// resultWord is "ok", or the findings counted by severity: "1 error, 2
// warnings".
func resultWord(fs []rules.Finding) string {
	var n severityCounts
	for i := range fs {
		n.add(fs[i].Severity)
	}
	return n.word(len(fs))
}

// severityCounts counts findings by severity (Info, Warning, Error).
type severityCounts [3]int

func (n *severityCounts) add(s rules.Severity) {
	if s >= rules.Info && s <= rules.Error {
		n[s-rules.Info]++
	}
}

// word is resultWord's text for the counts of total findings.
func (n *severityCounts) word(total int) string {
	if total == 0 {
		return "ok"
	}
	var parts []string
	if c := n[rules.Error-rules.Info]; c > 0 {
		parts = append(parts, plural(c, "error", "errors"))
	}
	if c := n[rules.Warning-rules.Info]; c > 0 {
		parts = append(parts, plural(c, "warning", "warnings"))
	}
	if c := n[0]; c > 0 {
		parts = append(parts, plural(c, "info", "info"))
	}
	return strings.Join(parts, ", ")
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.w.Write(p)
	e.err = err
	return n, err
}

func (e *errWriter) printf(format string, args ...any) {
	fmt.Fprintf(e, format, args...)
}

// bondOnSwitch reports whether a bond has a slave cabled to a switch the
// filter selects (always, without --switch).
func bondOnSwitch(bf topology.BondFacts, f rules.Filter) bool {
	if len(f.Switches) == 0 {
		return true
	}
	for _, sf := range bf.Slaves {
		if sf.Link != nil && f.Switch(sf.Link.Switch) {
			return true
		}
	}
	return false
}
