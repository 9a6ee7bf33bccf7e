package report

import (
	"io"
	"time"

	"github.com/bondaudit/bondaudit/topology"
	"github.com/bondaudit/bondaudit/topology/escape"
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
	Findings  []jsonFinding `json:"findings"`
	Links     []jsonLink    `json:"links"`
	Problems  []string      `json:"problems,omitempty"`
}

type jsonFinding struct {
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
}

type jsonLink struct {
	Host     string   `json:"host"`
	NIC      string   `json:"nic"`
	Switch   string   `json:"switch"`
	Port     string   `json:"port"`
	Evidence []string `json:"evidence"`
}

// Write implements Writer.
func (JSON) Write(w io.Writer, r *Report) error {
	out := jsonReport{
		Schema:    JSONSchema,
		Site:      r.Site,
		Generated: r.Generated.UTC().Format(time.RFC3339),
		Summary:   Summarize(r),
		Findings:  []jsonFinding{},
		Links:     []jsonLink{},
		Problems:  sortedProblems(r.Problems),
	}
	for _, f := range r.Findings {
		out.Findings = append(out.Findings, jsonFinding{
			Rule: f.Rule, Severity: f.Severity.String(), Status: string(f.Status),
			Host: f.Host, Bond: f.Bond, NIC: f.NIC, Switch: f.Switch, Port: f.Port,
			Message: f.Message, Fix: f.Fix, Evidence: f.Evidence,
			Reason: f.Reason, Expires: f.Expires,
		})
	}
	if r.Model != nil {
		for _, l := range r.Model.Links {
			out.Links = append(out.Links, jsonLink{Host: l.Host, NIC: l.NIC, Switch: l.Switch, Port: l.Port, Evidence: topology.EvidenceStrings(l.Evidence)})
		}
	}
	return escape.JSON(w).Encode(out)
}
