package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bondaudit/bondaudit/collect"
	"github.com/bondaudit/bondaudit/internal/memlimit"
	"github.com/bondaudit/bondaudit/internal/pipeline"
	"github.com/bondaudit/bondaudit/internal/sitegen"
	"github.com/bondaudit/bondaudit/topology"
)

// benchSite is the generated site of a size (sitegen.Cached: generated once
// into the temp dir), in the raw formats, the way a real site looks on disk.
func benchSite(b *testing.B, hosts, switches int) string {
	b.Helper()
	dir, _, err := sitegen.Cached(hosts, switches)
	if err != nil {
		b.Fatal(err)
	}
	return dir
}

// resetPeakRSS asks Linux to reset VmHWM so the figure covers only what follows.
func resetPeakRSS() { _ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) }

// peakRSSMiB reads VmHWM from /proc/self/status (0 when not on Linux).
func peakRSSMiB() float64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			f := strings.Fields(rest)
			if len(f) > 0 {
				kb, _ := strconv.ParseFloat(f[0], 64)
				return kb / 1024
			}
		}
	}
	return 0
}

func audit(b *testing.B, dir string) int {
	// As the CLI reads a site: beneath the folder, regular files, capped.
	sd, err := collect.OpenSiteDir(dir, collect.Limits{})
	if err != nil {
		b.Fatal(err)
	}
	defer sd.Close()
	r, err := pipeline.Run(sd, "bench", nil, time.Now(), pipeline.Options{})
	if err != nil {
		b.Fatal(err)
	}
	return len(r.Findings)
}

// BenchmarkAudit10k is the DESIGN.md scale target: 10,000 hosts with 2–4
// slaves each and 400 switches, read from raw files, joined and checked.
// Target: under 2 s and under 1 GiB peak RSS on 2 cores, and within 3× of
// BenchmarkReadFiles10k.
func BenchmarkAudit10k(b *testing.B) {
	if testing.Short() {
		b.Skip("-short: the 10k-host site takes a while to generate")
	}
	dir := benchSite(b, 10000, 400)
	memlimit.TuneGC("/", os.Getenv) // as main does
	resetPeakRSS()
	b.ResetTimer()
	var n int
	for b.Loop() {
		n = audit(b, dir)
	}
	b.ReportMetric(peakRSSMiB(), "peak-RSS-MiB")
	b.ReportMetric(float64(n), "findings")
}

// BenchmarkReadFiles10k is the floor: reading every input file's bytes.
func BenchmarkReadFiles10k(b *testing.B) {
	if testing.Short() {
		b.Skip("-short")
	}
	dir := benchSite(b, 10000, 400)
	b.ResetTimer()
	var total int64
	for b.Loop() {
		total = 0
		err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			data, err := os.ReadFile(p)
			total += int64(len(data))
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(total)/(1<<20), "MiB")
}

// BenchmarkWhatIf10k: on the joined 10,000-host / 400-switch model (read
// and joined once, outside the timer), the impact of one switch going down
// and of its MLAG peer. Target: under 1 s.
func BenchmarkWhatIf10k(b *testing.B) {
	if testing.Short() {
		b.Skip("generates a 10k-host site")
	}
	dir := benchSite(b, 10000, 400)
	// As the CLI reads a site: beneath the folder, regular files, capped.
	sd, err := collect.OpenSiteDir(dir, collect.Limits{})
	if err != nil {
		b.Fatal(err)
	}
	defer sd.Close()
	site, err := collect.LoadSite(sd, "bench", collect.LoadOptions{})
	if err != nil {
		b.Fatal(err)
	}
	m, err := topology.Build(site.Hosts, site.Switches, topology.BuildOptions{})
	if err != nil {
		b.Fatal(err)
	}
	// the switch with the most host links
	count := map[string]int{}
	for _, l := range m.Links {
		count[l.Switch]++
	}
	target := ""
	for _, s := range m.Switches {
		if count[s.Name] > count[target] {
			target = s.Name
		}
	}
	b.ResetTimer()
	touched := 0
	for i := 0; i < b.N; i++ {
		im, err := m.WhatIf([]topology.Down{{Switch: target}})
		if err != nil {
			b.Fatal(err)
		}
		touched = len(im.Bonds)
	}
	b.ReportMetric(float64(touched), "bonds-touched")
}
