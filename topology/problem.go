package topology

import (
	"fmt"
	"strconv"
)

// Problem is an input that could not be read in full: where (the file,
// line and column; 0 where not known) and what went wrong. Readers and
// decoders return problems with what they know (a vendor decoder knows
// the walk's line, not its file), the site reader places them in their
// file. Its text is "file:line:column: what", shortened where a part is
// not known; a Problem without File is one whose What names its input
// itself (messages of readers that compose the whole text).
type Problem struct {
	File   string
	Line   int
	Column int
	What   string
}

// String is the problem as reports show it: "file:line: what".
func (p Problem) String() string {
	var pos string
	switch {
	case p.File == "" && p.Line > 0:
		pos = "line " + strconv.Itoa(p.Line)
	case p.File == "":
	case p.Line > 0 && p.Column > 0:
		pos = fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Column)
	case p.Line > 0:
		pos = p.File + ":" + strconv.Itoa(p.Line)
	default:
		pos = p.File
	}
	if pos == "" {
		return p.What
	}
	return pos + ": " + p.What
}

// MarshalText is String, so a problem is its text in JSON.
func (p Problem) MarshalText() ([]byte, error) { return []byte(p.String()), nil }

// In places a problem in file (a decoder's problem, found at a line of a
// walk read from file).
func (p Problem) In(file string) Problem {
	p.File = file
	return p
}

// ProblemTexts is the text of each problem, as reports list them.
func ProblemTexts(ps []Problem) []string {
	if ps == nil {
		return nil
	}
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.String()
	}
	return out
}
