package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/bondaudit/bondaudit/internal/golden"
	"github.com/bondaudit/bondaudit/rules"
)

// TestRulesReferencePage: "rules --format markdown" holds every rule with
// its sections, and docs/rules.md is that output (regenerate with -update).
func TestRulesReferencePage(t *testing.T) {
	code, out, errs := runCLI(t, "rules", "--format", "markdown")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, r := range rules.Registry() {
		i := strings.Index(out, "\n### "+r.ID+"\n")
		if i < 0 {
			t.Errorf("%s has no section", r.ID)
			continue
		}
		sec := out[i+1:]
		if j := strings.Index(sec[4:], "\n### "); j >= 0 {
			sec = sec[:j+4]
		}
		for _, want := range []string{"default severity **" + r.Severity.String() + "**", "**What it checks.**", "**Why it matters.**",
			"**Fix on the host.**", "**Fix on the switch.**", "**Evidence it reads.**"} {
			if !strings.Contains(sec, want) {
				t.Errorf("%s section lacks %q", r.ID, want)
			}
		}
	}
	golden.Check(t, filepath.Join("..", "..", "docs", "rules.md"), []byte(out)) // docs/rules.md: go test ./cmd/bondaudit -run TestRulesReferencePage -update
}

func TestRulesTableAndExplain(t *testing.T) {
	code, out, _ := runCLI(t, "rules")
	if code != 0 {
		t.Fatalf("rules: exit %d", code)
	}
	for _, r := range rules.Registry() {
		if !strings.Contains(out, r.ID) {
			t.Errorf("rules table lacks %s", r.ID)
		}
		code, ex, errs := runCLI(t, "explain", r.ID)
		if code != 0 {
			t.Errorf("explain %s: exit %d %s", r.ID, code, errs)
			continue
		}
		for _, want := range []string{r.ID + "  (" + r.Severity.String() + ")", "What it checks", "Why it matters", "Fix on the host", "Fix on the switch", "Evidence it reads"} {
			if !strings.Contains(ex, want) {
				t.Errorf("explain %s lacks %q", r.ID, want)
			}
		}
	}
	if code, _, errs := runCLI(t, "rules", "--format", "pdf"); code != 2 || !strings.Contains(errs, "markdown") {
		t.Errorf("rules --format pdf: exit %d, %q", code, errs)
	}
}
