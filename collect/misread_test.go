package collect_test

// Issue 12 item 7, "no silent misreads", end to end: a site whose files
// hold a bad value is loaded and audited; the rule that depends on the
// value stays silent for that slave instead of judging the wrong value,
// and the site's problems (the report's NOT READ list) name the file and
// line (JSON: line and column).

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	sg "github.com/bondaudit/bondaudit/internal/sitegen"
	"github.com/bondaudit/bondaudit/topology"
)

// xOnPair adds host x with one slave on each leaf of the MLAG pair.
func xOnPair(b *sg.Bond) func(l *lab) {
	return func(l *lab) {
		h, n := l.host("x", sg.ConnectX25G, l.leafa.Port("Ethernet20"), l.leafb.Port("Ethernet20"))
		h.AddBond(b, n...)
		if b.Mode == sg.Mode8023AD {
			l.leafa.AddLAG(20, true, true, 10, n[0].Port)
			l.leafb.AddLAG(20, true, true, 10, n[1].Port)
		}
	}
}

// rewrite changes one written file.
func rewrite(rel string, change func(t *testing.T, b []byte) []byte) func(t *testing.T, dir string) {
	return func(t *testing.T, dir string) {
		t.Helper()
		p := filepath.Join(dir, filepath.FromSlash(rel))
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, change(t, b), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestNoSilentMisreads(t *testing.T) {
	for _, tc := range []struct {
		name  string
		build func(l *lab)
		post  []func(t *testing.T, dir string)
		// rule must not fire for host x (it did on the misread value).
		rule string
		// this problem must be listed (# stands for a line or column).
		problem string
	}{{
		// The walk says ifOperStatus.20 twice: up (line 703), then down
		// (appended, out of order). The last used to win silently.
		name:  "same OID twice in a walk",
		build: xOnPair(abBond()),
		post: []func(*testing.T, string){rewrite("switches/leafa.snmprec", func(t *testing.T, b []byte) []byte {
			return append(b, ifOper(20)+"|2|2\n"...)
		})},
		rule:    "link.state-mismatch",
		problem: `switches/leafa.snmprec:#: OID "1.3.6.1.2.1.2.2.1.8.20" given again with another value: line # says INTEGER "1", this line INTEGER "2"; the OID is not used`,
	}, {
		// A partner state of 256 was cast to 0 (not in sync).
		name:  "LACP port state out of range in ip-link.json",
		build: xOnPair(lacpBond()),
		post: []func(*testing.T, string){
			removeFile(bondFile("x")),
			rewrite("hosts/x/ip-link.json", func(t *testing.T, b []byte) []byte {
				return []byte(strings.Replace(string(b), `"ad_partner_oper_port_state":61`, `"ad_partner_oper_port_state":256`, 1))
			}),
		},
		rule:    "lacp.not-synced",
		problem: `hosts/x/ip-link.json:1:#: ens1f0 ad_partner_oper_port_state: "256" is not an integer 0-255: unknown`,
	}, {
		// The copy ends in the middle of the last partner MAC: 02:…:bb:0
		// read as 02:…:bb:00, another partner than the first slave's.
		name:  "bonding file cut short",
		build: xOnPair(lacpBond()),
		post: []func(*testing.T, string){rewrite(bondFile("x"), func(t *testing.T, b []byte) []byte {
			i := strings.LastIndex(string(b), "system mac address: ")
			j := i + strings.IndexByte(string(b[i:]), '\n')
			return b[:j-1]
		})},
		rule:    "lacp.partner-mismatch",
		problem: `hosts/x/bonding/bond0:#: the last line has no newline: the file is cut short (truncated copy?); "system mac address: 02:1c:73:aa:bb:0" is not used`,
	}} {
		t.Run(tc.name, func(t *testing.T) {
			l := newLab()
			l.healthy()
			tc.build(l)
			fs, site := l.auditPost(t, nil, tc.post)
			if got := find(fs, tc.rule, "x"); len(got) > 0 {
				t.Errorf("%s judged the misread value:%s", tc.rule, describe(got))
			}
			want := regexp.MustCompile("^" + strings.ReplaceAll(regexp.QuoteMeta(tc.problem), "#", `[0-9]+`) + "$")
			found := false
			for _, p := range topology.ProblemTexts(site.Problems) {
				if want.MatchString(p) {
					found = true
					t.Logf("problem: %s", p)
				}
			}
			if !found {
				t.Errorf("no problem %s in\n  %s", want, strings.Join(topology.ProblemTexts(site.Problems), "\n  "))
			}
		})
	}
}

// TestJSONMisreadsAreProblems: a wrongly typed lldp.json and trailing
// garbage after a snapshot were read without a word.
func TestJSONMisreadsAreProblems(t *testing.T) {
	l := newLab()
	l.healthy()
	xOnPair(abBond())(l)
	// where puts the first "at" in b at line:column.
	where := func(b []byte, at string) string {
		i := strings.Index(string(b), at)
		line := 1 + strings.Count(string(b[:i]), "\n")
		return fmt.Sprintf("%d:%d", line, i-strings.LastIndex(string(b[:i]), "\n"))
	}
	var lldpAt, leafcAt string
	_, site := l.auditPost(t, nil, []func(*testing.T, string){
		rewrite("hosts/x/lldp.json", func(t *testing.T, b []byte) []byte {
			b = []byte(strings.Replace(string(b), `"interface": [`, `"interface": "ens1f0", "was": [`, 1))
			lldpAt = where(b, `"ens1f0", "was"`)
			return b
		}),
		asSnapshot("leafc", func(*topology.Switch) {}),
		rewrite("switches/leafc.json", func(t *testing.T, b []byte) []byte {
			b = append(b, "}\n"...)
			leafcAt = fmt.Sprint(strings.Count(string(b), "\n"))
			return b
		}),
	})
	want := []string{
		`hosts/x/lldp.json:` + lldpAt + `: not lldpcli JSON: lldp[0].interface is a string, want an object or a list of objects`,
		`switches/leafc.json:` + leafcAt + `:1: switch snapshot: invalid JSON: data after the end of the JSON value (trailing garbage): "}"`,
	}
	for _, w := range want {
		if !slices.Contains(topology.ProblemTexts(site.Problems), w) {
			t.Errorf("no problem %q in\n  %s", w, strings.Join(topology.ProblemTexts(site.Problems), "\n  "))
		}
	}
}
