package report

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/bondaudit/bondaudit/rules"
)

// sarifSchema compiles testdata/sarif-schema-2.1.0.json (the OASIS schema,
// draft-04) once, registered under its own id.
var sarifSchema = sync.OnceValues(func() (*jsonschema.Schema, error) {
	f, err := os.Open(filepath.Join("testdata", "sarif-schema-2.1.0.json"))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		return nil, err
	}
	id, _ := doc.(map[string]any)["id"].(string)
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource(id, doc); err != nil {
		return nil, err
	}
	return c.Compile(id)
})

// validateSARIF checks out against the SARIF 2.1.0 schema.
func validateSARIF(t *testing.T, out []byte) {
	t.Helper()
	sch, err := sarifSchema()
	if err != nil {
		t.Fatalf("compiling the SARIF schema: %v", err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(out))
	if err != nil {
		t.Fatalf("SARIF output is not JSON: %v", err)
	}
	if err := sch.Validate(inst); err != nil {
		t.Errorf("SARIF output does not validate: %v", err)
	}
}

// TestSARIFSchemaRejects makes sure the validation can fail.
func TestSARIFSchemaRejects(t *testing.T) {
	sch, err := sarifSchema()
	if err != nil {
		t.Fatal(err)
	}
	bad := map[string]any{"version": "2.1.0", "runs": []any{map[string]any{"tool": map[string]any{}}}}
	if sch.Validate(bad) == nil {
		t.Error("the schema accepted a run whose tool has no driver")
	}
}

type parsedSARIF struct {
	Runs []struct {
		Tool struct {
			Driver struct {
				Rules []struct {
					ID string `json:"id"`
				} `json:"rules"`
			} `json:"driver"`
		} `json:"tool"`
		Results []struct {
			RuleID       string            `json:"ruleId"`
			RuleIndex    *int              `json:"ruleIndex"`
			Level        string            `json:"level"`
			Fingerprints map[string]string `json:"partialFingerprints"`
			Suppressions []struct {
				Kind          string `json:"kind"`
				Justification string `json:"justification"`
			} `json:"suppressions"`
		} `json:"results"`
	} `json:"runs"`
}

func TestSARIFRulesResultsAndSuppressions(t *testing.T) {
	out := render(t, SARIF{}, fixtureReport(t))
	validateSARIF(t, out)
	var got parsedSARIF
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatal(err)
	}
	run := got.Runs[0]
	reg := rules.Registry()
	if len(run.Tool.Driver.Rules) != len(reg) {
		t.Fatalf("driver lists %d rules, the registry has %d", len(run.Tool.Driver.Rules), len(reg))
	}
	seen := map[string]bool{}
	suppressed := 0
	for i, res := range run.Results {
		if res.RuleIndex == nil || run.Tool.Driver.Rules[*res.RuleIndex].ID != res.RuleID {
			t.Errorf("result %d (%s): ruleIndex %v does not point at its rule", i, res.RuleID, res.RuleIndex)
		}
		fp := res.Fingerprints[SARIFFingerprint]
		if fp == "" || seen[fp] {
			t.Errorf("result %d (%s): fingerprint %q missing or not unique", i, res.RuleID, fp)
		}
		seen[fp] = true
		if len(res.Suppressions) > 0 {
			suppressed++
			if s := res.Suppressions[0]; s.Kind != "external" || s.Justification == "" {
				t.Errorf("suppression %+v: want kind external with the waiver's reason", s)
			}
		}
	}
	if len(run.Results) != len(fixtureFindings()) || suppressed != 1 {
		t.Errorf("%d results, %d suppressed; want %d and 1", len(run.Results), suppressed, len(fixtureFindings()))
	}
}

func TestCamelCase(t *testing.T) {
	for in, want := range map[string]string{"bond.no-link-monitor": "BondNoLinkMonitor", "lacp.churn": "LacpChurn", "x": "X"} {
		if got := camelCase(in); got != want {
			t.Errorf("camelCase(%q) = %q, want %q", in, got, want)
		}
	}
}
