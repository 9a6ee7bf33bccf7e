package report

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/bondaudit/bondaudit/rules"
	"github.com/bondaudit/bondaudit/topology"
	"github.com/bondaudit/bondaudit/topology/diagram"
)

// The one registry of output writers: every command's output (audit,
// whatif, diff, topology, diagram, rules) is a Registry of the document it
// writes, and a command picks its writer by --format name from it.

// Options are what a writer may be asked beyond its format. A format reads
// the fields that concern it and ignores the rest.
type Options struct {
	// ShowSuppressed lists findings waived by the policy in the audit's
	// text report (the other formats always carry them).
	ShowSuppressed bool
	// Site names the site in the audit report instead of Report.Site, in
	// every format (the prom format's site label, the JSON site, titles):
	// a name that stays the same from run to run, where the folder audited
	// is a dated snapshot. "" keeps Report.Site.
	Site string
	// Run describes the scheduled run that made the audit report
	// (bondaudit run); nil for a plain audit. The prom format writes the
	// run series from it.
	Run *RunStats
}

// Format is one output format of a document T.
type Format[T any] struct {
	Name string
	// Exts are the -o file extensions that pick this format when no
	// --format is given (diagram only).
	Exts []string
	// New returns the writer, with its options.
	New func(Options) func(io.Writer, T) error
}

// Registry is the formats of one command's document, in the order help
// lists them; the first is the default.
type Registry[T any] struct {
	what    string // names the document in errors: "report", "diagram", …
	formats []Format[T]
	// prepare, when set, adjusts the document to the options before any
	// format writes it.
	prepare func(Options, T) T
}

// Names lists the format names.
func (r *Registry[T]) Names() []string {
	var out []string
	for _, f := range r.formats {
		out = append(out, f.Name)
	}
	return out
}

// Writer returns the writer of format name with options o; an unknown
// format is an error naming the known ones, never a fallback.
func (r *Registry[T]) Writer(name string, o Options) (func(io.Writer, T) error, error) {
	for _, f := range r.formats {
		if f.Name == name {
			w := f.New(o)
			if r.prepare == nil {
				return w, nil
			}
			return func(out io.Writer, v T) error { return w(out, r.prepare(o, v)) }, nil
		}
	}
	return nil, fmt.Errorf("unknown %s format %q: choose one of %s", r.what, name, strings.Join(r.Names(), ", "))
}

// ByExt is the format an output file's extension names, else the default.
func (r *Registry[T]) ByExt(path string) string {
	ext := strings.ToLower(filepath.Ext(path))
	for _, f := range r.formats {
		for _, e := range f.Exts {
			if e == ext {
				return f.Name
			}
		}
	}
	return r.formats[0].Name
}

// plain is a writer that takes no options.
func plain[T any](w func(io.Writer, T) error) func(Options) func(io.Writer, T) error {
	return func(Options) func(io.Writer, T) error { return w }
}

// method is a writer from a method expression such as (*T).WriteText.
func method[T any](m func(T, io.Writer) error) func(Options) func(io.Writer, T) error {
	return plain(func(w io.Writer, v T) error { return m(v, w) })
}

// writerOf adapts a report Writer.
func writerOf(w Writer) func(io.Writer, *Report) error { return w.Write }

// Audit is the audit report's formats (audit, demo).
var Audit = &Registry[*Report]{what: "report", prepare: withSite, formats: []Format[*Report]{
	{Name: "text", Exts: []string{".txt", ".text"}, New: func(o Options) func(io.Writer, *Report) error {
		return writerOf(Text{ShowSuppressed: o.ShowSuppressed})
	}},
	{Name: "json", Exts: []string{".json"}, New: plain(writerOf(JSON{}))},
	{Name: "markdown", Exts: []string{".md", ".markdown"}, New: plain(writerOf(Markdown{}))},
	{Name: "junit", Exts: []string{".xml"}, New: plain(writerOf(JUnit{}))},
	{Name: "sarif", Exts: []string{".sarif"}, New: plain(writerOf(SARIF{}))},
	{Name: "prom", Exts: []string{".prom"}, New: func(o Options) func(io.Writer, *Report) error {
		return writerOf(Prom{Run: o.Run})
	}},
	{Name: "html", Exts: []string{".html", ".htm"}, New: plain(writerOf(HTML{}))},
}}

// withSite is the report under the name Options.Site gives it.
func withSite(o Options, r *Report) *Report {
	if o.Site == "" || r == nil {
		return r
	}
	c := *r
	c.Site = o.Site
	return &c
}

// WhatIfs is whatif's formats.
var WhatIfs = &Registry[*WhatIf]{what: "whatif", formats: []Format[*WhatIf]{
	{Name: "text", New: plain(writeWhatIfText)},
	{Name: "json", New: plain(writeWhatIfJSON)},
	{Name: "markdown", New: plain(writeWhatIfMarkdown)},
}}

// Diffs is diff's formats.
var Diffs = &Registry[*Diff]{what: "diff", formats: []Format[*Diff]{
	{Name: "text", New: plain(writeDiffText)},
	{Name: "json", New: plain(writeDiffJSON)},
	{Name: "markdown", New: plain(writeDiffMarkdown)},
}}

// Topology is the formats of the topology view (topology).
var Topology = &Registry[*topology.View]{what: "topology", formats: []Format[*topology.View]{
	{Name: "text", New: method((*topology.View).WriteText)},
	{Name: "json", New: method((*topology.View).WriteJSON)},
}}

// Diagrams is diagram's formats; the default, dot, is also what an -o
// file of no known extension gets.
var Diagrams = &Registry[*diagram.Diagram]{what: "diagram", formats: []Format[*diagram.Diagram]{
	{Name: "dot", Exts: []string{".dot", ".gv"}, New: method((*diagram.Diagram).DOT)},
	{Name: "mermaid", Exts: []string{".mmd", ".mermaid"}, New: method((*diagram.Diagram).Mermaid)},
	{Name: "svg", Exts: []string{".svg"}, New: method((*diagram.Diagram).SVG)},
	{Name: "html", Exts: []string{".html", ".htm"}, New: method((*diagram.Diagram).HTML)},
}}

// Rules is the rule catalogue's formats (rules): a table, or the
// reference page.
var Rules = &Registry[[]rules.Rule]{what: "rules", formats: []Format[[]rules.Rule]{
	{Name: "text", New: plain(ruleTable)},
	{Name: "markdown", New: plain(ruleMarkdown)},
}}

// Marks reduces findings to what the diagram draws, each with its
// problem's primary rule (rules.Group); waived (suppressed) findings are
// left out.
func Marks(findings []rules.Finding) []diagram.Mark {
	var marks []diagram.Mark
	fs, ps := grouped(findings)
	primary := problemRules(ps)
	for _, f := range fs {
		if f.Status == rules.StatusSuppressed {
			continue
		}
		marks = append(marks, markOf(f, primary))
	}
	return marks
}

// problemRules maps problem ids to their primary rules.
func problemRules(ps []rules.Problem) map[string]string {
	m := make(map[string]string, len(ps))
	for _, p := range ps {
		m[p.ID] = p.Rule
	}
	return m
}
