package sitegen

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// ExpectedRules returns the rules a planted fault of the given kind
// triggers on its host (nil for an unknown kind).
func ExpectedRules(kind string) []string { return slices.Clone(faultRules[kind]) }

// Reported is one finding of an audit report, as CheckFindings needs it.
type Reported struct {
	Rule, Host, Switch string
}

// CheckFindings compares an audit's findings with the faults the
// generator planted, listed in faults (the content of a site's
// FaultsFile): every planted fault's rules are reported on its host, and
// nothing else is, so healthy hosts and switches produce no finding. The
// rules a kind triggers come from ExpectedRules, not from the file's third
// column, so that a site generated (and cached) by an older generator is
// judged by today's expectations. Each kind of mismatch is counted and
// shown for up to five hosts.
func CheckFindings(faults []byte, findings []Reported) error {
	want := map[string]string{} // host -> fault kind
	sc := bufio.NewScanner(bytes.NewReader(faults))
	for ln := 1; sc.Scan(); ln++ {
		f := strings.Split(sc.Text(), "\t")
		if ln == 1 || sc.Text() == "" {
			continue
		}
		if len(f) < 2 || faultRules[f[1]] == nil {
			return fmt.Errorf("sitegen: %s:%d: not a host and a known fault kind: %q", FaultsFile, ln, sc.Text())
		}
		want[f[0]] = f[1]
	}
	if err := sc.Err(); err != nil {
		return err
	}
	got := map[string]map[string]bool{} // host -> rules reported
	var problems []string
	var switchOnly []string
	for _, f := range findings {
		if f.Host == "" {
			switchOnly = append(switchOnly, fmt.Sprintf("%s on switch %s", f.Rule, f.Switch))
			continue
		}
		if got[f.Host] == nil {
			got[f.Host] = map[string]bool{}
		}
		got[f.Host][f.Rule] = true
	}
	type miss struct {
		what  string
		hosts []string
	}
	var misses []*miss
	note := func(what, host string) {
		for _, m := range misses {
			if m.what == what {
				m.hosts = append(m.hosts, host)
				return
			}
		}
		misses = append(misses, &miss{what, []string{host}})
	}
	hosts := make([]string, 0, len(want)+len(got))
	for h := range want {
		hosts = append(hosts, h)
	}
	for h := range got {
		if _, ok := want[h]; !ok {
			hosts = append(hosts, h)
		}
	}
	slices.Sort(hosts)
	for _, h := range hosts {
		kind, faulty := want[h]
		rules := got[h]
		if !faulty {
			for _, r := range slices.Sorted(maps.Keys(rules)) {
				note("healthy host reported "+r, h)
			}
			continue
		}
		expected := faultRules[kind]
		for _, r := range expected {
			if !rules[r] {
				note(kind+" fault: "+r+" not reported", h)
			}
		}
		for _, r := range slices.Sorted(maps.Keys(rules)) {
			if !slices.Contains(expected, r) {
				note(kind+" fault: unexpected "+r, h)
			}
		}
	}
	for _, m := range misses {
		shown := m.hosts[:min(5, len(m.hosts))]
		more := ""
		if len(m.hosts) > len(shown) {
			more = ", …"
		}
		problems = append(problems, fmt.Sprintf("%s: %d hosts (%s%s)", m.what, len(m.hosts), strings.Join(shown, ", "), more))
	}
	if len(switchOnly) > 0 {
		problems = append(problems, fmt.Sprintf("%d findings on no host (%s)", len(switchOnly), strings.Join(switchOnly[:min(5, len(switchOnly))], "; ")))
	}
	if len(problems) == 0 {
		return nil
	}
	return errors.New("sitegen: the findings do not match the planted faults:\n\t" + strings.Join(problems, "\n\t"))
}
