package report

import (
	"bufio"
	"bytes"
	"errors"
	"html/template"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/bondaudit/bondaudit/internal/atomicfile"
	"github.com/bondaudit/bondaudit/rules"
	"github.com/bondaudit/bondaudit/topology"
)

// escaperTemplates are html/template's own escaping of one string in each
// context the page writes one: element text, a quoted attribute, the
// fragment of an href.
var escaperTemplates = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("x").Parse(
		`{{define "text"}}<p>{{.}}</p>{{end}}` +
			`{{define "attr"}}<p data-x="{{.}}" id="{{.}}">{{end}}` +
			`{{define "frag"}}<a href="#{{.}}">{{end}}`))
})

func templateEscape(t *testing.T, name, s string) string {
	t.Helper()
	var b strings.Builder
	if err := escaperTemplates().ExecuteTemplate(&b, name, s); err != nil {
		t.Fatalf("%s %q: %v", name, s, err)
	}
	return b.String()
}

func streamEscape(s string, esc func(*bufio.Writer, string) error) string {
	var b bytes.Buffer
	w := bufio.NewWriterSize(&b, 16)
	if err := esc(w, s); err != nil {
		panic(err)
	}
	w.Flush()
	return b.String()
}

// checkEscapers fails t unless the stream's escapers write s as
// html/template does in each context (and as template.HTMLEscapeString
// does in text, but for '+', which html/template also escapes).
func checkEscapers(t *testing.T, s string) {
	t.Helper()
	h := streamEscape(s, writeHTMLEscaped)
	if got, want := "<p>"+h+"</p>", templateEscape(t, "text", s); got != want {
		t.Errorf("text %q: stream %q, html/template %q", s, got, want)
	}
	if got, want := `<p data-x="`+h+`" id="`+h+`">`, templateEscape(t, "attr", s); got != want {
		t.Errorf("attribute %q: stream %q, html/template %q", s, got, want)
	}
	if want := strings.ReplaceAll(template.HTMLEscapeString(s), "+", "&#43;"); h != want {
		t.Errorf("text %q: stream %q, HTMLEscapeString %q", s, h, want)
	}
	if got, want := `<a href="#`+streamEscape(s, writeURLEscaped)+`">`, templateEscape(t, "frag", s); got != want {
		t.Errorf("fragment %q: stream %q, html/template %q", s, got, want)
	}
}

var escaperSeeds = []string{"", "plain", `<script>alert("x")</script>`, "a&b'c\"d+e<f>g", "\x00", "\xff\xfe", "é漢🙂",
	"\u202e\u2028", `f-1 #?&=/:;@[]!$*,~._-%41%zz`, "\\n\n\t", "d-host_2fbond0"}

func TestHTMLEscapersMatchTemplate(t *testing.T) {
	for _, s := range escaperSeeds {
		checkEscapers(t, s)
	}
	// every byte alone, and after a multi-byte character
	for c := range 256 {
		checkEscapers(t, string([]byte{byte(c)}))
		checkEscapers(t, "é"+string([]byte{byte(c)})+"x")
	}
}

// FuzzHTMLEscapers: the stream's escapers against html/template's own.
func FuzzHTMLEscapers(f *testing.F) {
	for _, s := range escaperSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { checkEscapers(t, s) })
}

// fuzzReport is a small site and findings whose names and texts are the
// fuzzer's: a host with a bond of two slaves, one cabled to a switch,
// findings on the bond, the host, the switch and the site, one waived.
func fuzzReport(t *testing.T, host, bond, nic, sw, port, rule, msg, fix, ev, reason, problem string, sev, flags uint8) *Report {
	if nic == "" || nic == "eth1" {
		nic = "eth0"
	}
	h := fixtureHost(host, []topology.Bond{{Name: bond, Mode: topology.BondMode(rule), Kind: ev, LACPRate: msg, XmitHashPolicy: fix,
		MIIMon: int(flags), ARPInterval: int(sev), MinLinks: int(flags >> 4), Slaves: slaves(nic, "eth1")}},
		map[string][2]string{nic: {leaf1Chassis, "Ethernet1"}})
	if flags&1 != 0 {
		h.NICs[1].State = topology.LinkState(reason)
		h.Bonds[0].Slaves[1].MIIStatus = topology.LinkState(reason)
	}
	s := fixtureSwitch(sw, leaf1Chassis, 2)
	s.Ports[0].Name = port
	h.Neighbours[0].PortID = port
	if flags&16 != 0 {
		// the slave's port in a LAG the switch names (or leaves unnamed)
		s.LAGs = []topology.LAG{{Name: problem, Kind: topology.LAGKind(reason), Members: []string{port}}}
	}
	var m *topology.Model
	if flags&2 == 0 {
		var err error
		if m, err = topology.Build([]*topology.Host{h}, []*topology.Switch{s}, topology.BuildOptions{}); err != nil {
			m = nil
		}
	}
	severity := []rules.Severity{rules.Info, rules.Warning, rules.Error}[int(sev)%3]
	f := rules.Finding{Rule: rule, Severity: severity, Status: rules.StatusFail, Host: host, Bond: bond, NIC: nic,
		Switch: sw, Port: port, Message: msg, Fix: fix, Evidence: []string{ev, ev, msg}, Problem: problem}
	fs := []rules.Finding{f}
	g := f
	g.Bond, g.NIC, g.Evidence, g.Fix = "", "", nil, ""
	fs = append(fs, g)
	g.Host = ""
	fs = append(fs, g)
	g.Switch, g.Port = "", ""
	fs = append(fs, g)
	w := f
	w.Status, w.Reason, w.Expires = rules.StatusSuppressed, reason, ev
	fs = append(fs, w)
	if flags&4 != 0 {
		w.Reason, w.Expires = "", ""
		fs = append(fs, w)
	}
	for i := range fs {
		if flags&8 != 0 {
			fs[i].Problem = ""
		}
		fs[i].Severity = []rules.Severity{rules.Info, rules.Warning, rules.Error}[(int(sev)+i)%3]
	}
	return &Report{Site: host + sw, Generated: fixtureGenerated, Model: m, Findings: fs, Problems: []string{problem, reason}}
}

// FuzzHTMLStreamed: random names and texts through the streamed page and
// the template's page give the same bytes.
func FuzzHTMLStreamed(f *testing.F) {
	f.Setenv("PATH", f.TempDir()) // no Graphviz: the fuzzer runs fast
	f.Add("web01", "bond0", "eth0", "leaf1", "Ethernet1", "bond.x", "msg", "fix it", "ev", "why", "p-1", uint8(0), uint8(0))
	f.Add(`h"><script>`, "b&0", "n'1", "s+1", "p<1>", "r\x00", "\u202emsg\n", "", "e\xff", "", "", uint8(2), uint8(255))
	f.Add("", "", "", "", "", "", "", "", "", "", "", uint8(1), uint8(7))
	f.Add("h", "b", "eth0", "s", "Ethernet1", "802.3ad", "fast", "layer3+4", "team", "lacp", "", uint8(3), uint8(0xf0|16))
	f.Add("h", "b", "eth0", "s", "Ethernet1", "", "", "", "bonding", "static", "Po1", uint8(0), uint8(16|1))
	f.Fuzz(func(t *testing.T, host, bond, nic, sw, port, rule, msg, fix, ev, reason, problem string, sev, flags uint8) {
		sameAsOracle(t, "fuzz", fuzzReport(t, host, bond, nic, sw, port, rule, msg, fix, ev, reason, problem, sev, flags))
	})
}

// failWriter accepts n bytes, then fails every write.
type failWriter struct {
	n   int
	err error
}

func (w *failWriter) Write(p []byte) (int, error) {
	if len(p) <= w.n {
		w.n -= len(p)
		return len(p), nil
	}
	k := w.n
	w.n = 0
	return k, w.err
}

// TestHTMLWriteError: a writer that fails midway makes Write fail with its
// error, saying the page is incomplete, wherever it fails.
func TestHTMLWriteError(t *testing.T) {
	r := fixtureReport(t)
	var whole bytes.Buffer
	if err := (HTML{}).Write(&whole, r); err != nil {
		t.Fatal(err)
	}
	full := whole.Len()
	boom := errors.New("disk full")
	for _, n := range []int{0, 1, 4096, full / 2, full - 1} {
		err := (HTML{}).Write(&failWriter{n: n, err: boom}, r)
		if !errors.Is(err, boom) {
			t.Errorf("failing after %d of %d bytes: err %v, want the writer's", n, full, err)
			continue
		}
		if !strings.Contains(err.Error(), "incomplete") {
			t.Errorf("failing after %d bytes: %q does not say the page is incomplete", n, err)
		}
	}
	if err := (HTML{}).Write(&failWriter{n: full, err: boom}, r); err != nil {
		t.Errorf("a writer that takes the whole page: %v", err)
	}
}

// cutWriter passes n bytes to w, then fails.
type cutWriter struct {
	w   io.Writer
	n   int
	err error
}

func (c *cutWriter) Write(p []byte) (int, error) {
	if len(p) > c.n {
		k, _ := c.w.Write(p[:c.n])
		c.n = 0
		return k, c.err
	}
	c.n -= len(p)
	return c.w.Write(p)
}

// TestHTMLWriteErrorKeepsFile: written as bondaudit writes -o files
// (atomicfile), a page that fails midway never replaces the good page
// already there, leaves no partial file behind, and the error names the
// file and says the page is incomplete.
func TestHTMLWriteErrorKeepsFile(t *testing.T) {
	r := fixtureReport(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "report.html")
	good := []byte("<!DOCTYPE html>\n<p>the last good page</p>\n")
	if err := os.WriteFile(path, good, 0o644); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("no space left on device")
	err := atomicfile.Write(path, func(w io.Writer) error { return (HTML{}).Write(&cutWriter{w: w, n: 5000, err: boom}, r) })
	if !errors.Is(err, boom) || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "incomplete") {
		t.Errorf("err %v: want the writer's error, naming %s and saying the page is incomplete", err, path)
	}
	if got, _ := os.ReadFile(path); !bytes.Equal(got, good) {
		t.Errorf("the good page was replaced by %d bytes", len(got))
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("%d files in the folder, want only the good page: a partial page was left behind", len(ents))
	}
}
