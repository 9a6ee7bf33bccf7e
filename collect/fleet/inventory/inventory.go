// Package inventory reads the host inventory the fleet collector polls: an
// Ansible INI or YAML inventory, or a plain list of one host per line.
//
// No Go library is used. The maintained candidates were not served by the
// module proxy (github.com/relex/aini, github.com/go-ansible/inventory), and
// aini, the most used, is lenient where this reader must be strict (no
// file:line errors, group vars as a flat string map, undefined children
// created silently).
//
// Format (Load decides from the content, not the file name):
//
//   - YAML when the first line that is not blank or a comment starts with
//     `---`, `{` or a word ending in `:` (`all:`, `webservers: {…}`);
//   - else INI when a line is a [section] header or a host line carries
//     key=value variables;
//   - else a plain list: one host per line, `name`, `name:port`,
//     `user@name:port`, `[v6]:port`, ranges as in INI, `#` comments. A list
//     of bare names is the same inventory either way (every host in `all`
//     and `ungrouped`).
//
// The Ansible subset read (see Ansible's "How to build your inventory"):
// groups, `:children`, `:vars`, host lines with inline variables, host
// ranges (`web[01:20].dc1`, `[a:f]`, `[1:9:2]`), `host:port`, the implicit
// groups `all` and `ungrouped`, comments (`#`, `;`) and quoted values. A
// host's variables are merged as Ansible does: group variables from the
// most general group to the most specific (by depth below `all`, then by
// group name; `ansible_group_priority` is not read), then the host's own.
// Only the connection variables are interpreted: ansible_host, ansible_port,
// ansible_user, ansible_become, and the legacy ansible_ssh_host,
// ansible_ssh_port, ansible_ssh_user, which win over the new names whatever
// level each comes from, as with Ansible's ssh connection plugin (a group's
// ansible_ssh_port beats a host's ansible_port). Others are kept (Host.Vars)
// and ignored. Not read: group_vars/ and
// host_vars/ directories, dynamic inventory scripts and plugins, YAML merge
// keys (<<), host pattern subscripts (`web[0]`).
//
// Strict where Ansible warns or guesses: a group named under :children (or
// YAML children) that is defined nowhere, [g:vars] for an undefined group,
// a child that is its own ancestor, a bad port or boolean, a variable set
// twice at the same level to different values, an unknown section or key,
// are errors naming the file and line. The inventory is the operator's file,
// but it is still bounded (MaxFileBytes, MaxRangeHosts, MaxHosts).
package inventory

import (
	"bytes"
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/bondaudit/bondaudit/internal/opfile"
	"github.com/bondaudit/bondaudit/internal/quote"
)

// Limits.
const (
	MaxFileBytes  = 16 << 20 // an inventory file
	MaxRangeHosts = 100_000  // hosts from one host pattern with ranges
	MaxHosts      = 500_000  // hosts in one inventory
	maxGroups     = 100_000
)

// Format is an inventory's syntax.
type Format int

const (
	FormatINI Format = iota + 1
	FormatYAML
	FormatList
)

func (f Format) String() string {
	switch f {
	case FormatINI:
		return "ini"
	case FormatYAML:
		return "yaml"
	case FormatList:
		return "list"
	}
	return "unknown"
}

// Host is one inventory host with its connection variables resolved.
type Host struct {
	Name    string // the inventory name (inventory_hostname)
	Address string // ansible_host; "" when not set (ssh is given Name)
	Port    int    // ansible_port or name:port; 0 when not set
	User    string // ansible_user (or user@ in a plain list); "" when not set
	Become  bool   // ansible_become
	// Groups the host is in, directly or through :children, sorted; `all`
	// left out.
	Groups []string
	Source string // the inventory file
	Line   int    // where the host is first named
	// Vars are all the host's variables after Ansible's merge.
	Vars map[string]string
}

// BecomeSet reports whether ansible_become was given for the host (true or
// false), as opposed to left to the caller's default.
func (h Host) BecomeSet() bool { _, ok := h.Vars["ansible_become"]; return ok }

// Inventory is a loaded inventory.
type Inventory struct {
	Path   string
	Format Format
	Hosts  []Host // in the order the file first names them

	// group name → indexes into Hosts (directly or through children),
	// in Hosts order; includes all and ungrouped.
	groups map[string][]int
	byName map[string]int
}

// Groups returns the group names, sorted (all and ungrouped included).
func (inv *Inventory) Groups() []string {
	out := make([]string, 0, len(inv.groups))
	for g := range inv.groups {
		out = append(out, g)
	}
	sort.Strings(out)
	return out
}

// Error is a problem at a line of an inventory file.
type Error struct {
	File string
	Line int // 0 when it is about the whole file
	Msg  string
}

func (e *Error) Error() string {
	if e.Line == 0 {
		return e.File + ": " + e.Msg
	}
	return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
}

// Load reads the inventory at path.
func Load(path string) (*Inventory, error) {
	data, err := opfile.Read(path, MaxFileBytes)
	var tl *opfile.TooLargeError
	switch {
	case errors.Is(err, opfile.ErrNotRegular):
		return nil, &Error{File: path, Msg: "not a regular file (dynamic inventories and inventory directories are not read)"}
	case errors.As(err, &tl):
		return nil, &Error{File: path, Msg: tl.Error()}
	case err != nil:
		return nil, err
	}
	return Parse(path, data)
}

// Parse reads an inventory from data, detecting its format; name is used in
// errors and as Host.Source.
func Parse(name string, data []byte) (*Inventory, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	return ParseFormat(name, data, Detect(data))
}

// ParseFormat reads an inventory of the given format.
func ParseFormat(name string, data []byte, f Format) (*Inventory, error) {
	if len(data) > MaxFileBytes {
		return nil, &Error{File: name, Msg: fmt.Sprintf("larger than %d bytes", MaxFileBytes)}
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")) // a UTF-8 byte order mark
	b := newBuilder(name)
	var err error
	switch f {
	case FormatINI:
		err = readINI(b, data)
	case FormatYAML:
		err = readYAML(b, data)
	case FormatList:
		err = readList(b, data)
	default:
		return nil, &Error{File: name, Msg: "unknown inventory format"}
	}
	if err != nil {
		return nil, err
	}
	inv, err := b.finish()
	if err != nil {
		return nil, err
	}
	inv.Format = f
	return inv, nil
}

// Detect tells an inventory's format from its content (see the package
// documentation).
func Detect(data []byte) Format {
	lines := strings.Split(string(data), "\n")
	first := true
	ini := false
	for _, l := range lines {
		l = strings.TrimSpace(strings.TrimSuffix(l, "\r"))
		if l == "" || l[0] == '#' || l[0] == ';' {
			continue
		}
		if first {
			first = false
			word, _, _ := strings.Cut(strings.ReplaceAll(l, "\t", " "), " ")
			if word == "---" || strings.HasSuffix(word, ":") || l[0] == '{' {
				return FormatYAML
			}
		}
		if _, _, ok := sectionHeader(l); ok {
			ini = true
			break
		}
		if strings.Contains(l, "=") {
			ini = true
			break
		}
	}
	if ini {
		return FormatINI
	}
	return FormatList
}

// --- the model shared by the three readers ---

type varVal struct {
	value string
	line  int
}

type group struct {
	name     string
	line     int  // where first named
	defined  bool // has a section / body of its own
	vars     map[string]varVal
	children []string
	childSet map[string]int // child → line
	parents  map[string]bool
	hosts    []*hostRec
	hostSet  map[*hostRec]bool
	depth    int
}

type hostRec struct {
	name  string
	line  int
	vars  map[string]varVal
	order int
}

type builder struct {
	file   string
	groups map[string]*group
	gorder []string
	hosts  map[string]*hostRec
	horder []*hostRec
}

func newBuilder(file string) *builder {
	b := &builder{file: file, groups: map[string]*group{}, hosts: map[string]*hostRec{}}
	b.group("all", 0).defined = true
	b.group("ungrouped", 0).defined = true
	return b
}

func (b *builder) errf(line int, format string, a ...any) error {
	return &Error{File: b.file, Line: line, Msg: fmt.Sprintf(format, a...)}
}

func (b *builder) group(name string, line int) *group {
	g := b.groups[name]
	if g == nil {
		g = &group{name: name, line: line, vars: map[string]varVal{}, childSet: map[string]int{},
			parents: map[string]bool{}, hostSet: map[*hostRec]bool{}}
		b.groups[name] = g
		b.gorder = append(b.gorder, name)
	}
	return g
}

// canonical names the connection variable a legacy name stands for.
func canonical(k string) string {
	switch k {
	case "ansible_ssh_host":
		return "ansible_host"
	case "ansible_ssh_port":
		return "ansible_port"
	case "ansible_ssh_user":
		return "ansible_user"
	}
	return k
}

// checkVar validates a connection variable's value.
func checkVar(k, v string) error {
	switch k {
	case "ansible_port":
		if _, err := parsePort(v); err != nil {
			return err
		}
	case "ansible_become":
		if _, err := parseBool(v); err != nil {
			return err
		}
	case "ansible_host":
		if err := checkAddress(v); err != nil {
			return err
		}
	case "ansible_user":
		if v == "" || strings.ContainsFunc(v, func(r rune) bool { return r <= ' ' || r == 0x7f || r == '@' || r == ':' }) {
			return fmt.Errorf("bad ansible_user %s", quote.Q(v))
		}
	}
	return nil
}

func setVar(vars map[string]varVal, k, v string, line int, where string, b *builder) error {
	if err := checkVar(canonical(k), v); err != nil {
		return b.errf(line, "%s: %s: %v", where, k, err)
	}
	if old, ok := vars[k]; ok && old.value != v {
		return b.errf(line, "%s: %s set to %s here and to %s at line %d", where, k, quote.Q(v), quote.Q(old.value), old.line)
	}
	// The legacy and the new name of one connection variable, both given
	// at one level, must agree (Ansible would take the legacy one silently).
	other := ""
	switch k {
	case "ansible_host", "ansible_port", "ansible_user":
		other = "ansible_ssh_" + strings.TrimPrefix(k, "ansible_")
	case "ansible_ssh_host", "ansible_ssh_port", "ansible_ssh_user":
		other = canonical(k)
	}
	if old, ok := vars[other]; ok && other != "" && old.value != v {
		return b.errf(line, "%s: %s set to %s here and %s to %s at line %d", where, k, quote.Q(v), other, quote.Q(old.value), old.line)
	}
	if _, ok := vars[k]; !ok {
		vars[k] = varVal{value: v, line: line}
	}
	return nil
}

func (b *builder) setGroupVar(g *group, k, v string, line int) error {
	return setVar(g.vars, k, v, line, "group "+quote.Name(g.name), b)
}

// addHost adds the host named name (already expanded) to group g (nil: only
// to all), with its variables.
// hostVar is a variable given to a host, with its line.
type hostVar struct {
	key, value string
	line       int
}

func (b *builder) addHost(g *group, name string, port int, vars []hostVar, line int) error {
	h := b.hosts[name]
	if h == nil {
		if len(b.horder) >= MaxHosts {
			return b.errf(line, "more than %d hosts", MaxHosts)
		}
		h = &hostRec{name: name, line: line, vars: map[string]varVal{}, order: len(b.horder)}
		b.hosts[name] = h
		b.horder = append(b.horder, h)
	}
	where := "host " + quote.Name(name)
	if port != 0 {
		if err := setVar(h.vars, "ansible_port", strconv.Itoa(port), line, where, b); err != nil {
			return err
		}
	}
	for _, kv := range vars {
		if err := setVar(h.vars, kv.key, kv.value, kv.line, where, b); err != nil {
			return err
		}
	}
	if g != nil && !g.hostSet[h] {
		g.hostSet[h] = true
		g.hosts = append(g.hosts, h)
	}
	return nil
}

func (b *builder) addChild(parent *group, child string, line int) error {
	if child == parent.name {
		return b.errf(line, "group %s is its own child", quote.Name(child))
	}
	if child == "all" {
		return b.errf(line, "group all cannot be a child")
	}
	c := b.group(child, line)
	if _, ok := parent.childSet[child]; !ok {
		parent.childSet[child] = line
		parent.children = append(parent.children, child)
	}
	c.parents[parent.name] = true
	return nil
}

func (b *builder) finish() (*Inventory, error) {
	if len(b.groups) > maxGroups {
		return nil, b.errf(0, "more than %d groups", maxGroups)
	}
	all := b.groups["all"]
	ungrouped := b.groups["ungrouped"]
	// Every group named only as a child must be defined somewhere.
	for _, name := range b.gorder {
		g := b.groups[name]
		if !g.defined {
			return nil, b.errf(g.line, "group %s is named as a child but defined nowhere (no hosts or children of its own); a host belongs in the parent's hosts, not its children", quote.Name(name))
		}
	}
	// Top-level groups are children of all.
	for _, name := range b.gorder {
		g := b.groups[name]
		if name != "all" && len(g.parents) == 0 {
			if err := b.addChild(all, name, g.line); err != nil {
				return nil, err
			}
		}
	}
	// Reject :children loops, then give each group its depth: the longest
	// path from all (Ansible's group depth, which orders the var merge).
	state := map[string]int{} // 1 on the path, 2 done
	var walk func(g *group) error
	walk = func(g *group) error {
		state[g.name] = 1
		for _, c := range g.children {
			switch state[c] {
			case 1:
				return b.errf(g.childSet[c], "group %s is its own ancestor (a :children loop)", quote.Name(c))
			case 0:
				if err := walk(b.groups[c]); err != nil {
					return err
				}
			}
		}
		state[g.name] = 2
		return nil
	}
	for _, name := range b.gorder {
		if state[name] == 0 {
			if err := walk(b.groups[name]); err != nil {
				return nil, err
			}
		}
	}
	depth := map[string]int{"all": 0}
	var depthOf func(g *group) int
	depthOf = func(g *group) int {
		if d, ok := depth[g.name]; ok {
			return d
		}
		d := 0
		for p := range g.parents {
			d = max(d, depthOf(b.groups[p])+1)
		}
		depth[g.name] = d
		return d
	}
	for _, name := range b.gorder {
		b.groups[name].depth = depthOf(b.groups[name])
	}

	// As Ansible's reconcile: a host listed under ungrouped that is also in
	// another group is not ungrouped.
	direct := map[*hostRec]bool{}
	for _, name := range b.gorder {
		if name != "all" && name != "ungrouped" {
			for _, h := range b.groups[name].hosts {
				direct[h] = true
			}
		}
	}
	ungrouped.hosts = slices.DeleteFunc(ungrouped.hosts, func(h *hostRec) bool { return direct[h] })

	// Membership: each host's groups, transitively.
	member := make([]map[string]bool, len(b.horder))
	for i := range member {
		member[i] = map[string]bool{"all": true}
	}
	var mark func(h *hostRec, g *group)
	mark = func(h *hostRec, g *group) {
		if member[h.order][g.name] {
			return
		}
		member[h.order][g.name] = true
		for p := range g.parents {
			mark(h, b.groups[p])
		}
	}
	for _, name := range b.gorder {
		for _, h := range b.groups[name].hosts {
			mark(h, b.groups[name])
		}
	}
	for _, h := range b.horder {
		if len(member[h.order]) == 1 {
			member[h.order]["ungrouped"] = true
			ungrouped.hosts = append(ungrouped.hosts, h)
		}
	}

	inv := &Inventory{Path: b.file, groups: map[string][]int{}, byName: map[string]int{}}
	for _, name := range b.gorder {
		inv.groups[name] = nil
	}
	for i, h := range b.horder {
		var gs []*group
		for name := range member[i] {
			gs = append(gs, b.groups[name])
		}
		slices.SortFunc(gs, func(x, y *group) int {
			if x.depth != y.depth {
				return x.depth - y.depth
			}
			return strings.Compare(x.name, y.name)
		})
		vars := map[string]string{}
		for _, g := range gs {
			for k, v := range g.vars {
				vars[k] = v.value
			}
		}
		for k, v := range h.vars {
			vars[k] = v.value
		}
		host := Host{Name: h.name, Source: b.file, Line: h.line, Vars: vars}
		for _, g := range gs {
			inv.groups[g.name] = append(inv.groups[g.name], i)
			if g.name != "all" {
				host.Groups = append(host.Groups, g.name)
			}
		}
		sort.Strings(host.Groups)
		host.Address = connVar(vars, "host")
		host.User = connVar(vars, "user")
		if v := connVar(vars, "port"); v != "" {
			host.Port, _ = parsePort(v)
		}
		if v, ok := vars["ansible_become"]; ok {
			host.Become, _ = parseBool(v)
		}
		inv.Hosts = append(inv.Hosts, host)
		inv.byName[h.name] = i
	}
	return inv, nil
}

// connVar is a connection variable as Ansible's ssh plugin takes it: the
// legacy ansible_ssh_NAME when the host has it from any level, else
// ansible_NAME (the plugin lists both and the later one in its list wins,
// whatever level each comes from).
func connVar(vars map[string]string, name string) string {
	if v, ok := vars["ansible_ssh_"+name]; ok {
		return v
	}
	return vars["ansible_"+name]
}

// --- values ---

func parsePort(s string) (int, error) {
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > 65535 || s[0] == '+' {
		return 0, fmt.Errorf("bad port %s (1 to 65535)", quote.Q(s))
	}
	return n, nil
}

// parseBool reads a boolean as Ansible's boolean filter does.
func parseBool(s string) (bool, error) {
	switch strings.ToLower(s) {
	case "true", "yes", "on", "y", "1", "t":
		return true, nil
	case "false", "no", "off", "n", "0", "f":
		return false, nil
	}
	return false, fmt.Errorf("bad boolean %s (true/false, yes/no, on/off, 1/0)", quote.Q(s))
}

// checkAddress accepts a host name or an IP address.
func checkAddress(s string) error {
	if _, err := netip.ParseAddr(s); err == nil {
		return nil
	}
	if !validHostName(s) {
		return fmt.Errorf("bad address %s", quote.Q(s))
	}
	return nil
}

func validHostName(s string) bool {
	if s == "" || len(s) > 253 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '_':
		case (c == '-' || c == '.') && i > 0:
		default:
			return false
		}
	}
	return true
}

func validGroupName(s string) bool {
	return validHostName(s) && len(s) <= 255
}

func validVarName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || i > 0 && c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// --- host patterns in the file: ranges, :port, IPv6 ---

// expandHostPattern reads one host pattern as written in an inventory:
// a name or an address, maybe with ranges, maybe with :port.
func expandHostPattern(s string) (names []string, port int, err error) {
	if s == "" {
		return nil, 0, errors.New("empty host name")
	}
	// [v6] or [v6]:port
	if strings.HasPrefix(s, "[") {
		if end := strings.IndexByte(s, ']'); end > 0 {
			if a, err := netip.ParseAddr(s[1:end]); err == nil && a.Is6() {
				rest := s[end+1:]
				if rest != "" {
					if !strings.HasPrefix(rest, ":") {
						return nil, 0, fmt.Errorf("bad host %s", quote.Q(s))
					}
					if port, err = parsePort(rest[1:]); err != nil {
						return nil, 0, err
					}
				}
				return []string{a.String()}, port, nil
			}
		}
	}
	// A bare IPv6 address (no port).
	if strings.Count(s, ":") >= 2 {
		if a, err := netip.ParseAddr(s); err == nil {
			return []string{a.String()}, 0, nil
		}
	}
	// name[:port], the colon outside brackets.
	depth := 0
	colon := -1
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '[':
			depth++
		case ']':
			depth--
		case ':':
			if depth == 0 {
				if colon >= 0 {
					return nil, 0, fmt.Errorf("bad host %s (more than one :port)", quote.Q(s))
				}
				colon = i
			}
		}
	}
	name := s
	if colon >= 0 {
		name = s[:colon]
		if port, err = parsePort(s[colon+1:]); err != nil {
			return nil, 0, err
		}
	}
	names, err = expandRanges(name)
	if err != nil {
		return nil, 0, err
	}
	for _, n := range names {
		if _, err := netip.ParseAddr(n); err == nil {
			continue
		}
		if !validHostName(n) {
			return nil, 0, fmt.Errorf("bad host name %s", quote.Q(n))
		}
	}
	return names, port, nil
}

type hostRange struct {
	prefix string
	items  []string
}

// expandRanges expands every [beg:end] or [beg:end:step] in name.
func expandRanges(name string) ([]string, error) {
	var parts []hostRange
	rest := name
	total := 1
	for {
		open := strings.IndexByte(rest, '[')
		if open < 0 {
			break
		}
		end := strings.IndexByte(rest[open:], ']')
		if end < 0 {
			return nil, fmt.Errorf("unclosed [ in %s", quote.Q(name))
		}
		end += open
		items, err := rangeItems(rest[open+1:end], MaxRangeHosts/total)
		if err != nil {
			return nil, fmt.Errorf("range in %s: %v", quote.Q(name), err)
		}
		total *= len(items)
		parts = append(parts, hostRange{prefix: rest[:open], items: items})
		rest = rest[end+1:]
	}
	if strings.IndexByte(rest, ']') >= 0 {
		return nil, fmt.Errorf("stray ] in %s", quote.Q(name))
	}
	out := []string{""}
	for _, p := range parts {
		next := make([]string, 0, len(out)*len(p.items))
		for _, o := range out {
			for _, it := range p.items {
				next = append(next, o+p.prefix+it)
			}
		}
		out = next
	}
	for i := range out {
		out[i] += rest
	}
	return out, nil
}

// rangeItems expands beg:end[:step]; at most limit items.
func rangeItems(spec string, limit int) ([]string, error) {
	f := strings.Split(spec, ":")
	if len(f) < 2 || len(f) > 3 {
		return nil, fmt.Errorf("%s is not beg:end or beg:end:step", quote.Q(spec))
	}
	beg, end := f[0], f[1]
	step := 1
	if len(f) == 3 {
		n, err := strconv.Atoi(f[2])
		if err != nil || n < 1 {
			return nil, fmt.Errorf("bad step %s", quote.Q(f[2]))
		}
		step = n
	}
	if beg == "" {
		beg = "0"
	}
	isNum := func(s string) bool {
		if s == "" || len(s) > 9 {
			return false
		}
		for i := 0; i < len(s); i++ {
			if s[i] < '0' || s[i] > '9' {
				return false
			}
		}
		return true
	}
	isAlpha := func(s string) bool {
		return len(s) == 1 && (s[0] >= 'a' && s[0] <= 'z' || s[0] >= 'A' && s[0] <= 'Z')
	}
	var items []string
	switch {
	case isNum(beg) && isNum(end):
		width := 0
		if len(beg) > 1 && beg[0] == '0' {
			if len(beg) != len(end) {
				return nil, fmt.Errorf("%s: zero-padded ranges need begin and end of equal length", quote.Q(spec))
			}
			width = len(beg)
		}
		b, _ := strconv.Atoi(beg)
		e, _ := strconv.Atoi(end)
		if b > e {
			return nil, fmt.Errorf("%s: begin after end", quote.Q(spec))
		}
		if (e-b)/step+1 > limit {
			return nil, fmt.Errorf("%s expands to more than %d hosts", quote.Q(spec), MaxRangeHosts)
		}
		for i := b; i <= e; i += step {
			items = append(items, fmt.Sprintf("%0*d", width, i))
		}
	case isAlpha(beg) && isAlpha(end):
		if (beg[0] >= 'a') != (end[0] >= 'a') || beg[0] > end[0] {
			return nil, fmt.Errorf("%s: letters must be of one case, begin before end", quote.Q(spec))
		}
		for c := int(beg[0]); c <= int(end[0]); c += step {
			items = append(items, string(rune(c)))
		}
		if len(items) > limit {
			return nil, fmt.Errorf("%s expands to more than %d hosts", quote.Q(spec), MaxRangeHosts)
		}
	default:
		return nil, fmt.Errorf("%s is not a range of numbers or of single letters", quote.Q(spec))
	}
	return items, nil
}
