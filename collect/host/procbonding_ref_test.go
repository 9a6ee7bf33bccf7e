package host

// The string-based /proc/net/bonding parser as it was before the byte
// scanner (procbonding.go): the reference the differential test and
// FuzzProcBonding compare the scanner with.

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"

	"github.com/bondaudit/bondaudit/internal/quote"
	"github.com/bondaudit/bondaudit/topology"
)

func refParseProcBonding(data []byte, file, bondName string) (bonds []topology.Bond, errs []error, err error) {
	p := &refBondParser{file: file, defName: bondName}
	// The kernel ends every line with a newline: a last line without one
	// was cut, and its value (Speed: 25 of 25000) must not be used.
	body, cut := data, []byte(nil)
	if i := bytes.LastIndexByte(data, '\n'); i < len(data)-1 && len(bytes.TrimSpace(data[i+1:])) > 0 {
		body, cut = data[:i+1], data[i+1:]
	}
	sc := newLines(body)
	for sc.Scan() {
		p.line++
		p.feed(sc.Text())
	}
	if err := sc.Err(); err != nil {
		p.errorf("reading: %v", err)
	}
	if cut != nil {
		p.line++
		p.errorf("the last line has no newline: the file is cut short (truncated copy?); %s is not used", quote.QBytes(bytes.TrimSpace(cut)))
		p.cut = true
	}
	p.finish()
	if len(p.bonds) == 0 {
		return nil, p.errs, &ParseError{File: file, Msg: "not a /proc/net/bonding file: no \"Bonding Mode:\" line"}
	}
	for i := range p.bonds {
		detachBond(&p.bonds[i])
	}
	return p.bonds, p.errs, nil
}

type refBondParser struct {
	file, defName string
	line          int
	errs          []error
	bonds         []topology.Bond

	cur      *topology.Bond
	header   string // name from a "/proc/net/bonding/x" header line
	slave    *topology.Slave
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
}

// missingSlaveLine returns the first line the kernel always prints in a
// slave section, given what the section has so far, that it lacks ("" for
// none). Every kernel since 2.6 prints MII Status and Link Failure Count;
// Speed comes with Duplex, Actor Churn State with Partner Churn State; the
// actor LACPDU block (root only) with the partner block, six lines each.
func (p *refBondParser) missingSlaveLine() string {
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

func (p *refBondParser) errorf(format string, args ...any) {
	p.errs = append(p.errs, &ParseError{File: p.file, Line: p.line, Msg: fmt.Sprintf(format, args...)})
}

func (p *refBondParser) flushSlave() {
	if p.cur != nil && p.slave != nil {
		p.cur.Slaves = append(p.cur.Slaves, *p.slave)
	}
	p.slave, p.lacp = nil, nil
}

// flushLastSlave ends the last slave section of a bond, where a copy cut
// short ends: a section that lacks a line the kernel always prints, or
// that the cut last line belonged to, keeps only the slave's name, so
// that no rule judges a value from it.
func (p *refBondParser) flushLastSlave() {
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
	p.slave = &topology.Slave{Name: p.slave.Name, Source: p.slave.Source}
	p.flushSlave()
}

func (p *refBondParser) finish() {
	p.flushLastSlave()
	p.cut = false
	if p.cur != nil && p.sawMode {
		p.bonds = append(p.bonds, *p.cur)
	}
	p.cur, p.sawMode, p.inAggSec = nil, false, false
}

func (p *refBondParser) start() {
	name := p.header
	if name == "" {
		name = p.defName
	}
	p.cur = &topology.Bond{Name: name, Kind: topology.BondKindLinux, Source: p.file}
}

func (p *refBondParser) atoi(key, v string) int {
	v = strings.TrimSpace(v)
	if v == "" || strings.EqualFold(v, "N/A") || strings.EqualFold(v, "Unknown") {
		return 0
	}
	if f := strings.Fields(v); len(f) > 0 {
		v = f[0] // "10000 Mbps"
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		p.errorf("%s: %s is not a number", key, quote.Q(v))
		return 0
	}
	return n
}

func refNoneToEmpty(v string) string {
	if strings.EqualFold(v, "None") {
		return ""
	}
	return v
}

func (p *refBondParser) feed(raw string) {
	line := strings.TrimSpace(raw)
	if line == "" {
		p.inAggSec = false
		return
	}
	if rest, ok := strings.CutPrefix(line, "/proc/net/bonding/"); ok && !strings.Contains(rest, " ") {
		p.finish()
		p.header = rest
		return
	}
	if strings.HasPrefix(line, "Ethernet Channel Bonding Driver:") {
		if p.sawMode {
			p.finish()
		}
		return
	}
	if strings.HasPrefix(line, "bond ") && strings.HasSuffix(line, "has no active aggregator") {
		if p.cur != nil {
			p.cur.ActiveAggregator = &topology.Aggregator{NoneActive: true}
		}
		return
	}
	key, val, ok := strings.Cut(line, ":")
	if !ok {
		return // "802.3ad info" and other headings
	}
	key, val = strings.TrimSpace(key), strings.TrimSpace(val)
	lk := strings.ToLower(key)

	if lk == "bonding mode" {
		if p.sawMode {
			p.finish()
		}
		p.start()
		p.sawMode = true
		for _, m := range bondingModes {
			if strings.Contains(val, m.text) {
				p.cur.Mode = m.mode
				return
			}
		}
		p.cur.Mode = topology.BondMode(val)
		p.errorf("unknown bonding mode %s", quote.Q(val))
		return
	}
	if p.cur == nil {
		// A header-less partial file: start a bond anyway on the first
		// recognisable line, but it only counts once a mode is seen.
		p.start()
	}
	b := p.cur

	switch {
	case lk == "slave interface":
		p.flushSlave()
		p.slave = &topology.Slave{Name: val, Source: p.file}
		p.slaveLine, p.seen, p.actorN, p.partnerN = p.line, 0, 0, 0
		return
	case strings.HasPrefix(lk, "details actor lacp pdu"):
		if p.slave != nil {
			p.slave.Actor = &topology.LACPPort{}
			p.lacp, p.lacpN = p.slave.Actor, &p.actorN
			p.seen |= sfActor
		}
		return
	case strings.HasPrefix(lk, "details partner lacp pdu"):
		if p.slave != nil {
			p.slave.Partner = &topology.LACPPort{}
			p.lacp, p.lacpN = p.slave.Partner, &p.partnerN
			p.seen |= sfPartner
		}
		return
	}

	if p.slave != nil {
		p.slaveField(lk, key, val)
		return
	}

	if p.inAggSec || lk == "active aggregator info" {
		if lk == "active aggregator info" {
			p.inAggSec = true
			if b.ActiveAggregator == nil {
				b.ActiveAggregator = &topology.Aggregator{}
			}
			return
		}
		a := b.ActiveAggregator
		switch lk {
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
			a.PartnerMAC = topology.NormalizeMAC(val)
			return
		}
		p.inAggSec = false
	}

	switch lk {
	case "transmit hash policy":
		b.XmitHashPolicy = refFirstField(val)
	case "mii status":
		b.State = topology.ParseLinkState(val)
	case "mii polling interval (ms)":
		b.MIIMon = p.atoi(key, val)
	case "up delay (ms)":
		b.UpDelay = p.atoi(key, val)
	case "down delay (ms)":
		b.DownDelay = p.atoi(key, val)
	case "arp polling interval (ms)":
		b.ARPInterval = p.atoi(key, val)
	case "arp ip target/s (n.n.n.n form)", "arp ip target/s":
		for _, t := range strings.Split(val, ",") {
			if t = strings.TrimSpace(t); t != "" {
				b.ARPTargets = append(b.ARPTargets, t)
			}
		}
	case "arp validate", "arp_validate":
		b.ARPValidate = canonARPValidate(refFirstField(val))
	case "primary slave":
		b.Primary = refNoneToEmpty(refFirstField(val))
	case "currently active slave":
		b.ActiveSlave = refNoneToEmpty(refFirstField(val))
	case "lacp rate":
		b.LACPRate = strings.ToLower(refFirstField(val))
	case "lacp active":
		on := strings.EqualFold(val, "on") || val == "1"
		b.LACPActive = &on
	case "min links":
		b.MinLinks = p.atoi(key, val)
	case "aggregator selection policy (ad_select)":
		b.AdSelect = refFirstField(val)
	case "system mac address":
		b.AdActorSystem = topology.NormalizeMAC(val)
	}
}

func refFirstField(v string) string {
	if f := strings.Fields(v); len(f) > 0 {
		return f[0]
	}
	return ""
}

func (p *refBondParser) slaveField(lk, key, val string) {
	s := p.slave
	if p.lacp != nil {
		l := p.lacp
		// Count the block's lines while they come in the kernel's order.
		if n := *p.lacpN; n < len(lacpFields) && isLACPField(n, lk) {
			*p.lacpN = n + 1
		}
		switch lk {
		case "system priority":
			l.SystemPriority = p.atoi(key, val)
			return
		case "system mac address":
			l.System = topology.NormalizeMAC(val)
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
	switch lk {
	case "mii status":
		s.MIIStatus = topology.ParseLinkState(val)
		p.seen |= sfMII
	case "speed":
		s.Speed = p.atoi(key, val)
		p.seen |= sfSpeed
	case "duplex":
		d := strings.ToLower(val)
		if d == "unknown" {
			d = ""
		}
		s.Duplex = topology.Duplex(d)
		p.seen |= sfDuplex
	case "link failure count":
		s.LinkFailures = p.atoi(key, val)
		p.seen |= sfLinkFailures
	case "permanent hw addr":
		if m := topology.NormalizeMAC(val); m != "" && !strings.Contains(strings.ToLower(val), "x") {
			s.PermMAC = m
		}
	case "slave queue id":
		s.QueueID = p.atoi(key, val)
	case "aggregator id":
		s.AggregatorID = p.atoi(key, val)
	case "actor churn state":
		s.ActorChurn = strings.ToLower(val)
		p.seen |= sfActorChurn
	case "partner churn state":
		s.PartnerChurn = strings.ToLower(val)
		p.seen |= sfPartnerChurn
	}
}
