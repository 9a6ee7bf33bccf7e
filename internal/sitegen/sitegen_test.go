package sitegen

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/bondaudit/bondaudit/topology"
)

func TestWriteSmall(t *testing.T) {
	dir := t.TempDir()
	st, err := Write(dir, Options{Hosts: 20, Switches: 4, Seed: 1, FaultRate: 0.5})
	if err != nil {
		t.Fatal(err)
	}
	if st.Hosts != 20 || st.Switches != 4 {
		t.Errorf("Stats = %+v, want 20 hosts and 4 switches", st)
	}
	// 20 hosts with 2-4 slaves each, plus two peer links of two cables.
	if st.Links < 20*2+4 || st.Links > 20*4+4 {
		t.Errorf("Stats.Links = %d, want between %d and %d", st.Links, 20*2+4, 20*4+4)
	}
	var files, total int64
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		files++
		total += info.Size()
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// Per host: hostname, ip-link.json, lldp.json, bonding/bond0; 4
	// snmprec files; the faults list.
	if want := int64(20*4 + 4 + 1); files != want {
		t.Errorf("%d files written, want %d", files, want)
	}
	if total != st.Bytes {
		t.Errorf("Stats.Bytes = %d, files hold %d", st.Bytes, total)
	}
	hosts, _ := os.ReadDir(filepath.Join(dir, "hosts"))
	if len(hosts) != 20 {
		t.Errorf("%d host folders, want 20", len(hosts))
	}
	for _, h := range hosts {
		for _, f := range []string{"hostname", "ip-link.json", "lldp.json", "bonding/bond0"} {
			if _, err := os.Stat(filepath.Join(dir, "hosts", h.Name(), f)); err != nil {
				t.Error(err)
			}
		}
	}
	sws, _ := filepath.Glob(filepath.Join(dir, "switches", "*.snmprec"))
	if len(sws) != 4 {
		t.Errorf("%d snmprec files, want 4", len(sws))
	}
	checkWellFormed(t, dir)
	if err := CheckSite(os.DirFS(dir)); err != nil {
		t.Errorf("CheckSite:\n%v", err)
	}

	faults, err := os.ReadFile(filepath.Join(dir, FaultsFile))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(faults)), "\n")
	if len(lines) < 2 || lines[0] != "host\tfault\trules" {
		t.Errorf("%s: want a header and at least one fault at FaultRate 0.5, got %q", FaultsFile, faults)
	}
}

// checkWellFormed is the format-level check: snmprec lines, JSON that parses,
// ip-link.json arrays with bonds of info_kind "bond".
func checkWellFormed(t *testing.T, dir string) {
	t.Helper()
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		switch {
		case strings.HasSuffix(p, ".snmprec"):
			sc := bufio.NewScanner(bytes.NewReader(data))
			for n := 1; sc.Scan(); n++ {
				if !SnmprecLine.Match(sc.Bytes()) {
					t.Errorf("%s:%d: %q does not match %s", p, n, sc.Text(), SnmprecLine)
				}
			}
		case strings.HasSuffix(p, ".json"):
			var v any
			if err := json.Unmarshal(data, &v); err != nil {
				t.Errorf("%s: %v", p, err)
			}
			if filepath.Base(p) == "ip-link.json" {
				arr, ok := v.([]any)
				if !ok {
					t.Errorf("%s: not a JSON array", p)
				}
				bonds := 0
				for _, e := range arr {
					m, _ := e.(map[string]any)
					li, _ := m["linkinfo"].(map[string]any)
					if m["ifname"] == "bond0" {
						bonds++
						if li["info_kind"] != "bond" {
							t.Errorf("%s: bond0 has info_kind %v", p, li["info_kind"])
						}
					}
				}
				if bonds != 1 {
					t.Errorf("%s: %d bond0 entries", p, bonds)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func siteHash(t *testing.T, dir string) [32]byte {
	t.Helper()
	var paths []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			paths = append(paths, p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(paths)
	h := sha256.New()
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(dir, p)
		h.Write([]byte(rel))
		h.Write(data)
	}
	var sum [32]byte
	copy(sum[:], h.Sum(nil))
	return sum
}

func TestWriteDeterministic(t *testing.T) {
	o := Options{Hosts: 50, Switches: 5, Seed: 42, MinSlaves: 1, MaxSlaves: 4}
	a, b, c := t.TempDir(), t.TempDir(), t.TempDir()
	for _, d := range []string{a, b} {
		if _, err := Write(d, o); err != nil {
			t.Fatal(err)
		}
	}
	if siteHash(t, a) != siteHash(t, b) {
		t.Error("two runs with the same Options wrote different sites")
	}
	o.Seed = 43
	if _, err := Write(c, o); err != nil {
		t.Fatal(err)
	}
	if siteHash(t, a) == siteHash(t, c) {
		t.Error("different seeds wrote the same site")
	}
	checkWellFormed(t, c)
	if err := CheckSite(os.DirFS(c)); err != nil {
		t.Errorf("CheckSite (odd switch count, single slaves):\n%v", err)
	}
}

func TestOptionsErrors(t *testing.T) {
	for _, o := range []Options{
		{Hosts: 0, Switches: 2},
		{Hosts: 1, Switches: 0},
		{Hosts: 1, Switches: 2, MinSlaves: 3, MaxSlaves: 2},
		{Hosts: 1, Switches: 2, MaxSlaves: 9},
		{Hosts: 1, Switches: 2, FaultRate: 2},
		{Hosts: 10000, Switches: 2, MinSlaves: 4, MaxSlaves: 4},
	} {
		if _, err := Write(t.TempDir(), o); err == nil {
			t.Errorf("Write(%+v) succeeded, want an error", o)
		}
	}
}

// TestFaultsFire checks, at the level of the files, that each planted
// fault looks the way its rules expect.
func TestFaultsFire(t *testing.T) {
	s, faults, err := Generate(Options{Hosts: 300, Switches: 6, Seed: 7, FaultRate: 1})
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]*Host{}
	for _, h := range s.Hosts {
		byName[h.Name] = h
	}
	seen := map[string]bool{}
	for _, f := range faults {
		seen[f.Kind] = true
		b := byName[f.Host].Bonds[0]
		inLAG, lacpLAG, partnered, defaulted := 0, 0, 0, 0
		aggs := map[int]bool{}
		for _, n := range b.Slaves {
			if n.Port.LAG != nil {
				inLAG++
				if n.Port.LAG.LACP {
					lacpLAG++
				}
			}
			if b.Mode == Mode8023AD {
				aggs[n.Slave.AggID] = true
				if n.Slave.Partner.System.IsZero() {
					defaulted++
				} else {
					partnered++
				}
			}
		}
		switch f.Kind {
		case FaultNoLAG:
			if inLAG != 0 || defaulted != len(b.Slaves) {
				t.Errorf("%s %s: %d slaves in a LAG, %d defaulted", f.Host, f.Kind, inLAG, defaulted)
			}
		case FaultStaticLAG:
			if inLAG != len(b.Slaves) || lacpLAG != 0 || defaulted != len(b.Slaves) {
				t.Errorf("%s %s: in LAG %d, LACP %d, defaulted %d", f.Host, f.Kind, inLAG, lacpLAG, defaulted)
			}
		case FaultABOnLACP:
			if b.Mode != ModeAB || lacpLAG != len(b.Slaves) {
				t.Errorf("%s %s: mode %s, %d slaves in LACP LAGs", f.Host, f.Kind, b.Mode, lacpLAG)
			}
		case FaultXORNoLAG:
			if b.Mode != ModeXOR || inLAG != 0 {
				t.Errorf("%s %s: mode %s, %d slaves in LAGs", f.Host, f.Kind, b.Mode, inLAG)
			}
		case FaultSplit, FaultHalfMLAG:
			if len(b.Slaves) > 1 && len(aggs) < 2 {
				t.Errorf("%s %s: %d aggregators, want a split", f.Host, f.Kind, len(aggs))
			}
		}
	}
	for _, k := range []string{FaultNoLAG, FaultStaticLAG, FaultABOnLACP, FaultXORNoLAG, FaultSplit, FaultHalfMLAG} {
		if !seen[k] {
			t.Errorf("fault %s never planted in 300 faulty hosts", k)
		}
	}
}

// TestHealthyHosts checks that hosts without a planted fault are correct
// builds: LACP bonds fully negotiated in one aggregator on an MLAG
// port-channel, active-backup bonds on plain ports, every bond on both
// switches of its pair.
func TestHealthyHosts(t *testing.T) {
	s, faults, err := Generate(Options{Hosts: 200, Switches: 4, Seed: 9})
	if err != nil {
		t.Fatal(err)
	}
	faulty := map[string]bool{}
	for _, f := range faults {
		faulty[f.Host] = true
	}
	if len(faults) == 0 || len(faults) > 50 {
		t.Errorf("%d faulty hosts of 200 at the default rate 0.1", len(faults))
	}
	for _, h := range s.Hosts {
		if faulty[h.Name] {
			continue
		}
		b := h.Bonds[0]
		switches := map[*Switch]bool{}
		for _, n := range b.Slaves {
			switches[n.Port.Switch] = true
			switch b.Mode {
			case Mode8023AD:
				st := n.Slave
				const bundled = topology.LACPActivity | topology.LACPAggregation | topology.LACPSync | topology.LACPCollecting | topology.LACPDistributing
				if st.AggID != b.ActiveAgg || st.Actor.State&bundled != bundled || st.Partner.State&bundled != bundled ||
					n.Port.LAG == nil || !n.Port.LAG.MLAG || !n.Port.LAG.LACP || n.Port.LACP.Partner.System != b.MAC {
					t.Errorf("%s %s: not a negotiated MLAG member: %+v", h.Name, n.Name, st)
				}
			case ModeAB:
				if n.Port.LAG != nil {
					t.Errorf("%s %s: active-backup slave in %s", h.Name, n.Name, n.Port.LAG.Name)
				}
			default:
				t.Errorf("%s: healthy host with mode %s", h.Name, b.Mode)
			}
		}
		if len(switches) != 2 {
			t.Errorf("%s: bond on %d switches, want both of its pair", h.Name, len(switches))
		}
	}
}

func TestNoFaults(t *testing.T) {
	_, faults, err := Generate(Options{Hosts: 100, Switches: 2, FaultRate: -1})
	if err != nil {
		t.Fatal(err)
	}
	if len(faults) != 0 {
		t.Errorf("FaultRate -1 planted %d faults", len(faults))
	}
}

func BenchmarkWrite10k(b *testing.B) {
	if testing.Short() {
		b.Skip("writes a 10,000-host site; skipped with -short")
	}
	o := Options{Hosts: 10000, Switches: 400, Seed: 1}
	var st Stats
	for b.Loop() {
		dir := b.TempDir()
		var err error
		st, err = Write(dir, o)
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(st.Bytes)/1e6, "MB/site")
	b.SetBytes(st.Bytes)
}

// TestBigPair puts more than 1000 hosts on one MLAG pair: port-channel
// numbers pass the peer link's 1000, ports pass 1000 (LACP port numbers of
// the second switch must stay apart), bridge port numbers must not collide.
func TestBigPair(t *testing.T) {
	if testing.Short() {
		t.Skip("writes a 1100-host site; skipped with -short")
	}
	dir := t.TempDir()
	if _, err := Write(dir, Options{Hosts: 1100, Switches: 2, Seed: 5, MinSlaves: 2, MaxSlaves: 2}); err != nil {
		t.Fatal(err)
	}
	if err := CheckSite(os.DirFS(dir)); err != nil {
		t.Errorf("CheckSite:\n%v", err)
	}
}
