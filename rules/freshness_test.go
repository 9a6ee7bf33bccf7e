package rules

import (
	"strings"
	"testing"
	"time"

	"github.com/bondaudit/bondaudit/topology"
)

// The stale-capture message reads as an operator would say it, and its
// evidence names the input, the capture time, the age and the threshold.
func TestStaleCaptureWords(t *testing.T) {
	s := newSite()
	onTwoSwitches(s, "active-backup")
	s.hostNamed("web01").Collected = "2026-11-28T10:00:00Z"
	fs := s.run(t, "map.stale-capture", Params{Now: time.Date(2026, 12, 1, 14, 0, 0, 0, time.UTC)}, "")
	if len(fs) != 1 {
		t.Fatalf("%d findings, want 1: %+v", len(fs), fs)
	}
	f := fs[0]
	if want := "host web01's capture is 3d4h old (captured 2026-11-28 10:00 UTC); findings about it describe the network as it was then"; f.Message != want {
		t.Errorf("message %q\nwant    %q", f.Message, want)
	}
	if want := "host web01: hosts/web01: captured 2026-11-28T10:00:00Z, 3d4h before the audit (2026-12-01T14:00:00Z); max_capture_age 24h"; f.Evidence[0] != want {
		t.Errorf("evidence %q\nwant     %q", f.Evidence[0], want)
	}
	if f.Host != "web01" || f.Severity != Warning {
		t.Errorf("subject %q severity %s", f.Host, f.Severity)
	}
}

func TestMissingEvidence(t *testing.T) {
	s := newSite()
	onTwoSwitches(s, "active-backup")
	s.prev = &topology.Inventory{Hosts: []string{"db01", "web01"}, Switches: []string{"leaf1", "leaf2", "spine1"},
		Source: "history/run-1/report.json", Generated: time.Date(2026, 11, 30, 6, 0, 0, 0, time.UTC)}
	hosts := s.run(t, "map.host-missing", Params{}, "")
	sws := s.run(t, "map.switch-missing", Params{}, "")
	if len(hosts) != 1 || hosts[0].Host != "db01" || len(sws) != 1 || sws[0].Switch != "spine1" {
		t.Fatalf("host-missing %+v\nswitch-missing %+v", hosts, sws)
	}
	want := "present in the previous run (history/run-1/report.json, 2026-11-30T06:00:00Z)"
	for _, f := range []Finding{hosts[0], sws[0]} {
		if f.Evidence[0] != want || !strings.Contains(f.Message, "missing now") {
			t.Errorf("%s: message %q evidence %q", f.Rule, f.Message, f.Evidence)
		}
	}
}

func TestFormatAge(t *testing.T) {
	for d, want := range map[time.Duration]string{
		76 * time.Hour:                  "3d4h",
		48 * time.Hour:                  "2d",
		24 * time.Hour:                  "1d",
		5*time.Hour + 20*time.Minute:    "5h20m",
		2 * time.Hour:                   "2h",
		45*time.Minute + 20*time.Second: "45m",
	} {
		if got := formatAge(d); got != want {
			t.Errorf("formatAge(%v) = %q, want %q", d, got, want)
		}
	}
	for d, want := range map[time.Duration]string{24 * time.Hour: "24h", 36 * time.Hour: "36h", 90 * time.Minute: "1h30m", 30 * time.Minute: "30m", 96 * time.Hour: "4d"} {
		if got := formatLimit(d); got != want {
			t.Errorf("formatLimit(%v) = %q, want %q", d, got, want)
		}
	}
}
