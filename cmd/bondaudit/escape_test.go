package main

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"golang.org/x/net/html"

	"github.com/bondaudit/bondaudit/internal/needtool"
	"github.com/bondaudit/bondaudit/topology"
)

// forgedLine is what a hostile name tries to print as a line of its own.
const forgedLine = "ERROR    lacp.forged-line                 FORGED"

// hostile returns a name that carries every trick a host or a device on
// the wire can play on a report: clear screen, an OSC 8 hyperlink, a
// carriage return and a newline followed by a forged finding line, HTML
// and script, Markdown table pipes and a code fence, quotes, backslashes,
// C0 controls, DEL, C1 controls (NEL, CSI) and a right-to-left override.
// The tag keeps names distinct. With path set it has no '/', so that it can
// name a folder (and no ':', so that it can be a --down SWITCH).
func hostile(tag string, path bool) string {
	url, closeTag := "http://evil.example/x", "</script>"
	if path {
		url, closeTag = "evil.example", "<\\script>"
	}
	return tag + "\x1b[2J\x1b[31m\x1b]8;;" + url + "\x1b\\click\x1b]8;;\x1b\\" +
		"\r\n" + forgedLine + "\n" +
		"<script>alert(1)" + closeTag + "|x|```\"q\"\\\x01\x07\x08\x7f\u0085\u009b\u202erev\u2066"
}

// hostileSite writes a site in dir whose every name is hostile: a host
// snapshot (host, bond, NIC names, the LLDP names it heard), two switch
// snapshots (sysName, ifName, ifAlias, port-channel, the LLDP system name,
// port ID and description they heard), a raw capture whose hostname file
// holds invalid UTF-8, and a recorded walk whose sysName, ifAlias and LLDP
// remote system name are hostile bytes. v2 is the same site after a change
// (bond mode, a cable moved, a LAG member added, a host added), for diff.
func hostileSite(t *testing.T, dir string, v2 bool) (downSwitch string) {
	t.Helper()
	for _, d := range []string{"hosts", "switches"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	h := func(tag string) string { return hostile(tag, false) }
	sw1, sw2 := h("sw1"), hostile("sw2", true)
	p1, p2, p3, p4 := h("Ethernet1/1"), h("Ethernet1/2"), h("Ethernet1/3"), h("Ethernet1/4")
	nic1, nic2 := h("eth0"), h("eth1")
	c1, c2 := "02:00:00:00:01:00", "02:00:00:00:02:00"
	mode, nic2Port := topology.Mode8023AD, p3
	if v2 {
		mode, nic2Port = topology.ModeBalanceXOR, p4
	}
	host := &topology.Host{Name: h("host"), Kernel: h("kernel"),
		NICs: []topology.NIC{
			{Name: nic1, PermMAC: "02:00:00:00:00:01", MAC: "02:00:00:00:00:01", Speed: 10000, State: "up", Master: h("bond0"), Driver: h("drv")},
			{Name: nic2, PermMAC: "02:00:00:00:00:02", MAC: "02:00:00:00:00:01", Speed: 10000, State: "up", Master: h("bond0")},
		},
		Bonds: []topology.Bond{{Name: h("bond0"), Mode: mode, MIIMon: 0, LACPRate: h("rate"), XmitHashPolicy: h("hash"),
			Slaves: []topology.Slave{{Name: nic1, MIIStatus: "up", PermMAC: "02:00:00:00:00:01"}, {Name: nic2, MIIStatus: topology.LinkState(h("state")), PermMAC: "02:00:00:00:00:02"}}}},
		Neighbours: []topology.Neighbour{
			{LocalPort: nic1, Protocol: "lldp", ChassisIDSubtype: topology.IDMAC, ChassisID: c1, PortIDSubtype: topology.IDIfName, PortID: p1,
				SystemName: h("heard-by-host"), PortDescr: h("descr-heard-by-host")},
			{LocalPort: nic2, Protocol: "lldp", ChassisIDSubtype: topology.IDMAC, ChassisID: c2, PortIDSubtype: topology.IDIfName, PortID: nic2Port,
				SystemName: sw2},
		},
		Problems: []string{h("host-problem")},
	}
	hosts := []*topology.Host{host}
	if v2 {
		hosts = append(hosts, &topology.Host{Name: h("newhost"), Bonds: []topology.Bond{{Name: h("bond9"), Mode: "active-backup"}}})
	}
	lag := topology.LAG{Name: h("Port-Channel1"), Kind: topology.LAGLACP, Members: []string{p1}}
	if v2 {
		lag.Members = append(lag.Members, p2)
	}
	switches := []*topology.Switch{
		{Name: sw1, Vendor: h("vendor"), ChassisID: c1, ChassisIDSubtype: topology.IDMAC, SysDescr: h("descr"),
			Ports: []topology.Port{
				{Name: p1, IfIndex: 1, Alias: h("alias1"), Descr: h("ifdescr1"), Speed: 10000, Admin: "up", Oper: "up", PVID: 10},
				{Name: p2, IfIndex: 2, Alias: h("alias2"), Speed: 10000, Admin: "up", Oper: "up", PVID: 10},
			},
			LAGs: []topology.LAG{lag},
			Neighbours: []topology.Neighbour{{LocalPort: p1, Protocol: "lldp", ChassisIDSubtype: topology.IDMAC, ChassisID: "02:00:00:00:00:01",
				PortIDSubtype: topology.IDLocal, PortID: h("remote-port-id"), PortDescr: h("remote-port-descr"), SystemName: h("remote-sysname")}},
			Problems: []string{h("switch-problem")},
		},
		{Name: sw2, ChassisID: c2, ChassisIDSubtype: topology.IDMAC,
			Ports: []topology.Port{
				{Name: p3, IfIndex: 3, Alias: h("alias3"), Speed: 10000, Admin: "up", Oper: "up", PVID: 10},
				{Name: p4, IfIndex: 4, Speed: 10000, Admin: "up", Oper: "up", PVID: 20},
			}},
	}
	// A name shaped like a Graphviz HTML-like label that closes early and
	// adds a link: written unquoted into DOT it becomes markup in the SVG.
	switches = append(switches, &topology.Switch{Name: `<b>x</b> URL="javascript:alert(1)" target=<_top>`, ChassisID: "02:00:00:00:03:00"})
	for i, hs := range hosts {
		if err := topology.SaveSnapshot(filepath.Join(dir, "hosts", "h"+string(rune('0'+i))+".json"), hs); err != nil {
			t.Fatal(err)
		}
	}
	for i, s := range switches {
		if err := topology.SaveSnapshot(filepath.Join(dir, "switches", "s"+string(rune('0'+i))+".json"), s); err != nil {
			t.Fatal(err)
		}
	}
	// A raw capture and a recorded walk: bytes that JSON cannot carry
	// (invalid UTF-8) reach the names this way.
	demoSite := copyDemo(t)
	if err := os.CopyFS(filepath.Join(dir, "hosts", "web01"), os.DirFS(filepath.Join(demoSite, "hosts", "web01"))); err != nil {
		t.Fatal(err)
	}
	bad := "cap\xff\xfe\xc3(" + hostile("", false) // hostname reads the first line
	if err := os.WriteFile(filepath.Join(dir, "hosts", "web01", "hostname"), []byte(bad+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	walk, err := os.ReadFile(filepath.Join(demoSite, "switches", "leaf1a.snmprec"))
	if err != nil {
		t.Fatal(err)
	}
	hexOf := func(s string) string { return "4x|" + hex.EncodeToString([]byte(s)) }
	w := string(walk)
	for _, r := range []struct{ old, new string }{
		{"1.3.6.1.2.1.1.5.0|4|leaf1a", "1.3.6.1.2.1.1.5.0|" + hexOf(hostile("walk", false)+"\xff\x80")},
		{"1.3.6.1.2.1.31.1.1.1.18.1|4|web01 ens1f0np0", "1.3.6.1.2.1.31.1.1.1.18.1|" + hexOf(hostile("ifalias", false)+"\xfe")},
		{"1.0.8802.1.1.2.1.4.1.1.9.0.1.1|4|web01", "1.0.8802.1.1.2.1.4.1.1.9.0.1.1|" + hexOf(hostile("lldprem", false)+"\xc0")},
	} {
		if !strings.Contains(w, r.old) {
			t.Fatalf("leaf1a.snmprec has no line %q", r.old)
		}
		w = strings.Replace(w, r.old, r.new, 1)
	}
	if err := os.WriteFile(filepath.Join(dir, "switches", "leaf1a.snmprec"), []byte(w), 0o644); err != nil {
		t.Fatal(err)
	}
	return sw2
}

// TestHostileNamesInEveryOutput renders a site whose every name is hostile
// (see hostile) through every command and format, and checks each output:
// no raw control, C1 or bidi character and valid UTF-8 (nothing a terminal
// or an editor acts on), no line that a name forged, the names present
// (escaped, or exact where the format is data), and each output accepted
// by its real consumer: encoding/json, xmllint (JUnit, SVG, HTML), Graphviz
// dot (DOT), promtool (prom), headless Chromium (the HTML pages: no script
// injected, names shown as text); Markdown tables keep their columns and
// carry no raw HTML.
func TestHostileNamesInEveryOutput(t *testing.T) {
	root := t.TempDir()
	oldSite := filepath.Join(root, hostile("site", true))
	newSite := filepath.Join(root, hostile("site-v2", true))
	down := hostileSite(t, oldSite, false)
	hostileSite(t, newSite, true)
	files := t.TempDir()

	type output struct{ name, kind, text string }
	var outs []output
	run := func(kind string, args ...string) {
		t.Helper()
		name := args[0] + " " + strings.Join(args[2:], " ")
		if args[0] == "diff" {
			name = "diff " + strings.Join(args[3:], " ")
		}
		name = strings.ReplaceAll(name, down, "SWITCH")
		code, out, errs := runCLI(t, args...)
		if code == exitFailed {
			if kind == "svg" || kind == "diagram-html" || strings.Contains(errs, "graphviz") {
				t.Logf("%s: exit 2 (%s); left out", name, strings.TrimSpace(errs))
				outs = append(outs, output{name, "failed-" + kind, errs})
				return
			}
			t.Fatalf("%s: exit 2\n%s", name, errs)
		}
		outs = append(outs, output{name, kind, out}, output{name + " (stderr)", "stderr", errs})
	}
	for _, f := range []string{"text", "json", "markdown", "junit", "sarif", "html", "prom"} {
		kind := f
		if f == "sarif" {
			kind = "json"
		}
		run(kind, "audit", oldSite, "--format", f)
	}
	run("text", "topology", oldSite, "--format", "text")
	run("json", "topology", oldSite, "--format", "json")
	for _, f := range []string{"text", "json", "markdown"} {
		run(f, "whatif", oldSite, "--down", down, "--format", f)
		run(f, "diff", oldSite, newSite, "--format", f)
	}
	for _, f := range []string{"yaml", "json", "markdown"} {
		run(f, "fix", oldSite, "--format", f, "--force")
	}
	for _, f := range []string{"dot", "mermaid", "svg", "html"} {
		kind := f
		if f == "html" {
			kind = "diagram-html"
		}
		run(kind, "diagram", oldSite, "--format", f)
	}

	for _, o := range outs {
		t.Run(o.name, func(t *testing.T) {
			if kind, ok := strings.CutPrefix(o.kind, "failed-"); ok {
				if strings.Contains(o.text, "syntax error") {
					t.Fatalf("%s: Graphviz could not read the DOT made of the names: %s", kind, o.text)
				}
				// Only the SVG renderer may fail here, and only for
				// reasons of its own: go-graphviz is being replaced by
				// the system's dot (issue 12 item 1) in another branch.
				t.Skipf("%s: the SVG renderer failed in this tree (go-graphviz): %s", kind, strings.TrimSpace(o.text))
			}
			checkNoRawControls(t, o.text)
			checkNoForgedLine(t, o.text)
			if o.kind != "stderr" && !strings.Contains(o.text, "lacp.forged-line") {
				t.Errorf("no hostile name reached the output: the test checks nothing\n%s", tail(o.text, 1500))
			}
			// Chromium types a file by its extension
			ext := map[string]string{"html": ".html", "diagram-html": ".html", "svg": ".svg", "junit": ".xml", "dot": ".dot"}[o.kind]
			path := filepath.Join(files, strings.NewReplacer(" ", "_", "/", "_").Replace(o.name)+ext)
			if d := os.Getenv("BONDAUDIT_ESCAPE_DUMP"); d != "" {
				path = filepath.Join(d, filepath.Base(path))
			}
			if err := os.WriteFile(path, []byte(o.text), 0o644); err != nil {
				t.Fatal(err)
			}
			switch o.kind {
			case "json":
				checkJSONKeepsNames(t, o.text)
			case "markdown":
				checkMarkdown(t, o.text)
			case "junit":
				xmllint(t, path)
			case "svg":
				xmllint(t, path)
				checkSVGHasNoLinks(t, o.text)
			case "html":
				if strings.Contains(o.text, "syntax error") {
					t.Error("the report left its diagram out: Graphviz could not read the DOT made of the names")
				}
				xmllintHTML(t, path)
				checkInBrowser(t, path, 1)
			case "diagram-html":
				xmllintHTML(t, path)
				checkInBrowser(t, path, 0)
			case "prom":
				promtool(t, path)
			case "dot":
				checkDOT(t, path, o.text)
			case "mermaid":
				checkMermaid(t, o.text)
			}
		})
	}
}

// checkNoRawControls: valid UTF-8, and no C0 control but newline and tab,
// no DEL, no C1 control, no bidi or other invisible format character.
func checkNoRawControls(t *testing.T, s string) {
	t.Helper()
	if !utf8.ValidString(s) {
		i := 0
		for i < len(s) {
			r, n := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && n == 1 {
				break
			}
			i += n
		}
		t.Errorf("not valid UTF-8 at byte %d: %q", i, s[max(0, i-60):min(len(s), i+20)])
		return
	}
	bad := 0
	for i, r := range s {
		switch {
		case r == '\n' || r == '\t':
		case r < 0x20, r == 0x7f, r >= 0x80 && r <= 0x9f,
			r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e, r == 0x200f:
			if bad++; bad <= 5 {
				t.Errorf("raw %U at byte %d: %q", r, i, s[max(0, i-60):min(len(s), i+10)])
			}
		}
	}
}

// forged matches the finding line a name carries when it starts a line
// (after indentation or Markdown list and table marks).
var forged = regexp.MustCompile(`^[ \t|*+>#-]*ERROR\s+lacp\.forged-line`)

// checkNoForgedLine: no line that starts, after indentation or Markdown
// list and table marks, with the finding line a name carries.
func checkNoForgedLine(t *testing.T, s string) {
	t.Helper()
	for i, line := range strings.Split(s, "\n") {
		if forged.MatchString(line) {
			t.Errorf("line %d is forged by a name: %q", i+1, line)
		}
	}
}

// checkJSONKeepsNames: valid JSON that holds the hostile names exactly
// (JSON is data: escaping must not change it).
func checkJSONKeepsNames(t *testing.T, s string) {
	t.Helper()
	if !json.Valid([]byte(s)) {
		t.Fatalf("not valid JSON:\n%s", tail(s, 1000))
	}
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatal(err)
	}
	found := false
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case string:
			if strings.Contains(v, hostile("host", false)) || strings.Contains(v, hostile("sw2", true)) {
				found = true
			}
		case []any:
			for _, e := range v {
				walk(e)
			}
		case map[string]any:
			for _, e := range v {
				walk(e)
			}
		}
	}
	walk(v)
	if !found {
		t.Error("no string holds a hostile name exactly")
	}
}

// mdUnescaped returns s without backslash-escaped characters, and
// without code spans when spans is false.
func mdUnescaped(s string, spans bool) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\':
			i++
		case c == '`' && !spans:
			n := 1
			for i+n < len(s) && s[i+n] == '`' {
				n++
			}
			fence := strings.Repeat("`", n)
			end := -1
			for j := i + n; j <= len(s)-n; j++ {
				if s[j:j+n] == fence && (j+n == len(s) || s[j+n] != '`') && s[j-1] != '`' {
					end = j
					break
				}
			}
			if end < 0 {
				b.WriteString(fence)
				i += n - 1
				continue
			}
			b.WriteString("CODE")
			i = end + n - 1
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// checkMarkdown: every table row has its header's number of cells (a |
// in a name is escaped, GitHub splits cells even inside code spans), no
// raw HTML outside code spans, no line that opens a code fence.
func checkMarkdown(t *testing.T, s string) {
	t.Helper()
	cells := 0
	fence := "" // the open fenced code block's fence ("" outside one)
	for i, line := range strings.Split(s, "\n") {
		// A fenced code block (what to type, from bondaudit fix) is
		// literal up to a closing fence at least as long as the opening
		// one; were a name to close it early, the lines after it would be
		// checked as Markdown below and fail.
		run := len(line) - len(strings.TrimLeft(line, "`"))
		if fence != "" {
			if run >= len(fence) && strings.TrimSpace(line[run:]) == "" {
				fence = ""
			}
			continue
		}
		if run >= 3 {
			if info := line[run:]; !strings.Contains(info, "`") && regexp.MustCompile(`^[a-z]*$`).MatchString(info) {
				fence = line[:run]
				continue
			}
			t.Errorf("line %d opens a code fence: %q", i+1, line)
		}
		if strings.ContainsAny(mdUnescaped(line, false), "<") {
			t.Errorf("line %d has raw HTML: %q", i+1, line)
		}
		if !strings.HasPrefix(line, "|") {
			cells = 0
			continue
		}
		n := strings.Count(mdUnescaped(line, true), "|")
		if cells == 0 {
			cells = n
		} else if n != cells {
			t.Errorf("line %d: table row with %d cell separators, its header has %d: %q", i+1, n, cells, line)
		}
	}
}

func xmllint(t *testing.T, path string) {
	t.Helper()
	bin := needtool.Need(t, "libxml2-utils", "xmllint")
	if out, err := exec.Command(bin, "--noout", path).CombinedOutput(); err != nil {
		t.Errorf("xmllint --noout: %v\n%s", err, tail(string(out), 2000))
	}
}

// xmllintHTML parses the page with libxml2's HTML parser, which knows
// HTML 4 only: its complaints about HTML5 and SVG element names are
// expected, any other error is not.
func xmllintHTML(t *testing.T, path string) {
	t.Helper()
	bin := needtool.Need(t, "libxml2-utils", "xmllint")
	out, _ := exec.Command(bin, "--html", "--noout", path).CombinedOutput()
	known := regexp.MustCompile(`HTML parser error : Tag [a-zA-Z0-9]+ invalid$`)
	for _, l := range strings.Split(string(out), "\n") {
		if strings.Contains(l, " error : ") && !known.MatchString(l) {
			t.Errorf("xmllint --html: %s", l)
		}
	}
}

func promtool(t *testing.T, path string) {
	t.Helper()
	bin := needtool.Need(t, "prometheus", "promtool")
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cmd := exec.Command(bin, "check", "metrics")
	cmd.Stdin = f
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("promtool check metrics: %v\n%s", err, out)
	}
}

// checkSVGHasNoLinks: no name became markup: no link, no script, no
// event handler in the picture.
func checkSVGHasNoLinks(t *testing.T, s string) {
	t.Helper()
	// Graphviz wraps a tooltip in <a xlink:title=…>: a link is one with a
	// target. Text and attribute values escape <, so every < opens a tag.
	if m := svgMarkup.FindString(s); m != "" {
		t.Errorf("the SVG has markup made of a name: %q", m)
	}
}

// svgMarkup matches what a name must never become in an SVG: a link
// target, a script, an event handler, embedded HTML.
var svgMarkup = regexp.MustCompile(`href=|<script|<foreignObject|<[^>]*\son[a-z]+=`)

// checkDOT: Graphviz's dot reads the DOT without complaint, no name is an
// HTML-like label, and the SVG dot makes of it is well-formed XML with no
// link or script in it.
func checkDOT(t *testing.T, path, src string) {
	t.Helper()
	if regexp.MustCompile(`(label|tooltip)=<`).MatchString(src) {
		t.Error("a name became an HTML-like label")
	}
	bin := needtool.Need(t, "graphviz", "dot")
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, bin, "-Tsvg", path)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil || stderr.Len() > 0 {
		t.Fatalf("dot -Tsvg: %v\n%s", err, tail(stderr.String(), 2000))
	}
	svg := filepath.Join(t.TempDir(), "dot.svg")
	if err := os.WriteFile(svg, stdout.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	xmllint(t, svg)
	checkSVGHasNoLinks(t, stdout.String())
	checkNoRawControls(t, stdout.String())
}

// checkMermaid: every label stays inside its quotes (no raw quote, angle
// bracket but <br>, or backtick in a statement).
func checkMermaid(t *testing.T, s string) {
	t.Helper()
	for i, line := range strings.Split(s, "\n") {
		if strings.HasPrefix(line, "title: ") {
			continue // a Go/YAML quoted string
		}
		l := strings.ReplaceAll(line, "<br>", "")
		if strings.ContainsAny(l, "<>`") {
			t.Errorf("line %d: raw < > or ` in a statement: %q", i+1, line)
		}
		if n := strings.Count(l, `"`); n%2 != 0 || n > 4 {
			t.Errorf("line %d: %d quotes (a name left its label): %q", i+1, n, line)
		}
	}
}

// checkInBrowser opens the page in headless Chromium and checks the DOM
// after the page's own script ran: scripts scripts elements (the page's
// own), none with a name in it, no event handler attribute or javascript:
// link, and the names shown as text, escaped.
func checkInBrowser(t *testing.T, path string, scripts int) {
	t.Helper()
	bin := chromiumBinary(t)
	page := (&url.URL{Scheme: "file", Path: filepath.ToSlash(path)}).String()
	out := runChromium(t, bin, page, "--virtual-time-budget=2000", "--dump-dom")
	doc, err := html.Parse(bytes.NewReader(out))
	if err != nil {
		t.Fatalf("the dumped DOM does not parse: %v", err)
	}
	var text, title strings.Builder
	n := 0
	var visit func(nd *html.Node, inTitle bool)
	visit = func(nd *html.Node, inTitle bool) {
		switch nd.Type {
		case html.ElementNode:
			if nd.Data == "script" {
				n++
				if nd.FirstChild != nil && strings.Contains(nd.FirstChild.Data, "alert(1)") {
					t.Error("a name's <script> is in the DOM")
				}
			}
			if nd.Data == "title" {
				inTitle = true
			}
			for _, a := range nd.Attr {
				link := a.Key == "href" || a.Key == "src" || a.Key == "action" || a.Key == "formaction" || a.Key == "xlink:href"
				if strings.HasPrefix(a.Key, "on") || link && (strings.Contains(strings.ToLower(a.Val), "javascript:") || strings.Contains(a.Val, "evil.example")) {
					t.Errorf("<%s %s=%q>: markup made of a name", nd.Data, a.Key, a.Val)
				}
			}
		case html.TextNode:
			text.WriteString(nd.Data)
			if inTitle {
				title.WriteString(nd.Data)
			}
		}
		for c := nd.FirstChild; c != nil; c = c.NextSibling {
			visit(c, inTitle)
		}
	}
	visit(doc, false)
	if n != scripts {
		t.Errorf("%d <script> elements in the DOM, want %d", n, scripts)
	}
	shown := `<script>alert(1)</script>|x|` + "```" + `"q"\\\x01\x07\x08\x7f\x85\x9b\u202erev\u2066`
	if !strings.Contains(text.String(), shown) {
		t.Errorf("the page does not show the names as text (want %q in it)", shown)
	}
	if scripts > 0 && !strings.Contains(title.String(), `site\x1b[2J`) {
		t.Errorf("the title %q does not show the site name escaped", title.String())
	}
}
