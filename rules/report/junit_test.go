package report

import (
	"encoding/xml"
	"github.com/bondaudit/bondaudit/internal/needtool"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// validateJUnit checks out against testdata/junit-4.xsd with xmllint.
func validateJUnit(t *testing.T, out []byte) {
	t.Helper()
	xmllint := needtool.Need(t, "libxml2-utils", "xmllint")
	f := filepath.Join(t.TempDir(), "junit.xml")
	if err := os.WriteFile(f, out, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(xmllint, "--noout", "--schema", filepath.Join("testdata", "junit-4.xsd"), f)
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("xmllint: %v\n%s\n%s", err, msg, out)
	}
}

func TestJUnitValidatesAgainstSchema(t *testing.T) {
	validateJUnit(t, render(t, JUnit{}, fixtureReport(t)))
}

// TestJUnitSchemaRejects makes sure the validation can fail: a testcase
// without its required name is not accepted.
func TestJUnitSchemaRejects(t *testing.T) {
	xmllint := needtool.Need(t, "libxml2-utils", "xmllint")
	f := filepath.Join(t.TempDir(), "bad.xml")
	bad := `<testsuites><testsuite name="x" tests="1"><testcase classname="c"/></testsuite></testsuites>`
	if err := os.WriteFile(f, []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := exec.Command(xmllint, "--noout", "--schema", filepath.Join("testdata", "junit-4.xsd"), f).Run(); err == nil {
		t.Error("xmllint accepted a testcase without a name")
	}
}

type parsedJUnit struct {
	Tests    int `xml:"tests,attr"`
	Failures int `xml:"failures,attr"`
	Suites   []struct {
		Name     string `xml:"name,attr"`
		Tests    int    `xml:"tests,attr"`
		Failures int    `xml:"failures,attr"`
		Cases    []struct {
			Classname string `xml:"classname,attr"`
			Name      string `xml:"name,attr"`
			Failures  []struct {
				Message string `xml:"message,attr"`
				Type    string `xml:"type,attr"`
				Text    string `xml:",chardata"`
			} `xml:"failure"`
			SystemOut string `xml:"system-out"`
		} `xml:"testcase"`
		SystemErr string `xml:"system-err"`
	} `xml:"testsuite"`
}

func TestJUnitCasesAndWaivers(t *testing.T) {
	var got parsedJUnit
	if err := xml.Unmarshal(render(t, JUnit{}, fixtureReport(t)), &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Suites) != 1 || got.Suites[0].Name != "bondaudit.dc1" {
		t.Fatalf("suites = %+v", got.Suites)
	}
	s := got.Suites[0]
	var names []string
	failures := map[string]int{}
	for _, c := range s.Cases {
		id := c.Classname + "/" + c.Name
		names = append(names, id)
		failures[id] = len(c.Failures)
		if id == "db01/bond1" && !strings.Contains(c.SystemOut, "rack B has one leaf") {
			t.Errorf("db01/bond1 system-out %q does not give the waiver's reason", c.SystemOut)
		}
	}
	want := []string{"db01/bond0", "db01/bond1", "web01/bond0", "db01/bond.nic-mismatch",
		"switch.leaf2/lacp.switch-port-not-bundled", "site/lacp.multi-switch-no-mlag"}
	if strings.Join(names, " ") != strings.Join(want, " ") {
		t.Errorf("test cases = %v, want %v", names, want)
	}
	if failures["db01/bond1"] != 0 {
		t.Errorf("db01/bond1 has only a waived finding but %d failures", failures["db01/bond1"])
	}
	// Three findings, two problems: lacp.no-partner is evidence of
	// lacp.switch-not-aggregated on the same bond.
	if failures["web01/bond0"] != 2 {
		t.Errorf("web01/bond0 has %d failures, want 2 (one per problem)", failures["web01/bond0"])
	}
	for _, c := range s.Cases {
		if c.Classname+"/"+c.Name != "web01/bond0" {
			continue
		}
		var body string
		for _, f := range c.Failures {
			if strings.HasPrefix(f.Message, "lacp.switch-not-aggregated: ") {
				body = f.Text
				if !strings.Contains(f.Message, "(+1 finding)") {
					t.Errorf("problem failure message %q does not count the rest", f.Message)
				}
			}
		}
		if !strings.Contains(body, "lacp.no-partner") || !strings.Contains(body, "problem P-") {
			t.Errorf("the problem's failure body does not list its findings:\n%s", body)
		}
	}
	if s.Tests != 6 || s.Failures != 5 || got.Tests != 6 || got.Failures != 5 {
		t.Errorf("counts: suite %d/%d, suites %d/%d, want 6 tests, 5 failing", s.Tests, s.Failures, got.Tests, got.Failures)
	}
	if !strings.Contains(s.SystemErr, "permission denied") {
		t.Errorf("system-err %q does not list the inputs not read", s.SystemErr)
	}
}

func TestXMLSafe(t *testing.T) {
	// shown as escape.Text shows it: nothing XML 1.0 forbids, no second line
	if got := xmlSafe("a\x01b\tc\n\xffd\uFFFE"); got != `a\x01b\tc\n\xffd\ufffe` {
		t.Errorf("xmlSafe = %q", got)
	}
}
