package host

import (
	"bytes"
	"hash/maphash"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"
	"unique"

	"github.com/bondaudit/bondaudit/internal/prefault"
	"github.com/bondaudit/bondaudit/topology"
)

// intern returns s's canonical copy: a word many hosts say (bond0, eth0,
// layer3+4, fast, full, a driver's name) is held once however many hosts
// say it, and never as a piece of the file text it was read from (which a
// substring would keep whole). unique.Make is safe for the parallel readers
// and lets go of a word no snapshot holds any more.
func intern(s string) string {
	if s == "" {
		return ""
	}
	e := &internSlots()[maphash.String(internSeed, s)&(internCacheSize-1)]
	if p := e.Load(); p != nil && *p == s {
		return *p
	}
	return internMiss(e, s)
}

// internBytes is intern(string(b)) without the copy when b's word was seen
// lately.
func internBytes(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	e := &internSlots()[maphash.Bytes(internSeed, b)&(internCacheSize-1)]
	if p := e.Load(); p != nil && *p == string(b) {
		return *p
	}
	return internMiss(e, string(b))
}

func internMiss(e *atomic.Pointer[string], s string) string {
	c := unique.Make(s).Value()
	e.Store(&c)
	return c
}

// internCache sits in front of unique.Make, whose concurrent table costs
// more than the parsing around it when every host says the same words: one
// slot per hash, each the last word that hashed there (a collision only
// costs a unique.Make). It holds at most internCacheSize short words: a
// megabyte of pointers, touched only where words land. Sized for the
// words of thousands of switches (each one's name, chassis ID and address
// on every host that hears it): at 16,384 slots the 100k-host site's
// ~15,000 words collided so often that unique.Make took 290 ms of CPU
// (perf), 5 ms at 10k; at 131,072, 100 ms.
const internCacheSize = 1 << 17

var (
	internSeed  = maphash.MakeSeed()
	internCache *[internCacheSize]atomic.Pointer[string] // made by internSlots
	internOnce  sync.Once
)

// internSlots is internCache, made on first use with each of its pages
// written before any slot is read. As an array among the package's
// variables, its pages were first read (by the garbage collector's scan
// of the globals, or by a lookup), which maps the kernel's shared zero
// page, and the store that followed copied it and flushed that mapping
// from every CPU the process runs on, an interrupt per page, 256 of them:
// perf put 0.6 % of the 10k-host audit's CPU there (internMiss's store, in
// do_wp_page). Made on the heap and written first (prefault), each page
// is mapped once, privately; and a process that reads no host capture
// (bondaudit rules, a switch poll) never maps it.
func internSlots() *[internCacheSize]atomic.Pointer[string] {
	internOnce.Do(func() {
		s := prefault.Touched(make([]atomic.Pointer[string], internCacheSize))
		internCache = (*[internCacheSize]atomic.Pointer[string])(s)
	})
	return internCache
}

// shareMACs makes each MAC address a host's NICs and bonds repeat one
// string: a bond's address is also each slave's current address, the
// bond's LACP system ID and each slave's actor system; a slave's
// permanent address is its NIC's too; the partner's system is on every
// slave and the aggregator. Read from different files (ip-link, each
// /proc/net/bonding line), they are separate copies, about a dozen per
// host, which the whole audit keeps. (Not interned across hosts: the
// addresses are the host's own.)
func shareMACs(h *topology.Host) {
	seen := make(map[string]string, 8)
	share := func(s *string) {
		if *s == "" {
			return
		}
		if t, ok := seen[*s]; ok {
			*s = t
			return
		}
		seen[*s] = *s
	}
	for i := range h.NICs {
		share(&h.NICs[i].MAC)
		share(&h.NICs[i].PermMAC)
	}
	for bi := range h.Bonds {
		b := &h.Bonds[bi]
		share(&b.MAC)
		share(&b.AdActorSystem)
		if a := b.ActiveAggregator; a != nil {
			share(&a.PartnerMAC)
		}
		for si := range b.Slaves {
			s := &b.Slaves[si]
			share(&s.PermMAC)
			for _, l := range []*topology.LACPPort{s.Actor, s.Partner} {
				if l != nil {
					share(&l.System)
				}
			}
		}
	}
}

// lowerASCII is b in lower case, in dst's storage, or ok false when b is
// not short ASCII: the caller then lowers it with strings.ToLower, whose
// Unicode rules this does not copy. dropHyphens leaves out '-' as
// LinkState.Folded does.
func lowerASCII(dst *[64]byte, b []byte, dropHyphens bool) ([]byte, bool) {
	if len(b) > len(dst) {
		return nil, false
	}
	n := 0
	for _, c := range b {
		switch {
		case c >= utf8.RuneSelf:
			return nil, false
		case c >= 'A' && c <= 'Z':
			c += 'a' - 'A'
		case c == '-' && dropHyphens:
			continue
		}
		dst[n] = c
		n++
	}
	return dst[:n], true
}

// lowerWord is strings.ToLower(string(b)), interned.
func lowerWord(b []byte) string {
	var buf [64]byte
	if l, ok := lowerASCII(&buf, b, false); ok {
		return internBytes(l)
	}
	return intern(strings.ToLower(string(b)))
}

// linkStateOf is topology.ParseLinkState(string(b)), interned.
func linkStateOf(b []byte) topology.LinkState {
	var buf [64]byte
	if l, ok := lowerASCII(&buf, bytes.TrimSpace(b), true); ok {
		return topology.LinkState(internBytes(l))
	}
	return topology.LinkState(intern(string(topology.ParseLinkState(string(b)))))
}

// macList is topology.NormalizeMAC for the addresses of one file, each
// string made once however often the file repeats it (a bond's address is
// each slave's too; the partner's is on every slave). It keeps the first
// few addresses: a file of many costs a copy each, as before.
type macList struct {
	seen [16]string
	n    int
}

func (m *macList) get(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	for _, s := range m.seen[:m.n] {
		if s == string(b) {
			return s
		}
	}
	s := topology.NormalizeMAC(string(b))
	if s == string(b) && m.n < len(m.seen) {
		m.seen[m.n] = s
		m.n++
	}
	return s
}
