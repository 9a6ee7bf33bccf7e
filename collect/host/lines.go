package host

import "strings"

// lines iterates over the lines of an in-memory file like bufio.Scanner
// with ScanLines (trailing \r dropped), without a per-file buffer: a site
// of 10,000 hosts is tens of thousands of small files.
type lines struct {
	rest string
	line string
}

func newLines(b []byte) *lines { return &lines{rest: string(b)} }

func (l *lines) Scan() bool {
	if l.rest == "" {
		return false
	}
	i := strings.IndexByte(l.rest, '\n')
	if i < 0 {
		l.line, l.rest = l.rest, ""
	} else {
		l.line, l.rest = l.rest[:i], l.rest[i+1:]
	}
	l.line = strings.TrimSuffix(l.line, "\r")
	return true
}

func (l *lines) Text() string { return l.line }
func (l *lines) Err() error   { return nil }
