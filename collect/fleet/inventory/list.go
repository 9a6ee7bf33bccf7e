package inventory

import (
	"strings"

	"github.com/bondaudit/bondaudit/internal/quote"
)

// readList reads a plain host list: one host per line, `name`,
// `name:port`, `user@name`, `user@name:port`, `[v6]:port` (ranges as in
// INI), blank lines and # comments (a whole line, or after a blank).
func readList(b *builder, data []byte) error {
	for i, raw := range strings.Split(string(data), "\n") {
		num := i + 1
		l := strings.TrimSuffix(raw, "\r")
		if c := strings.Index(l, "#"); c >= 0 && (c == 0 || l[c-1] == ' ' || l[c-1] == '\t') {
			l = l[:c]
		}
		l = strings.TrimSpace(l)
		if l == "" {
			continue
		}
		if strings.ContainsAny(l, " \t") {
			return b.errf(num, "one host per line, got %s", quote.Q(l))
		}
		var vars []hostVar
		if at := strings.LastIndexByte(l, '@'); at >= 0 {
			u := l[:at]
			if err := checkVar("ansible_user", u); err != nil {
				return b.errf(num, "%v", err)
			}
			vars = append(vars, hostVar{"ansible_user", u, num})
			l = l[at+1:]
		}
		names, port, err := expandHostPattern(l)
		if err != nil {
			return b.errf(num, "%v", err)
		}
		for _, n := range names {
			if h := b.hosts[n]; h != nil {
				return b.errf(num, "host %s listed twice (first at line %d)", quote.Name(n), h.line)
			}
			if err := b.addHost(nil, n, port, vars, num); err != nil {
				return err
			}
		}
	}
	return nil
}
