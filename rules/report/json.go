package report

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"time"

	"github.com/bondaudit/bondaudit/rules"

	"github.com/bondaudit/bondaudit/topology"
)

// JSONSchema is the version of the JSON report (DESIGN.md "JSON report").
const JSONSchema = "bondaudit.report/v1"

// JSON writes the stable machine-readable report.
type JSON struct{}

type jsonReport struct {
	Schema    string        `json:"schema"`
	Site      string        `json:"site"`
	Generated string        `json:"generated"`
	Summary   Summary       `json:"summary"`
	Findings  []FindingJSON `json:"findings"`
	// ProblemGroups are the findings folded into problems, one per root
	// cause (rules.Group); each finding's "problem" is one's id. The key
	// "problems" was taken before them, by the inputs not read.
	ProblemGroups []ProblemJSON `json:"problem_groups"`
	Links         []jsonLink    `json:"links"`
	Problems      []string      `json:"problems,omitempty"`
	// Inventory names the hosts and switches audited, so that the next
	// run (audit --baseline, the scheduled run) tells a host that is gone
	// from one whose findings were resolved. Reports written before it
	// have none.
	Inventory *jsonInventory `json:"inventory,omitempty"`
}

// jsonInventory is the report's "inventory": topology.Inventory's names.
type jsonInventory struct {
	Hosts    []string `json:"hosts"`
	Switches []string `json:"switches"`
}

// FindingJSON is the one JSON shape of a finding: the audit report's
// findings, diff's and whatif --plan's (which leave out what they do not
// carry, see brief and active), and what --baseline reads back.
type FindingJSON struct {
	Rule     string   `json:"rule"`
	Severity string   `json:"severity"`
	Status   string   `json:"status,omitempty"`
	Host     string   `json:"host,omitempty"`
	Bond     string   `json:"bond,omitempty"`
	NIC      string   `json:"nic,omitempty"`
	Switch   string   `json:"switch,omitempty"`
	Port     string   `json:"port,omitempty"`
	Message  string   `json:"message"`
	Fix      string   `json:"fix,omitempty"`
	Evidence []string `json:"evidence,omitempty"`
	// Reason and Expires are set on suppressed findings (the waiver's).
	Reason  string `json:"reason,omitempty"`
	Expires string `json:"expires,omitempty"`
	// Domain is the MLAG/stack domain of a pair-wide finding.
	Domain string `json:"domain,omitempty"`
	// Problem is the id of the problem the finding belongs to (in the
	// audit report; its "problem_groups").
	Problem string `json:"problem,omitempty"`
}

// ProblemJSON is a problem in the audit report: its id, primary rule,
// severity (its worst active finding's), status (suppressed when all its
// findings are), subject, one-line message and number of findings.
type ProblemJSON struct {
	ID       string      `json:"id"`
	Rule     string      `json:"rule"`
	Severity string      `json:"severity"`
	Status   string      `json:"status"`
	Subject  SubjectJSON `json:"subject"`
	Message  string      `json:"message"`
	Findings int         `json:"findings"`
}

// SubjectJSON is a problem's subject: its kind (bond, lag, pair, port,
// switch, host, site) and the names that say which.
type SubjectJSON struct {
	Kind   string `json:"kind"`
	Host   string `json:"host,omitempty"`
	Bond   string `json:"bond,omitempty"`
	Switch string `json:"switch,omitempty"`
	LAG    string `json:"lag,omitempty"`
	Port   string `json:"port,omitempty"`
}

// NewProblemJSON is p in its JSON shape.
func NewProblemJSON(p rules.Problem) ProblemJSON {
	s := p.Subject
	return ProblemJSON{ID: p.ID, Rule: p.Rule, Severity: p.Severity.String(), Status: string(p.Status()),
		Subject: SubjectJSON{Kind: s.Kind, Host: s.Host, Bond: s.Bond, Switch: s.Switch, LAG: s.LAG, Port: s.Port},
		Message: p.Message(), Findings: len(p.Findings)}
}

type jsonLink struct {
	Host     string   `json:"host"`
	NIC      string   `json:"nic"`
	Switch   string   `json:"switch"`
	Port     string   `json:"port"`
	Evidence []string `json:"evidence"`
}

// Write implements Writer. The report is streamed (jsonObject): findings,
// problems and links are encoded one at a time, in the shape of
// jsonReport, by the one-pass appenders of jsonappend.go.
func (JSON) Write(w io.Writer, r *Report) error {
	fs, ps := grouped(r.Findings)
	o := newJSONObject(w)
	o.field("schema", JSONSchema)
	o.field("site", r.Site)
	o.field("generated", r.Generated.UTC().Format(time.RFC3339))
	o.field("summary", Summarize(r))
	o.appendList("findings", len(fs), func(b []byte, i int) []byte {
		f := NewFindingJSON(fs[i])
		return f.appendJSON(b, 4)
	})
	o.appendList("problem_groups", len(ps), func(b []byte, i int) []byte {
		p := NewProblemJSON(ps[i])
		return p.appendJSON(b, 4)
	})
	var links []*topology.Link
	if r.Model != nil {
		links = r.Model.Links
	}
	o.appendList("links", len(links), func(b []byte, i int) []byte { return appendLinkJSON(b, 4, links[i]) })
	if p := sortedProblems(r.Problems); len(p) > 0 {
		o.appendField("problems", func(b []byte) []byte { return appendJSONStrings(b, 2, p) })
	}
	if r.Model != nil {
		inv := r.Model.Inventory()
		o.appendField("inventory", func(b []byte) []byte {
			return (&jsonInventory{Hosts: inv.Hosts, Switches: inv.Switches}).appendJSON(b, 2)
		})
	}
	return o.close()
}

// NewFindingJSON is f in its JSON shape, every field set.
func NewFindingJSON(f rules.Finding) FindingJSON {
	return FindingJSON{
		Rule: f.Rule, Severity: f.Severity.String(), Status: string(f.Status),
		Host: f.Host, Bond: f.Bond, NIC: f.NIC, Switch: f.Switch, Port: f.Port,
		Message: f.Message, Fix: f.Fix, Evidence: f.Evidence,
		Reason: f.Reason, Expires: f.Expires, Domain: f.Domain, Problem: f.Problem,
	}
}

// active is f as diff lists it: an active finding, so no status or waiver.
func active(f rules.Finding) FindingJSON {
	j := NewFindingJSON(f)
	j.Status, j.Reason, j.Expires = "", "", ""
	return j
}

// brief is f as whatif --plan lists it: rule, severity, subject, message.
func brief(f rules.Finding) FindingJSON {
	j := active(f)
	j.Fix, j.Evidence = "", nil
	return j
}

// findingsJSON maps fs through shape; never null.
func findingsJSON(fs []rules.Finding, shape func(rules.Finding) FindingJSON) []FindingJSON {
	out := []FindingJSON{}
	for _, f := range fs {
		out = append(out, shape(f))
	}
	return out
}

// Previous is an earlier JSON report as the next run reads it: its site,
// its findings (key, status, severity and message) and what it audited.
type Previous struct {
	Site     string
	Findings []rules.Finding
	// Inventory names the hosts and switches the report audited, with its
	// generation time and Source the report's path; nil for a report
	// written before reports carried an inventory.
	Inventory *topology.Inventory
}

// ReadPrevious reads a previous JSON report (audit --format json or
// --save-baseline).
func ReadPrevious(path string) (*Previous, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var doc struct {
		Schema    string         `json:"schema"`
		Site      string         `json:"site"`
		Generated string         `json:"generated"`
		Findings  []FindingJSON  `json:"findings"`
		Inventory *jsonInventory `json:"inventory"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf("not a bondaudit JSON report: %w", err)
	}
	if doc.Schema != JSONSchema {
		return nil, fmt.Errorf("not a bondaudit JSON report (schema %q, want %q); write one with --save-baseline or --format json", doc.Schema, JSONSchema)
	}
	p := &Previous{Site: doc.Site}
	for _, j := range doc.Findings {
		sev, _ := rules.ParseSeverity(j.Severity) // not part of the key
		p.Findings = append(p.Findings, rules.Finding{Rule: j.Rule, Severity: sev, Status: rules.Status(j.Status),
			Host: j.Host, Bond: j.Bond, NIC: j.NIC, Switch: j.Switch, Port: j.Port, Message: j.Message, Domain: j.Domain})
	}
	if doc.Inventory != nil {
		gen, _ := time.Parse(time.RFC3339, doc.Generated) // zero when unreadable: evidence says so
		p.Inventory = &topology.Inventory{Hosts: slices.Sorted(slices.Values(doc.Inventory.Hosts)),
			Switches: slices.Sorted(slices.Values(doc.Inventory.Switches)), Generated: gen, Source: path}
	}
	return p, nil
}

// ReadBaseline reads a previous JSON report: its site and findings (see
// ReadPrevious).
func ReadBaseline(path string) (site string, findings []rules.Finding, err error) {
	p, err := ReadPrevious(path)
	if err != nil {
		return "", nil, err
	}
	return p.Site, p.Findings, nil
}
