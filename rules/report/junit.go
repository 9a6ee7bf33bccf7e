package report

import (
	"cmp"
	"encoding/xml"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/bondaudit/bondaudit/rules"
	"github.com/bondaudit/bondaudit/topology/escape"
)

// JUnit writes JUnit XML (the Jenkins junit-4.xsd dialect) for CI
// dashboards: one test case per bond of the Model, failing with one
// <failure> per problem on it (rules.Group: one per root cause), the
// problem's findings with fix and evidence in its body; a problem is on
// the test case of its first finding. Findings that name no bond become test cases
// of their own, classname "<host>", "switch.<name>" or "site" and named
// after the rule. Waived (suppressed) findings never fail a test case; they
// are listed in its <system-out>.
type JUnit struct{}

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Time     string       `xml:"time,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name       string          `xml:"name,attr"`
	Tests      int             `xml:"tests,attr"`
	Failures   int             `xml:"failures,attr"`
	Errors     int             `xml:"errors,attr"`
	Skipped    int             `xml:"skipped,attr"`
	Time       string          `xml:"time,attr"`
	Timestamp  string          `xml:"timestamp,attr"`
	Hostname   string          `xml:"hostname,attr"`
	ID         string          `xml:"id,attr"`
	Package    string          `xml:"package,attr"`
	Properties []junitProperty `xml:"properties>property"`
	Cases      []*junitCase    `xml:"testcase"`
	SystemErr  *junitText      `xml:"system-err,omitempty"`
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitCase struct {
	Name      string         `xml:"name,attr"`
	Classname string         `xml:"classname,attr"`
	Failures  []junitFailure `xml:"failure"`
	SystemOut *junitText     `xml:"system-out,omitempty"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",cdata"`
}

type junitText struct {
	Text string `xml:",cdata"`
}

// junitKey places a test case: group orders bonds, host-level, switch and
// site cases; class and name are the case's classname and name.
type junitKey struct {
	group       int
	class, name string
}

func compareJUnitKeys(a, b junitKey) int {
	return cmp.Or(cmp.Compare(a.group, b.group), cmp.Compare(a.class, b.class), cmp.Compare(a.name, b.name))
}

// junitKeyOf is the test case a finding belongs to.
func junitKeyOf(f rules.Finding) junitKey {
	switch {
	case f.Bond != "":
		return junitKey{0, f.Host, f.Bond}
	case f.Host != "":
		return junitKey{1, f.Host, f.Rule}
	case f.Switch != "":
		return junitKey{2, "switch." + f.Switch, f.Rule}
	}
	return junitKey{3, "site", f.Rule}
}

// Write implements Writer.
func (JUnit) Write(w io.Writer, r *Report) error {
	suite := junitSuiteOf(r)
	out := junitSuites{
		Name: "bondaudit", Tests: suite.Tests, Failures: suite.Failures,
		Time: suite.Time, Suites: []junitSuite{suite},
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(out); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

func junitSuiteOf(r *Report) junitSuite {
	name := "bondaudit"
	if r.Site != "" {
		name += "." + r.Site
	}
	s := junitSuite{
		Name:      xmlSafe(name),
		Time:      fmt.Sprintf("%.3f", r.Duration.Seconds()),
		Timestamp: r.Generated.UTC().Format("2006-01-02T15:04:05"),
		Hostname:  "localhost", ID: "0", Package: "bondaudit",
		Properties: []junitProperty{
			{Name: "site", Value: xmlSafe(r.Site)},
			{Name: "generated", Value: r.Generated.UTC().Format(time.RFC3339)},
		},
		Cases: junitCases(r),
	}
	s.Tests = len(s.Cases)
	for _, c := range s.Cases {
		if len(c.Failures) > 0 {
			s.Failures++
		}
	}
	if len(r.Problems) > 0 {
		lines := []string{"inputs not read (what they would show was not checked):"}
		lines = append(lines, sortedProblems(r.Problems)...)
		s.SystemErr = &junitText{Text: strings.Join(escape.Texts(lines), "\n")}
	}
	return s
}

// junitCases returns one case per bond of the Model and per test case the
// findings name, sorted by junitKey.
func junitCases(r *Report) []*junitCase {
	cases := map[junitKey]*junitCase{}
	get := func(k junitKey) *junitCase {
		if c, ok := cases[k]; ok {
			return c
		}
		c := &junitCase{Classname: xmlSafe(k.class), Name: xmlSafe(k.name)}
		cases[k] = c
		return c
	}
	for _, b := range modelBonds(r) {
		get(junitKey{0, b.host, b.bond})
	}
	for _, f := range r.Findings {
		if waived(f) {
			get(junitKeyOf(f)).addWaiver(f)
		}
	}
	_, all := grouped(r.Findings)
	for _, p := range activeProblems(all) {
		c := get(junitKeyOf(p.Findings[0]))
		c.Failures = append(c.Failures, junitFailureOfProblem(p))
	}
	keys := slices.SortedFunc(maps.Keys(cases), compareJUnitKeys)
	out := make([]*junitCase, 0, len(keys))
	for _, k := range keys {
		out = append(out, cases[k])
	}
	return out
}

// junitFailureOfProblem is a problem's failure: its rule and message (and
// how many findings more), then each finding with subject, fix and
// evidence.
func junitFailureOfProblem(p rules.Problem) junitFailure {
	lines := []string{"problem " + p.ID + ": " + p.Rule + " on " + p.Subject.String() + ", " + plural(len(p.Findings), "finding", "findings")}
	for _, f := range p.Findings {
		head := strings.ToUpper(f.Severity.String()) + " " + f.Rule
		if s := where(f); s != "" {
			head += " (" + s + ")"
		}
		lines = append(lines, "", head+": "+f.Message)
		if f.Fix != "" {
			lines = append(lines, "  fix: "+f.Fix)
		}
		for _, e := range dedupe(f.Evidence) {
			lines = append(lines, "  evidence: "+e)
		}
	}
	msg := p.Rule + ": " + p.Message()
	if m := more(len(p.Findings)); m != "" {
		msg += " (" + m + ")"
	}
	return junitFailure{
		Message: xmlSafe(msg),
		Type:    p.Severity.String(),
		Text:    strings.Join(escape.Texts(lines), "\n"),
	}
}

// addWaiver records a waived finding in the case's system-out.
func (c *junitCase) addWaiver(f rules.Finding) {
	line := fmt.Sprintf("waived %s %s", f.Severity, f.Rule)
	if s := where(f); s != "" {
		line += " (" + s + ")"
	}
	line += ": " + f.Message + "; reason: " + orElse(f.Reason, "(none given)") + "; expires: " + orElse(f.Expires, "never")
	line = xmlSafe(line)
	if c.SystemOut == nil {
		c.SystemOut = &junitText{Text: line}
		return
	}
	c.SystemOut.Text += "\n" + line
}

// xmlSafe makes one line of untrusted text safe for a JUnit attribute or
// text: escape.Text shows every control character (XML 1.0 cannot carry
// most C0 characters at all, and a newline in a name would forge a line of
// the failure text) and makes it valid UTF-8.
func xmlSafe(s string) string { return escape.Text(s) }
