package host

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/bondaudit/bondaudit/internal/quote"
	"github.com/bondaudit/bondaudit/topology"
)

// OVS bond_mode values (ofproto/bond.c bond_mode_to_string). "stable" is
// the OVS 1.x mode removed in 1.10; it is read but has no mode class.
var ovsBondModes = map[string]bool{"balance-tcp": true, "balance-slb": true, "active-backup": true, "stable": true}

// OVSModeLACP is the Mode given to an OVS bond that runs LACP
// (lacp_status configured or negotiated) with a bond_mode other than
// balance-tcp: the mode class matrix's "any bond with lacp=active/passive".
// The original bond_mode is kept in the bond's Source.
const OVSModeLACP topology.BondMode = "lacp"

// ParseOVSBondShow parses `ovs-appctl bond/show` (or `bond/show <port>`)
// output of Open vSwitch 1.x to 3.x: one "---- <bond> ----" section per
// bond, bond keys (bond_mode, updelay, downdelay, lacp_status,
// lacp_fallback_ab, active-backup primary, "active slave mac" / "active
// member mac") and one block per member ("slave eth1: enabled" before 2.15,
// "member eth1: enabled" since), with "active slave"/"active member",
// "updelay expires in …", may_enable and hash lines. Keys a version adds and
// this reader does not need (recirculation, lb_output, next rebalance, …)
// are skipped.
//
// Each bond has Kind ovs and Mode bond_mode, except that a bond with LACP
// configured or negotiated and a bond_mode other than balance-tcp gets Mode
// "lacp" (OVSModeLACP). Whenever LACP is on, Source is "<file> (bond_mode
// <mode>, lacp <status>)" so the evidence keeps what OVS printed. Members
// get MIIStatus up (enabled), down (disabled), "going back" (disabled,
// updelay running) or "going down" (enabled, downdelay running). ActiveSlave
// is set only where OVS sends on one member: active-backup, or LACP
// configured but not negotiated with lacp_fallback_ab true. bond/show does
// not say which bridge a bond is on, so Bridge stays empty.
//
// An empty file means no OVS bond (nil, nil). errs are problems, each a
// *ParseError naming the file and line; the bonds that could be read are
// still returned.
func ParseOVSBondShow(data []byte, file string) ([]topology.Bond, []error) {
	p := &ovsParser{file: file}
	sc := newLines(data)
	for sc.Scan() {
		p.line++
		p.feed(sc.Text())
	}
	p.finish()
	if p.stray > 0 {
		msg := fmt.Sprintf("not `ovs-appctl bond/show` output: %s is outside any \"---- <bond> ----\" section", quote.Q(p.strayText))
		if p.stray > 1 {
			msg += fmt.Sprintf(" (and %d more such lines)", p.stray-1)
		}
		p.errs = append(p.errs, &ParseError{File: file, Line: p.strayLine, Msg: msg})
	}
	return p.bonds, p.errs
}

type ovsParser struct {
	file  string
	line  int
	errs  []error
	bonds []topology.Bond
	index map[string]int // bond name → position in bonds

	cur       *topology.Bond
	mode      string // bond_mode as printed
	lacp      string // lacp_status: off, configured, negotiated, "" unknown
	fallback  bool   // lacp_fallback_ab
	activeMAC string // member named by "active slave mac: …(name)"
	marked    string // member with an "active slave"/"active member" line
	member    *topology.Slave
	delay     string // "updelay" / "downdelay" expiring on the current member

	stray               int // non-blank lines outside any section
	strayLine           int
	strayText           string
	sectionLine         int
	sawMode, sawMembers bool
	sawKey              bool // a line after the section header
	skip                bool // inside an `ovs-appctl lacp/show` section
}

func (p *ovsParser) errorf(format string, args ...any) {
	p.errs = append(p.errs, &ParseError{File: p.file, Line: p.line, Msg: fmt.Sprintf(format, args...)})
}

func (p *ovsParser) flushMember() {
	if p.cur == nil || p.member == nil {
		p.member, p.delay = nil, ""
		return
	}
	m := p.member
	switch {
	case m.MIIStatus == topology.LinkDown && p.delay == "updelay":
		m.MIIStatus = topology.LinkGoingBack
	case m.MIIStatus == topology.LinkUp && p.delay == "downdelay":
		m.MIIStatus = topology.LinkGoingDown
	}
	p.cur.Slaves = append(p.cur.Slaves, *m)
	p.member, p.delay = nil, ""
}

func (p *ovsParser) finish() {
	p.flushMember()
	if p.cur == nil {
		return
	}
	b := p.cur
	if !p.sawMode {
		p.errs = append(p.errs, &ParseError{File: p.file, Line: p.sectionLine, Msg: fmt.Sprintf("bond %s has no bond_mode line: its mode is unknown", quote.Name(b.Name))})
	}
	lacpOn := p.lacp == "configured" || p.lacp == "negotiated"
	b.Mode = topology.BondMode(p.mode)
	if lacpOn && p.mode != "balance-tcp" {
		b.Mode = OVSModeLACP
	}
	if lacpOn {
		b.Source = fmt.Sprintf("%s (bond_mode %s, lacp %s)", p.file, quote.Name(p.mode), p.lacp)
	}
	if p.mode == "active-backup" || (p.lacp == "configured" && p.fallback) {
		b.ActiveSlave = p.marked
		if b.ActiveSlave == "" {
			b.ActiveSlave = p.activeMAC
		}
	}
	if i, dup := p.index[b.Name]; dup {
		p.errs = append(p.errs, &ParseError{File: p.file, Line: p.sectionLine, Msg: fmt.Sprintf("bond %s described twice: the later copy is used", quote.Name(b.Name))})
		p.bonds[i] = *b
	} else {
		if p.index == nil {
			p.index = map[string]int{}
		}
		p.index[b.Name] = len(p.bonds)
		p.bonds = append(p.bonds, *b)
	}
	p.cur = nil
}

// ovsSection returns the bond name of a "---- name ----" header line.
func ovsSection(line string) (string, bool) {
	rest, ok := strings.CutPrefix(line, "---- ")
	if !ok {
		return "", false
	}
	name, ok := strings.CutSuffix(rest, " ----")
	name = strings.TrimSpace(name)
	if !ok || name == "" || strings.ContainsAny(name, " \t") {
		return "", false
	}
	return name, true
}

func (p *ovsParser) feed(raw string) {
	line := strings.TrimSpace(raw)
	if line == "" {
		return
	}
	if name, ok := ovsSection(line); ok {
		p.finish()
		p.cur = &topology.Bond{Name: name, Kind: topology.BondKindOVS, Source: p.file}
		p.mode, p.lacp, p.fallback, p.activeMAC, p.marked = "", "", false, "", ""
		p.sawMode, p.sawMembers, p.sawKey, p.skip = false, false, false, false
		p.sectionLine = p.line
		return
	}
	if p.cur == nil && !p.skip {
		if p.stray == 0 {
			p.strayLine, p.strayText = p.line, line
		}
		p.stray++
		return
	}

	if p.skip {
		return
	}
	if !p.sawKey && strings.HasPrefix(line, "status:") {
		// an `ovs-appctl lacp/show` section appended to the file
		p.cur, p.skip = nil, true
		return
	}
	p.sawKey = true

	// member / slave header: "member eth1: enabled" ("slave" before 2.15)
	if word, rest, ok := strings.Cut(line, " "); ok && (word == "member" || word == "slave") {
		if name, state, ok := strings.Cut(rest, ":"); ok && name != "" && !strings.ContainsAny(name, " \t") {
			p.flushMember()
			p.sawMembers = true
			s := &topology.Slave{Name: name, Source: p.file}
			switch state = strings.TrimSpace(state); state {
			case "enabled":
				s.MIIStatus = topology.LinkUp
			case "disabled":
				s.MIIStatus = topology.LinkDown
			default:
				p.errorf("%s %s: state %s is neither enabled nor disabled", word, quote.Name(name), quote.Q(state))
			}
			p.member = s
			return
		}
	}

	// member lines without a colon
	switch {
	case line == "active slave" || line == "active member":
		if p.member == nil {
			p.errorf("%s outside a member block", quote.Q(line))
			return
		}
		p.marked = p.member.Name
		return
	case strings.HasPrefix(line, "updelay expires in ") || strings.HasPrefix(line, "downdelay expires in "):
		if p.member == nil {
			p.errorf("%s outside a member block", quote.Q(line))
			return
		}
		p.delay, _, _ = strings.Cut(line, " ")
		return
	}

	key, val, ok := strings.Cut(line, ":")
	if !ok {
		p.errorf("unrecognised line %s", quote.Q(line))
		return
	}
	key, val = strings.TrimSpace(key), strings.TrimSpace(val)
	switch {
	case key == "may_enable":
		if p.member == nil {
			p.errorf("may_enable outside a member block")
		} else if val != "true" && val != "false" {
			p.errorf("may_enable: %s is neither true nor false", quote.Q(val))
		}
		return
	case strings.HasPrefix(key, "hash "):
		return // per-hash load of balanced bonds
	}
	if p.sawMembers {
		// Bond keys come before the members; one after them is a key this
		// reader does not know in a member block.
		if !ovsBondKey(key) {
			return
		}
		p.errorf("%s after the member blocks", key)
	}
	b := p.cur
	switch key {
	case "bond_mode":
		p.mode, p.sawMode = val, true
		if !ovsBondModes[val] {
			p.errorf("unknown bond_mode %s: the mode class rules cannot judge this bond", quote.Q(val))
		}
	case "updelay":
		b.UpDelay = p.ms(key, val)
	case "downdelay":
		b.DownDelay = p.ms(key, val)
	case "lacp_status":
		switch val {
		case "off", "configured", "negotiated":
			p.lacp = val
		default:
			p.lacp = ""
			p.errorf("lacp_status %s: whether LACP runs is unknown", quote.Q(val))
		}
	case "lacp_negotiated": // OVS 1.x
		if val == "true" {
			p.lacp = "negotiated"
		}
	case "lacp_fallback_ab":
		p.fallback = val == "true"
	case "active-backup primary":
		if f := firstField(val); f != "" && f != "<none>" {
			b.Primary = f
		}
	case "active slave mac", "active member mac":
		// "aa:bb:cc:dd:ee:ff(eth0)", "(none)" when no member is active
		if i := strings.LastIndexByte(val, '('); i >= 0 && strings.HasSuffix(val, ")") {
			if n := val[i+1 : len(val)-1]; n != "none" {
				p.activeMAC = n
			}
		} else {
			p.errorf("%s: %s has no (member) part", key, quote.Q(val))
		}
	}
}

// ovsBondKey reports whether key is one of the bond-level keys read above.
func ovsBondKey(key string) bool {
	switch key {
	case "bond_mode", "updelay", "downdelay", "lacp_status", "lacp_negotiated", "lacp_fallback_ab",
		"active-backup primary", "active slave mac", "active member mac":
		return true
	}
	return false
}

// ms parses "100 ms".
func (p *ovsParser) ms(key, val string) int {
	n, err := strconv.Atoi(strings.TrimSuffix(firstField(val), "ms"))
	if err != nil || n < 0 {
		p.errorf("%s: %s is not a delay in ms", key, quote.Q(val))
		return 0
	}
	return n
}

// readOVSBonds reads the first OVS bond/show file of names (relative to the
// capture folder) and reports its problems. The result is nil when there is
// none.
func (r *capReader) readOVSBonds(names []string) []topology.Bond {
	p, b := r.first(names)
	if b == nil {
		return nil
	}
	bonds, errs := ParseOVSBondShow(b, p)
	for _, e := range errs {
		r.problems = append(r.problems, e.Error())
	}
	return bonds
}
