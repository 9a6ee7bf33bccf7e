package report

import (
	"bufio"
	"io"
	"strconv"

	"github.com/bondaudit/bondaudit/topology"
	"github.com/bondaudit/bondaudit/topology/escape"
)

// htmlStream writes the page's long repeated sections (the problems and
// their findings, the findings table and its filter options, the cards,
// the inputs not read and the waived findings) straight to a bufio.Writer,
// byte for byte what htmlReportSource's template wrote for them before it
// was cut into a shell (htmlOracleBody in html_oracle_test.go keeps that
// template as the tests' oracle). A 100,000-host page is never held whole,
// and no reflection runs per field.
//
// Each value is escaped as html/template escapes it in its context, which
// is one of three on this page (the template's escaped tree lists them):
// element text and quoted non-URL attributes (htmlEscaper and attrEscaper
// are the same function for strings), and the fragment of an href
// (urlEscaper, whose output attrEscaper leaves as is). The strings were
// passed through escape.Text when the page was made, as before.
//
// The first write error sticks: later writes do nothing and err returns it.
type htmlStream struct {
	w   *bufio.Writer
	err error
	num [20]byte
}

func newHTMLStream(w io.Writer) *htmlStream {
	return &htmlStream{w: bufio.NewWriterSize(w, 64<<10)}
}

// raw writes s, markup of the page, as it is.
func (h *htmlStream) raw(s string) {
	if h.err == nil {
		_, h.err = h.w.WriteString(s)
	}
}

// text writes s escaped for element text or a quoted attribute value.
func (h *htmlStream) text(s string) {
	if h.err == nil {
		h.err = writeHTMLEscaped(h.w, s)
	}
}

// frag writes s escaped as the fragment of an href="#…".
func (h *htmlStream) frag(s string) {
	if h.err == nil {
		h.err = writeURLEscaped(h.w, s)
	}
}

// int writes n in decimal (as the template prints an int, in text or an
// attribute: digits need no escaping).
func (h *htmlStream) int(n int) {
	if h.err == nil {
		_, h.err = h.w.Write(strconv.AppendInt(h.num[:0], int64(n), 10))
	}
}

func (h *htmlStream) flush() error {
	if h.err == nil {
		h.err = h.w.Flush()
	}
	return h.err
}

// htmlEscapes is what html/template's htmlEscaper and attrEscaper write
// for each byte they replace in a string (htmlReplacementTable): NUL
// becomes U+FFFD, and " & ' + < > become entities. Every other byte,
// including those of invalid UTF-8, is written as it is; all six are
// ASCII, so they never occur inside a multi-byte character, and looking at
// bytes finds exactly the runes the template replaces.
var htmlEscapes = [256]string{
	0:    "\uFFFD",
	'"':  "&#34;",
	'&':  "&amp;",
	'\'': "&#39;",
	'+':  "&#43;",
	'<':  "&lt;",
	'>':  "&gt;",
}

// writeHTMLEscaped writes s as html/template writes a string in element
// text or a quoted attribute value.
func writeHTMLEscaped(w *bufio.Writer, s string) error {
	written := 0
	for i := 0; i < len(s); i++ {
		if r := htmlEscapes[s[i]]; r != "" {
			w.WriteString(s[written:i])
			w.WriteString(r)
			written = i + 1
		}
	}
	_, err := w.WriteString(s[written:])
	return err
}

// writeURLEscaped writes s as html/template writes a string in the query
// or fragment of a URL attribute (urlEscaper, not normalising): ASCII
// letters, digits and - . _ ~ as they are, every other byte as %xx in
// lower-case hex. The result holds nothing attrEscaper would change.
func writeURLEscaped(w *bufio.Writer, s string) error {
	written := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if idKeeps(c) || c == '-' || c == '.' || c == '_' || c == '~' {
			continue
		}
		w.WriteString(s[written:i])
		w.Write([]byte{'%', hexDigits[c>>4], hexDigits[c&15]})
		written = i + 1
	}
	_, err := w.WriteString(s[written:])
	return err
}

// groups writes the Problems section's body, after its heading, and the
// next section's heading: the problems, each with its findings.
func (h *htmlStream) groups(p *htmlPage) {
	if len(p.Groups) == 0 {
		h.raw("\n<p class=\"empty\" id=\"no-problems\">No problems.</p>")
	} else {
		h.raw("\n<p class=\"note\" id=\"problems-count\">")
		h.int(p.NFindings)
		h.raw(" findings in ")
		h.int(len(p.Groups))
		h.raw(" problems, one per root cause: open a problem for its findings and evidence.</p>")
		for _, g := range p.Groups {
			h.group(g)
		}
	}
	h.raw("\n</section>\n<section id=\"findings-section\">\n<h2>Findings</h2>")
}

func (h *htmlStream) group(g *htmlProblem) {
	h.raw("\n<details class=\"problem sev-")
	h.text(g.Sev)
	h.raw("\" id=\"")
	h.text(g.ID)
	h.raw("\" data-severity=\"")
	h.text(g.Sev)
	h.raw("\" data-rule=\"")
	h.text(g.Rule)
	h.raw("\">\n<summary><span class=\"sev\">")
	h.text(g.Sev)
	h.raw("</span> <code>")
	h.text(g.Rule)
	h.raw("</code> <span class=\"subject\">")
	h.text(g.Subject)
	h.raw("</span>: ")
	h.text(g.Message)
	if g.More != "" {
		h.raw(" <span class=\"more\">")
		h.text(g.More)
		h.raw("</span>")
	}
	h.raw("</summary>\n<ol class=\"problem-findings\">")
	for _, row := range g.Rows {
		h.raw("\n<li data-finding=\"")
		h.rowID(row)
		h.raw("\"><span class=\"sev\">")
		h.text(row.Sev)
		h.raw("</span> <code>")
		h.text(row.Rule)
		h.raw("</code> ")
		h.text(row.Where)
		h.raw(": ")
		h.text(row.Message)
		h.raw(" <a href=\"#")
		h.rowID(row)
		h.raw("\">row</a>")
		if row.Fix != "" {
			h.raw("<p class=\"fix\">fix: ")
			h.text(row.Fix)
			h.raw("</p>")
		}
		if len(row.Evidence) > 0 {
			h.raw("<ul class=\"evidence\">")
			for _, e := range row.Evidence {
				h.raw("<li>")
				h.text(e)
				h.raw("</li>")
			}
			h.raw("</ul>")
		}
		h.raw("</li>")
	}
	h.raw("\n</ol>\n</details>")
}

// rowID writes f-N (htmlRow.ID), which needs no escaping in any context.
func (h *htmlStream) rowID(r *htmlRow) {
	h.raw("f-")
	h.int(r.N)
}

// detailID writes fd-N (htmlRow.DetailID).
func (h *htmlStream) detailID(r *htmlRow) {
	h.raw("fd-")
	h.int(r.N)
}

// findings writes the Findings section's body (the filters and the
// table) and the next section's heading.
func (h *htmlStream) findings(p *htmlPage) {
	if len(p.Rows) == 0 {
		h.raw("\n<p class=\"empty\" id=\"no-findings\">No findings.</p>")
	} else {
		h.raw("\n<form class=\"filters\" id=\"filters\" hidden>\n<label>severity<select id=\"filter-severity\" name=\"severity\"><option value=\"\">all</option>")
		h.options(p.Severities)
		h.raw("</select></label>\n<label>rule<select id=\"filter-rule\" name=\"rule\"><option value=\"\">all</option>")
		h.options(p.Rules)
		h.raw("</select></label>\n<label>host<select id=\"filter-host\" name=\"host\"><option value=\"\">all</option>")
		h.options(p.Hosts)
		h.raw("</select></label>\n<label>switch<select id=\"filter-switch\" name=\"switch\"><option value=\"\">all</option>")
		h.options(p.Switches)
		h.raw("</select></label>\n" +
			"<label>text<input id=\"filter-q\" name=\"q\" type=\"search\" placeholder=\"any text\"></label>\n" +
			"<button type=\"reset\" id=\"filter-clear\">clear</button>\n" +
			"<span id=\"filter-count\" aria-live=\"polite\"></span>\n" +
			"</form>\n" +
			"<div class=\"table-wrap\">\n" +
			"<table id=\"findings\">\n" +
			"<thead><tr><th>severity</th><th>rule</th><th>host</th><th>bond</th><th>NIC</th><th>switch</th><th>port</th><th>message</th><th class=\"see\">see</th></tr></thead>\n" +
			"<tbody>")
		for _, row := range p.Rows {
			h.row(row)
		}
		h.raw("\n</tbody>\n</table>\n</div>")
	}
	h.raw("\n</section>\n<section id=\"bonds\">\n<h2>Bonds</h2>")
}

func (h *htmlStream) options(vs []string) {
	for _, v := range vs {
		h.raw("<option value=\"")
		h.text(v)
		h.raw("\">")
		h.text(v)
		h.raw("</option>")
	}
}

func (h *htmlStream) row(row *htmlRow) {
	h.raw("\n<tr class=\"finding sev-")
	h.text(row.Sev)
	h.raw("\" id=\"")
	h.rowID(row)
	h.raw("\" data-severity=\"")
	h.text(row.Sev)
	h.raw("\" data-rule=\"")
	h.text(row.Rule)
	h.raw("\" data-host=\"")
	h.text(row.Host)
	h.raw("\" data-switch=\"")
	h.text(row.Switch)
	h.raw("\" data-problem=\"")
	h.text(row.Problem)
	h.raw("\"><td><span class=\"sev\">")
	h.text(row.Sev)
	h.raw("</span></td><td class=\"rule\"><code>")
	h.text(row.Rule)
	h.raw("</code></td><td>")
	h.text(row.Host)
	h.raw("</td><td>")
	h.text(row.Bond)
	h.raw("</td><td>")
	h.text(row.NIC)
	h.raw("</td><td>")
	h.text(row.Switch)
	h.raw("</td><td>")
	h.text(row.Port)
	h.raw("</td><td class=\"msg\">")
	h.text(row.Message)
	h.raw("</td><td class=\"see\"><a href=\"#")
	h.detailID(row)
	h.raw("\">details</a>")
	if row.Anchor != "" {
		h.raw(" · <a class=\"to-diagram\" href=\"#")
		h.frag(row.Anchor)
		h.raw("\">diagram</a>")
	}
	h.raw("</td></tr>")
}

// cards writes the Bonds section's body and the next section's heading.
func (h *htmlStream) cards(p *htmlPage) {
	if len(p.Cards) == 0 {
		h.raw("\n<p class=\"empty\">No bonds.</p>")
	} else {
		h.raw("\n<div class=\"cards\">")
		for _, c := range p.Cards {
			h.card(c)
		}
		h.raw("\n</div>")
	}
	h.raw("\n</section>\n<section id=\"diagram-section\">\n<h2>Diagram</h2>")
}

func (h *htmlStream) card(c *htmlCard) {
	h.raw("\n<article class=\"card card-")
	h.text(c.Kind)
	if c.Worst != "" {
		h.raw(" sev-")
		h.text(c.Worst)
	} else {
		h.raw(" ok")
	}
	h.raw("\" id=\"")
	h.text(c.ID)
	h.raw("\">\n<header><h3>")
	h.text(c.Title)
	h.raw("</h3><span class=\"result\">")
	h.text(c.Result)
	if c.Anchor != "" {
		h.raw(" · <a href=\"#")
		h.frag(c.Anchor)
		h.raw("\">diagram</a>")
	}
	h.raw("</span></header>")
	if c.Bond != nil { // a bond card (Kind "bond"): its settings and slaves
		h.bondFacts(c.Bond.Bond)
		if len(c.Bond.Slaves) > 0 {
			h.raw("\n<ul class=\"legs\">")
			for i := range c.Bond.Slaves {
				h.leg(&c.Bond.Slaves[i])
			}
			h.raw("\n</ul>")
		} else {
			h.raw("\n<p class=\"facts\">no slaves</p>")
		}
	}
	if len(c.Findings) > 0 {
		h.raw("\n<ol class=\"card-findings\">")
		for _, row := range c.Findings {
			h.cardFinding(row)
		}
		h.raw("\n</ol>")
	}
	h.raw("\n</article>")
}

// shown writes s as the page shows a name: through escape.Text, then
// escaped for text or an attribute. escape.Text maps each character on
// its own, so the text of a name between ASCII markup is the text of the
// whole: writing the pieces of a fact is writing its escaped string.
func (h *htmlStream) shown(s string) { h.text(escape.Text(s)) }

// bondFacts writes the bond's settings, " · " between them: its kind
// (other than bonding), mode, miimon, arp_interval, lacp_rate, hash and
// min_links when set.
func (h *htmlStream) bondFacts(b *topology.Bond) {
	h.raw("\n<p class=\"facts\">")
	if b.Kind != "" && b.Kind != "bonding" {
		h.shown(b.Kind)
		h.raw(" · ")
	}
	h.raw("mode ")
	h.shown(orElse(b.Mode, "unknown"))
	if b.MIIMon > 0 {
		h.raw(" · miimon ")
		h.int(b.MIIMon)
		h.raw(" ms")
	}
	if b.ARPInterval > 0 {
		h.raw(" · arp_interval ")
		h.int(b.ARPInterval)
		h.raw(" ms")
	}
	if b.LACPRate != "" {
		h.raw(" · lacp_rate ")
		h.shown(b.LACPRate)
	}
	if b.XmitHashPolicy != "" {
		h.raw(" · hash ")
		h.shown(b.XmitHashPolicy)
	}
	if b.MinLinks > 0 {
		h.raw(" · min_links ")
		h.int(b.MinLinks)
	}
	h.raw("</p>")
}

// leg writes a slave of the bond and where it is cabled (its LAG, and
// the evidence that maps it).
func (h *htmlStream) leg(sf *topology.SlaveFacts) {
	h.raw("\n<li><code>")
	h.shown(sf.Slave.Name)
	h.raw("</code>")
	if !sf.Up {
		// Down: not up (a state other than up, in any case)
		h.raw(" <span class=\"down\">")
		h.shown(string(sf.MII))
		h.raw("</span>")
	}
	h.raw(" → ")
	if l := sf.Link; l != nil {
		h.shown(l.Switch)
		h.raw(" <code>")
		h.shown(l.Port)
		h.raw("</code>")
		if lag := sf.LAG; lag != nil && (lag.Name != "" || lag.Kind != "") {
			h.raw(" in ")
			h.shown(lag.Name)
			if lag.Kind != "" {
				h.raw(" (")
				h.shown(string(lag.Kind))
				h.raw(")")
			}
		}
		if by := evidenceText(l.Evidence); by != "" {
			h.raw(" <span class=\"facts\">(")
			h.text(by)
			h.raw(")</span>")
		}
	} else {
		h.raw("<span class=\"unmapped\">not mapped to a switch port</span>")
	}
	h.raw("</li>")
}

func (h *htmlStream) cardFinding(row *htmlRow) {
	h.raw("\n<li class=\"card-finding sev-")
	h.text(row.Sev)
	h.raw("\" id=\"")
	h.detailID(row)
	h.raw("\"><p><span class=\"sev\">")
	h.text(row.Sev)
	h.raw("</span> <code>")
	h.text(row.Rule)
	h.raw("</code>")
	if row.Where != "" {
		h.raw(" — ")
		h.text(row.Where)
	}
	h.raw(" <a href=\"#")
	h.rowID(row)
	h.raw("\">↑</a></p>\n<p>")
	h.text(row.Message)
	h.raw("</p>")
	if row.Fix != "" {
		h.raw("\n<p class=\"fix\"><strong>Fix:</strong> ")
		h.text(row.Fix)
		h.raw("</p>")
	}
	if len(row.Evidence) > 0 {
		h.raw("\n<ul class=\"evidence\">")
		for _, e := range row.Evidence {
			h.raw("\n<li><code>")
			h.text(e)
			h.raw("</code></li>")
		}
		h.raw("\n</ul>")
	}
	h.raw("\n</li>")
}

// inputs writes the Inputs not read section's body, then the Suppressed
// section whole, and closes <main>.
func (h *htmlStream) inputs(p *htmlPage) {
	if len(p.Problems) == 0 {
		h.raw("\n<p>None: every input was read.</p>")
	} else {
		h.raw("\n<p>These inputs could not be read in full; what they would show was not checked.</p>\n<ul>")
		for _, s := range p.Problems {
			h.raw("\n<li><code>")
			h.text(s)
			h.raw("</code></li>")
		}
		h.raw("\n</ul>")
	}
	h.raw("\n</section>\n<section id=\"suppressed-section\">\n<h2>Suppressed (waived)</h2>")
	if len(p.Waived) == 0 {
		h.raw("\n<p id=\"suppressed\">None.</p>")
	} else {
		h.raw("\n<details class=\"suppressed\" id=\"suppressed\">\n<summary>")
		h.int(len(p.Waived))
		if len(p.Waived) == 1 {
			h.raw(" finding")
		} else {
			h.raw(" findings")
		}
		h.raw(" waived by the policy; they count again when the waiver expires</summary>\n" +
			"<div class=\"table-wrap\">\n" +
			"<table id=\"suppressed-findings\">\n" +
			"<thead><tr><th>severity</th><th>rule</th><th>subject</th><th>message</th><th>reason</th><th>expires</th></tr></thead>\n" +
			"<tbody>")
		for _, row := range p.Waived {
			h.waivedRow(row)
		}
		h.raw("\n</tbody>\n</table>\n</div>\n</details>")
	}
	h.raw("\n</section>\n</main>\n")
}

func (h *htmlStream) waivedRow(row *htmlRow) {
	h.raw("\n<tr class=\"waived sev-")
	h.text(row.Sev)
	h.raw("\" id=\"s-")
	h.int(row.N)
	h.raw("\"><td><span class=\"sev\">")
	h.text(row.Sev)
	h.raw("</span></td><td class=\"rule\"><code>")
	h.text(row.Rule)
	h.raw("</code></td><td>")
	h.text(row.Where)
	h.raw("</td><td>")
	h.text(row.Message)
	h.raw("</td><td>")
	if row.Reason != "" {
		h.text(row.Reason)
	} else {
		h.raw("(none given)")
	}
	h.raw("</td><td class=\"date\">")
	if row.Expires != "" {
		h.text(row.Expires)
	} else {
		h.raw("never")
	}
	h.raw("</td></tr>")
}
