package rules

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strings"
)

// Problems: one per root cause. Group folds a run's findings into
// problems by what the registry declares (causes.go): which subject a
// rule's findings roll up to, and which rules' findings on that subject
// are the cause of it. Nothing is guessed from messages.

// Subject kinds a problem is about.
const (
	SubjectBond   = "bond"   // Host, Bond
	SubjectLAG    = "lag"    // Switch, LAG
	SubjectPair   = "pair"   // Switch: the MLAG/stack domain's name
	SubjectPort   = "port"   // Switch, Port; or Host, Port (a host NIC)
	SubjectSwitch = "switch" // Switch
	SubjectHost   = "host"   // Host
	SubjectSite   = "site"   // nothing: the site's policy (waiver.expired)
)

// Subject is what a problem is about.
type Subject struct {
	Kind                          string
	Host, Bond, Switch, Port, LAG string
}

// String is the subject in words: "bond app01 bond0", "lag leaf2
// Port-Channel3", "pair leaf1a+leaf1b", "port leaf2 Ethernet7", "site".
func (s Subject) String() string {
	var parts []string
	for _, p := range []string{s.Kind, s.Host, s.Bond, s.Switch, s.LAG, s.Port} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, " ")
}

// Problem is one root cause: its primary rule on its subject, and every
// finding the registry declares a consequence of it. Severity is the worst
// of its active findings (of all of them when every finding is
// suppressed); the problem is suppressed only when all its findings are.
type Problem struct {
	ID       string
	Rule     string
	Severity Severity
	Subject  Subject
	// Findings: the primary rule's findings first, then the consequences,
	// each in report order.
	Findings []Finding
}

// Status is StatusSuppressed when every finding is waived, else
// StatusFail.
func (p Problem) Status() Status {
	for _, f := range p.Findings {
		if f.Active() {
			return StatusFail
		}
	}
	return StatusSuppressed
}

// Active reports whether the problem counts (some finding is active).
func (p Problem) Active() bool { return p.Status() == StatusFail }

// Message is the problem in one line: its first primary finding's message.
func (p Problem) Message() string {
	if len(p.Findings) == 0 {
		return ""
	}
	return p.Findings[0].Message
}

// Grouping is a rule's declaration of how its findings group into
// problems.
type Grouping struct {
	// Subjects are the kinds of subject the rule's findings roll up to, in
	// order: a finding takes the first its fields fill (a bond needs Host
	// and Bond, a LAG or port Switch and Port, a pair Domain, a switch
	// Switch, a host Host). A finding that fills none is about its own
	// fields (the finding's natural subject).
	Subjects []string
	// CausedBy lists, most fundamental first, the rules whose finding on
	// the same subject (this finding seen as the cause rule's subject) is
	// the cause of this finding: when one is present the finding is
	// evidence in that cause's problem. A rule with none is always a root.
	CausedBy []string
	// Why says why those are its causes (the reference page prints it).
	Why string
}

// GroupingOf returns the rule's declaration (the zero Grouping, a root
// about the finding's own subject, for an unknown rule).
func GroupingOf(id string) Grouping { return causes[id] }

// subjectOf projects f onto subject kind k; false when f lacks the fields.
func subjectOf(f Finding, k string) (Subject, bool) {
	switch k {
	case SubjectBond:
		if f.Host != "" && f.Bond != "" {
			return Subject{Kind: k, Host: f.Host, Bond: f.Bond}, true
		}
	case SubjectLAG:
		if f.Switch != "" && f.Port != "" {
			return Subject{Kind: k, Switch: f.Switch, LAG: f.Port}, true
		}
	case SubjectPair:
		if f.Domain != "" {
			return Subject{Kind: k, Switch: f.Domain}, true
		}
	case SubjectPort:
		switch {
		case f.Switch != "" && f.Port != "":
			return Subject{Kind: k, Switch: f.Switch, Port: f.Port}, true
		case f.Host != "" && f.NIC != "":
			return Subject{Kind: k, Host: f.Host, Port: f.NIC}, true
		}
	case SubjectSwitch:
		if f.Switch != "" {
			return Subject{Kind: k, Switch: f.Switch}, true
		}
	case SubjectHost:
		if f.Host != "" {
			return Subject{Kind: k, Host: f.Host}, true
		}
	case SubjectSite:
		return Subject{Kind: k}, true
	}
	return Subject{}, false
}

// subjectFor is f's subject by its rule's declaration, else its natural
// one: the most specific its fields name.
func subjectFor(f Finding) Subject {
	for _, k := range causes[f.Rule].Subjects {
		if s, ok := subjectOf(f, k); ok {
			return s
		}
	}
	for _, k := range []string{SubjectBond, SubjectPort, SubjectPair, SubjectSwitch, SubjectHost, SubjectSite} {
		if s, ok := subjectOf(f, k); ok {
			return s
		}
	}
	return Subject{Kind: SubjectSite}
}

// problemKey is a problem's rule and subject.
type problemKey struct {
	rule string
	subj Subject
}

// ProblemID is the stable id of the problem of rule on subject: "P-" and
// the first 10 hex digits of a SHA-256 of both, the same in every run.
func ProblemID(rule string, s Subject) string {
	h := sha256.Sum256([]byte(strings.Join([]string{rule, s.Kind, s.Host, s.Bond, s.Switch, s.LAG, s.Port}, "\x00")))
	return "P-" + hex.EncodeToString(h[:5])
}

// Group folds findings into problems, one per root cause. A finding whose
// rule declares a cause (Grouping.CausedBy) that also fired on the same
// subject joins that cause's problem (followed up to the root); every
// other finding is a root, and all roots of one rule on one subject are
// one problem (the per-slave findings of one bond, say). Suppressed
// findings group like the others. Every finding is in exactly one
// problem. Group sets each finding's Problem, in fs and in the problems;
// problems come in report order (severity, then subject, then rule).
func Group(fs []Finding) []Problem {
	// Which (rule, subject) fired: the first finding of each stands for it.
	first := make(map[problemKey]int, len(fs))
	subj := make([]Subject, len(fs))
	for i, f := range fs {
		subj[i] = subjectFor(f)
		k := problemKey{f.Rule, subj[i]}
		if _, ok := first[k]; !ok {
			first[k] = i
		}
	}
	// parent of a (rule, subject): the first declared cause present on
	// the subject as the cause sees it.
	parentOf := func(i int) (int, bool) {
		f := fs[i]
		for _, c := range causes[f.Rule].CausedBy {
			for _, k := range causes[c].Subjects {
				s, ok := subjectOf(f, k)
				if !ok {
					continue
				}
				if j, ok := first[problemKey{c, s}]; ok {
					return j, true
				}
			}
		}
		return 0, false
	}
	rootOf := make([]int, len(fs))
	for i := range fs {
		r := first[problemKey{fs[i].Rule, subj[i]}]
		// The registry test keeps CausedBy acyclic; the bound guards a
		// hand-made cycle all the same.
		for n := 0; n < len(causes)+1; n++ {
			p, ok := parentOf(r)
			if !ok {
				break
			}
			r = p
		}
		rootOf[i] = r
	}
	// One problem per root, numbered in order of first appearance (num
	// holds that number plus one, by root), its findings counted first so
	// that every problem's list is cut from one array at its final size.
	num := make([]int, len(fs))
	var roots, counts []int
	for _, r := range rootOf {
		if num[r] == 0 {
			roots = append(roots, r)
			counts = append(counts, 0)
			num[r] = len(roots)
		}
		counts[num[r]-1]++
	}
	all := make([]Finding, len(fs))
	out := make([]Problem, len(roots))
	off := 0
	for n, r := range roots {
		p := &out[n]
		p.Rule, p.Subject = fs[r].Rule, subj[r]
		p.ID = ProblemID(p.Rule, p.Subject)
		p.Findings = all[off : off : off+counts[n]]
		off += counts[n]
	}
	for i, r := range rootOf {
		p := &out[num[r]-1]
		fs[i].Problem = p.ID
		p.Findings = append(p.Findings, fs[i])
	}
	for n := range out {
		p := &out[n]
		slices.SortStableFunc(p.Findings, func(a, b Finding) int {
			return cmp.Compare(b2i(a.Rule != p.Rule), b2i(b.Rule != p.Rule))
		})
		p.Severity = worst(p.Findings)
	}
	slices.SortStableFunc(out, func(a, b Problem) int {
		return cmp.Or(
			cmp.Compare(b2i(a.Active()), b2i(b.Active()))*-1,
			cmp.Compare(b.Severity, a.Severity),
			cmp.Compare(a.Subject.Host, b.Subject.Host),
			cmp.Compare(a.Subject.Bond, b.Subject.Bond),
			cmp.Compare(a.Subject.Switch, b.Subject.Switch),
			cmp.Compare(a.Subject.LAG, b.Subject.LAG),
			cmp.Compare(a.Subject.Port, b.Subject.Port),
			cmp.Compare(a.Subject.Kind, b.Subject.Kind),
			cmp.Compare(a.Rule, b.Rule),
		)
	})
	return out
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// worst is the highest severity among the active findings, or among all
// when none is active.
func worst(fs []Finding) Severity {
	sev, any := Info, false
	for _, f := range fs {
		if f.Active() && (!any || f.Severity > sev) {
			sev, any = f.Severity, true
		}
	}
	if any {
		return sev
	}
	for i, f := range fs {
		if i == 0 || f.Severity > sev {
			sev = f.Severity
		}
	}
	return sev
}

// FailsProblems is Fails over problems: a run fails when an active problem
// at or above the threshold remains. A problem is as severe as its worst
// active finding, so FailsProblems(Group(fs)) == Fails(fs).
func (t FailOn) FailsProblems(ps []Problem) bool {
	if t.Never {
		return false
	}
	for _, p := range ps {
		if p.Active() && p.Severity >= t.Threshold {
			return true
		}
	}
	return false
}

// CountProblems counts the active problems of fs (as Group folds them)
// and the active findings.
func CountProblems(fs []Finding) (problems, findings int) {
	for _, p := range Group(slices.Clone(fs)) {
		if p.Active() {
			problems++
		}
	}
	for _, f := range fs {
		if f.Active() {
			findings++
		}
	}
	return problems, findings
}
