package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// --version names the build: the module version (or "(devel)") and the Go
// version, from the build information.
func TestVersion(t *testing.T) {
	code, out, errs := runCLI(t, "--version")
	if code != 0 || !strings.HasPrefix(out, "bondaudit ") || !strings.Contains(out, runtime.Version()) {
		t.Errorf("--version: exit %d, %q %q", code, out, errs)
	}
}

// -o picks the report format from its extension when --format is not
// given, as diagram does; --format still wins.
func TestAuditFormatFromOutputExtension(t *testing.T) {
	dir := t.TempDir()
	for ext, check := range map[string]func(string) bool{
		".json": func(s string) bool {
			return json.Valid([]byte(s)) && strings.Contains(s, `"schema": "bondaudit.report/v1"`)
		},
		".html":  func(s string) bool { return strings.HasPrefix(strings.TrimSpace(s), "<!DOCTYPE html>") },
		".md":    func(s string) bool { return strings.HasPrefix(s, "# ") && strings.Contains(s, "|") },
		".prom":  func(s string) bool { return strings.Contains(s, "# TYPE bondaudit_") },
		".xml":   func(s string) bool { return strings.Contains(s, "<testsuites") },
		".sarif": func(s string) bool { return strings.Contains(s, `"version": "2.1.0"`) },
		".txt":   func(s string) bool { return strings.HasPrefix(s, "bondaudit: site demo") },
		".out":   func(s string) bool { return strings.HasPrefix(s, "bondaudit: site demo") },
	} {
		p := filepath.Join(dir, "report"+ext)
		if code, _, errs := runCLI(t, "demo", "-o", p); code != 0 {
			t.Fatalf("demo -o %s: exit %d\n%s", p, code, errs)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if !check(string(b)) {
			t.Errorf("demo -o report%s wrote the wrong format: %.120q", ext, b)
		}
	}
	p := filepath.Join(dir, "forced.json")
	if code, _, errs := runCLI(t, "demo", "-o", p, "--format", "text"); code != 0 {
		t.Fatalf("exit %d\n%s", code, errs)
	}
	if b, _ := os.ReadFile(p); json.Valid(b) {
		t.Error("--format text -o x.json wrote JSON: --format must win over the extension")
	}
}
