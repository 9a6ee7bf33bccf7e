// Package host reads Linux host facts into topology snapshots: parsers for
// the files a host capture holds (/proc/net/bonding, ip -details -json link,
// lldpcli output, ethtool) and the capture-folder and sosreport readers.
//
// It must not import rules or vendors.
package host

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/bondaudit/bondaudit/internal/quote"
	"github.com/bondaudit/bondaudit/topology"
)

// ParseError is a problem at one line of one input file.
type ParseError struct {
	File string
	Line int // 0 when not line-oriented
	Col  int // 1-based column (characters) in JSON input; 0 when none
	Msg  string
}

func (e *ParseError) Error() string {
	if e.Line > 0 && e.Col > 0 {
		return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Col, e.Msg)
	}
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Msg)
}

// bondingModes maps the kernel's "Bonding Mode:" text to the mode name.
// Matched as substrings, so author annotations after the text survive.
var bondingModes = []struct {
	text string
	mode topology.BondMode
}{
	{"802.3ad", topology.Mode8023AD},
	{"(round-robin)", topology.ModeBalanceRR},
	{"(active-backup)", topology.ModeActiveBackup},
	{"(xor)", topology.ModeBalanceXOR},
	{"(broadcast)", topology.ModeBroadcast},
	{"transmit load balancing", topology.ModeBalanceTLB},
	{"adaptive load balancing", topology.ModeBalanceALB},
}

// ParseProcBonding parses a /proc/net/bonding/<bond> file. bondName names the
// bond when the text does not (the file's base name, normally). A file that
// concatenates several bonds with "/proc/net/bonding/<name>" header lines,
// as some collectors record them, yields one bond per section.
//
// errs are recoverable problems, each a *ParseError with the line; err is
// returned when the text is not a bonding file at all. A copy cut short (a
// last line without its newline, or a bond's last slave section without
// a line every kernel prints) is such a problem: the cut line is not used
// and the cut slave keeps only its name.
//
// The text is scanned as bytes, line by line, with no copy of the file or
// of a line: only the words a bond keeps become strings (interned, or
// copied when they are one host's own, as MAC and IP addresses).
func ParseProcBonding(data []byte, file, bondName string) (bonds []topology.Bond, errs []error, err error) {
	return parseProcBonding(data, file, bondName, new(macList))
}

// bondParsers are reused from file to file: a parser holds a bond and a
// slave being read, and is large.
var bondParsers = sync.Pool{New: func() any { return new(bondParser) }}

// parseProcBonding is ParseProcBonding making MACs through macs (shared by
// the files of a capture).
func parseProcBonding(data []byte, file, bondName string, macs *macList) (bonds []topology.Bond, errs []error, err error) {
	bonds, errs, err = parseProcBondingInto(nil, data, file, bondName, macs)
	if err != nil {
		bonds = nil
	}
	return bonds, errs, err
}

// parseProcBondingInto is parseProcBonding appending the file's bonds to
// dst (storage a capture reader lends): all is dst with them, and dst
// when there are none.
func parseProcBondingInto(dst []topology.Bond, data []byte, file, bondName string, macs *macList) (all []topology.Bond, errs []error, err error) {
	p := bondParsers.Get().(*bondParser)
	*p = bondParser{file: file, defName: bondName, macs: macs, bonds: dst}
	n0 := len(dst)
	defer func() {
		*p = bondParser{} // keeps nothing of this file
		bondParsers.Put(p)
	}()
	// The kernel ends every line with a newline: a last line without one
	// was cut, and its value (Speed: 25 of 25000) must not be used.
	body, cut := data, []byte(nil)
	if i := bytes.LastIndexByte(data, '\n'); i < len(data)-1 && len(bytes.TrimSpace(data[i+1:])) > 0 {
		body, cut = data[:i+1], data[i+1:]
	}
	for p.rest = body; len(p.rest) > 0; {
		var line []byte
		if i := bytes.IndexByte(p.rest, '\n'); i < 0 {
			line, p.rest = p.rest, nil
		} else {
			line, p.rest = p.rest[:i], p.rest[i+1:]
		}
		p.line++
		if n := len(line); n > 0 && line[n-1] == '\r' {
			line = line[:n-1]
		}
		p.feed(line)
	}
	if cut != nil {
		p.line++
		p.errorf("the last line has no newline: the file is cut short (truncated copy?); %s is not used", quote.QBytes(bytes.TrimSpace(cut)))
		p.cut = true
	}
	p.finish()
	if len(p.bonds) == n0 {
		return dst, p.errs, &ParseError{File: file, Msg: "not a /proc/net/bonding file: no \"Bonding Mode:\" line"}
	}
	return p.bonds, p.errs, nil
}

type bondParser struct {
	file, defName string
	line          int
	errs          []error
	bonds         []topology.Bond
	rest          []byte // the lines after the one being fed

	cur      *topology.Bond // &bond, or nil between bonds
	bond     topology.Bond
	header   string          // name from a "/proc/net/bonding/x" header line
	slave    *topology.Slave // &slaveV, or nil outside a slave section
	slaveV   topology.Slave
	lacp     *topology.LACPPort // inside a "details actor/partner lacp pdu" block
	sawMode  bool
	inAggSec bool
	cut      bool // the file's last line was cut (not fed)

	// The current slave section: its first line and the fields seen, to
	// tell a section the end of the file cut short.
	slaveLine        int
	seen             slaveFields
	actorN, partnerN int  // lines of each LACPDU block, in lacpFields order
	lacpN            *int // the counter of the block p.lacp is in

	key [64]byte // the line's key in lower case (lowerASCII)
	// ports holds the slaves' LACPDU blocks, an allocation for a bond's
	// (sized from its slaves) rather than one each.
	ports []topology.LACPPort
	macs  *macList
}

// slaveFields are the lines of a slave section that completeness is
// judged on.
type slaveFields uint32

const (
	sfMII slaveFields = 1 << iota
	sfSpeed
	sfDuplex
	sfLinkFailures
	sfActorChurn
	sfPartnerChurn
	sfActor // "details actor lacp pdu"
	sfPartner
)

// lacpFields are the six lines every "details … lacp pdu" block has, in
// order (the key line is "port key" for the actor, "oper key" for the
// partner).
var lacpFields = []string{"system priority", "system mac address", "port key", "port priority", "port number", "port state"}

// isLACPField reports whether lk is lacpFields[n].
func isLACPField(n int, lk string) bool {
	return lk == lacpFields[n] || n == 2 && lk == "oper key"
}

// missingSlaveLine returns the first line the kernel always prints in a
// slave section, given what the section has so far, that it lacks ("" for
// none). Every kernel since 2.6 prints MII Status and Link Failure Count;
// Speed comes with Duplex, Actor Churn State with Partner Churn State; the
// actor LACPDU block (root only) with the partner block, six lines each.
func (p *bondParser) missingSlaveLine() string {
	f := p.seen
	switch {
	case f&sfMII == 0:
		return "MII Status"
	case f&sfSpeed != 0 && f&sfDuplex == 0:
		return "Duplex"
	case f&sfLinkFailures == 0:
		return "Link Failure Count"
	case f&sfActorChurn != 0 && f&sfPartnerChurn == 0:
		return "Partner Churn State"
	case f&sfActor != 0 && f&sfPartner == 0:
		return "details partner lacp pdu"
	}
	for _, side := range []struct {
		name string
		p    *topology.LACPPort
		n    int
	}{{"actor", p.slave.Actor, p.actorN}, {"partner", p.slave.Partner, p.partnerN}} {
		if side.p != nil && side.n < len(lacpFields) {
			field := lacpFields[side.n]
			if side.name == "partner" && side.n == 2 {
				field = "oper key"
			}
			return "details " + side.name + " lacp pdu: " + field
		}
	}
	return ""
}

func (p *bondParser) errorf(format string, args ...any) {
	p.errs = append(p.errs, &ParseError{File: p.file, Line: p.line, Msg: fmt.Sprintf(format, args...)})
}

func (p *bondParser) flushSlave() {
	if p.cur != nil && p.slave != nil {
		p.cur.Slaves = append(p.cur.Slaves, *p.slave)
	}
	p.slave, p.lacp = nil, nil
}

// flushLastSlave ends the last slave section of a bond, where a copy cut
// short ends: a section that lacks a line the kernel always prints, or
// that the cut last line belonged to, keeps only the slave's name, so
// that no rule judges a value from it.
func (p *bondParser) flushLastSlave() {
	if p.cur == nil || p.slave == nil {
		p.flushSlave()
		return
	}
	missing := p.missingSlaveLine()
	if missing == "" && !p.cut {
		p.flushSlave()
		return
	}
	line := p.line
	p.line = p.slaveLine
	if missing != "" {
		p.errorf("slave %s: the section ends without the %q line the kernel always prints: the file is cut short (truncated copy?); this slave's values are not used", quote.Q(p.slave.Name), missing)
	} else {
		p.errorf("slave %s: the section is cut by the end of the file: this slave's values are not used", quote.Q(p.slave.Name))
	}
	p.line = line
	p.slaveV = topology.Slave{Name: p.slave.Name, Source: p.slave.Source}
	p.flushSlave()
}

func (p *bondParser) finish() {
	p.flushLastSlave()
	p.cut = false
	if p.cur != nil && p.sawMode {
		p.bonds = append(p.bonds, *p.cur)
	}
	p.cur, p.sawMode, p.inAggSec = nil, false, false
}

func (p *bondParser) start() {
	name := p.header
	if name == "" {
		name = intern(p.defName)
	}
	p.bond = topology.Bond{Name: name, Kind: topology.BondKindLinux, Source: p.file}
	p.cur = &p.bond
}

// newPort is a new LACPDU block of the current slave.
func (p *bondParser) newPort() *topology.LACPPort {
	if len(p.ports) == cap(p.ports) {
		p.ports = make([]topology.LACPPort, 0, max(2*cap(p.cur.Slaves), 2))
	}
	p.ports = append(p.ports, topology.LACPPort{})
	return &p.ports[len(p.ports)-1]
}

// startSlave begins the slave section of a "Slave Interface:" line. The
// bond's first slave sizes its list from the "Slave Interface:" lines that
// follow before the next "Bonding Mode:" (a hint: a bond has a handful).
func (p *bondParser) startSlave(name []byte) {
	p.flushSlave()
	if b := p.cur; cap(b.Slaves) == 0 {
		rest := p.rest
		if i := bytes.Index(rest, []byte("Bonding Mode:")); i >= 0 {
			rest = rest[:i]
		}
		b.Slaves = make([]topology.Slave, 0, 1+bytes.Count(rest, []byte("Slave Interface:")))
	}
	p.slaveV = topology.Slave{Name: internBytes(name), Source: p.file}
	p.slave = &p.slaveV
	p.slaveLine, p.seen, p.actorN, p.partnerN = p.line, 0, 0, 0
}

func (p *bondParser) atoi(key, v []byte) int {
	v = bytes.TrimSpace(v)
	if len(v) == 0 || bytes.EqualFold(v, []byte("N/A")) || bytes.EqualFold(v, []byte("Unknown")) {
		return 0
	}
	v = firstFieldBytes(v) // "10000 Mbps"
	if n, ok := digitsValue(v); ok {
		return n
	}
	n, err := strconv.Atoi(string(v))
	if err != nil {
		p.errorf("%s: %s is not a number", key, quote.QBytes(v))
		return 0
	}
	return n
}

// word is b's first field, interned.
func word(b []byte) string { return internBytes(firstFieldBytes(b)) }

func (p *bondParser) feed(raw []byte) {
	line := bytes.TrimSpace(raw)
	if len(line) == 0 {
		p.inAggSec = false
		return
	}
	if rest, ok := bytes.CutPrefix(line, []byte("/proc/net/bonding/")); ok && bytes.IndexByte(rest, ' ') < 0 {
		p.finish()
		p.header = internBytes(rest)
		return
	}
	if bytes.HasPrefix(line, []byte("Ethernet Channel Bonding Driver:")) {
		if p.sawMode {
			p.finish()
		}
		return
	}
	if bytes.HasPrefix(line, []byte("bond ")) && bytes.HasSuffix(line, []byte("has no active aggregator")) {
		if p.cur != nil {
			p.cur.ActiveAggregator = &topology.Aggregator{NoneActive: true}
		}
		return
	}
	colon := bytes.IndexByte(line, ':')
	if colon < 0 {
		return // "802.3ad info" and other headings
	}
	key, val := bytes.TrimSpace(line[:colon]), bytes.TrimSpace(line[colon+1:])
	lkb, ok := lowerASCII(&p.key, key, false)
	if !ok {
		lkb = []byte(strings.ToLower(string(key)))
	}
	// lk is compared, never kept: string(lkb) in a comparison or switch
	// is not a copy.

	if string(lkb) == "bonding mode" {
		if p.sawMode {
			p.finish()
		}
		p.start()
		p.sawMode = true
		for _, m := range bondingModes {
			if bytes.Contains(val, []byte(m.text)) {
				p.cur.Mode = m.mode
				return
			}
		}
		p.cur.Mode = topology.BondMode(intern(string(val)))
		p.errorf("unknown bonding mode %s", quote.QBytes(val))
		return
	}
	if p.cur == nil {
		// A header-less partial file: start a bond anyway on the first
		// recognisable line, but it only counts once a mode is seen.
		p.start()
	}
	b := p.cur

	switch {
	case string(lkb) == "slave interface":
		p.startSlave(val)
		return
	case bytes.HasPrefix(lkb, []byte("details actor lacp pdu")):
		if p.slave != nil {
			p.slave.Actor = p.newPort()
			p.lacp, p.lacpN = p.slave.Actor, &p.actorN
			p.seen |= sfActor
		}
		return
	case bytes.HasPrefix(lkb, []byte("details partner lacp pdu")):
		if p.slave != nil {
			p.slave.Partner = p.newPort()
			p.lacp, p.lacpN = p.slave.Partner, &p.partnerN
			p.seen |= sfPartner
		}
		return
	}

	if p.slave != nil {
		p.slaveField(lkb, key, val)
		return
	}

	if p.inAggSec || string(lkb) == "active aggregator info" {
		if string(lkb) == "active aggregator info" {
			p.inAggSec = true
			if b.ActiveAggregator == nil {
				b.ActiveAggregator = &topology.Aggregator{}
			}
			return
		}
		a := b.ActiveAggregator
		switch string(lkb) {
		case "aggregator id":
			a.ID = p.atoi(key, val)
			return
		case "number of ports":
			a.Ports = p.atoi(key, val)
			return
		case "actor key":
			a.ActorKey = p.atoi(key, val)
			return
		case "partner key":
			a.PartnerKey = p.atoi(key, val)
			return
		case "partner mac address":
			a.PartnerMAC = p.macs.get(val)
			return
		}
		p.inAggSec = false
	}

	switch string(lkb) {
	case "transmit hash policy":
		b.XmitHashPolicy = word(val)
	case "mii status":
		b.State = linkStateOf(val)
	case "mii polling interval (ms)":
		b.MIIMon = p.atoi(key, val)
	case "up delay (ms)":
		b.UpDelay = p.atoi(key, val)
	case "down delay (ms)":
		b.DownDelay = p.atoi(key, val)
	case "arp polling interval (ms)":
		b.ARPInterval = p.atoi(key, val)
	case "arp ip target/s (n.n.n.n form)", "arp ip target/s":
		for t := range bytes.SplitSeq(val, []byte{','}) {
			if t = bytes.TrimSpace(t); len(t) > 0 {
				b.ARPTargets = append(b.ARPTargets, string(t))
			}
		}
	case "arp validate", "arp_validate":
		b.ARPValidate = intern(canonARPValidate(string(firstFieldBytes(val))))
	case "primary slave":
		b.Primary = noneToEmpty(word(val))
	case "currently active slave":
		b.ActiveSlave = noneToEmpty(word(val))
	case "lacp rate":
		b.LACPRate = lowerWord(firstFieldBytes(val))
	case "lacp active":
		on := bytes.EqualFold(val, []byte("on")) || string(val) == "1"
		b.LACPActive = &on
	case "min links":
		b.MinLinks = p.atoi(key, val)
	case "aggregator selection policy (ad_select)":
		b.AdSelect = word(val)
	case "system mac address":
		b.AdActorSystem = p.macs.get(val)
	}
}

func noneToEmpty(v string) string {
	if strings.EqualFold(v, "None") {
		return ""
	}
	return v
}

func firstField(v string) string {
	if f := strings.Fields(v); len(f) > 0 {
		return f[0]
	}
	return ""
}

// firstFieldBytes is firstField of bytes, without the list of fields.
func firstFieldBytes(v []byte) []byte {
	// ASCII (the kernel's text) is looked at byte by byte; anything else
	// goes by unicode.IsSpace.
	start := -1
	for i, c := range v {
		if c >= utf8.RuneSelf {
			return firstFieldUnicode(v)
		}
		space := c == ' ' || c-'\t' <= '\r'-'\t' // \t \n \v \f \r
		switch {
		case start < 0 && !space:
			start = i
		case start >= 0 && space:
			return v[start:i]
		}
	}
	if start < 0 {
		return nil // as bytes.TrimLeftFunc leaves nothing
	}
	return v[start:]
}

func firstFieldUnicode(v []byte) []byte {
	v = bytes.TrimLeftFunc(v, unicode.IsSpace)
	if i := bytes.IndexFunc(v, unicode.IsSpace); i >= 0 {
		return v[:i]
	}
	return v
}

func (p *bondParser) slaveField(lkb, key, val []byte) {
	s := p.slave
	if p.lacp != nil {
		l := p.lacp
		// Count the block's lines while they come in the kernel's order.
		if n := *p.lacpN; n < len(lacpFields) && isLACPField(n, string(lkb)) {
			*p.lacpN = n + 1
		}
		switch string(lkb) {
		case "system priority":
			l.SystemPriority = p.atoi(key, val)
			return
		case "system mac address":
			l.System = p.macs.get(val)
			return
		case "port key", "oper key":
			l.Key = p.atoi(key, val)
			return
		case "port priority":
			l.PortPriority = p.atoi(key, val)
			return
		case "port number":
			l.Port = p.atoi(key, val)
			return
		case "port state":
			n := p.atoi(key, val)
			if n < 0 || n > 255 {
				p.errorf("port state %d out of range 0-255", n)
				return
			}
			l.State, l.StateKnown = topology.LACPState(n), true
			return
		}
		p.lacp = nil
	}
	switch string(lkb) {
	case "mii status":
		s.MIIStatus = linkStateOf(val)
		p.seen |= sfMII
	case "speed":
		s.Speed = p.atoi(key, val)
		p.seen |= sfSpeed
	case "duplex":
		d := lowerWord(val)
		if d == "unknown" {
			d = ""
		}
		s.Duplex = topology.Duplex(d)
		p.seen |= sfDuplex
	case "link failure count":
		s.LinkFailures = p.atoi(key, val)
		p.seen |= sfLinkFailures
	case "permanent hw addr":
		if bytes.ContainsAny(val, "xX") {
			break // "xx:xx:…", not an address
		}
		if m := p.macs.get(val); m != "" {
			s.PermMAC = m
		}
	case "slave queue id":
		s.QueueID = p.atoi(key, val)
	case "aggregator id":
		s.AggregatorID = p.atoi(key, val)
	case "actor churn state":
		s.ActorChurn = lowerWord(val)
		p.seen |= sfActorChurn
	case "partner churn state":
		s.PartnerChurn = lowerWord(val)
		p.seen |= sfPartnerChurn
	}
}

// digitsValue is v's value when v is an optional minus and decimal digits
// in range (parseInt64, the JSON scanner's reader: what strconv.Atoi makes
// of it with a 64-bit int, as on amd64 and arm64), ok false otherwise.
func digitsValue(v []byte) (int, bool) {
	n, err := parseInt64(v)
	return int(n), err == nil
}
