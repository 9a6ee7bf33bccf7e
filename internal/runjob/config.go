package runjob

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"go.yaml.in/yaml/v3"

	"github.com/bondaudit/bondaudit/internal/quote"
	"github.com/bondaudit/bondaudit/internal/yamlfile"
	"github.com/bondaudit/bondaudit/rules"
	"github.com/bondaudit/bondaudit/rules/report"
)

// Config is a run config (docs/run.example.yaml), checked and with every
// path absolute: relative paths in the file are relative to the file's
// folder, so a config reads the same from any working directory.
type Config struct {
	// Path is the config file, absolute.
	Path string
	// Site is the stable label of the site in every report (never the
	// dated snapshot folder's name).
	Site string
	// Hosts is where host captures come from; nil: none (a switches-only
	// site).
	Hosts *Hosts
	// Switches is where switch data comes from; nil: none.
	Switches *Switches
	// Policy is the policy file copied into each snapshot ("": none).
	Policy string
	// History is the folder of dated snapshots, the latest link and the
	// lock.
	History   string
	Retention Retention
	Outputs   []Output
	// FailOn decides exit status 1, as audit's --fail-on (default error).
	FailOn     rules.FailOn
	FailOnName string
}

// Hosts says where the hosts' captures come from: a folder the hosts keep
// current (From), or an inventory collected over SSH now (Inventory and
// the collect hosts settings).
type Hosts struct {
	// From is a folder the hosts keep current (rsync of their capture
	// folders, <name>.json snapshots): a site's hosts/ folder, read as
	// untrusted input.
	From string `yaml:"from"`
	// Inventory is the hosts to collect over SSH (collect hosts -i).
	Inventory   string `yaml:"inventory"`
	Limit       string `yaml:"limit"`
	Concurrency int    `yaml:"concurrency"`
	KnownHosts  string `yaml:"known_hosts"`
	Become      bool   `yaml:"become"`
}

// DecodeYAML reads the hosts mapping strictly.
func (h *Hosts) DecodeYAML(f *yamlfile.File, n *yaml.Node, label string) {
	before := f.Count()
	mapping(f, n, h, label)
	if f.Count() != before {
		return
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		switch k.Value {
		case "concurrency":
			if h.Concurrency < 1 {
				f.Errorf(v, "%s.concurrency: want hosts collected at once, 1 or more, got %q", label, v.Value)
			}
		}
		if k.Value != "from" && k.Value != "inventory" && h.Inventory == "" {
			f.Errorf(k, "%s.%s: only with inventory (hosts collected over SSH now)", label, k.Value)
		}
	}
}

// Switches says where switch data comes from: polled now from a targets
// file, or recorded walks and snapshots copied from a folder.
type Switches struct {
	Targets     string `yaml:"targets"`
	From        string `yaml:"from"`
	Concurrency int    `yaml:"concurrency"`
}

// DecodeYAML reads the switches mapping strictly.
func (s *Switches) DecodeYAML(f *yamlfile.File, n *yaml.Node, label string) {
	before := f.Count()
	mapping(f, n, s, label)
	if f.Count() != before {
		return
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if k, v := n.Content[i], n.Content[i+1]; k.Value == "concurrency" {
			switch {
			case s.Concurrency < 1:
				f.Errorf(v, "%s.concurrency: want switches polled at once, 1 or more, got %q", label, v.Value)
			case s.Targets == "":
				f.Errorf(k, "%s.concurrency: only with targets (switches polled now)", label)
			}
		}
	}
}

// Retention says which runs history keeps. A run is removed only when
// every rule given allows it (older than Days and not among the Keep
// newest); the newest run and the current one are never removed. Zero
// values are rules not given; neither given keeps everything.
type Retention struct {
	Keep int `yaml:"keep"`
	Days int `yaml:"days"`
}

// DecodeYAML reads the retention mapping strictly.
func (r *Retention) DecodeYAML(f *yamlfile.File, n *yaml.Node, label string) {
	before := f.Count()
	mapping(f, n, r, label)
	if f.Count() != before {
		return
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if x, err := strconv.Atoi(v.Value); err != nil || x < 1 {
			what := map[string]string{"keep": "a number of runs", "days": "a number of days"}[k.Value]
			f.Errorf(v, "%s.%s: want %s, 1 or more, got %q", label, k.Value, what, v.Value)
		}
	}
}

// Output is one report written after each run.
type Output struct {
	// Format is an audit report format (html, json, markdown, prom, junit,
	// sarif, text); default: from Path's extension.
	Format string `yaml:"format"`
	Path   string `yaml:"path"`
	Line   int    `yaml:"-"`
}

type outputs []Output

func (o *outputs) DecodeYAML(f *yamlfile.File, n *yaml.Node, label string) {
	if n.Kind != yaml.SequenceNode {
		f.Errorf(n, "%s: want a list of {format, path}", label)
		return
	}
	for _, x := range n.Content {
		var out Output
		if x.Kind != yaml.MappingNode {
			f.Errorf(x, "%s: want a mapping of %s", label, yamlfile.AllowedKeys(&out))
			continue
		}
		f.Mapping(x, &out, yamlfile.Keys{In: "output", Label: "output "})
		out.Line = x.Line
		*o = append(*o, out)
	}
}

// file is the config as written; its yaml tags are the allowed keys, in
// the order messages list them.
type file struct {
	Site      string    `yaml:"site"`
	Hosts     *Hosts    `yaml:"hosts"`
	Switches  *Switches `yaml:"switches"`
	Policy    string    `yaml:"policy"`
	History   string    `yaml:"history"`
	Retention Retention `yaml:"retention"`
	Outputs   outputs   `yaml:"outputs"`
	FailOn    string    `yaml:"fail_on"`
}

func mapping(f *yamlfile.File, n *yaml.Node, v any, label string) {
	if n.Kind != yaml.MappingNode {
		f.Errorf(n, "%s: want a mapping of %s", label, yamlfile.AllowedKeys(v))
		return
	}
	f.Mapping(n, v, yamlfile.Keys{In: label, Label: label + "."})
}

// Load reads and checks a run config.
func Load(path string) (*Config, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("run config: %w", err)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("run config %s: %w", path, err)
	}
	return Parse(b, abs)
}

// Parse checks the config in b, read from the file path (absolute):
// unknown keys, missing ones and bad values are errors naming the file
// and line.
func Parse(b []byte, path string) (*Config, error) {
	f := &yamlfile.File{Source: path}
	root, err := f.Parse(b)
	if err != nil {
		return nil, err
	}
	var raw file
	if root == nil || root.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("%s: a run config is a mapping of %s", path, yamlfile.AllowedKeys(raw))
	}
	f.Mapping(root, &raw, yamlfile.Keys{})
	c := &Config{Path: path, Site: raw.Site, Hosts: raw.Hosts, Switches: raw.Switches, Retention: raw.Retention}
	dir := filepath.Dir(path)
	abs := func(p string) string {
		switch {
		case p == "":
			return ""
		case filepath.IsAbs(p):
			return filepath.Clean(p)
		}
		return filepath.Join(dir, p)
	}
	at := func(key string) *yaml.Node {
		for i := 0; i+1 < len(root.Content); i += 2 {
			if root.Content[i].Value == key {
				return root.Content[i+1]
			}
		}
		return root
	}

	switch {
	case strings.TrimSpace(c.Site) == "":
		f.Errorf(at("site"), "site: required: the site's stable name in reports and metrics (not the dated snapshot folder)")
	case strings.IndexFunc(c.Site, func(r rune) bool { return !unicode.IsPrint(r) }) >= 0:
		f.Errorf(at("site"), "site: %s: want printable characters only", quote.Q(c.Site))
	}
	if raw.History == "" {
		f.Errorf(at("history"), "history: required: the folder of dated snapshots (e.g. /var/lib/bondaudit/history)")
	}
	c.History = abs(raw.History)
	if raw.Policy != "" {
		c.Policy = abs(raw.Policy)
	}
	if c.Hosts == nil && c.Switches == nil {
		f.Errorf(root, "hosts and switches: give at least one (hosts: {from: DIR} or {inventory: FILE}, switches: {targets: FILE} or {from: DIR})")
	}
	if h := c.Hosts; h != nil {
		switch {
		case h.From == "" && h.Inventory == "":
			f.Errorf(at("hosts"), "hosts.from: required: the folder the hosts keep their captures in (or hosts.inventory: collect them over SSH now)")
		case h.From != "" && h.Inventory != "":
			f.Errorf(at("hosts"), "hosts: give from or inventory, not both")
		}
		if h.Inventory != "" && h.Concurrency == 0 {
			h.Concurrency = 64
		}
		h.From, h.Inventory, h.KnownHosts = abs(h.From), abs(h.Inventory), abs(h.KnownHosts)
	}
	if s := c.Switches; s != nil {
		switch {
		case s.Targets == "" && s.From == "":
			f.Errorf(at("switches"), "switches: give targets (a targets file: poll now) or from (a folder of recorded walks)")
		case s.Targets != "" && s.From != "":
			f.Errorf(at("switches"), "switches: give targets or from, not both")
		}
		if s.Concurrency == 0 {
			s.Concurrency = 16
		}
		s.Targets, s.From = abs(s.Targets), abs(s.From)
	}
	c.FailOnName = raw.FailOn
	if c.FailOnName == "" {
		c.FailOnName = "error"
	}
	if c.FailOn, err = rules.ParseFailOn(c.FailOnName); err != nil {
		f.Errorf(at("fail_on"), "fail_on %v", err)
	}
	seen := map[string]int{}
	for _, o := range raw.Outputs {
		node := &yaml.Node{Line: o.Line}
		if o.Path == "" {
			f.Errorf(node, "output: path required")
			continue
		}
		if o.Path == "-" {
			f.Errorf(node, "output: path \"-\": a run writes files, name one")
			continue
		}
		o.Path = abs(o.Path)
		if o.Format == "" {
			o.Format = report.Audit.ByExt(o.Path)
		}
		if _, err := report.Audit.Writer(o.Format, report.Options{}); err != nil {
			f.Errorf(node, "output %s: %v", o.Path, err)
			continue
		}
		if prev, dup := seen[o.Path]; dup {
			f.Errorf(node, "output %s: already written by the output at line %d", o.Path, prev)
			continue
		}
		seen[o.Path] = o.Line
		c.Outputs = append(c.Outputs, o)
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	if err := c.checkFolders(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return c, nil
}

// checkFolders refuses a history inside a folder a run copies from, or
// the other way round: a run would copy its own history.
func (c *Config) checkFolders() error {
	var sources []string
	if c.Hosts != nil && c.Hosts.From != "" {
		sources = append(sources, "hosts.from", c.Hosts.From)
	}
	if c.Switches != nil && c.Switches.From != "" {
		sources = append(sources, "switches.from", c.Switches.From)
	}
	hist := resolved(c.History)
	for i := 0; i < len(sources); i += 2 {
		src := resolved(sources[i+1])
		if within(hist, src) || within(src, hist) {
			return fmt.Errorf("history %s and %s %s overlap: a run would copy its own history", c.History, sources[i], sources[i+1])
		}
	}
	return nil
}

// resolved is p with the symlinks of its longest existing prefix resolved.
func resolved(p string) string {
	rest := []string{}
	for cur := p; ; cur = filepath.Dir(cur) {
		if r, err := filepath.EvalSymlinks(cur); err == nil {
			slices.Reverse(rest)
			return filepath.Join(append([]string{r}, rest...)...)
		}
		if cur == filepath.Dir(cur) {
			return p
		}
		rest = append(rest, filepath.Base(cur))
	}
}

// within reports whether p is dir or below it.
func within(p, dir string) bool {
	rel, err := filepath.Rel(dir, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}
