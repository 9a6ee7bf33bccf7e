package main

import (
	"encoding/json"
	"errors"
	"io"
	"os/exec"
	"strings"
	"testing"
)

// TestDependencyDirections keeps the package graph of DESIGN.md true:
//
//	cmd ──► internal/pipeline ──► collect ──► vendors ──► topology
//	 │              └──────────► rules ──► topology
//	 ├──► rules/report ──► rules, topology/diagram
//	 └──► topology/diagram ──► topology
//
// internal/pipeline (load → build → rules → policy) is imported by cmd
// only; internal/golden is test support that no product package links;
// rules never sees collect or vendors; topology imports only the standard
// library, gonum and internal/atomicfile (itself only the standard
// library); vendors has no gosnmp types; nothing imports cmd; no package
// links go-graphviz or wazero.
func TestDependencyDirections(t *testing.T) {
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go tool not on PATH: cannot list package dependencies")
	}
	const mod = "github.com/bondaudit/bondaudit"
	out, err := exec.Command(goBin, "list", "-json=ImportPath,Deps", mod+"/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	type pkg struct {
		ImportPath string
		Deps       []string
	}
	forbidden := []struct {
		pkgPrefix string
		deny      []string
		why       string
	}{
		{mod + "/topology", []string{mod + "/collect", mod + "/vendors", mod + "/rules", mod + "/cmd", "github.com/gosnmp", "github.com/vishvananda", "github.com/gopacket", "github.com/mdlayher"},
			"topology imports only the standard library and gonum"},
		{mod + "/rules", []string{mod + "/collect", mod + "/vendors", mod + "/cmd", "github.com/gosnmp", "github.com/vishvananda", "github.com/gopacket", "github.com/mdlayher"},
			"rules reads only the topology Model"},
		{mod + "/vendors", []string{mod + "/collect", mod + "/rules", mod + "/cmd", "github.com/gosnmp"},
			"vendors decodes plain values: no I/O, no gosnmp types"},
		{mod + "/collect", []string{mod + "/rules", mod + "/cmd"},
			"collect produces snapshots; it does not judge them"},
		{mod, []string{"github.com/goccy/go-graphviz", "github.com/tetratelabs/wazero"},
			"SVG runs the system's Graphviz dot when drawn; nothing compiles or caches code at start-up (issue 12)"},
		{mod + "/internal/atomicfile", []string{"github.com", "golang.org", "gonum.org"},
			"atomicfile, the output writer topology uses, imports only the standard library"},
	}
	dec := json.NewDecoder(strings.NewReader(string(out)))
	seen := 0
	for {
		var p pkg
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		seen++
		for _, f := range forbidden {
			if p.ImportPath != f.pkgPrefix && !strings.HasPrefix(p.ImportPath, f.pkgPrefix+"/") {
				continue
			}
			for _, d := range p.Deps {
				for _, deny := range f.deny {
					if d == deny || strings.HasPrefix(d, deny+"/") {
						t.Errorf("%s depends on %s: %s", p.ImportPath, d, f.why)
					}
				}
			}
		}
		if !strings.HasPrefix(p.ImportPath, mod+"/cmd") {
			for _, d := range p.Deps {
				switch {
				case strings.HasPrefix(d, mod+"/cmd"):
					t.Errorf("%s depends on %s: nothing imports cmd", p.ImportPath, d)
				case d == mod+"/internal/pipeline":
					t.Errorf("%s depends on %s: the pipeline sits above collect, rules and topology; only cmd calls it", p.ImportPath, d)
				}
			}
		}
		for _, d := range p.Deps {
			if d == mod+"/internal/golden" {
				t.Errorf("%s depends on %s: golden files are test support, never product code", p.ImportPath, d)
			}
		}
	}
	if seen < 4 {
		t.Fatalf("go list returned %d packages; expected the whole module", seen)
	}
}
