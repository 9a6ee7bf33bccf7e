// Package rules checks a joined topology Model against what each bond mode
// needs from the switch side (the catalogue in RULES.md).
//
// Rules are values in one explicit, sorted registry (registry.go); each reads
// only the Model and emits typed Findings with their evidence. A rule never
// fires on missing data: when a fact it needs is unknown it stays silent and
// the map.* rules report the blind spot instead.
//
// Rules import only topology (and, for policy.yaml, yaml.v3 through
// internal/yamlfile): vendor differences are normalised away before rules
// see them.
package rules

import (
	"cmp"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/bondaudit/bondaudit/internal/prefault"
	"github.com/bondaudit/bondaudit/topology"
)

// Severity orders findings: Info < Warning < Error.
type Severity int

// Severities (RULES.md): error — traffic is lost or redundancy the operator
// believes in does not exist; warning — degraded or fragile; info — advice.
const (
	Info Severity = iota
	Warning
	Error
)

var severityNames = [...]string{Info: "info", Warning: "warning", Error: "error"}

// String returns "info", "warning" or "error".
func (s Severity) String() string {
	if s < Info || s > Error {
		return fmt.Sprintf("severity(%d)", int(s))
	}
	return severityNames[s]
}

// ParseSeverity parses "error", "warning" or "info".
func ParseSeverity(s string) (Severity, error) {
	for i, n := range severityNames {
		if strings.EqualFold(s, n) {
			return Severity(i), nil
		}
	}
	return 0, fmt.Errorf("unknown severity %q: want error, warning or info", s)
}

// MarshalText implements encoding.TextMarshaler.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (s *Severity) UnmarshalText(b []byte) error {
	v, err := ParseSeverity(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// Status is the outcome a Finding records.
type Status string

// Statuses. Run emits failures; policy turns waived ones into suppressed.
const (
	StatusFail       Status = "fail"
	StatusSuppressed Status = "suppressed"
)

// Finding is one rule violation on one subject.
type Finding struct {
	Rule     string
	Severity Severity
	Status   Status
	// Subject: the host side (Host, Bond, NIC) and/or the switch side.
	Host, Bond, NIC string
	Switch, Port    string
	Message         string
	Fix             string
	// Evidence names the facts the finding rests on, each with its source.
	Evidence []string
	// Reason is why a suppressed finding was waived (the waiver's reason),
	// and Expires the waiver's expiry date (YYYY-MM-DD); both empty unless
	// Status is suppressed.
	Reason  string
	Expires string
	// DefaultSeverity is the rule's severity before a policy override; it
	// equals Severity unless the policy changed it.
	DefaultSeverity Severity
	// Domain is the MLAG/stack domain a pair-wide finding is about
	// (switch.mlag-peer-link-down): its problem's subject.
	Domain string
	// Problem is the id of the problem the finding belongs to; set by
	// Group.
	Problem string
}

// Rule is one check of the catalogue.
type Rule struct {
	ID    string
	Title string
	// Severity is the default severity; a check may lower or raise it per
	// finding where RULES.md says so (e.g. bond.slave-down).
	Severity Severity
	// Help for "bondaudit explain".
	Summary, Why, FixHost, FixSwitch, Evidence string
	References                                 []string
	// Check inspects the Model and reports through c.
	Check func(c *Context)
	// siteCheck and bondCheck, when set, are Check in two parts: a
	// site-wide one, then one that judges each bond alone, which Run runs
	// a chunk of bonds at a time (as it runs the bondwise rules).
	siteCheck, bondCheck func(c *Context)
}

// Params are the tunables rules read (policy thresholds).
type Params struct {
	// FlapThreshold is the link failure count at which bond.slave-flapping
	// fires; 0 means the default, 3.
	FlapThreshold int
	// RequireSwitchRedundancy makes redundancy.single-switch an error.
	RequireSwitchRedundancy bool
	// Now is the audit's clock, for map.stale-capture; zero means no clock,
	// and the rule stays silent.
	Now time.Time
	// MaxCaptureAge is the age at which a capture is stale; 0 means the
	// default, DefaultMaxCaptureAge, and CaptureAgeOff disables the check.
	MaxCaptureAge time.Duration
}

// DefaultMaxCaptureAge is map.stale-capture's threshold when the policy
// sets none: a daily capture job that missed one run.
const DefaultMaxCaptureAge = 24 * time.Hour

// CaptureAgeOff, as Params.MaxCaptureAge or Policy.MaxCaptureAge, turns
// map.stale-capture off (policy max_capture_age: 0 or off).
const CaptureAgeOff time.Duration = -1

// maxCaptureAge is the threshold in force; false when the check is off.
func (p Params) maxCaptureAge() (time.Duration, bool) {
	switch {
	case p.MaxCaptureAge < 0:
		return 0, false
	case p.MaxCaptureAge == 0:
		return DefaultMaxCaptureAge, true
	}
	return p.MaxCaptureAge, true
}

func (p Params) flapThreshold() int {
	if p.FlapThreshold <= 0 {
		return 3
	}
	return p.FlapThreshold
}

// Context is what a Check sees: the Model, the parameters, and a way to
// report. It also holds indexes shared by several rules.
type Context struct {
	Model  *topology.Model
	Params Params
	rule   *Rule
	out    *[]Finding
	ix     *index
	// part, when set, are the bonds a bond-wise rule checks in this run of
	// its Check (a chunk of the site's; see Run).
	part    []bondView
	hasPart bool
}

// Report records a finding of the running rule at its default severity.
func (c *Context) Report(f Finding) { c.ReportAt(c.rule.Severity, f) }

// ReportAt records a finding at severity sev.
func (c *Context) ReportAt(sev Severity, f Finding) {
	f.Rule = c.rule.ID
	f.Severity = sev
	f.DefaultSeverity = sev
	if f.Status == "" {
		f.Status = StatusFail
	}
	*c.out = append(*c.out, f)
}

// bondChunk is how many bonds a worker checks with every bond-wise rule
// in turn: few enough that their data (bond, slaves, NICs, switch ports,
// links) stays in the CPU cache from one rule to the next. Each rule
// walking all the bonds of a big site instead fetches everything from
// memory again.
var bondChunk = 256

// Run checks m with every enabled rule (enabled nil = all) and returns the
// findings sorted by severity (highest first), host, bond, NIC, switch,
// port and rule.
func Run(m *topology.Model, p Params, enabled func(id string) bool) []Finding {
	ix := buildIndex(m)
	// Rules only read the Model and the index: they run concurrently.
	// A site-wide rule is one job; the bond-wise rules (bondwise) run
	// together on a chunk of the bonds per job. Each job's findings go
	// into their own lists, sorted in the worker: the lists in registry
	// order, a rule's chunks in bond order, are what one run of each rule
	// over all bonds reports, which mergeFindings sorts stably.
	var site, bw []int // enabled rules, registry order
	for i := range registry {
		switch {
		case enabled != nil && !enabled(registry[i].ID):
		case bondwise[i]:
			bw = append(bw, i)
		case registry[i].bondCheck != nil:
			site = append(site, i)
			bw = append(bw, i)
		default:
			site = append(site, i)
		}
	}
	chunks := 0
	if len(bw) > 0 {
		chunks = (len(ix.bonds) + bondChunk - 1) / bondChunk
	}
	per := make([][]Finding, len(registry))
	parts := make([][]Finding, chunks*len(bw)) // chunk k, rule j: k*len(bw)+j
	work := make(chan int)                     // < len(site): a site rule, else a chunk
	var wg sync.WaitGroup
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for job := range work {
				if job < len(site) {
					i := site[job]
					r := &registry[i]
					c := &Context{Model: m, Params: p, rule: r, out: &per[i], ix: ix}
					check := r.Check
					if r.siteCheck != nil {
						check = r.siteCheck
					}
					check(c)
					SortFindings(per[i])
					continue
				}
				k := job - len(site)
				c := &Context{Model: m, Params: p, ix: ix, hasPart: true,
					part: ix.bonds[k*bondChunk : min((k+1)*bondChunk, len(ix.bonds))]}
				for j, i := range bw {
					out := &parts[k*len(bw)+j]
					r := &registry[i]
					c.rule, c.out = r, out
					check := r.Check
					if r.bondCheck != nil {
						check = r.bondCheck
					}
					check(c)
					SortFindings(*out)
				}
			}
		}()
	}
	for job := 0; job < len(site)+chunks; job++ {
		work <- job
	}
	close(work)
	wg.Wait()
	// per rule: its site-wide list, then its chunks' (a split rule's
	// site part comes first in its Check)
	lists := make([][]Finding, 0, len(site)+len(parts))
	j := 0
	for i := range registry {
		if slices.Contains(site, i) {
			lists = append(lists, per[i])
		}
		if j < len(bw) && bw[j] == i {
			for k := 0; k < chunks; k++ {
				lists = append(lists, parts[k*len(bw)+j])
			}
			j++
		}
	}
	return mergeFindings(lists)
}

// compareFindings is report order: severity (highest first), host, bond,
// NIC, switch, port, rule and message.
func compareFindings(a, b *Finding) int {
	if a.Severity != b.Severity {
		return cmp.Compare(b.Severity, a.Severity)
	}
	if c := strings.Compare(a.Host, b.Host); c != 0 {
		return c
	}
	if c := strings.Compare(a.Bond, b.Bond); c != 0 {
		return c
	}
	if c := topology.CompareNames(a.NIC, b.NIC); c != 0 {
		return c
	}
	if c := strings.Compare(a.Switch, b.Switch); c != 0 {
		return c
	}
	if c := topology.CompareNames(a.Port, b.Port); c != 0 {
		return c
	}
	if c := strings.Compare(a.Rule, b.Rule); c != 0 {
		return c
	}
	return strings.Compare(a.Message, b.Message)
}

// SortFindings sorts findings into report order (stable: findings that
// compare equal keep their order).
func SortFindings(fs []Finding) {
	sorted := true
	for i := 1; i < len(fs) && sorted; i++ {
		sorted = compareFindings(&fs[i-1], &fs[i]) <= 0
	}
	if sorted {
		return // most rules report in order
	}
	// sort places, not the findings (a Finding is big), then move each
	// finding once
	idx := make([]int32, len(fs))
	for i := range idx {
		idx[i] = int32(i)
	}
	slices.SortFunc(idx, func(i, j int32) int {
		return cmp.Or(compareFindings(&fs[i], &fs[j]), cmp.Compare(i, j))
	})
	moved := prefault.Touched(make([]Finding, len(fs)))
	for k, i := range idx {
		moved[k] = fs[i]
	}
	copy(fs, moved)
}

// mergeFindings merges lists, each in report order, into one list in
// report order; findings that compare equal keep the order of lists (what
// a stable sort of the lists' concatenation gives).
func mergeFindings(lists [][]Finding) []Finding {
	total := 0
	var heads []int // the non-empty lists, a heap by their first findings
	for i, l := range lists {
		total += len(l)
		if len(l) > 0 {
			heads = append(heads, i)
		}
	}
	out := prefault.Touched(make([]Finding, 0, total))
	less := func(a, b int) bool {
		c := compareFindings(&lists[heads[a]][0], &lists[heads[b]][0])
		return c < 0 || c == 0 && heads[a] < heads[b]
	}
	down := func(i int) {
		for {
			l := 2*i + 1
			if l >= len(heads) {
				return
			}
			if r := l + 1; r < len(heads) && less(r, l) {
				l = r
			}
			if !less(l, i) {
				return
			}
			heads[i], heads[l] = heads[l], heads[i]
			i = l
		}
	}
	for i := len(heads)/2 - 1; i >= 0; i-- {
		down(i)
	}
	for len(heads) > 0 {
		l := heads[0]
		out = append(out, lists[l][0])
		lists[l] = lists[l][1:]
		if len(lists[l]) == 0 {
			heads[0] = heads[len(heads)-1]
			heads = heads[:len(heads)-1]
		}
		down(0)
	}
	return out
}
