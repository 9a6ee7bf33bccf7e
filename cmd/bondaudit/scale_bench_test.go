package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"text/tabwriter"
	"time"

	"github.com/bondaudit/bondaudit/internal/sitegen"
)

// The scale benchmark (issue 18): one command measures the audit and the
// secondary commands at 10,000 and 100,000 hosts, the read floor of each
// site in the same run, and prints them side by side:
//
//	go test -run='^$' -bench=Scale -benchtime=3x -timeout=60m ./cmd/bondaudit/
//
// (-bench=Scale/10k for the small site only). Every command runs as a
// child process of the built binary, so each peak RSS is that run's own
// (the child's rusage), not the benchmark's heap or another size's. The
// sites are generated once into the temp dir (the 100k one is about 2 GB of
// files, 3.5 GB on disk) and reused. The audit's JSON report is checked
// against the faults the generator planted (sitegen.CheckFindings): a
// missed or unexpected finding fails the benchmark.

// scaleSize is one generated site.
type scaleSize struct {
	name            string
	hosts, switches int
}

var scaleSizes = []scaleSize{{"10k", 10000, 400}, {"100k", 100000, 4000}}

// scaleSite is the site of a size (sitegen.Cached, benchSite's), saying
// when it had to be generated.
func scaleSite(b *testing.B, sz scaleSize) string {
	b.Helper()
	start := time.Now()
	dir, st, err := sitegen.Cached(sz.hosts, sz.switches)
	if err != nil {
		b.Fatal(err)
	}
	if st.Hosts > 0 {
		scaleSay("generated the %s site in %s: %d hosts, %d switches, %d links, %.0f MB in %s",
			sz.name, time.Since(start).Round(time.Second), st.Hosts, st.Switches, st.Links, float64(st.Bytes)/1e6, dir)
	}
	return dir
}

// readSite reads every file's bytes once (the floor), returning the bytes
// read.
func readSite(dir string) (int64, error) {
	var total int64
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		total += int64(len(data))
		return err
	})
	return total, err
}

// childRun is one run of the bondaudit binary: its wall time, CPU time and
// peak RSS from its own rusage.
type childRun struct {
	wall, cpu time.Duration
	maxRSS    int64 // bytes
	code      int
}

func runChild(b *testing.B, bin string, okCodes []int, args ...string) childRun {
	b.Helper()
	cmd := exec.Command(bin, args...)
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = io.Discard, &stderr
	start := time.Now()
	err := cmd.Run()
	r := childRun{wall: time.Since(start)}
	if cmd.ProcessState == nil {
		b.Fatalf("bondaudit %s: %v", strings.Join(args, " "), err)
	}
	r.code = cmd.ProcessState.ExitCode()
	if !slices.Contains(okCodes, r.code) {
		b.Fatalf("bondaudit %s: exit %d, want one of %v: %v\n%s", strings.Join(args, " "), r.code, okCodes, err, stderr.Bytes())
	}
	r.cpu = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		r.maxRSS = ru.Maxrss << 10 // Linux: KiB
	}
	return r
}

// scaleResult is one measured command at one size: the best of its runs'
// wall time (the least disturbed by the other work on the machine) and the
// largest peak RSS.
type scaleResult struct {
	wall, cpu time.Duration
	maxRSS    int64
}

type scaleTable struct {
	mu    sync.Mutex
	cmds  []string // in the order measured
	sizes []string
	res   map[[2]string]scaleResult // (size, command)
}

func (t *scaleTable) put(size, cmd string, r scaleResult) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if !slices.Contains(t.cmds, cmd) {
		t.cmds = append(t.cmds, cmd)
	}
	if !slices.Contains(t.sizes, size) {
		t.sizes = append(t.sizes, size)
	}
	t.res[[2]string{size, cmd}] = r
}

// measure runs one command b.N times as a child process and reports its
// time, CPU and peak RSS.
func measure(b *testing.B, tab *scaleTable, size, name, bin string, okCodes []int, args ...string) scaleResult {
	best, _ := measurePaired(b, tab, size, name, bin, okCodes, nil, args...)
	return best
}

// measurePaired is measure with, when floor is set, the site's floor read
// again just before each run: ratios are each run's wall time over the
// floor read just before it. A ratio of two best times (the table's) can
// pair a floor read while the machine was quiet with runs while it was
// busy; a run and the read just before it share the machine's state.
func measurePaired(b *testing.B, tab *scaleTable, size, name, bin string, okCodes []int, floor func(b *testing.B) time.Duration, args ...string) (scaleResult, []float64) {
	var best scaleResult
	var ratios []float64
	ran := false
	b.Run(name, func(b *testing.B) {
		best, ratios, ran = scaleResult{}, nil, true
		for i := 0; i < b.N; i++ {
			var f time.Duration
			if floor != nil {
				b.StopTimer()
				f = floor(b)
				b.StartTimer()
			}
			r := runChild(b, bin, okCodes, args...)
			if f > 0 {
				ratios = append(ratios, r.wall.Seconds()/f.Seconds())
			}
			if best.wall == 0 || r.wall < best.wall {
				best.wall, best.cpu = r.wall, r.cpu
			}
			best.maxRSS = max(best.maxRSS, r.maxRSS)
		}
		b.ReportMetric(float64(best.maxRSS)/(1<<20), "peak-RSS-MiB")
		b.ReportMetric(best.cpu.Seconds(), "cpu-s")
	})
	if ran { // not left out by -bench
		tab.put(size, name, best)
	}
	return best, ratios
}

// ratioSummary is "median M× over N runs (lo–hi×)" of paired ratios.
func ratioSummary(ratios []float64) string {
	s := slices.Clone(ratios)
	slices.Sort(s)
	n := len(s)
	med := s[n/2]
	if n%2 == 0 {
		med = (s[n/2-1] + s[n/2]) / 2
	}
	return fmt.Sprintf("median %.2f× over %d runs (%.2f–%.2f×)", med, n, s[0], s[n-1])
}

// scaleSay prints a line of the benchmark's output: a benchmark with
// sub-benchmarks has no result line of its own, and its log is not shown.
func scaleSay(format string, a ...any) {
	fmt.Printf(format+"\n", a...)
}

// plantedReported reads the findings of the JSON audit report of the
// generated site in dir and checks them against the faults the generator
// planted (sitegen.CheckFindings): an error when a planted fault's rules
// are missing, something else is reported, or a file cannot be read.
func plantedReported(dir, report string) ([]sitegen.Reported, error) {
	faults, err := os.ReadFile(filepath.Join(dir, sitegen.FaultsFile))
	if err != nil {
		return nil, err
	}
	found, err := reportFindings(report)
	if err != nil {
		return nil, err
	}
	return found, sitegen.CheckFindings(faults, found)
}

// reportFindings reads the findings of a JSON audit report.
func reportFindings(path string) ([]sitegen.Reported, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var r struct {
		Findings []struct {
			Rule, Host, Switch string
		}
	}
	if err := json.NewDecoder(f).Decode(&r); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	out := make([]sitegen.Reported, len(r.Findings))
	for i, f := range r.Findings {
		out[i] = sitegen.Reported{Rule: f.Rule, Host: f.Host, Switch: f.Switch}
	}
	return out, nil
}

func BenchmarkScale(b *testing.B) {
	if testing.Short() {
		b.Skip("-short: generates and audits sites of 10,000 and 100,000 hosts")
	}
	bin := sharedBinary(b)
	tab := &scaleTable{res: map[[2]string]scaleResult{}}
	for _, sz := range scaleSizes {
		b.Run(sz.name, func(b *testing.B) {
			dir := scaleSite(b, sz)
			out := b.TempDir()
			if note := pageCacheNote(dir); note != "" {
				scaleSay("%s: WARNING: %s", sz.name, note)
			}
			// Warm the page cache once, so that every measurement after
			// reads from memory as the floor does.
			if _, err := readSite(dir); err != nil {
				b.Fatal(err)
			}

			var floor time.Duration // 0: left out by -bench
			b.Run("read-floor", func(b *testing.B) {
				floor = 0
				var n int64
				// Twice per b.N: the floor is the least disturbed read.
				for i := 0; i < 2*b.N; i++ {
					start := time.Now()
					var err error
					if n, err = readSite(dir); err != nil {
						b.Fatal(err)
					}
					if d := time.Since(start); floor == 0 || d < floor {
						floor = d
					}
				}
				b.ReportMetric(float64(n)/(1<<20), "MiB")
			})
			if floor > 0 {
				tab.put(sz.name, "read-floor", scaleResult{wall: floor})
			}

			report := filepath.Join(out, "report.json")
			findingsOK := []int{exitOK, exitFindings}
			floorRead := func(b *testing.B) time.Duration {
				start := time.Now()
				if _, err := readSite(dir); err != nil {
					b.Fatal(err)
				}
				return time.Since(start)
			}
			audit, paired := measurePaired(b, tab, sz.name, "audit", bin, findingsOK, floorRead, "audit", dir, "--format", "json", "-o", report)
			if audit.wall > 0 { // not left out by -bench
				if floor > 0 {
					scaleSay("%s: audit %.2f s, read floor %.2f s: %.2f× the floor, peak RSS %.0f MiB",
						sz.name, audit.wall.Seconds(), floor.Seconds(), audit.wall.Seconds()/floor.Seconds(), float64(audit.maxRSS)/(1<<20))
				}
				scaleSay("%s: audit ÷ the floor read just before it: %s", sz.name, ratioSummary(paired))
				// The planted faults, and only they, are reported.
				found, err := plantedReported(dir, report)
				if err != nil {
					b.Fatalf("%s: %v", sz.name, err)
				}
				scaleSay("%s: %d findings, every planted fault's rules and nothing else", sz.name, len(found))
			}

			measure(b, tab, sz.name, "audit-html", bin, findingsOK, "audit", dir, "--format", "html", "-o", filepath.Join(out, "report.html"))
			measure(b, tab, sz.name, "topology", bin, []int{exitOK}, "topology", dir, "-o", filepath.Join(out, "topology.txt"))
			measure(b, tab, sz.name, "diagram-dot-focus", bin, []int{exitOK},
				"diagram", dir, "--format", "dot", "--focus", "leaf001a", "-o", filepath.Join(out, "focus.dot"))
			measure(b, tab, sz.name, "whatif-down", bin, findingsOK,
				"whatif", dir, "--down", "leaf001a", "--format", "json", "-o", filepath.Join(out, "whatif.json"))
			plan := filepath.Join(out, "plan.yaml")
			if err := os.WriteFile(plan, []byte("changes:\n  - bond_mode: {host: srv00001, bond: bond0, mode: active-backup}\n"), 0o644); err != nil {
				b.Fatal(err)
			}
			measure(b, tab, sz.name, "whatif-plan", bin, findingsOK,
				"whatif", dir, "--plan", plan, "--down", "leaf001a", "--format", "json", "-o", filepath.Join(out, "plan.json"))
			measure(b, tab, sz.name, "diff", bin, findingsOK,
				"diff", dir, dir, "--format", "json", "-o", filepath.Join(out, "diff.json"))

			// Were the figures taken from memory? (pageCacheNote)
			if res, total, err := residentPages(dir, 100); err != nil {
				b.Fatal(err)
			} else {
				scaleSay("%s: page cache after the runs: %d of %d sampled pages resident (%.0f%%)",
					sz.name, res, total, 100*float64(res)/float64(max(total, 1)))
			}
		})
	}
	tab.print(b)
}

// print logs the side-by-side table: each command's time and peak RSS at
// each size, the time as a multiple of that size's read floor, and from the
// smallest to the largest size the growth of time and memory (linear: at
// most 10.5× the time for 10× the hosts).
//
// On a machine shared with other work, wall time grows with the load; CPU
// time (user and system, from the child's rusage) much less so.
func (t *scaleTable) print(b *testing.B) {
	if len(t.sizes) == 0 {
		return
	}
	var buf bytes.Buffer
	w := tabwriter.NewWriter(&buf, 0, 0, 2, ' ', tabwriter.AlignRight)
	head := "command\t"
	for _, s := range t.sizes {
		head += s + " s\t" + s + " CPU s\t" + s + " ÷ floor\t" + s + " peak RSS\t"
	}
	if len(t.sizes) > 1 {
		head += "time growth\tCPU growth\tRSS growth\t\t"
	}
	fmt.Fprintln(w, head)
	for _, c := range t.cmds {
		line := c + "\t"
		for _, s := range t.sizes {
			r, ok := t.res[[2]string{s, c}]
			floor := t.res[[2]string{s, "read-floor"}].wall
			if !ok {
				line += "-\t-\t-\t-\t"
				continue
			}
			line += fmt.Sprintf("%.2f\t", r.wall.Seconds())
			if r.cpu > 0 {
				line += fmt.Sprintf("%.2f\t", r.cpu.Seconds())
			} else {
				line += "\t"
			}
			if c == "read-floor" || floor == 0 {
				line += "\t"
			} else {
				line += fmt.Sprintf("%.1f×\t", r.wall.Seconds()/floor.Seconds())
			}
			if r.maxRSS > 0 {
				line += fmt.Sprintf("%.0f MiB\t", float64(r.maxRSS)/(1<<20))
			} else {
				line += "\t"
			}
		}
		if len(t.sizes) > 1 {
			lo, okLo := t.res[[2]string{t.sizes[0], c}]
			hi, okHi := t.res[[2]string{t.sizes[len(t.sizes)-1], c}]
			if okLo && okHi && lo.wall > 0 {
				g := hi.wall.Seconds() / lo.wall.Seconds()
				verdict := "linear"
				if g > 10.5 {
					verdict = "SUPER-LINEAR"
				}
				line += fmt.Sprintf("%.1f×\t", g)
				if lo.cpu > 0 {
					line += fmt.Sprintf("%.1f×\t", hi.cpu.Seconds()/lo.cpu.Seconds())
				} else {
					line += "\t"
				}
				if lo.maxRSS > 0 {
					line += fmt.Sprintf("%.1f×\t", float64(hi.maxRSS)/float64(lo.maxRSS))
				} else {
					line += "\t"
				}
				line += verdict + "\t"
			}
		}
		fmt.Fprintln(w, line)
	}
	w.Flush()
	scaleSay("side by side (best wall time of -benchtime runs, each command a child process; peak RSS from its rusage):\n%s", buf.String())
}

// TestGeneratedSiteFindings is the benchmark's findings check on a small
// generated site, so that an ordinary test run notices a rule change that
// the planted faults' expectations (sitegen.ExpectedRules) do not follow.
func TestGeneratedSiteFindings(t *testing.T) {
	dir := t.TempDir()
	if _, err := sitegen.Write(dir, sitegen.Options{Hosts: 400, Switches: 12, Seed: 3, MinSlaves: 2, MaxSlaves: 4, FaultRate: 0.5}); err != nil {
		t.Fatal(err)
	}
	report := filepath.Join(t.TempDir(), "report.json")
	if code, _, stderr := runCLI(t, "audit", dir, "--format", "json", "-o", report); code != exitFindings {
		t.Fatalf("audit: exit %d, want %d (findings)\n%s", code, exitFindings, stderr)
	}
	found, err := plantedReported(dir, report)
	if err != nil {
		t.Error(err)
	}
	if len(found) == 0 {
		t.Error("no findings at all at a fault rate of 0.5")
	}
}
