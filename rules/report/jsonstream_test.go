package report

import (
	"bytes"
	"fmt"
	"os"
	"runtime"
	"testing"
	"time"

	"github.com/bondaudit/bondaudit/collect"
	"github.com/bondaudit/bondaudit/internal/sitegen"
	"github.com/bondaudit/bondaudit/rules"
	"github.com/bondaudit/bondaudit/topology"
	"github.com/bondaudit/bondaudit/topology/escape"
)

// wholeJSON is the JSON writer before it streamed: the whole jsonReport
// built, then encoded at once. It is the oracle the streamed output must
// match byte for byte.
func wholeJSON(r *Report) []byte {
	out := jsonReport{
		Schema:    JSONSchema,
		Site:      r.Site,
		Generated: r.Generated.UTC().Format(time.RFC3339),
		Summary:   Summarize(r),
		Findings:  []FindingJSON{},
		Links:     []jsonLink{},
		Problems:  sortedProblems(r.Problems),
	}
	fs, ps := grouped(r.Findings)
	for _, f := range fs {
		out.Findings = append(out.Findings, NewFindingJSON(f))
	}
	out.ProblemGroups = []ProblemJSON{}
	for _, p := range ps {
		out.ProblemGroups = append(out.ProblemGroups, NewProblemJSON(p))
	}
	if r.Model != nil {
		for _, l := range r.Model.Links {
			out.Links = append(out.Links, jsonLink{Host: l.Host, NIC: l.NIC, Switch: l.Switch, Port: l.Port, Evidence: topology.EvidenceStrings(l.Evidence)})
		}
		inv := r.Model.Inventory()
		out.Inventory = &jsonInventory{Hosts: inv.Hosts, Switches: inv.Switches}
	}
	var b bytes.Buffer
	if err := escape.JSON(&b).Encode(out); err != nil {
		panic(err)
	}
	return b.Bytes()
}

func checkStreamed(t *testing.T, name string, r *Report) {
	t.Helper()
	var got bytes.Buffer
	if err := (JSON{}).Write(&got, r); err != nil {
		t.Fatal(err)
	}
	want := wholeJSON(r)
	if !bytes.Equal(got.Bytes(), want) {
		i := 0
		for i < len(want) && i < got.Len() && want[i] == got.Bytes()[i] {
			i++
		}
		lo := max(0, i-80)
		t.Errorf("%s: streamed JSON differs from the whole document at byte %d:\n got …%q\nwant …%q", name, i,
			got.Bytes()[lo:min(got.Len(), i+80)], want[lo:min(len(want), i+80)])
	}
}

// TestJSONStreamedMatchesWhole: on a generated site with faults (every
// list long), on a report with nothing in it, and on names that need
// every kind of escaping (HTML characters, invisible and control
// characters, non-ASCII that stays), the streamed report is the document
// the whole-report encoder writes.
func TestJSONStreamedMatchesWhole(t *testing.T) {
	gen := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	dir := t.TempDir()
	if _, err := sitegen.Write(dir, sitegen.Options{Hosts: 120, Switches: 6, Seed: 5, MinSlaves: 2, MaxSlaves: 4, FaultRate: 0.5}); err != nil {
		t.Fatal(err)
	}
	site, err := collect.LoadSite(os.DirFS(dir), "gen", collect.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	m, err := topology.Build(site.Hosts, site.Switches, topology.BuildOptions{})
	if err != nil {
		t.Fatal(err)
	}
	fs := rules.Run(m, rules.Params{}, nil)
	if len(fs) < 20 || len(m.Links) < 200 {
		t.Fatalf("%d findings, %d links: the site is not what the test needs", len(fs), len(m.Links))
	}
	// long lists are encoded in chunks side by side (appendChunks): tiny
	// chunks on four goroutines run that path on this site's lists
	defer func(c, p int) { listChunk = c; runtime.GOMAXPROCS(p) }(listChunk, runtime.GOMAXPROCS(4))
	for _, chunk := range []int{listChunk, 1, 3, 64} {
		listChunk = chunk
		checkStreamed(t, fmt.Sprintf("generated, chunks of %d", chunk), &Report{Site: "gen", Generated: gen, Model: m, Findings: fs,
			Problems: append(topology.ProblemTexts(site.Problems), "b <problem> & \"quoted\"", "a problem")})
	}

	checkStreamed(t, "empty", &Report{Site: "empty", Generated: gen})
	checkStreamed(t, "empty model", &Report{Site: "empty", Generated: gen, Model: &topology.Model{}})

	odd := "web<1>&\u200b\u202e\x01é→"
	h := fixtureHost(odd, []topology.Bond{{Name: "bond0", Mode: topology.Mode8023AD, Slaves: slaves("eth0", "eth1")}},
		map[string][2]string{"eth0": {leaf1Chassis, "Ethernet1"}, "eth1": {leaf1Chassis, "Ethernet2"}})
	om, err := topology.Build([]*topology.Host{h}, []*topology.Switch{fixtureSwitch("leaf\u00a0<1>", leaf1Chassis, 4)}, topology.BuildOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ofs := rules.Run(om, rules.Params{}, nil)
	ofs = append(ofs, rules.Finding{Rule: "bond.x", Host: odd, Message: "m\u2028\ufeff", Status: rules.StatusSuppressed,
		Reason: "r & <s>", Expires: "2026-04-01", Evidence: []string{"\x7f", "ok"}})
	checkStreamed(t, "escaping", &Report{Site: odd, Generated: gen, Model: om, Findings: ofs, Problems: []string{odd}})
}
