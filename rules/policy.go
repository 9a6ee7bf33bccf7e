package rules

import (
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/bondaudit/bondaudit/internal/yamlfile"
	"github.com/bondaudit/bondaudit/topology"
)

// Policy is a site's judgement on the catalogue: severity overrides,
// disabled rules, thresholds and waivers (policy.yaml).
type Policy struct {
	// Source names the file the policy came from, for messages.
	Source string
	// Site is the site's stable name (site:), for the reports and the
	// Prometheus site label; "" leaves the name to the folder audited.
	Site string
	// Severity overrides a rule's default severity.
	Severity map[string]Severity
	// Disabled rules do not run.
	Disabled []string
	// FlapThreshold is bond.slave-flapping's link failure count (0 = default 3).
	FlapThreshold int
	// RequireSwitchRedundancy makes redundancy.single-switch an error.
	RequireSwitchRedundancy bool
	Waivers                 []Waiver
	// MaxCaptureAge is map.stale-capture's threshold (max_capture_age):
	// 0 = the default (24h), CaptureAgeOff = off.
	MaxCaptureAge time.Duration
	// FixPrefer is the side bondaudit fix changes first (fix_prefer):
	// "hosts", "switches", or "" (the side that needs fewer changes).
	FixPrefer string
}

// Waiver suppresses the findings of a rule on the subjects its selectors
// match, for a reason, until an expiry date.
type Waiver struct {
	Rule string // rule ID or glob (lacp.*)
	// Selectors; empty matches anything. Globs: * any run, ? one character.
	Host, Bond, NIC, Switch, Port string
	Reason                        string
	// Expires is the last day the waiver holds (UTC).
	Expires time.Time
	// Line is where the waiver starts in the policy file.
	Line int
}

// ExpiresString is the expiry as written (YYYY-MM-DD).
func (w *Waiver) ExpiresString() string { return w.Expires.Format(time.DateOnly) }

// Expired reports whether the waiver no longer holds at now: it holds
// through its expiry day.
func (w *Waiver) Expired(now time.Time) bool {
	return !now.UTC().Before(w.Expires.AddDate(0, 0, 1))
}

// Params returns the rule parameters the policy sets.
func (p *Policy) Params() Params {
	if p == nil {
		return Params{}
	}
	return Params{FlapThreshold: p.FlapThreshold, RequireSwitchRedundancy: p.RequireSwitchRedundancy, MaxCaptureAge: p.MaxCaptureAge}
}

// Enabled reports whether a rule runs under the policy.
func (p *Policy) Enabled(id string) bool {
	return p == nil || !slices.Contains(p.Disabled, id)
}

// policyFile is policy.yaml as written: its keys, in the order help and
// errors list them, are the yaml tags.
type policyFile struct {
	Site                    siteName   `yaml:"site"`
	Severity                severities `yaml:"severity"`
	Disabled                ruleIDs    `yaml:"disabled"`
	Thresholds              thresholds `yaml:"thresholds"`
	RequireSwitchRedundancy trueFalse  `yaml:"require_switch_redundancy"`
	Waivers                 waivers    `yaml:"waivers"`
	MaxCaptureAge           captureAge `yaml:"max_capture_age"`
	FixPrefer               fixPrefer  `yaml:"fix_prefer"`
}

// fixPrefer is fix_prefer: hosts or switches.
type fixPrefer string

func (x *fixPrefer) DecodeYAML(f *yamlfile.File, n *yaml.Node, label string) {
	if n.Kind != yaml.ScalarNode || (n.Value != "hosts" && n.Value != "switches") {
		f.Errorf(n, "%s: want hosts or switches (the side bondaudit fix changes first), got %q", label, n.Value)
		return
	}
	*x = fixPrefer(n.Value)
}

// LoadPolicy reads and checks a policy file.
func LoadPolicy(path string) (*Policy, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return ParsePolicy(b, path)
}

// ParsePolicy parses policy YAML strictly: unknown keys, unknown rule IDs,
// bad severities and waivers without reason or expiry are errors naming
// the file, line and what is allowed.
func ParsePolicy(b []byte, source string) (*Policy, error) {
	f := &yamlfile.File{Source: source}
	root, err := f.Parse(b)
	if err != nil {
		return nil, err
	}
	var pf policyFile
	if root != nil {
		if root.Kind != yaml.MappingNode {
			return nil, fmt.Errorf("%s:%d: a policy is a mapping of %s", source, root.Line, yamlfile.AllowedKeys(pf))
		}
		f.Mapping(root, &pf, yamlfile.Keys{})
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	p := &Policy{Source: source, Severity: map[string]Severity(pf.Severity), Disabled: []string(pf.Disabled),
		FlapThreshold: int(pf.Thresholds.SlaveFlapping), RequireSwitchRedundancy: bool(pf.RequireSwitchRedundancy),
		Waivers: []Waiver(pf.Waivers), MaxCaptureAge: time.Duration(pf.MaxCaptureAge), FixPrefer: string(pf.FixPrefer)}
	p.Site = string(pf.Site)
	if p.Severity == nil {
		p.Severity = map[string]Severity{}
	}
	return p, nil
}

// ruleID checks that a rule ID exists, suggesting near ones.
func ruleID(f *yamlfile.File, n *yaml.Node, what string) bool {
	if _, ok := Lookup(n.Value); ok {
		return true
	}
	f.Errorf(n, "%s: no rule %q%s", what, n.Value, suggest(n.Value))
	return false
}

func suggest(id string) string {
	prefix, _, _ := strings.Cut(id, ".")
	var near []string
	for _, r := range registry {
		if strings.HasPrefix(r.ID, prefix+".") {
			near = append(near, r.ID)
		}
	}
	if len(near) == 0 || len(near) > 20 {
		return " (bondaudit rules lists them)"
	}
	return "; rules in " + prefix + ": " + strings.Join(near, ", ")
}

// siteName is the site's name: one line of printable text.
type siteName string

func (s *siteName) DecodeYAML(f *yamlfile.File, v *yaml.Node, label string) {
	name := strings.TrimSpace(v.Value)
	if v.Kind != yaml.ScalarNode || name == "" || strings.IndexFunc(name, func(r rune) bool { return r < 0x20 || r == 0x7f }) >= 0 {
		f.Errorf(v, "%s: want the site's name, one line of text (it labels the reports and the Prometheus series)", label)
		return
	}
	*s = siteName(name)
}

// severities are the severity overrides: rule ID to severity.
type severities map[string]Severity

func (s *severities) DecodeYAML(f *yamlfile.File, v *yaml.Node, label string) {
	if v.Kind != yaml.MappingNode {
		f.Errorf(v, "%s: want a mapping of rule ID to error, warning or info", label)
		return
	}
	*s = severities{}
	for i := 0; i+1 < len(v.Content); i += 2 {
		k, n := v.Content[i], v.Content[i+1]
		if !ruleID(f, k, label) {
			continue
		}
		sev, err := ParseSeverity(n.Value)
		if n.Kind != yaml.ScalarNode || err != nil {
			f.Errorf(n, "%s of %s: want error, warning or info, got %q", label, k.Value, n.Value)
			continue
		}
		(*s)[k.Value] = sev
	}
}

// ruleIDs is a list of rule IDs that exist.
type ruleIDs []string

func (r *ruleIDs) DecodeYAML(f *yamlfile.File, v *yaml.Node, label string) {
	if v.Kind != yaml.SequenceNode {
		f.Errorf(v, "%s: want a list of rule IDs", label)
		return
	}
	for _, n := range v.Content {
		if n.Kind == yaml.ScalarNode && ruleID(f, n, label) {
			*r = append(*r, n.Value)
		}
	}
}

// thresholds are the rule parameters policy.yaml sets.
type thresholds struct {
	SlaveFlapping atLeastOne `yaml:"slave_flapping"`
}

func (t *thresholds) DecodeYAML(f *yamlfile.File, v *yaml.Node, label string) {
	if v.Kind != yaml.MappingNode {
		f.Errorf(v, "%s: want a mapping of %s", label, yamlfile.AllowedKeys(t))
		return
	}
	f.Mapping(v, t, yamlfile.Keys{In: label, Label: label + "."})
}

// atLeastOne is a link failure count of 1 or more.
type atLeastOne int

func (x *atLeastOne) DecodeYAML(f *yamlfile.File, n *yaml.Node, label string) {
	v, err := strconv.Atoi(n.Value)
	if err != nil || v < 1 {
		f.Errorf(n, "%s: want a link failure count of 1 or more, got %q", label, n.Value)
		return
	}
	*x = atLeastOne(v)
}

// captureAge is max_capture_age: a duration (90m, 36h, 2d, 1d12h), or 0
// or off for no limit (CaptureAgeOff).
type captureAge time.Duration

func (c *captureAge) DecodeYAML(f *yamlfile.File, n *yaml.Node, label string) {
	d, err := parseAge(n.Value)
	if n.Kind != yaml.ScalarNode || err != nil {
		f.Errorf(n, "%s: want an age such as 24h, 90m or 2d (0 or off: no limit), got %q", label, n.Value)
		return
	}
	*c = captureAge(d)
}

// parseAge reads an age: whole days (2d) and/or a Go duration (36h, 90m,
// 1d12h); "0" and "off" are CaptureAgeOff. Negative ages are errors.
func parseAge(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if s == "off" || s == "0" {
		return CaptureAgeOff, nil
	}
	var days time.Duration
	if i := strings.IndexByte(s, 'd'); i > 0 {
		n, err := strconv.Atoi(s[:i])
		if err != nil || n < 0 || n > 100000 {
			return 0, fmt.Errorf("bad number of days %q", s[:i])
		}
		days, s = time.Duration(n)*24*time.Hour, s[i+1:]
		if s == "" {
			s = "0s"
		}
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return 0, fmt.Errorf("bad duration %q", s)
	}
	if d+days <= 0 {
		return CaptureAgeOff, nil
	}
	return d + days, nil
}

// trueFalse is a boolean written true or false.
type trueFalse bool

func (b *trueFalse) DecodeYAML(f *yamlfile.File, v *yaml.Node, label string) {
	if v.Kind != yaml.ScalarNode || (v.Value != "true" && v.Value != "false") {
		f.Errorf(v, "%s: want true or false, got %q", label, v.Value)
	}
	*b = v.Value == "true"
}

// waiverFile is one waiver as written.
type waiverFile struct {
	Rule    string `yaml:"rule"`
	Host    string `yaml:"host"`
	Bond    string `yaml:"bond"`
	NIC     string `yaml:"nic"`
	Switch  string `yaml:"switch"`
	Port    string `yaml:"port"`
	Reason  string `yaml:"reason"`
	Expires string `yaml:"expires"`
}

// waivers are the waivers that hold up: a rule that exists (or a pattern
// that matches one), a reason and an expiry date.
type waivers []Waiver

func (ws *waivers) DecodeYAML(f *yamlfile.File, v *yaml.Node, label string) {
	keys := yamlfile.AllowedKeys(waiverFile{})
	if v.Kind != yaml.SequenceNode {
		f.Errorf(v, "%s: want a list of waivers (%s)", label, keys)
		return
	}
	for _, n := range v.Content {
		if n.Kind != yaml.MappingNode {
			f.Errorf(n, "waiver: want a mapping of %s", keys)
			continue
		}
		var wf waiverFile
		f.Mapping(n, &wf, yamlfile.Keys{In: "waiver", Label: "waiver "})
		w := Waiver{Rule: wf.Rule, Host: wf.Host, Bond: wf.Bond, NIC: wf.NIC, Switch: wf.Switch, Port: wf.Port,
			Reason: strings.TrimSpace(wf.Reason), Line: n.Line}
		ok := true
		switch {
		case w.Rule == "":
			f.Errorf(n, "waiver: rule is required")
			ok = false
		case strings.ContainsAny(w.Rule, "*?"):
			matched := false
			for _, r := range registry {
				matched = matched || glob(w.Rule, r.ID)
			}
			if !matched {
				f.Errorf(n, "waiver: rule pattern %q matches no rule", w.Rule)
				ok = false
			}
		default:
			if _, found := Lookup(w.Rule); !found {
				f.Errorf(n, "waiver: no rule %q%s", w.Rule, suggest(w.Rule))
				ok = false
			}
		}
		if w.Reason == "" {
			f.Errorf(n, "waiver for %s: reason is required (say why, and the ticket)", w.Rule)
			ok = false
		}
		t, err := time.Parse(time.DateOnly, wf.Expires)
		if err != nil {
			f.Errorf(n, "waiver for %s: expires %q: want a date YYYY-MM-DD (a waiver must end)", w.Rule, wf.Expires)
			ok = false
		}
		w.Expires = t
		if ok {
			*ws = append(*ws, w)
		}
	}
}

// glob matches s against a pattern where * matches any run of characters
// (slashes included: port names have them) and ? one character.
func glob(pattern, s string) bool {
	if pattern == "" {
		return true
	}
	// iterative wildcard match with backtracking on the last *
	p, i, star, mark := 0, 0, -1, 0
	for i < len(s) {
		switch {
		case p < len(pattern) && (pattern[p] == '?' || pattern[p] == s[i]):
			p++
			i++
		case p < len(pattern) && pattern[p] == '*':
			star, mark = p, i
			p++
		case star >= 0:
			p = star + 1
			mark++
			i = mark
		default:
			return false
		}
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}

// matchPort compares a port selector: a glob, or a name in any common form
// (Gi1/0/1 = GigabitEthernet1/0/1).
func matchPort(sel, port string) bool {
	if sel == "" {
		return true
	}
	if strings.ContainsAny(sel, "*?") {
		return glob(sel, port)
	}
	return topology.SamePort(sel, port)
}

// Matches reports whether the waiver covers a finding.
func (w *Waiver) Matches(f *Finding) bool {
	return glob(w.Rule, f.Rule) && glob(w.Host, f.Host) && glob(w.Bond, f.Bond) && glob(w.NIC, f.NIC) &&
		glob(w.Switch, f.Switch) && matchPort(w.Port, f.Port)
}

// selector describes what a waiver selects, for messages.
func (w *Waiver) selector() string {
	var parts []string
	for _, kv := range [][2]string{{"host", w.Host}, {"bond", w.Bond}, {"nic", w.NIC}, {"switch", w.Switch}, {"port", w.Port}} {
		if kv[1] != "" {
			parts = append(parts, kv[0]+"="+kv[1])
		}
	}
	if len(parts) == 0 {
		return "everywhere"
	}
	return strings.Join(parts, " ")
}

// RuleWaiverExpired is the rule ID of the finding an expired waiver gives.
const RuleWaiverExpired = "policy.waiver-expired"

// Apply applies the policy to findings (as Run returns them) at time now:
// severity overrides, then waivers. A finding a live waiver covers stays,
// with status suppressed and the waiver's reason; an expired waiver no
// longer suppresses and is reported itself as policy.waiver-expired.
func (p *Policy) Apply(fs []Finding, now time.Time) []Finding {
	if p == nil {
		return fs
	}
	live := newWaiverIndex(p.Waivers, func(w *Waiver) bool { return !w.Expired(now) })
	out := make([]Finding, 0, len(fs))
	for _, f := range fs {
		if sev, ok := p.Severity[f.Rule]; ok {
			f.Severity = sev
		}
		if w := live.first(p.Waivers, &f); w != nil {
			f.Status = StatusSuppressed
			f.Reason = w.Reason
			f.Expires = w.ExpiresString()
		}
		out = append(out, f)
	}
	sev := waiverExpired.Severity
	if s, ok := p.Severity[RuleWaiverExpired]; ok {
		sev = s
	}
	var byRule map[string][]int
	var byRuleHost map[[2]string][]int
	for i := range p.Waivers {
		w := &p.Waivers[i]
		if !w.Expired(now) {
			continue
		}
		if byRule == nil { // the findings, indexed as the waivers are
			byRule, byRuleHost = map[string][]int{}, map[[2]string][]int{}
			for j := range fs {
				byRule[fs[j].Rule] = append(byRule[fs[j].Rule], j)
				k := [2]string{fs[j].Rule, fs[j].Host}
				byRuleHost[k] = append(byRuleHost[k], j)
			}
		}
		var still int
		count := func(js []int) {
			for _, j := range js {
				if w.Matches(&fs[j]) {
					still++
				}
			}
		}
		switch {
		case isGlob(w.Rule):
			for j := range fs {
				if w.Matches(&fs[j]) {
					still++
				}
			}
		case !isGlob(w.Host):
			count(byRuleHost[[2]string{w.Rule, w.Host}])
		default:
			count(byRule[w.Rule])
		}
		f := Finding{Rule: RuleWaiverExpired, Severity: sev, DefaultSeverity: waiverExpired.Severity, Status: StatusFail}
		f.Message = fmt.Sprintf("the waiver of %s (%s) expired on %s and no longer suppresses; %d finding(s) match it (reason was: %s)",
			w.Rule, w.selector(), w.ExpiresString(), still, w.Reason)
		f.Fix = "fix what the waiver covered, or renew it with a new expiry date and reason"
		f.Evidence = []string{fmt.Sprintf("policy %s:%d: waiver rule %s, %s, expires %s", p.Source, w.Line, w.Rule, w.selector(), w.ExpiresString())}
		out = append(out, f)
	}
	SortFindings(out)
	return out
}

var waiverExpired = Rule{
	ID: RuleWaiverExpired, Title: "A waiver in the policy has expired", Severity: Warning,
	Summary: "A waiver in policy.yaml is past its expiry date: it no longer suppresses, and is reported so it is renewed or removed.",
	Why: `Waivers are promises with a date: "we know, it is fixed by then". An expired
waiver means the promise was missed or forgotten; its findings count again.`,
	FixHost:   `Nothing on the host for the waiver itself: fix what it covered (bondaudit explain <its rule>), then delete the waiver.`,
	FixSwitch: `Nothing on the switch for the waiver itself; if the fix is still pending, renew the waiver in policy.yaml (new expires, reason).`,
	Evidence:  "policy.yaml: the waiver's rule, selectors, reason and expiry date.",
	// Check: the policy reports expired waivers (Policy.Apply), not Run.
	Check: func(*Context) {},
}

// isGlob reports whether a selector is a pattern rather than one value
// ("" matches anything, so it is one too).
func isGlob(sel string) bool { return sel == "" || strings.ContainsAny(sel, "*?") }

// waiverIndex finds the first waiver, in policy order, that covers a
// finding without trying every waiver: waivers for one rule ID and one
// host are looked up by both, those for one rule and any host (or a host
// pattern) by the rule, and only rule patterns (lacp.*) are tried on every
// finding. Each list holds policy positions in ascending order.
type waiverIndex struct {
	byRuleHost map[[2]string][]int
	byRule     map[string][]int
	globs      []int
}

func newWaiverIndex(ws []Waiver, keep func(*Waiver) bool) *waiverIndex {
	x := &waiverIndex{byRuleHost: map[[2]string][]int{}, byRule: map[string][]int{}}
	for i := range ws {
		w := &ws[i]
		switch {
		case !keep(w):
		case isGlob(w.Rule):
			x.globs = append(x.globs, i)
		case !isGlob(w.Host):
			k := [2]string{w.Rule, w.Host}
			x.byRuleHost[k] = append(x.byRuleHost[k], i)
		default:
			x.byRule[w.Rule] = append(x.byRule[w.Rule], i)
		}
	}
	return x
}

// first returns the first waiver of ws (the slice the index was built on)
// that matches f, or nil.
func (x *waiverIndex) first(ws []Waiver, f *Finding) *Waiver {
	lists := [3][]int{x.byRuleHost[[2]string{f.Rule, f.Host}], x.byRule[f.Rule], x.globs}
	for {
		// the lowest policy position left in the three lists
		best := -1
		for l := range lists {
			if len(lists[l]) > 0 && (best < 0 || lists[l][0] < lists[best][0]) {
				best = l
			}
		}
		if best < 0 {
			return nil
		}
		i := lists[best][0]
		lists[best] = lists[best][1:]
		if ws[i].Matches(f) {
			return &ws[i]
		}
	}
}
