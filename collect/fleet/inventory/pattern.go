package inventory

import (
	"errors"
	"fmt"
	"net/netip"
	"path"
	"regexp"
	"sort"
	"strings"

	"github.com/bondaudit/bondaudit/internal/quote"
)

// UnmatchedError lists the terms of a --limit that matched no host and no
// group. Select returns it with the hosts the other terms selected: the
// selection is usable, and the caller says what matched nothing (Ansible
// warns "Could not match supplied host pattern" and goes on).
type UnmatchedError struct {
	Terms []string
}

func (e *UnmatchedError) Error() string {
	q := make([]string, len(e.Terms))
	for i, t := range e.Terms {
		q[i] = quote.Q(t)
	}
	return "--limit: no host or group matches " + strings.Join(q, ", ")
}

type term struct {
	op  byte // 0, '&' or '!'
	pat string
}

// Select returns the hosts that limit selects, in inventory order. Each
// element of limit is an Ansible host pattern; several are one union. A
// pattern is terms separated by `,` (or `:` where no IPv6 address or
// bracket is involved): a host name, a group name, `all` or `*`, a glob
// (`web*`, `db?.dc[12]`), or `~regex` (Go regexp syntax, matched from the
// start of the name, as Python's re.match). `&term` intersects, `!term`
// excludes; as in Ansible the plain terms are joined first, then the
// intersections, then the exclusions, whatever their order (only & or !
// terms start from all). A glob or regex matches group names and host
// names alike. An empty limit selects every host.
//
// A malformed pattern is an error and selects nothing; terms that match
// nothing give an *UnmatchedError alongside the hosts selected.
func (inv *Inventory) Select(limit []string) ([]Host, error) {
	var terms []term
	for _, l := range limit {
		ts, err := splitPattern(l)
		if err != nil {
			return nil, err
		}
		terms = append(terms, ts...)
	}
	if len(terms) == 0 {
		return append([]Host(nil), inv.Hosts...), nil
	}
	var unmatched []string
	sets := make([]map[int]bool, len(terms))
	for i, t := range terms {
		s, err := inv.match(t.pat)
		if err != nil {
			return nil, err
		}
		if len(s) == 0 {
			name := t.pat
			if t.op != 0 {
				name = string(rune(t.op)) + name
			}
			unmatched = append(unmatched, name)
		}
		sets[i] = s
	}
	sel := map[int]bool{}
	plain := false
	for i, t := range terms {
		if t.op == 0 {
			plain = true
			for h := range sets[i] {
				sel[h] = true
			}
		}
	}
	if !plain {
		for i := range inv.Hosts {
			sel[i] = true
		}
	}
	for i, t := range terms {
		if t.op == '&' {
			for h := range sel {
				if !sets[i][h] {
					delete(sel, h)
				}
			}
		}
	}
	for i, t := range terms {
		if t.op == '!' {
			for h := range sets[i] {
				delete(sel, h)
			}
		}
	}
	idx := make([]int, 0, len(sel))
	for h := range sel {
		idx = append(idx, h)
	}
	sort.Ints(idx)
	out := make([]Host, len(idx))
	for i, h := range idx {
		out[i] = inv.Hosts[h]
	}
	if len(unmatched) > 0 {
		return out, &UnmatchedError{Terms: unmatched}
	}
	return out, nil
}

var subscript = regexp.MustCompile(`\[-?[0-9]*(:-?[0-9]*)?\]$`)

// match returns the hosts one term (without & or !) selects.
func (inv *Inventory) match(p string) (map[int]bool, error) {
	out := map[int]bool{}
	addGroup := func(g string) {
		for _, h := range inv.groups[g] {
			out[h] = true
		}
	}
	switch {
	case p == "all" || p == "*":
		addGroup("all")
		return out, nil
	case strings.HasPrefix(p, "~"):
		re, err := regexp.Compile(`^(?:` + p[1:] + `)`)
		if err != nil {
			return nil, fmt.Errorf("--limit %s: %v", quote.Q(p), err)
		}
		for g := range inv.groups {
			if re.MatchString(g) {
				addGroup(g)
			}
		}
		for i, h := range inv.Hosts {
			if re.MatchString(h.Name) {
				out[i] = true
			}
		}
		return out, nil
	case subscript.MatchString(p) && !strings.ContainsAny(p[:strings.LastIndexByte(p, '[')], "*?"):
		if _, ok := inv.groups[p[:strings.LastIndexByte(p, '[')]]; ok {
			return nil, fmt.Errorf("--limit %s: group subscripts are not supported", quote.Q(p))
		}
	}
	if strings.ContainsAny(p, "*?[") {
		if _, err := path.Match(p, ""); err != nil {
			return nil, fmt.Errorf("--limit %s: bad glob", quote.Q(p))
		}
		for g := range inv.groups {
			if ok, _ := path.Match(p, g); ok {
				addGroup(g)
			}
		}
		for i, h := range inv.Hosts {
			if ok, _ := path.Match(p, h.Name); ok {
				out[i] = true
			}
		}
		return out, nil
	}
	addGroup(p)
	if h, ok := inv.byName[p]; ok {
		out[h] = true
	}
	// An IPv6 host is stored in its canonical form.
	if a, err := netip.ParseAddr(p); err == nil {
		if h, ok := inv.byName[a.String()]; ok {
			out[h] = true
		}
	}
	return out, nil
}

// splitPattern splits a pattern into terms as Ansible's split_host_pattern:
// on commas when there are any, else on colons outside brackets, except
// that an IPv6 address is one term.
func splitPattern(s string) ([]term, error) {
	var pieces []string
	for _, c := range strings.Split(s, ",") {
		c = strings.TrimSpace(c)
		if c == "" {
			continue
		}
		body := strings.TrimLeft(c, "&!")
		if _, err := netip.ParseAddr(strings.Trim(body, "[]")); err == nil {
			pieces = append(pieces, c)
			continue
		}
		depth, start := 0, 0
		for i := 0; i < len(c); i++ {
			switch c[i] {
			case '[':
				depth++
			case ']':
				depth--
			case ':':
				if depth == 0 {
					pieces = append(pieces, c[start:i])
					start = i + 1
				}
			}
		}
		if depth != 0 {
			return nil, fmt.Errorf("--limit %s: unbalanced brackets", quote.Q(c))
		}
		pieces = append(pieces, c[start:])
	}
	var out []term
	for _, p := range pieces {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		t := term{pat: p}
		if p[0] == '&' || p[0] == '!' {
			t.op, t.pat = p[0], strings.TrimSpace(p[1:])
		}
		if t.pat == "" || strings.ContainsAny(t.pat, "&!") && !strings.HasPrefix(t.pat, "~") {
			return nil, fmt.Errorf("--limit %s: a term is a name, a glob or ~regex, with at most one & or ! before it", quote.Q(p))
		}
		out = append(out, t)
	}
	if len(out) == 0 && strings.TrimSpace(s) != "" {
		return nil, errors.New("--limit " + quote.Q(s) + ": no terms")
	}
	return out, nil
}
