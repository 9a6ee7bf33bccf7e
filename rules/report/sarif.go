package report

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"strings"
	"time"

	"github.com/bondaudit/bondaudit/rules"
	"github.com/bondaudit/bondaudit/topology/escape"
)

// SARIF constants: the schema the log declares, its version, and the key of
// the partial fingerprint every result carries.
const (
	SARIFSchema      = "https://json.schemastore.org/sarif-2.1.0.json"
	SARIFVersion     = "2.1.0"
	SARIFFingerprint = "bondaudit/v1"
	sarifInfoURI     = "https://github.com/bondaudit/bondaudit"
)

// SARIF writes a SARIF 2.1.0 log: one run whose driver lists every rule of
// the registry, and one result per finding. Subjects are logical locations
// (host/bond/nic, switch/port); waived findings carry an external
// suppression with the waiver's reason. Inputs that could not be read are
// tool execution notifications.
type SARIF struct {
	// Rules are the rules the driver lists and results index into; nil
	// means every rule of rules.Registry().
	Rules []rules.Rule
}

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool        sarifTool         `json:"tool"`
	Invocations []sarifInvocation `json:"invocations"`
	Results     []sarifResult     `json:"results"`
	Properties  map[string]any    `json:"properties,omitempty"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifRule struct {
	ID                   string        `json:"id"`
	Name                 string        `json:"name"`
	ShortDescription     sarifMessage  `json:"shortDescription"`
	FullDescription      sarifMessage  `json:"fullDescription"`
	Help                 sarifMessage  `json:"help"`
	DefaultConfiguration sarifConfig   `json:"defaultConfiguration"`
	Properties           sarifRuleTags `json:"properties"`
}

type sarifMessage struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown,omitempty"`
}

type sarifConfig struct {
	Level string `json:"level"`
}

type sarifRuleTags struct {
	Tags []string `json:"tags"`
}

type sarifInvocation struct {
	ExecutionSuccessful bool                `json:"executionSuccessful"`
	StartTimeUTC        string              `json:"startTimeUtc"`
	EndTimeUTC          string              `json:"endTimeUtc"`
	Notifications       []sarifNotification `json:"toolExecutionNotifications,omitempty"`
}

type sarifNotification struct {
	Level   string       `json:"level"`
	Message sarifMessage `json:"message"`
}

type sarifResult struct {
	RuleID              string             `json:"ruleId"`
	RuleIndex           *int               `json:"ruleIndex,omitempty"`
	Level               string             `json:"level"`
	Message             sarifMessage       `json:"message"`
	Locations           []sarifLocation    `json:"locations,omitempty"`
	RelatedLocations    []sarifRelated     `json:"relatedLocations,omitempty"`
	PartialFingerprints map[string]string  `json:"partialFingerprints"`
	Suppressions        []sarifSuppression `json:"suppressions,omitempty"`
	Properties          sarifResultProps   `json:"properties"`
}

type sarifLocation struct {
	LogicalLocations []sarifLogicalLocation `json:"logicalLocations"`
}

// sarifRelated is a result's related location: the problem (rules.Group)
// the finding belongs to, as a logical location "problem/P-…".
type sarifRelated struct {
	ID               int                    `json:"id"`
	Message          sarifMessage           `json:"message"`
	LogicalLocations []sarifLogicalLocation `json:"logicalLocations"`
}

type sarifLogicalLocation struct {
	Name               string `json:"name"`
	FullyQualifiedName string `json:"fullyQualifiedName"`
	Kind               string `json:"kind"`
}

type sarifSuppression struct {
	Kind          string         `json:"kind"`
	Status        string         `json:"status"`
	Justification string         `json:"justification,omitempty"`
	Properties    map[string]any `json:"properties,omitempty"`
}

type sarifResultProps struct {
	Severity string   `json:"severity"`
	Evidence []string `json:"evidence"`
	// Problem is the id of the finding's problem, ProblemRule its primary
	// rule: the same link as the related location, for tools that read
	// properties only.
	Problem     string `json:"problem,omitempty"`
	ProblemRule string `json:"problemRule,omitempty"`
}

// Write implements Writer.
func (s SARIF) Write(w io.Writer, r *Report) error {
	reg := s.Rules
	if reg == nil {
		reg = rules.Registry()
	}
	index := make(map[string]int, len(reg))
	run := sarifRun{
		Tool:        sarifTool{Driver: sarifDriver{Name: "bondaudit", InformationURI: sarifInfoURI, Rules: []sarifRule{}}},
		Invocations: []sarifInvocation{sarifInvocationOf(r)},
		Results:     []sarifResult{},
		Properties:  map[string]any{"site": r.Site},
	}
	for i, rule := range reg {
		index[rule.ID] = i
		run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, sarifRuleOf(rule))
	}
	fs, ps := grouped(r.Findings)
	byID := map[string]rules.Problem{}
	for _, p := range ps {
		byID[p.ID] = p
	}
	for _, f := range fs {
		res := sarifResultOf(f)
		if i, ok := index[f.Rule]; ok {
			res.RuleIndex = &i
		}
		if p, ok := byID[f.Problem]; ok {
			res.Properties.Problem, res.Properties.ProblemRule = p.ID, p.Rule
			res.RelatedLocations = []sarifRelated{{ID: 0,
				Message:          sarifMessage{Text: "problem " + p.ID + ": " + p.Rule + " on " + p.Subject.String() + " (" + plural(len(p.Findings), "finding", "findings") + ")"},
				LogicalLocations: []sarifLogicalLocation{{Name: p.ID, FullyQualifiedName: "problem/" + p.ID, Kind: "object"}}}}
		}
		run.Results = append(run.Results, res)
	}
	enc := escape.JSON(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(sarifLog{Schema: SARIFSchema, Version: SARIFVersion, Runs: []sarifRun{run}})
}

func sarifInvocationOf(r *Report) sarifInvocation {
	inv := sarifInvocation{
		ExecutionSuccessful: true,
		StartTimeUTC:        r.Generated.Add(-r.Duration).UTC().Format(time.RFC3339Nano),
		EndTimeUTC:          r.Generated.UTC().Format(time.RFC3339Nano),
	}
	for _, p := range sortedProblems(r.Problems) {
		inv.Notifications = append(inv.Notifications, sarifNotification{
			Level:   "warning",
			Message: sarifMessage{Text: "input not read, not checked: " + p},
		})
	}
	return inv
}

// sarifLevel maps a severity to a SARIF level.
func sarifLevel(s rules.Severity) string {
	switch s {
	case rules.Error:
		return "error"
	case rules.Warning:
		return "warning"
	}
	return "note"
}

func sarifRuleOf(r rules.Rule) sarifRule {
	family, _, _ := strings.Cut(r.ID, ".")
	return sarifRule{
		ID:                   r.ID,
		Name:                 camelCase(r.ID),
		ShortDescription:     sarifMessage{Text: r.Title},
		FullDescription:      sarifMessage{Text: r.Summary},
		Help:                 sarifHelp(r),
		DefaultConfiguration: sarifConfig{Level: sarifLevel(r.Severity)},
		Properties:           sarifRuleTags{Tags: []string{"network", family}},
	}
}

// sarifHelp is the rule's "bondaudit explain" text: why it matters, the fix
// on each side and the evidence it reads.
func sarifHelp(r rules.Rule) sarifMessage {
	text := r.Why + "\n\nFix on the host: " + r.FixHost + "\n\nFix on the switch: " + r.FixSwitch +
		"\n\nEvidence: " + r.Evidence
	md := "**" + r.Title + "**\n\n" + r.Summary + "\n\n" + r.Why +
		"\n\n**Fix on the host:** " + r.FixHost + "\n\n**Fix on the switch:** " + r.FixSwitch +
		"\n\n**Evidence:** " + r.Evidence
	if len(r.References) > 0 {
		text += "\n\nReferences: " + strings.Join(r.References, "; ")
		md += "\n\n**References:**\n\n- " + strings.Join(r.References, "\n- ")
	}
	return sarifMessage{Text: text, Markdown: md}
}

// camelCase turns a rule ID such as "bond.no-link-monitor" into
// "BondNoLinkMonitor".
func camelCase(id string) string {
	var b strings.Builder
	up := true
	for _, c := range id {
		switch {
		case c == '.' || c == '-' || c == '_':
			up = true
		case up:
			b.WriteString(strings.ToUpper(string(c)))
			up = false
		default:
			b.WriteRune(c)
		}
	}
	return b.String()
}

func sarifResultOf(f rules.Finding) sarifResult {
	text := f.Message
	if f.Fix != "" {
		text += " Fix: " + f.Fix
	}
	res := sarifResult{
		RuleID:              f.Rule,
		Level:               sarifLevel(f.Severity),
		Message:             sarifMessage{Text: text},
		PartialFingerprints: map[string]string{SARIFFingerprint: sarifFingerprint(f)},
		Properties:          sarifResultProps{Severity: f.Severity.String(), Evidence: nonNilStrings(dedupe(f.Evidence))},
	}
	if locs := sarifLogicalLocations(f); len(locs) > 0 {
		res.Locations = []sarifLocation{{LogicalLocations: locs}}
	}
	if waived(f) {
		res.Suppressions = []sarifSuppression{sarifSuppressionOf(f)}
	}
	return res
}

func sarifSuppressionOf(f rules.Finding) sarifSuppression {
	s := sarifSuppression{Kind: "external", Status: "accepted", Justification: f.Reason}
	if f.Expires != "" {
		s.Properties = map[string]any{"expires": f.Expires}
	}
	return s
}

// sarifLogicalLocations names the finding's subjects: the host side as
// host/bond/nic and the switch side as switch/port.
func sarifLogicalLocations(f rules.Finding) []sarifLogicalLocation {
	var out []sarifLogicalLocation
	for _, parts := range [][]string{nonEmpty(f.Host, f.Bond, f.NIC), nonEmpty(f.Switch, f.Port)} {
		if len(parts) == 0 {
			continue
		}
		out = append(out, sarifLogicalLocation{
			Name:               parts[len(parts)-1],
			FullyQualifiedName: strings.Join(parts, "/"),
			Kind:               "object",
		})
	}
	return out
}

// sarifFingerprint identifies a finding across runs by its rule and subject
// (not its message, whose wording may change): the hex SHA-256 of the six
// fields joined by NUL.
func sarifFingerprint(f rules.Finding) string {
	sum := sha256.Sum256([]byte(strings.Join([]string{f.Rule, f.Host, f.Bond, f.NIC, f.Switch, f.Port}, "\x00")))
	return hex.EncodeToString(sum[:])
}

func nonNilStrings(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
