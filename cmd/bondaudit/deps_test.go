package main

import (
	"encoding/json"
	"errors"
	"io"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// TestDependencyDirections keeps the package graph of DESIGN.md true with
// an allow-list: every package of the module is matched by one entry below
// naming what it may import besides the standard library, and a package
// no entry matches fails the test, so a new package is placed on purpose.
//
//	cmd ──► internal/runjob ──► internal/pipeline
//	cmd ──► internal/pipeline ──► collect ──► vendors ──► topology
//	 │              ├──────────► rules ──► topology
//	 │              └──────────► internal/fixreport (fix's plan, ticket, JSON)
//	 ├──► rules/report ──► rules, topology/diagram
//	 └──► topology/diagram ──► topology
//
// Test support (internal/sitegen, fixprop, snmplab, sshlab, vmlab, vendortest, fixtures,
// golden, needtool, dottest) may import anything but cmd; no product
// package links it, nor the standard library's testing package.
func TestDependencyDirections(t *testing.T) {
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go tool not on PATH: cannot list package dependencies")
	}
	const mod = "github.com/bondaudit/bondaudit"
	out, err := exec.Command(goBin, "list", "-json=ImportPath,Imports,Deps", mod+"/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	M := func(p string) string { return mod + "/" + p }
	gonum := "gonum.org/v1/gonum"
	yaml := "go.yaml.in/yaml/v3"
	// Each entry: a package (or a prefix ending in "/…") and the
	// non-standard imports it may have (an entry ending in "/…" allows the
	// package and everything below it).
	type entry struct {
		pkg   string
		allow []string
		why   string
	}
	allowList := []entry{
		{M("topology"), []string{gonum + "/…", M("topology/escape"), M("internal/atomicfile"), M("internal/jsonpos"), M("internal/quote"), M("internal/prefault")},
			"topology is the model: the standard library, gonum and small standard-library-only helpers"},
		{M("topology/escape"), nil, "escaping is the standard library only"},
		{M("topology/diagram"), []string{M("topology"), M("topology/escape"), gonum + "/…"},
			"the diagram draws the model"},
		{M("rules"), []string{M("topology"), M("topology/escape"), M("internal/quote"), M("internal/yamlfile"), M("internal/prefault"), yaml},
			"rules read only the topology Model (and the policy file)"},
		{M("rules/fix"), []string{M("rules"), M("topology")},
			"a fix plan reads the Model and the findings, and judges its plan with the rules"},
		{M("rules/fix/render"), []string{M("topology"), M("topology/escape")},
			"what to type for a planned change: topology's change vocabulary in, text out"},
		{M("rules/report"), []string{M("rules"), M("topology"), M("topology/diagram"), M("topology/escape"), M("internal/quote")},
			"reports write findings and the model"},
		{M("vendors"), []string{M("topology"), M("internal/quote"), M("internal/prefault")},
			"vendors decode plain values: no I/O, no gosnmp types"},
		{M("vendors/all"), []string{M("topology"), M("vendors/…")}, "vendors/all lists the families"},
		{M("vendors/…"), []string{M("topology"), M("vendors"), M("internal/quote")},
			"a vendor family decodes plain values on top of vendors"},
		{M("collect/…"), []string{M("collect/…"), M("topology"), M("topology/escape"), M("vendors/…"), M("vendors"),
			M("internal/quote"), M("internal/jsonpos"), M("internal/atomicfile"), M("internal/yamlfile"), M("internal/sitegen"),
			M("internal/opfile"), M("internal/prefault"), "github.com/gosnmp/gosnmp", "github.com/vishvananda/netlink", "github.com/mdlayher/…", "github.com/valyala/fastjson/fastfloat",
			"github.com/gopacket/gopacket/…", "golang.org/x/net/…", "golang.org/x/sys/…", "golang.org/x/crypto/…", yaml},
			"collect produces snapshots; it does not judge them (collect/demo/gen, a generator, uses internal/sitegen)"},
		{M("collect"), []string{M("collect/…"), M("topology"), M("vendors"), M("vendors/all"), M("internal/quote"), M("internal/jsonpos"), M("internal/yamlfile"),
			M("internal/prefault"), yaml},
			"collect reads sites into snapshots; it does not judge them"},
		{M("internal/pipeline"), []string{M("collect/…"), M("collect"), M("rules/…"), M("rules"), M("topology/…"), M("topology"),
			M("internal/fixreport"), M("internal/atomicfile"), M("internal/quote")},
			"the pipeline (and the commands' runs below their flags) sits above collect, rules and topology"},
		{M("internal/runjob"), []string{M("internal/pipeline"), M("internal/atomicfile"), M("internal/yamlfile"), M("internal/quote"),
			M("collect"), M("collect/…"), M("rules"), M("rules/…"), M("topology"), M("topology/…"), yaml, "golang.org/x/sys/…"},
			"the scheduled run sits beside the pipeline, above collect, rules and topology"},
		{M("internal/quote"), nil, "standard library only"},
		{M("internal/jsonpos"), []string{M("internal/quote")}, "standard library only"},
		{M("internal/atomicfile"), nil, "the output writer topology uses: standard library only"},
		{M("internal/memlimit"), nil, "standard library only"},
		{M("internal/prefault"), nil, "the page touching of Build, the rules and the read's decoders: standard library only"},
		{M("internal/clidocs"), []string{"github.com/spf13/cobra", "github.com/spf13/cobra/…", M("internal/atomicfile")},
			"the release's man pages and completions from the command tree (only the -tags gendocs build imports it)"},
		{M("internal/fixreport"), []string{M("collect"), M("rules"), M("rules/…"), M("topology"), M("topology/…")},
			"bondaudit fix's plan, ticket and JSON: the plan writer of collect, the fix and its rendering"},
		{M("internal/opfile"), nil, "an operator's file read within a cap: standard library only"},
		{M("internal/version"), nil, "standard library only"},
		{M("internal/yamlfile"), []string{yaml}, "typed YAML decoding with file:line errors: yaml.v3 only"},
		{M("cmd/…"), []string{"…"}, "cmd wires everything"},
		{M("packaging"), nil, "the release's tests (units, .deb, release.sh): test files only, no code"},
		{M("internal/snmporacle"), nil, "the tests' independent decoder of the recordings: standard library only, none of the product's decoding"},
		{M("internal/udpdelay"), nil, "the SNMP benchmarks' UDP delay forwarder (tc netem's stand-in): standard library only"},
	}
	testSupport := []string{"internal/sitegen", "internal/snmplab", "internal/vmlab", "internal/vendortest",
		"internal/fixtures", "internal/golden", "internal/needtool", "internal/dottest", "internal/sshlab", "internal/fixprop", "internal/netnstest"}
	for _, p := range testSupport {
		allowList = append(allowList, entry{M(p), []string{"…"}, "test support"})
	}
	matches := func(pattern, path string) bool {
		if pattern == "…" {
			return true
		}
		if base, ok := strings.CutSuffix(pattern, "/…"); ok {
			return path == base || strings.HasPrefix(path, base+"/")
		}
		return path == pattern
	}
	// The most specific entry wins: the package itself, else the longest
	// prefix entry that holds it.
	find := func(path string) *entry {
		var best *entry
		for i := range allowList {
			e := &allowList[i]
			switch {
			case e.pkg == path:
				return e
			case matches(e.pkg, path) && (best == nil || len(e.pkg) > len(best.pkg)):
				best = e
			}
		}
		return best
	}
	isStd := func(p string) bool { return !strings.Contains(strings.SplitN(p, "/", 2)[0], ".") }
	isTestSupport := func(p string) bool {
		return slices.ContainsFunc(testSupport, func(s string) bool { return p == M(s) })
	}

	type pkg struct {
		ImportPath    string
		Imports, Deps []string
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
		e := find(p.ImportPath)
		if e == nil {
			t.Errorf("%s is in no entry of the allow-list: place it in DESIGN's package graph on purpose", p.ImportPath)
			continue
		}
		for _, imp := range p.Imports {
			if isStd(imp) && imp != "testing" {
				continue
			}
			if !slices.ContainsFunc(e.allow, func(a string) bool { return matches(a, imp) }) {
				t.Errorf("%s imports %s: %s", p.ImportPath, imp, e.why)
			}
		}
		product := !strings.HasPrefix(p.ImportPath, M("cmd")) && !isTestSupport(p.ImportPath) && p.ImportPath != M("collect/demo/gen")
		for _, d := range p.Deps {
			switch {
			case strings.HasPrefix(d, M("cmd")) && !strings.HasPrefix(p.ImportPath, M("cmd")):
				t.Errorf("%s depends on %s: nothing imports cmd", p.ImportPath, d)
			case product && (isTestSupport(d) || d == "testing"):
				t.Errorf("%s depends on %s: test support is never product code", p.ImportPath, d)
			case d == M("internal/pipeline") && !strings.HasPrefix(p.ImportPath, M("cmd")) && p.ImportPath != M("internal/runjob"):
				t.Errorf("%s depends on %s: only cmd (and the scheduled run) calls the pipeline", p.ImportPath, d)
			case d == M("internal/runjob") && !strings.HasPrefix(p.ImportPath, M("cmd")):
				t.Errorf("%s depends on %s: only cmd runs the scheduled job", p.ImportPath, d)
			case strings.HasPrefix(d, "github.com/goccy/go-graphviz") || strings.HasPrefix(d, "github.com/tetratelabs/wazero"):
				t.Errorf("%s depends on %s: SVG runs the system's Graphviz dot when drawn; nothing compiles or caches code at start-up", p.ImportPath, d)
			}
		}
	}
	if seen < 4 {
		t.Fatalf("go list returned %d packages; expected the whole module", seen)
	}
}
