// Package fix turns an audit's findings into a plan of changes that
// resolves them (bondaudit fix), and checks the plan with the whatif
// machinery before anyone types anything: Model.Plan applies it, the rules
// run again, and every problem is resolved, left or unfixable, with what
// the plan would add.
//
// For each problem it tries the candidate changes the problem's rules
// allow (host side, switch side, or both), least disruptive first, and
// keeps the first one that resolves the problem without adding an error,
// without a new finding on a bond that is fine today, and without taking
// a bond's last working path. Which side goes first is the policy's
// fix_prefer (hosts, switches; default: the side that needs fewer
// changes, the switch on a tie, as the bond's mode says what the host
// wants).
//
// It imports topology and rules only.
package fix

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/bondaudit/bondaudit/rules"
	"github.com/bondaudit/bondaudit/topology"
)

// Options tune Plan.
type Options struct {
	// Prefer is the side changed first: "hosts", "switches", or "" (the
	// side that needs fewer changes). The CLI's --prefer wins over the
	// policy's fix_prefer.
	Prefer string
	// Policy and Now judge the planned site as the audit judged the site
	// (severity overrides, disabled rules, waivers); nil: no policy.
	Policy *rules.Policy
	Now    time.Time
}

// Step is one change of the plan and the problem it fixes.
type Step struct {
	Change topology.Change
	// Problem is the id of the problem the change fixes, Rule the rule
	// whose findings it resolves.
	Problem string
	Rule    string
	// Why says which finding(s) the change resolves and how.
	Why string
}

// Unfixed is a problem's rule the plan cannot fix, and why.
type Unfixed struct {
	Problem  string
	Rule     string
	Severity rules.Severity
	Reason   string
	Findings []rules.Finding
}

// Outcome is what the plan does to a problem.
type Outcome string

// Outcomes.
const (
	Resolved Outcome = "resolved" // none of its findings is left
	// Person: what is left is only what no plan can fix (Unfixable).
	Person Outcome = "needs a person"
	Left   Outcome = "left" // a finding is left that the plan meant to fix
)

// ProblemResult is one problem and what the checked plan does to it.
type ProblemResult struct {
	ID       string
	Subject  string
	Rule     string // the primary rule: the first of its worst findings
	Severity rules.Severity
	Findings []rules.Finding
	Outcome  Outcome
	// Left are the findings still there after the plan.
	Left []rules.Finding
	// AuditProblems are the ids of the audit's problems (rules.Group)
	// whose findings this one holds.
	AuditProblems []string
}

// Result is the plan and its check.
type Result struct {
	Changes   []Step
	Unfixable []Unfixed
	// Problems are every problem of the audit with its outcome under the
	// plan, in report order.
	Problems []ProblemResult
	// Added are the active findings the plan would add (the whole plan,
	// judged as the audit judges).
	Added []rules.Finding
	// Err is set when the plan could not be applied (a bug: every change
	// was applied once already); the rest is then the audit's.
	Err error
}

// AddsError reports whether the plan would add an error.
func (r *Result) AddsError() bool {
	for _, f := range r.Added {
		if f.Severity >= rules.Error {
			return true
		}
	}
	return false
}

// ErrorsLeft counts the problems with an error the plan leaves.
func (r *Result) ErrorsLeft() int {
	n := 0
	for _, p := range r.Problems {
		for _, f := range p.Left {
			if f.Severity >= rules.Error {
				n++
				break
			}
		}
	}
	return n
}

// Count returns how many problems the plan resolves, leaves to a person
// (only unfixable findings left) and leaves otherwise.
func (r *Result) Count() (resolved, person, left int) {
	for _, p := range r.Problems {
		switch p.Outcome {
		case Resolved:
			resolved++
		case Person:
			person++
		default:
			left++
		}
	}
	return resolved, person, left
}

// problem is a group of findings fixed together.
type problem struct {
	id       string
	subject  string
	host     string
	bond     string
	findings []rules.Finding
}

// group puts findings into the units fix plans: one per bond (host, bond),
// per LAG or port (switch, port), per switch, or per host, each with a
// deterministic id; waived findings are left out. A bond's problems as the
// audit groups them (rules.Group: a bond may have several, e.g. ARP
// monitoring in a bridge and a missing link monitor) are planned together
// here, because their changes act on the same bond and are chosen and
// checked as one (a mode change for one may settle another, and an
// unmapped slave holds back every switch-side change of its bond); each
// ProblemResult lists the audit problems it covers (AuditProblems).
func group(fs []rules.Finding) []*problem {
	byID := map[string]*problem{}
	var out []*problem
	for _, f := range fs {
		if !f.Active() {
			continue
		}
		var id, subject string
		switch {
		case f.Host != "" && f.Bond != "":
			id, subject = "bond:"+f.Host+"/"+f.Bond, "host "+f.Host+" "+f.Bond
		case f.Switch != "" && f.Port != "":
			id, subject = "port:"+f.Switch+"/"+f.Port, "switch "+f.Switch+" "+f.Port
		case f.Switch != "":
			id, subject = "switch:"+f.Switch, "switch "+f.Switch
		default:
			id, subject = "host:"+f.Host, "host "+f.Host
		}
		p := byID[id]
		if p == nil {
			p = &problem{id: id, subject: subject}
			if f.Bond != "" {
				p.host, p.bond = f.Host, f.Bond
			}
			byID[id] = p
			out = append(out, p)
		}
		p.findings = append(p.findings, f)
	}
	return out
}

// severity is the worst severity of a problem's findings, and its rule.
func (p *problem) severity() (rules.Severity, string) {
	sev, rule := rules.Info, ""
	for i, f := range p.findings {
		if i == 0 || f.Severity > sev {
			sev, rule = f.Severity, f.Rule
		}
	}
	return sev, rule
}

// planner is one Plan run: the site, the plan so far and what it gives.
type planner struct {
	base   *topology.Model
	opt    Options
	before map[rules.Key]rules.Finding // the audit's active findings
	// steps are the accepted changes.
	steps []Step
	// whole: judge candidates on the whole site, not the part around
	// each problem (see enter).
	whole bool
	// The problem being fixed: sub is the part of the site around it
	// (enter), cur and curF that part with the plan so far and its
	// active findings.
	sub  *topology.Model
	cur  *topology.Model
	curF map[rules.Key]rules.Finding
	// okBonds are the bonds with no active finding in the audit.
	okBonds map[[2]string]bool
	// fdbSwitches: the switches whose FDB holds a MAC (for enter).
	fdbSwitches map[topology.MAC][]string
}

// Plan chooses, for each problem of the findings (the audit of m, policy
// applied), the least disruptive change that resolves it, and checks the
// whole plan on m.
//
// Candidates are judged on the part of the site around their problem (its
// bond's switches, their MLAG peers and neighbours, and every host cabled
// to them), which is what a change there can touch; the whole plan is
// then judged on the whole site, and should that find an error added,
// planning starts over judging every candidate on the whole site.
func Plan(m *topology.Model, findings []rules.Finding, opt Options) *Result {
	// Each finding names the audit's problem (rules.Group) it belongs to,
	// so a fix problem lists the audit problems it covers.
	findings = slices.Clone(findings)
	rules.Group(findings)
	res := plan(m, findings, opt, false)
	if res.AddsError() || res.Err != nil {
		res = plan(m, findings, opt, true)
	}
	return res
}

func plan(m *topology.Model, findings []rules.Finding, opt Options, whole bool) *Result {
	p := &planner{base: m, opt: opt, whole: whole, before: active(findings), okBonds: map[[2]string]bool{}}
	for _, h := range m.Hosts {
		for _, b := range h.Bonds {
			p.okBonds[[2]string{h.Name, b.Name}] = true
		}
	}
	for _, f := range p.before {
		delete(p.okBonds, [2]string{f.Host, f.Bond})
	}
	res := &Result{}
	probs := group(findings)
	for _, pr := range probs {
		if err := p.enter(pr); err != nil {
			res.Err = err
			return res
		}
		res.Unfixable = append(res.Unfixable, p.fixProblem(pr)...)
	}
	res.Changes = p.steps
	// The check: the whole plan, applied to the site as it is.
	after := p.before
	if len(p.steps) > 0 {
		var cs []topology.Change
		for _, s := range p.steps {
			cs = append(cs, s.Change)
		}
		n, err := m.Plan(cs)
		if err != nil {
			res.Err = err
		} else {
			fs := p.judge(n)
			after = active(fs)
			for _, f := range rules.Compare(findings, fs).New {
				res.Added = append(res.Added, f)
			}
		}
	}
	unfixed := map[rules.Key]bool{}
	for _, u := range res.Unfixable {
		for _, f := range u.Findings {
			unfixed[f.Key()] = true
		}
	}
	for _, pr := range probs {
		sev, rule := pr.severity()
		r := ProblemResult{ID: pr.id, Subject: pr.subject, Rule: rule, Severity: sev, Findings: pr.findings, Outcome: Resolved}
		for _, f := range pr.findings {
			if f.Problem != "" && !slices.Contains(r.AuditProblems, f.Problem) {
				r.AuditProblems = append(r.AuditProblems, f.Problem)
			}
		}
		for _, f := range pr.findings {
			if g, ok := after[f.Key()]; ok {
				r.Left = append(r.Left, g)
			}
		}
		if len(r.Left) > 0 {
			r.Outcome = Person
			for _, f := range r.Left {
				if !unfixed[f.Key()] {
					r.Outcome = Left
				}
			}
		}
		res.Problems = append(res.Problems, r)
	}
	slices.SortStableFunc(res.Problems, func(a, b ProblemResult) int { return cmp.Compare(b.Severity, a.Severity) })
	return res
}

// enter sets the part of the site a problem's changes are judged on, with
// the plan so far: the switches its bond's slaves land on, their MLAG or
// stack peers and switch neighbours, the switches whose FDB holds the
// bond's MAC, and every host cabled to the first of these (with the
// switches those hosts land on). A problem of no bond, and every problem
// when whole is set, is judged on the whole site.
func (p *planner) enter(pr *problem) error {
	p.sub = p.base
	bf := bondFacts(p.base, pr.host, pr.bond)
	if !p.whole && bf != nil {
		p.sub = p.around(bf)
	}
	var cs []topology.Change
	for _, s := range p.steps {
		if p.holds(p.sub, s.Change) {
			cs = append(cs, s.Change)
		}
	}
	p.cur = p.sub
	if len(cs) > 0 {
		n, err := p.sub.Plan(cs)
		if err != nil {
			return err
		}
		p.cur = n
	}
	p.curF = active(p.judge(p.cur))
	return nil
}

// around builds the part of the site around a bond (see enter).
func (p *planner) around(bf *topology.BondFacts) *topology.Model {
	m := p.base
	core := map[string]bool{}
	addDomain := func(sw string) {
		core[sw] = true
		if n := m.Switch(sw); n != nil && n.Domain != nil {
			for _, x := range n.Domain.Switches {
				core[x] = true
			}
		}
	}
	for _, sf := range bf.Slaves {
		if sf.Link != nil {
			addDomain(sf.Link.Switch)
		}
	}
	if p.fdbSwitches == nil {
		p.fdbSwitches = map[topology.MAC][]string{}
		for _, s := range m.Switches {
			seen := map[topology.MAC]bool{}
			for _, e := range s.FDB {
				if mac := topology.CanonMAC(e.MAC); mac != "" && !seen[mac] {
					seen[mac] = true
					p.fdbSwitches[mac] = append(p.fdbSwitches[mac], s.Name)
				}
			}
		}
	}
	if bf.MAC != "" {
		for _, sw := range p.fdbSwitches[bf.MAC] {
			core[sw] = true
		}
	}
	sws := map[string]bool{}
	for sw := range core {
		sws[sw] = true
	}
	for _, u := range m.Uplinks {
		if core[u.A] {
			sws[u.B] = true
		}
		if core[u.B] {
			sws[u.A] = true
		}
	}
	hosts := map[string]bool{bf.Host.Name: true}
	for _, l := range m.Links {
		if core[l.Switch] {
			hosts[l.Host] = true
		}
	}
	for _, l := range m.Links {
		if hosts[l.Host] {
			sws[l.Switch] = true
		}
	}
	var hs []*topology.Host
	for _, h := range m.Hosts {
		if hosts[h.Name] {
			hs = append(hs, h.Host.Clone())
		}
	}
	var ss []*topology.Switch
	for _, s := range m.Switches {
		if sws[s.Name] {
			ss = append(ss, s.Switch.Clone())
		}
	}
	sub, err := topology.Build(hs, ss, topology.BuildOptions{})
	if err != nil {
		return m
	}
	return sub
}

// holds reports whether every host and switch a change names is in m.
func (p *planner) holds(m *topology.Model, c topology.Change) bool {
	if m == p.base {
		return true
	}
	h := func(name string) bool { return m.Host(name) != nil }
	s := func(name string) bool { return m.Switch(name) != nil }
	switch {
	case c.MoveCable != nil:
		return h(c.MoveCable.Host) && s(c.MoveCable.Switch)
	case c.BondMode != nil:
		return h(c.BondMode.Host)
	case c.BondParams != nil:
		return h(c.BondParams.Host)
	case c.LAGAdd != nil:
		return s(c.LAGAdd.Switch)
	case c.LAGRemove != nil:
		return s(c.LAGRemove.Switch)
	case c.LAGKind != nil:
		return s(c.LAGKind.Switch)
	case c.MLAG != nil:
		return s(c.MLAG.Switch)
	case c.VLANs != nil:
		return s(c.VLANs.Switch)
	case c.MTU != nil:
		if c.MTU.Host != "" {
			return h(c.MTU.Host)
		}
		return s(c.MTU.Switch)
	}
	return false
}

func active(fs []rules.Finding) map[rules.Key]rules.Finding {
	m := map[rules.Key]rules.Finding{}
	for _, f := range fs {
		if f.Active() {
			m[f.Key()] = f
		}
	}
	return m
}

// judge runs the rules on a planned site as the audit ran them.
func (p *planner) judge(m *topology.Model) []rules.Finding {
	pol := p.opt.Policy
	prm := pol.Params()
	prm.Now = p.opt.Now
	return pol.Apply(rules.Run(m, prm, pol.Enabled), p.opt.Now)
}

// rank orders a problem's rules: what maps the bond first, then what
// decides the bond's shape on both ends (mode, LAG), then parameters,
// then VLANs and MTU.
func rank(rule string) int {
	switch {
	case strings.HasPrefix(rule, "map."):
		return 0
	case strings.HasPrefix(rule, "lacp."), strings.HasPrefix(rule, "static."), strings.HasPrefix(rule, "independent."),
		strings.HasPrefix(rule, "lag."), rule == "fdb.mac-flap", rule == "bond.alb-in-bridge", rule == "bond.mode-in-bridge",
		strings.HasPrefix(rule, "switch.mlag"):
		return 1
	case strings.HasPrefix(rule, "bond."):
		return 2
	}
	return 3
}

// fixProblem adds the changes that fix a problem's rules, one rule at a
// time (a change for one often resolves the others: they are its
// consequences), and returns the rules it cannot fix.
func (p *planner) fixProblem(pr *problem) []Unfixed {
	var out []Unfixed
	done := map[string]bool{}
	fs := pr.findings
	// A change may bring its own advice on the same bond (a bond made
	// 802.3ad hears it hashes on layer2): those are fixed next, twice at
	// most.
	for round := 0; round < 3 && len(fs) > 0; round++ {
		out = append(out, p.fixRules(pr, fs, done)...)
		fs = nil
		if pr.bond == "" {
			break
		}
		for k, f := range p.curF {
			if _, old := p.before[k]; !old && f.Host == pr.host && f.Bond == pr.bond && !done[f.Rule] {
				fs = append(fs, f)
			}
		}
		rules.SortFindings(fs)
	}
	return out
}

// fixRules is fixProblem for one set of findings; done gets the rules
// tried.
func (p *planner) fixRules(pr *problem, findings []rules.Finding, done map[string]bool) []Unfixed {
	byRule := map[string][]rules.Finding{}
	var ids []string
	for _, f := range findings {
		if _, ok := byRule[f.Rule]; !ok {
			ids = append(ids, f.Rule)
		}
		byRule[f.Rule] = append(byRule[f.Rule], f)
	}
	worst := func(id string) rules.Severity {
		w := rules.Info
		for _, f := range byRule[id] {
			w = max(w, f.Severity)
		}
		return w
	}
	slices.SortStableFunc(ids, func(a, b string) int {
		return cmp.Or(cmp.Compare(rank(a), rank(b)), cmp.Compare(worst(b), worst(a)), cmp.Compare(a, b))
	})
	var out []Unfixed
	unmapped, down := "", byRule["bond.slave-down"] != nil
	for _, id := range ids {
		done[id] = true
		fs := byRule[id]
		if !p.stillThere(fs) {
			continue // resolved by a change for another rule
		}
		sev := rules.Info
		for _, f := range fs {
			sev = max(sev, f.Severity)
		}
		unfix := func(reason string) {
			out = append(out, Unfixed{Problem: pr.id, Rule: id, Severity: sev, Reason: reason, Findings: fs})
		}
		if unmapped != "" && needsSwitchSide(id) {
			unfix(unmapped)
			continue
		}
		cands, reason := p.candidates(pr, id, fs)
		if id == "map.unmapped-slave" || id == "map.lldp-conflict" {
			unmapped = reason
		}
		if len(cands) == 0 {
			unfix(reason)
			continue
		}
		p.sortCandidates(cands)
		var why []string
		accepted := false
		for _, c := range cands {
			ok, rej := p.try(pr, id, fs, c)
			if ok {
				accepted = true
				break
			}
			why = append(why, c.what+": "+rej)
		}
		switch {
		case accepted:
		case down && rank(id) == 1:
			unfix("it follows from a slave that is down (bond.slave-down): " + unfixable["bond.slave-down"])
		default:
			unfix("no change resolves it safely: " + strings.Join(why, "; "))
		}
	}
	return out
}

// needsSwitchSide reports whether fixing a rule needs to know where the
// bond's slaves land (not a host-only parameter).
func needsSwitchSide(rule string) bool { return rank(rule) != 2 }

// stillThere reports whether any of the findings is active in the plan
// so far.
func (p *planner) stillThere(fs []rules.Finding) bool {
	for _, f := range fs {
		if _, ok := p.curF[f.Key()]; ok {
			return true
		}
	}
	return false
}

// candidate is one way to fix a rule: changes on one side or both.
type candidate struct {
	changes []topology.Change
	host    int // changes on hosts
	sw      int // changes on switches
	penalty int // more disruptive than its count says (lowering an MTU)
	what    string
	why     string
}

func (c *candidate) side() string {
	switch {
	case c.host > 0 && c.sw > 0:
		return "both"
	case c.host > 0:
		return "hosts"
	}
	return "switches"
}

// sortCandidates puts the preferred side first, then fewer changes.
func (p *planner) sortCandidates(cs []candidate) {
	pref := p.opt.Prefer
	sideRank := func(c *candidate) int {
		switch {
		case pref == "" || c.side() == pref:
			return 0
		case c.side() == "both":
			return 1
		}
		return 2
	}
	slices.SortStableFunc(cs, func(a, b candidate) int {
		return cmp.Or(cmp.Compare(sideRank(&a), sideRank(&b)),
			cmp.Compare(a.host+a.sw+a.penalty, b.host+b.sw+b.penalty),
			cmp.Compare(a.host, b.host)) // a tie: keep the host as it is
	})
}

// try applies the plan so far and the candidate, judges the site, and
// keeps the candidate when it resolves the rule's findings, adds no error,
// puts no new finding on a bond that is fine, and leaves every bond that
// works a working path.
func (p *planner) try(pr *problem, rule string, fs []rules.Finding, c candidate) (bool, string) {
	var cs []topology.Change
	for _, s := range p.steps {
		if p.holds(p.sub, s.Change) {
			cs = append(cs, s.Change)
		}
	}
	cs = append(cs, c.changes...)
	n, err := p.sub.Plan(cs)
	if err != nil {
		return false, err.Error()
	}
	after := active(p.judge(n))
	for _, f := range fs {
		if _, ok := after[f.Key()]; ok {
			return false, "the finding stays (" + f.Rule + ")"
		}
	}
	for k, f := range after {
		if _, ok := p.curF[k]; ok {
			continue
		}
		if f.Severity >= rules.Error {
			return false, fmt.Sprintf("it would add %s on %s", f.Rule, subjectOf(f))
		}
		if f.Bond != "" && (f.Host != pr.host || f.Bond != pr.bond) && p.okBonds[[2]string{f.Host, f.Bond}] {
			return false, fmt.Sprintf("it would add %s on %s, which is fine today", f.Rule, subjectOf(f))
		}
	}
	if b := lostPath(p.cur, n); b != "" {
		return false, "it would take the last working path of " + b
	}
	for _, ch := range c.changes {
		p.steps = append(p.steps, Step{Change: ch, Problem: pr.id, Rule: rule, Why: c.why})
	}
	p.cur, p.curF = n, after
	return true, ""
}

func subjectOf(f rules.Finding) string {
	var parts []string
	for _, s := range []string{f.Host, f.Bond, f.NIC, f.Switch, f.Port} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, " ")
}

// working reports whether a slave carries traffic as far as the site
// tells: its link up and, when mapped, its switch port not down.
func working(sf *topology.SlaveFacts) bool {
	if !sf.Up {
		return false
	}
	return sf.Port == nil || !sf.Port.Oper.Down()
}

// lostPath names a bond that has a working slave in before and none in
// after ("" when none).
func lostPath(before, after *topology.Model) string {
	for _, h := range before.Hosts {
		nh := after.Host(h.Name)
		for bi, bf := range h.BondFacts() {
			had := false
			for i := range bf.Slaves {
				had = had || working(&bf.Slaves[i])
			}
			if !had {
				continue
			}
			has := false
			if nh != nil && bi < len(nh.BondFacts()) {
				nb := nh.BondFacts()[bi]
				for i := range nb.Slaves {
					has = has || working(&nb.Slaves[i])
				}
			}
			if !has {
				return h.Name + " " + bf.Bond.Name
			}
		}
	}
	return ""
}

// Changes is the plan's changes in order, for callers that want only
// them (a property test's fixer): Plan's changes, or its error.
func Changes(m *topology.Model, findings []rules.Finding, opt Options) ([]topology.Change, error) {
	r := Plan(m, findings, opt)
	if r.Err != nil {
		return nil, r.Err
	}
	var cs []topology.Change
	for _, s := range r.Changes {
		cs = append(cs, s.Change)
	}
	return cs, nil
}
