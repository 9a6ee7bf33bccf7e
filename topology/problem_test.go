package topology

import (
	"encoding/json"
	"testing"
)

// TestProblemText: a problem's text is "file:line:column: what", each
// part left out where not known, and JSON carries the same text.
func TestProblemText(t *testing.T) {
	for _, c := range []struct {
		p    Problem
		want string
	}{
		{Problem{File: "switches/a.walk", Line: 7, What: "bad row"}, "switches/a.walk:7: bad row"},
		{Problem{File: "hosts/x/lldp.json", Line: 3, Column: 14, What: "not lldpcli JSON"}, "hosts/x/lldp.json:3:14: not lldpcli JSON"},
		{Problem{File: "switches/a.walk", What: "no ports"}, "switches/a.walk: no ports"},
		{Problem{File: "switches/x/", What: "ignored"}, "switches/x/: ignored"},
		{Problem{Line: 12, What: "index is not an integer"}, "line 12: index is not an integer"},
		{Problem{What: "walking 1.3.6: timeout"}, "walking 1.3.6: timeout"},
		{Problem{Line: 4, What: "x"}.In("switches/s.snmprec"), "switches/s.snmprec:4: x"},
	} {
		if got := c.p.String(); got != c.want {
			t.Errorf("%+v: %q, want %q", c.p, got, c.want)
		}
		b, err := json.Marshal(c.p)
		want, _ := json.Marshal(c.want)
		if err != nil || string(b) != string(want) {
			t.Errorf("%+v: JSON %s %v, want %s", c.p, b, err, want)
		}
	}
	if got := ProblemTexts([]Problem{{File: "f", Line: 1, What: "a"}, {What: "b"}}); len(got) != 2 || got[0] != "f:1: a" || got[1] != "b" {
		t.Errorf("texts %q", got)
	}
}
