package inventory

import (
	"errors"
	"fmt"
	"strings"

	"github.com/bondaudit/bondaudit/internal/quote"
)

// sectionHeader reads `[name]`, `[name:children]` or `[name:vars]`
// (a trailing # or ; comment allowed).
func sectionHeader(l string) (name, kind string, ok bool) {
	if !strings.HasPrefix(l, "[") {
		return "", "", false
	}
	end := strings.IndexByte(l, ']')
	if end < 0 {
		return "", "", false
	}
	rest := strings.TrimSpace(l[end+1:])
	if rest != "" && rest[0] != '#' && rest[0] != ';' {
		return "", "", false
	}
	inner := l[1:end]
	name, kind, _ = strings.Cut(inner, ":")
	if name == "" || strings.Contains(name, "[") {
		return "", "", false
	}
	// "[2001:db8::1]:22" or a range is a host, not a header.
	if strings.Contains(kind, ":") {
		return "", "", false
	}
	return name, kind, true
}

type section struct {
	kind  string // "hosts", "children", "vars"
	group *group
	line  int
}

// readINI reads Ansible's INI inventory format.
func readINI(b *builder, data []byte) error {
	cur := section{kind: "hosts"} // before any header: ungrouped hosts
	type pendingVars struct {
		group string
		line  int
	}
	var varSections []pendingVars
	for i, raw := range strings.Split(string(data), "\n") {
		num := i + 1
		l := strings.TrimSpace(strings.TrimSuffix(raw, "\r"))
		if l == "" || l[0] == '#' || l[0] == ';' {
			continue
		}
		if strings.HasPrefix(l, "[") {
			if name, kind, ok := sectionHeader(l); ok {
				if !validGroupName(name) {
					return b.errf(num, "bad group name %s", quote.Q(name))
				}
				switch kind {
				case "":
					g := b.group(name, num)
					g.defined = true
					cur = section{kind: "hosts", group: g, line: num}
				case "children":
					g := b.group(name, num)
					g.defined = true
					cur = section{kind: "children", group: g, line: num}
				case "vars":
					varSections = append(varSections, pendingVars{name, num})
					cur = section{kind: "vars", group: b.group(name, num), line: num}
				default:
					return b.errf(num, "unknown section kind %s (want [group], [group:children] or [group:vars])", quote.Q(kind))
				}
				continue
			}
			// Not a header: a host line starting with [v6] or a range.
		}
		switch cur.kind {
		case "hosts":
			if err := iniHostLine(b, cur.group, l, num); err != nil {
				return err
			}
		case "children":
			words, err := splitWords(l)
			if err != nil {
				return b.errf(num, "%v", err)
			}
			if len(words) != 1 {
				return b.errf(num, "a [%s:children] line names one group, got %s", cur.group.name, quote.Q(l))
			}
			if !validGroupName(words[0]) {
				return b.errf(num, "bad group name %s", quote.Q(words[0]))
			}
			if err := b.addChild(cur.group, words[0], num); err != nil {
				return err
			}
		case "vars":
			k, v, ok := strings.Cut(l, "=")
			k = strings.TrimSpace(k)
			if !ok || !validVarName(k) {
				return b.errf(num, "a [%s:vars] line is name=value, got %s", cur.group.name, quote.Q(l))
			}
			if err := b.setGroupVar(cur.group, k, unquote(strings.TrimSpace(v)), num); err != nil {
				return err
			}
		}
	}
	// [g:vars] for a group defined nowhere is Ansible's error too.
	for _, p := range varSections {
		if !b.groups[p.group].defined {
			return b.errf(p.line, "[%s:vars] for a group that has no [%s] or [%s:children] section", p.group, p.group, p.group)
		}
	}
	return nil
}

// iniHostLine reads `host[:port] [key=value ...]`.
func iniHostLine(b *builder, g *group, l string, num int) error {
	words, err := splitWords(l)
	if err != nil {
		return b.errf(num, "%v", err)
	}
	if len(words) == 0 {
		return nil // only a comment
	}
	names, port, err := expandHostPattern(words[0])
	if err != nil {
		return b.errf(num, "%v", err)
	}
	var vars []hostVar
	for _, w := range words[1:] {
		k, v, ok := strings.Cut(w, "=")
		if !ok || !validVarName(k) {
			return b.errf(num, "host %s: %s is not name=value", quote.Name(words[0]), quote.Q(w))
		}
		vars = append(vars, hostVar{k, v, num})
	}
	for _, n := range names {
		if err := b.addHost(g, n, port, vars, num); err != nil {
			return err
		}
	}
	return nil
}

// splitWords splits a host line as Ansible does (shlex, POSIX mode, with
// comments): words separated by blanks, 'single' and "double" quotes, a
// backslash escaping the next character outside single quotes, a # at the
// start of a word starting a comment.
func splitWords(s string) ([]string, error) {
	var out []string
	i := 0
	for {
		for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
			i++
		}
		if i == len(s) || s[i] == '#' {
			return out, nil
		}
		var w strings.Builder
		var q byte
		for ; i < len(s); i++ {
			c := s[i]
			if q == '\'' {
				if c == '\'' {
					q = 0
				} else {
					w.WriteByte(c)
				}
				continue
			}
			if q == '"' {
				switch {
				case c == '"':
					q = 0
				case c == '\\' && i+1 < len(s) && (s[i+1] == '"' || s[i+1] == '\\'):
					i++
					w.WriteByte(s[i])
				default:
					w.WriteByte(c)
				}
				continue
			}
			if c == ' ' || c == '\t' {
				break
			}
			switch c {
			case '\'', '"':
				q = c
			case '\\':
				if i+1 == len(s) {
					return nil, errors.New("line ends with a backslash")
				}
				i++
				w.WriteByte(s[i])
			default:
				w.WriteByte(c)
			}
		}
		if q != 0 {
			return nil, fmt.Errorf("unterminated %c quote", q)
		}
		out = append(out, w.String())
	}
}

// unquote reads a [group:vars] value as Ansible does where it matters:
// Ansible evaluates the text as a Python literal and keeps the raw text when
// that fails, so a quoted string or a number may be followed by a
// # comment ("22 # ssh" is 22, "'dc two' # x" is dc two), while anything
// else is kept whole, comment included ("ops # x" stays "ops # x", which
// the ansible_user check then refuses).
func unquote(v string) string {
	if v == "" {
		return v
	}
	comment := func(rest string) bool {
		rest = strings.TrimSpace(rest)
		return rest == "" || rest[0] == '#'
	}
	if q := v[0]; q == '"' || q == '\'' {
		if end := strings.IndexByte(v[1:], q); end >= 0 && !strings.Contains(v[1:end+1], "\\") && comment(v[end+2:]) {
			return v[1 : end+1]
		}
		return v
	}
	word, rest, _ := strings.Cut(v, " ")
	if comment(rest) && isPythonNumberOrBool(word) {
		return word
	}
	return v
}

func isPythonNumberOrBool(w string) bool {
	if w == "True" || w == "False" {
		return true
	}
	w = strings.TrimPrefix(w, "-")
	if w == "" || len(w) > 1 && w[0] == '0' {
		return false
	}
	for i := 0; i < len(w); i++ {
		if w[i] < '0' || w[i] > '9' {
			return false
		}
	}
	return true
}
