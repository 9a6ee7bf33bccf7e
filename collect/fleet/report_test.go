package fleet

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestHostProgressLines(t *testing.T) {
	started := time.Now().Add(-2 * time.Second)
	fail := &Result{Target: Target{Name: "db\x1b01"}, Err: &Error{Class: ClassAuth, Err: fmt.Errorf("root@db01:22: authentication failed")}}
	okr := &Result{Target: Target{Name: "web01"}}
	var term, plain strings.Builder
	pt := &ProgressLine{W: &term, Terminal: true}
	pp := &ProgressLine{W: &plain, Every: 0}
	for _, p := range []*ProgressLine{pt, pp} {
		p.Report(Progress{Total: 3, Done: 1, InFlight: 2, Started: started, Result: okr})
		p.Report(Progress{Total: 3, Done: 2, Failed: 1, InFlight: 1, Started: started, Result: fail})
		p.Report(Progress{Total: 3, Done: 3, Failed: 1, Started: started, Result: okr})
	}
	if !strings.Contains(term.String(), "\r\x1b[Kcollecting hosts: 2/3 done, 1 failed, 1 in flight, 1.0/s, ETA 1s") || !strings.HasSuffix(term.String(), "\n") {
		t.Errorf("terminal progress: %q", term.String())
	}
	if strings.Contains(plain.String(), "\r") || !strings.Contains(plain.String(), "\ncollecting hosts: 2/3 done, 1 failed, 1 in flight") {
		t.Errorf("plain progress: %q", plain.String())
	}
	for _, s := range []string{term.String(), plain.String()} {
		if !strings.Contains(s, `host db\x1b01: not collected (authentication failed): root@db01:22: authentication failed`) {
			t.Errorf("failure line missing or unescaped: %q", s)
		}
	}
	var sum strings.Builder
	Summary(&sum, []Result{*okr, *fail, {Target: Target{Name: "x"}, Err: &Error{Class: ClassRefused, Err: fmt.Errorf("refused")}}}, "site/hosts", time.Second)
	if want := "collected 1 of 3 hosts into site/hosts in 1s\nnot collected: 1 connection refused, 1 authentication failed"; !strings.HasPrefix(sum.String(), want) {
		t.Errorf("summary %q, want prefix %q", sum.String(), want)
	}
}
