package report

import (
	"encoding/json"
	"strconv"

	"github.com/bondaudit/bondaudit/topology"
	"github.com/bondaudit/bondaudit/topology/escape"
)

// The report's long lists (findings, problem groups, links, the
// inventory) are appended as indented JSON in one pass, by hand, instead
// of marshalled and then indented again by json.Encoder (appendIndent was
// most of the report's time at 100,000 hosts). The bytes are those
// escape.JSON(w).Encode writes: the same indentation, omitempty rules,
// HTML escaping and escape policy (jsonappend_test.go compares them on
// every kind of character).

// appendJSONString appends s as a JSON string, as escape.JSON encodes it.
// Text escape.JSONPlain passes (plain names, messages with arrows) is
// copied; a string with anything to escape (rare) is encoded by
// encoding/json and escape.JSONBytes themselves.
func appendJSONString(b []byte, s string) []byte {
	if !escape.JSONPlain(s) {
		q, err := json.Marshal(s)
		if err != nil { // a string always marshals
			panic(err)
		}
		return append(b, escape.JSONBytes(q)...)
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// jsonSpaces is sliced for indentation (depths are a few levels).
const jsonSpaces = "                                "

// appendJSONStrings appends ss as an array whose closing bracket is
// indented by ind spaces (null when ss is nil, as encoding/json writes a
// nil slice).
func appendJSONStrings[S ~string](b []byte, ind int, ss []S) []byte {
	if ss == nil {
		return append(b, "null"...)
	}
	if len(ss) == 0 {
		return append(b, "[]"...)
	}
	b = append(b, '[')
	for i, s := range ss {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '\n')
		b = append(b, jsonSpaces[:ind+2]...)
		b = appendJSONString(b, string(s))
	}
	b = append(b, '\n')
	b = append(b, jsonSpaces[:ind]...)
	return append(b, ']')
}

// jsonObj appends one indented object: "{", each field on its own line
// indented two spaces deeper than ind, and "}" indented by ind ("{}" when
// it has no field).
type jsonObj struct {
	b      []byte
	ind    int
	fields int
}

func beginJSONObj(b []byte, ind int) jsonObj {
	return jsonObj{b: append(b, '{'), ind: ind}
}

// key starts a field; k is a constant, plain ASCII name.
func (o *jsonObj) key(k string) {
	if o.fields > 0 {
		o.b = append(o.b, ',')
	}
	o.fields++
	o.b = append(o.b, '\n')
	o.b = append(o.b, jsonSpaces[:o.ind+2]...)
	o.b = append(o.b, '"')
	o.b = append(o.b, k...)
	o.b = append(o.b, `": `...)
}

func (o *jsonObj) str(k, v string) {
	o.key(k)
	o.b = appendJSONString(o.b, v)
}

// strOmit is str for a field tagged omitempty.
func (o *jsonObj) strOmit(k, v string) {
	if v != "" {
		o.str(k, v)
	}
}

func (o *jsonObj) strs(k string, vs []string) {
	o.key(k)
	o.b = appendJSONStrings(o.b, o.ind+2, vs)
}

// strsOmit is strs for a field tagged omitempty.
func (o *jsonObj) strsOmit(k string, vs []string) {
	if len(vs) > 0 {
		o.strs(k, vs)
	}
}

func (o *jsonObj) int(k string, v int) {
	o.key(k)
	o.b = strconv.AppendInt(o.b, int64(v), 10)
}

func (o *jsonObj) end() []byte {
	if o.fields > 0 {
		o.b = append(o.b, '\n')
		o.b = append(o.b, jsonSpaces[:o.ind]...)
	}
	return append(o.b, '}')
}

// appendJSON appends f as the object FindingJSON marshals to (its field
// order and omitempty tags), indented at ind.
func (f *FindingJSON) appendJSON(b []byte, ind int) []byte {
	o := beginJSONObj(b, ind)
	o.str("rule", f.Rule)
	o.str("severity", f.Severity)
	o.strOmit("status", f.Status)
	o.strOmit("host", f.Host)
	o.strOmit("bond", f.Bond)
	o.strOmit("nic", f.NIC)
	o.strOmit("switch", f.Switch)
	o.strOmit("port", f.Port)
	o.str("message", f.Message)
	o.strOmit("fix", f.Fix)
	o.strsOmit("evidence", f.Evidence)
	o.strOmit("reason", f.Reason)
	o.strOmit("expires", f.Expires)
	o.strOmit("domain", f.Domain)
	o.strOmit("problem", f.Problem)
	return o.end()
}

// appendJSON appends p as ProblemJSON marshals, indented at ind.
func (p *ProblemJSON) appendJSON(b []byte, ind int) []byte {
	o := beginJSONObj(b, ind)
	o.str("id", p.ID)
	o.str("rule", p.Rule)
	o.str("severity", p.Severity)
	o.str("status", p.Status)
	o.key("subject")
	s := beginJSONObj(o.b, ind+2)
	s.str("kind", p.Subject.Kind)
	s.strOmit("host", p.Subject.Host)
	s.strOmit("bond", p.Subject.Bond)
	s.strOmit("switch", p.Subject.Switch)
	s.strOmit("lag", p.Subject.LAG)
	s.strOmit("port", p.Subject.Port)
	o.b = s.end()
	o.str("message", p.Message)
	o.int("findings", p.Findings)
	return o.end()
}

// appendLinkJSON appends l as its jsonLink marshals, indented at ind
// (evidence is never null: "[]" when the link has none).
func appendLinkJSON(b []byte, ind int, l *topology.Link) []byte {
	o := beginJSONObj(b, ind)
	o.str("host", l.Host)
	o.str("nic", l.NIC)
	o.str("switch", l.Switch)
	o.str("port", l.Port)
	o.key("evidence")
	ev := l.Evidence
	if ev == nil {
		ev = []topology.EvidenceKind{}
	}
	o.b = appendJSONStrings(o.b, o.ind+2, ev)
	return o.end()
}

// appendJSON appends v as jsonInventory marshals, indented at ind.
func (v *jsonInventory) appendJSON(b []byte, ind int) []byte {
	o := beginJSONObj(b, ind)
	o.strs("hosts", v.Hosts)
	o.strs("switches", v.Switches)
	return o.end()
}
