package fleet

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/bondaudit/bondaudit/collect/fleet/inventory"
	"github.com/bondaudit/bondaudit/collect/fleet/sshconfig"
	"github.com/bondaudit/bondaudit/internal/quote"
	"github.com/bondaudit/bondaudit/topology/escape"
)

// ProgressLine draws the progress line: redrawn in place on a terminal,
// a plain line every Every otherwise; a line per host that failed. Its
// Report is an Options.Progress.
type ProgressLine struct {
	W        io.Writer
	Terminal bool
	Every    time.Duration
	last     time.Time
}

// Report draws pg.
func (p *ProgressLine) Report(pg Progress) {
	r := pg.Result
	if r.Err != nil {
		if p.Terminal {
			fmt.Fprint(p.W, "\r\033[K")
		}
		fmt.Fprintf(p.W, "host %s: not collected (%s): %s\n", escape.Text(r.Target.Name), r.Class().Describe(), escape.Text(r.Err.Error()))
	}
	el := time.Since(pg.Started)
	rate := float64(pg.Done) / max(el.Seconds(), 0.001)
	eta := "?"
	if rate > 0 {
		eta = (time.Duration(float64(pg.Total-pg.Done)/rate) * time.Second).Round(time.Second).String()
	}
	line := fmt.Sprintf("collecting hosts: %d/%d done, %d failed, %d in flight, %.1f/s, ETA %s", pg.Done, pg.Total, pg.Failed, pg.InFlight, rate, eta)
	switch {
	case p.Terminal:
		fmt.Fprintf(p.W, "\r\033[K%s", line)
		if pg.Done == pg.Total {
			fmt.Fprintln(p.W)
		}
	case pg.Done < pg.Total && time.Since(p.last) >= p.Every:
		p.last = time.Now()
		fmt.Fprintln(p.W, line)
	}
}

// Summary prints what was collected into out and, per failure class, how
// many hosts failed; it returns the hosts collected and those whose
// unreachable snapshot could not be written.
func Summary(w io.Writer, results []Result, out string, took time.Duration) (ok, unsaved int) {
	byClass := map[Class]int{}
	for _, r := range results {
		switch {
		case r.Err == nil:
			ok++
		case r.SaveErr != nil || r.Class() == ClassSave:
			unsaved++
			byClass[r.Class()]++
			if r.SaveErr != nil {
				fmt.Fprintf(w, "host %s: snapshot not saved: %s\n", escape.Text(r.Target.Name), escape.Text(r.SaveErr.Error()))
			}
		default:
			byClass[r.Class()]++
		}
	}
	fmt.Fprintf(w, "collected %d of %d hosts into %s in %s\n", ok, len(results), escape.Text(out), took.Round(100*time.Millisecond))
	// What the captures lack (no bonding module, lldpd not running, a
	// tool not installed): counted, not a line per host.
	// Notes that only some hosts have name them (up to five).
	notes := map[string]int{}
	who := map[string][]string{}
	var order []string
	for _, r := range results {
		for _, n := range r.Notes {
			if notes[n] == 0 {
				order = append(order, n)
			}
			notes[n]++
			if len(who[n]) < 6 {
				who[n] = append(who[n], escape.Text(r.Target.Name))
			}
		}
	}
	slices.SortStableFunc(order, func(a, b string) int { return notes[b] - notes[a] })
	for i, n := range order {
		if i == 10 {
			fmt.Fprintf(w, "  … %d more kinds of note\n", len(order)-10)
			break
		}
		names := ""
		if notes[n] < ok {
			ws := who[n]
			if len(ws) > 5 {
				ws = append(ws[:5], "…")
			}
			names = " (" + strings.Join(ws, ", ") + ")"
		}
		fmt.Fprintf(w, "  %d of %d captures%s: %s\n", notes[n], ok, names, escape.Text(n))
	}
	if ok < len(results) {
		var parts []string
		for _, c := range Classes {
			if n := byClass[c]; n > 0 {
				parts = append(parts, fmt.Sprintf("%d %s", n, c.Describe()))
			}
		}
		fmt.Fprintf(w, "not collected: %s (each has %s/<name>.json saying why: map.host-unreachable in the audit)\n", strings.Join(parts, ", "), escape.Text(out))
	}
	return ok, unsaved
}

// LoadTargets reads the inventory at inventoryPath (Ansible INI or YAML,
// or a plain list: inventory.Load), keeps the hosts limit selects (all
// for ""; terms that match nothing are a warning, as in Ansible), and
// decides each host's connection settings in Ansible's order: the
// inventory's variables, then ssh_config (sshConfigPath, "" for
// ~/.ssh/config when it exists, "none" for no file), then d. warnings
// are for the operator (unmatched limit terms, ssh_config's), and are
// returned with err too.
func LoadTargets(inventoryPath, limit, sshConfigPath string, d inventory.Defaults) (targets []Target, warnings []string, err error) {
	inv, err := inventory.Load(inventoryPath)
	if err != nil {
		return nil, nil, err
	}
	var limits []string
	if limit != "" {
		limits = []string{limit}
	}
	hosts, err := inv.Select(limits)
	var unmatched *inventory.UnmatchedError
	switch {
	case errors.As(err, &unmatched):
		warnings = append(warnings, err.Error())
	case err != nil:
		return nil, warnings, err
	}
	cfg, err := loadSSHConfig(sshConfigPath)
	if err != nil {
		return nil, warnings, err
	}
	if cfg != nil {
		warnings = append(warnings, cfg.Warnings...)
	}
	resolved := inventory.Resolve(hosts, cfg, d)
	ts := make([]Target, 0, len(resolved))
	for i, t := range resolved {
		if err := CheckName(t.Name); err != nil {
			return nil, warnings, fmt.Errorf("%s:%d: host %s: %v", hosts[i].Source, hosts[i].Line, quote.Q(t.Name), err)
		}
		ts = append(ts, Target{Name: t.Name, Addr: t.Addr, Port: t.Port, User: t.User, Become: t.Become,
			IdentityFiles: t.IdentityFiles, ProxyJump: t.ProxyJump})
	}
	return ts, warnings, nil
}

// loadSSHConfig reads path (--ssh-config), or ~/.ssh/config when path is
// "" and it exists; nil for "none".
func loadSSHConfig(path string) (*sshconfig.Config, error) {
	switch path {
	case "none":
		return nil, nil
	case "":
		home, err := os.UserHomeDir()
		if err != nil {
			return nil, nil
		}
		path = filepath.Join(home, ".ssh", "config")
		if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
			return nil, nil
		}
	}
	cfg, err := sshconfig.Load(path, sshconfig.Options{})
	if err != nil {
		return nil, fmt.Errorf("--ssh-config %s: %w", path, err)
	}
	return cfg, nil
}
