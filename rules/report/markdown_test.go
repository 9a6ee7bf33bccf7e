package report

import (
	"strings"
	"testing"

	"github.com/bondaudit/bondaudit/rules"
)

func TestMarkdownSections(t *testing.T) {
	r := fixtureReport(t)
	r.Site = "dc|1"
	out := string(render(t, Markdown{}, r))
	findings, rest, ok := strings.Cut(out, "## Inputs not read")
	if !ok {
		t.Fatalf("no Inputs not read section:\n%s", out)
	}
	_, suppressed, ok := strings.Cut(rest, "## Suppressed (waived)")
	if !ok {
		t.Fatalf("no Suppressed section:\n%s", out)
	}
	const waivedMsg = "every slave of bond1 is on leaf2"
	if strings.Contains(findings, waivedMsg) || !strings.Contains(suppressed, waivedMsg) {
		t.Errorf("the waived finding must be listed under Suppressed only:\n%s", out)
	}
	for _, s := range []string{"rack B has one leaf", "2026-12-31"} {
		if !strings.Contains(suppressed, s) {
			t.Errorf("Suppressed section lacks %q", s)
		}
	}
	if !strings.Contains(out, `| dc\|1 |`) {
		t.Errorf("| in a table cell is not escaped:\n%s", out)
	}
	// Problems first, a table row each, then the details per problem.
	table, details := strings.Index(out, "\n## Problems\n"), strings.Index(out, "\n## Findings\n")
	if table < 0 || details < table {
		t.Fatalf("no problems table before the findings (%d, %d):\n%s", table, details, out)
	}
	row := "| ERROR | `lacp.switch-not-aggregated` | web01 bond0 |"
	if i := strings.Index(out, row); i < table || i > details || !strings.Contains(out[i:details], "| [2](#p-") {
		t.Errorf("the problems table lacks %q with its 2 findings:\n%s", row, out)
	}
	if strings.Contains(out[table:details], "| ERROR | `lacp.no-partner`") {
		t.Errorf("lacp.no-partner is a consequence, not a row of its own:\n%s", out)
	}
	if !strings.Contains(out[details:], "\n### P-") {
		t.Errorf("no problem sections in the details:\n%s", out)
	}
}

func TestMarkdownEscaping(t *testing.T) {
	for in, want := range map[string]string{
		// a backslash is shown as \\ (escape.Text), each escaped for Markdown
		"a_b*c<d>[e]`f\\":       `a\_b\*c\<d\>\[e\]` + "\\`" + `f\\\\`,
		"two\nlines":            `two\\nlines`,
		"a|b &amp; #1 ~x~":      `a\|b \&amp; \#1 \~x\~`,
		"\x1b[2J\u202e<script>": `\\x1b\[2J\\u202e\<script\>`,
	} {
		if got := mdText(in); got != want {
			t.Errorf("mdText(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{"x": "`x`", "a`b": "`` a`b ``", "a``b`": "``` a``b` ```"} {
		if got := mdCode(in); got != want {
			t.Errorf("mdCode(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestTextShowSuppressed: waived findings are hidden from text (counted in
// one line) unless ShowSuppressed, which lists them with reason and expiry.
func TestTextShowSuppressed(t *testing.T) {
	r := fixtureReport(t)
	var waived *rules.Finding
	for i := range r.Findings {
		if r.Findings[i].Status == rules.StatusSuppressed {
			waived = &r.Findings[i]
		}
	}
	if waived == nil {
		t.Fatal("fixture has no suppressed finding")
	}
	var hidden, shown strings.Builder
	if err := (Text{}).Write(&hidden, r); err != nil {
		t.Fatal(err)
	}
	if err := (Text{ShowSuppressed: true}).Write(&shown, r); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(hidden.String(), waived.Message) || !strings.Contains(hidden.String(), "1 finding waived") {
		t.Errorf("hidden: the waived finding shows, or its count is missing:\n%s", hidden.String())
	}
	for _, want := range []string{waived.Message, waived.Reason, "waived until " + waived.Expires} {
		if !strings.Contains(shown.String(), want) {
			t.Errorf("--show-suppressed output lacks %q:\n%s", want, shown.String())
		}
	}
}
