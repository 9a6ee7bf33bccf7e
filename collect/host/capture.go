package host

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/bondaudit/bondaudit/internal/quote"
	"github.com/bondaudit/bondaudit/topology"
)

// ErrNoHostData is returned when a folder holds nothing a host snapshot can
// be built from.
var ErrNoHostData = errors.New("no host data: want ip-link.json and/or bonding/<bond> (or a sosreport)")

// layout names where a capture keeps each input.
type layout struct {
	hostname   []string // candidates, first found wins
	ipLinkJSON []string
	ipLinkText []string
	bondingDir string // "a/b/", as capReader.list takes it
	lldp       []string
	ethtool    nicFile
	// ethtoolInfo: `ethtool -i <nic>` output (driver), when kept apart.
	ethtoolInfo nicFile
	sosreport   bool
	ovsBonds    []string // `ovs-appctl bond/show` output
	teamdDir    string   // `teamdctl <team> state dump` outputs
}

var captureLayout = layout{
	hostname:   []string{"hostname"},
	ipLinkJSON: []string{"ip-link.json"},
	bondingDir: "bonding/",
	lldp:       []string{"lldp.json", "lldp.txt", "lldp.keyvalue"},
	ethtool:    nicFile{dir: "ethtool"},
	ovsBonds:   []string{"ovs-bonds.txt"},
	teamdDir:   "teamd",
}

var sosLayout = layout{
	hostname: []string{"hostname", "sos_commands/host/hostname", "etc/hostname", "sos_commands/general/hostname"},
	ipLinkJSON: []string{
		"sos_commands/networking/ip_-d_-j_link", "sos_commands/networking/ip_-j_-d_link",
		"sos_commands/networking/ip_-details_-json_link_show", "sos_commands/networking/ip_-d_-j_address",
	},
	ipLinkText: []string{"sos_commands/networking/ip_-d_address", "sos_commands/networking/ip_-s_-d_link", "sos_commands/networking/ip_-d_link"},
	bondingDir: "proc/net/bonding/",
	lldp: []string{
		"sos_commands/lldp/lldpcli_-f_json_show_neighbors_details", "sos_commands/lldp/lldpcli_show_neighbors_details",
		"sos_commands/lldp/lldpctl", "sos_commands/lldp/lldpcli_show_neighbors",
	},
	ethtool:     nicFile{dir: "sos_commands/networking", prefix: "ethtool_"},
	ethtoolInfo: nicFile{dir: "sos_commands/networking", prefix: "ethtool_-i_"},
	sosreport:   true,
	ovsBonds:    []string{"sos_commands/openvswitch/ovs-appctl_bond.show"},
	teamdDir:    "sos_commands/teamd",
}

// nicFile names a file per NIC: dir/<prefix><nic> (dir "": none).
type nicFile struct{ dir, prefix string }

// IsSosreport reports whether dir looks like an unpacked sosreport.
func IsSosreport(fsys fs.FS, dir string) bool {
	_, err := fs.Stat(fsys, path.Join(dir, "sos_commands"))
	return err == nil
}

// ReadCaptureFS reads a raw host capture folder (DESIGN.md "Inputs") or an
// unpacked sosreport at dir inside fsys into a host snapshot.
//
// problems lists every recoverable issue, each naming the file (and line
// when there is one); the rest of the folder is still read. err is set only
// when the folder yields nothing usable.
func ReadCaptureFS(fsys fs.FS, dir string) (*topology.Host, []string, error) {
	r := newCapReader(fsys, dir)
	defer r.close()
	lay := captureLayout
	if r.isSosreport() {
		lay = sosLayout
	}
	h := &topology.Host{Source: dir}
	if i, b := r.firstIndex(lay.hostname); b != nil {
		h.Name = firstLine(b)
		if h.Name == "" {
			r.problem("%s: empty", path.Join(dir, lay.hostname[i]))
		}
	}
	if h.Name == "" {
		h.Name = path.Base(dir)
	}

	// ip link
	var links *Links
	var ipFile string
	if p, b := r.first(lay.ipLinkJSON); b != nil {
		ipFile = p
		// ip-link's bonds are read into storage the reader lends from
		// capture to capture (mergeHost copies what it keeps of them);
		// the ifindex names only when there are frames to name.
		var sc *linkScratch
		if lendStorage {
			sc = &r.links
			sc.ifNames = !lay.sosreport && (r.exists("l2.pcap") || r.exists("l2.pcapng"))
		}
		l, err := parseIPLinkJSON(b, p, &r.macs, sc)
		if err != nil {
			r.problems = append(r.problems, err.Error())
		} else {
			links = l
			for _, e := range l.Problems {
				r.problems = append(r.problems, e.Error())
			}
		}
	} else if p, b := r.first(lay.ipLinkText); b != nil {
		ipFile = p
		l, err := ParseIPLinkText(b, p)
		if err != nil {
			r.problems = append(r.problems, err.Error())
		} else {
			links = l
		}
	} else if !lay.sosreport {
		r.problem("%s: missing: without `ip -details -json link show` NIC permanent MACs, MTUs and bridges are unknown", path.Join(dir, lay.ipLinkJSON[0]))
	}

	// bonding files
	procBonds := map[string]*topology.Bond{} // (pointers: a Bond is large)
	var procOrder []string
	// The bonding folder's path is made when a problem or a file needs it
	// (a file's path, its bonds' Source, in one piece when dir is clean).
	bdir := func() string { return path.Join(dir, lay.bondingDir) }
	bondFile := func(name string) string { return path.Join(dir, lay.bondingDir, name) }
	entries, err := r.list(lay.bondingDir)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		r.problem("%s: %v", bdir(), err)
	}
	for _, e := range entries {
		if e.IsDir() || strings.HasPrefix(e.Name, ".") {
			continue
		}
		p := bondFile(e.Name)
		b, err := r.read(p)
		if err != nil {
			r.problem("%s: %v", p, err)
			continue
		}
		// Each file's bonds are appended to the reader's lent list; the
		// pointers taken into it stay good for this capture (a list grown
		// is a new array, the old one left as it was).
		var dst []topology.Bond
		if lendStorage {
			dst = r.procBonds
		}
		all, errs, err := parseProcBondingInto(dst, b, p, e.Name, &r.macs)
		bonds := all[len(dst):]
		if lendStorage {
			r.procBonds = all
		}
		for _, pe := range errs {
			r.problems = append(r.problems, pe.Error())
		}
		if err != nil {
			r.problems = append(r.problems, err.Error())
			continue
		}
		for i := range bonds {
			bd := &bonds[i]
			if _, dup := procBonds[bd.Name]; dup {
				r.problem("%s: bond %s described twice: the later copy is used", p, quote.Name(bd.Name))
			} else {
				procOrder = append(procOrder, bd.Name)
			}
			procBonds[bd.Name] = bd
		}
	}

	// OVS bonds and teamd teams (ovs.go, teamd.go)
	r.appendBonds(h, r.readOVSBonds(lay.ovsBonds))
	r.appendBonds(h, r.readTeamd(lay.teamdDir, lay.sosreport))

	if links == nil && len(procBonds) == 0 && len(h.Bonds) == 0 {
		return nil, r.problems, fmt.Errorf("%s: %w", dir, ErrNoHostData)
	}

	mergeHost(h, links, procBonds, procOrder, ipFile, bdir, r.problem)

	// ethtool
	for i := range h.NICs {
		n := &h.NICs[i]
		for _, nf := range [...]nicFile{lay.ethtool, lay.ethtoolInfo} {
			// a name per NIC only when the folder is there
			if nf.dir == "" || !r.exists(nf.dir) {
				continue
			}
			if _, b := r.first([]string{nf.dir + "/" + nf.prefix + n.Name}); b != nil {
				applyEthtool(n, b)
			}
		}
	}

	// LLDP
	if p, b := r.first(lay.lldp); b != nil {
		nbs, err := ParseLLDP(b, p)
		if err != nil {
			r.problems = append(r.problems, err.Error())
		}
		h.Neighbours = nbs
	}
	// Frames the host heard (tcpdump of LLDP, CDP, LACP on the slaves).
	if p, b := r.first([]string{"l2.pcap", "l2.pcapng"}); b != nil && !lay.sosreport {
		var ifNames map[int]string
		if links != nil {
			ifNames = links.IfNames
		}
		r.problems = append(r.problems, readPcapInto(h, b, p, ifNames)...)
	}
	// A capture records no time of its own: it is as old as the newest
	// file read from it.
	h.Collected = r.collectedString()
	return h, r.problems, nil
}

// mergeBond combines the bonding file's view (authoritative for the driver
// state) with ip-link's (interface facts and options the file omits).
func mergeBond(pb topology.Bond, ib *topology.Bond) topology.Bond {
	b := pb
	b.MTU, b.MAC, b.Bridge = ib.MTU, ib.MAC, ib.Bridge
	if ib.State != "" {
		b.State = ib.State
	}
	if b.ARPValidate == "" {
		b.ARPValidate = ib.ARPValidate
	}
	if b.LACPActive == nil {
		b.LACPActive = ib.LACPActive
	}
	if b.AdActorSystem == "" {
		b.AdActorSystem = ib.AdActorSystem
	}
	if b.XmitHashPolicy == "" {
		b.XmitHashPolicy = ib.XmitHashPolicy
	}
	if b.LACPRate == "" {
		b.LACPRate = ib.LACPRate
	}
	if b.ActiveAggregator == nil {
		b.ActiveAggregator = cloneAggregator(ib.ActiveAggregator)
	}
	ipSlaves := make(map[string]int, len(ib.Slaves)) // index in ib.Slaves (the last of a name)
	for i, s := range ib.Slaves {
		ipSlaves[s.Name] = i
	}
	for i := range b.Slaves {
		s := &b.Slaves[i]
		j, ok := ipSlaves[s.Name]
		if !ok {
			continue
		}
		is := ib.Slaves[j]
		if s.PermMAC == "" {
			s.PermMAC = is.PermMAC
		}
		if s.AggregatorID == 0 {
			s.AggregatorID = is.AggregatorID
		}
		if s.Actor == nil {
			s.Actor = clonePort(is.Actor)
		}
		if s.Partner == nil {
			s.Partner = clonePort(is.Partner)
		}
		delete(ipSlaves, s.Name)
	}
	// Slaves ip-link knows and the file does not (a copy taken mid-change).
	var extra []string
	for n := range ipSlaves {
		extra = append(extra, n)
	}
	slices.Sort(extra)
	for _, n := range extra {
		s := ib.Slaves[ipSlaves[n]]
		s.Actor, s.Partner = clonePort(s.Actor), clonePort(s.Partner)
		b.Slaves = append(b.Slaves, s)
	}
	return b
}

// clonePort is a copy of p (nil: nil). ip-link's LACP ports are in
// storage its reader lends from capture to capture (linkScratch): what a
// host keeps of them is copied.
func clonePort(p *topology.LACPPort) *topology.LACPPort {
	if p == nil {
		return nil
	}
	c := *p
	return &c
}

// cloneAggregator is a copy of a (nil: nil), as clonePort of a port.
func cloneAggregator(a *topology.Aggregator) *topology.Aggregator {
	if a == nil {
		return nil
	}
	c := *a
	return &c
}

// detachSlaves is a copy of ip-link's slaves of a bond with their LACP
// ports (one allocation for them all), for a host to keep: the slaves are
// in storage lent from capture to capture (linkScratch).
func detachSlaves(in []topology.Slave) []topology.Slave {
	out := slices.Clone(in)
	n := 0
	for _, s := range out {
		if s.Actor != nil {
			n++
		}
		if s.Partner != nil {
			n++
		}
	}
	if n == 0 {
		return out
	}
	ports := make([]topology.LACPPort, 0, n)
	for i := range out {
		s := &out[i]
		if s.Actor != nil {
			ports = append(ports, *s.Actor)
			s.Actor = &ports[len(ports)-1]
		}
		if s.Partner != nil {
			ports = append(ports, *s.Partner)
			s.Partner = &ports[len(ports)-1]
		}
	}
	return out
}

// applyEthtool reads `ethtool <nic>` output (Speed, Duplex, Link detected)
// and `ethtool -i <nic>` output (driver), alone or one after the other in
// one file: { ethtool eth0; ethtool -i eth0; } > ethtool/eth0.
func applyEthtool(n *topology.NIC, b []byte) {
	sc := newLines(b)
	for sc.Scan() {
		k, v, ok := strings.Cut(strings.TrimSpace(sc.Text()), ":")
		if !ok {
			continue
		}
		v = strings.TrimSpace(v)
		switch k {
		case "Speed":
			if s, ok := strings.CutSuffix(v, "Mb/s"); ok {
				if x, err := strconv.Atoi(s); err == nil && n.Speed == 0 {
					n.Speed = x
				}
			}
		case "Duplex":
			if d := topology.ParseDuplex(v); d != "" && n.Duplex == "" {
				n.Duplex = d
			}
		case "driver":
			if n.Driver == "" && v != "" {
				n.Driver = intern(v) // not a piece of the file's text
			}
		case "Link detected":
			if n.State == "" {
				if v == "yes" {
					n.State = "up"
				} else if v == "no" {
					n.State = "down"
				}
			}
		}
	}
}

type capReader struct {
	fsys fs.FS
	// ffs is fsys when it opens folders (collect.SiteDir): files are then
	// read relative to their open folder.
	ffs      FolderFS
	dir      string
	problems []string
	// dirs are the capture's folders looked at, each opened (through ffs)
	// and listed once, so that absent optional files cost no failed open.
	// A capture's layout names a handful: a list, searched in order.
	dirs    []capDir
	dirsBuf [4]capDir
	// buf is the read buffer, reused from file to file (and, pooled, from
	// host to host): what read returns is valid until the next read, and
	// every parser copies out what it keeps.
	buf *[]byte
	// macs makes each MAC address the capture's files say one string.
	macs macList
	// newest is the latest modification time of the files read (zero when
	// the file system keeps none, as the embedded demo site).
	newest time.Time
	// links and procBonds are storage lent to the ip-link and bonding
	// parsers, kept (empty) from capture to capture: what a host keeps of
	// them mergeHost copies.
	links     linkScratch
	procBonds []topology.Bond
	// ents holds the folders' listings (each a piece of it), kept
	// (empty) from capture to capture.
	ents []Entry
	// stamp is the last capture's Collected, kept from capture to
	// capture: captures copied together share their second.
	stamp     string
	stampUnix int64
}

// collectedString is topology.CollectedString(r.newest), the same string
// as the last capture's when it is of the same second (it depends on
// nothing else).
func (r *capReader) collectedString() string {
	if r.newest.IsZero() || r.newest.Unix() <= 0 {
		return topology.CollectedString(r.newest)
	}
	if u := r.newest.Unix(); u != r.stampUnix || r.stamp == "" {
		r.stamp, r.stampUnix = topology.CollectedString(r.newest), u
	}
	return r.stamp
}

// capDir is one folder of a capture.
type capDir struct {
	d              string // "" or "a/b/", relative to the capture
	opened, listed bool
	f              Folder  // opened through ffs; nil when it could not be
	entries        []Entry // its listing, sorted by name
	err            error
}

// lendStorage is whether capture readers lend the ip-link and bonding
// parsers their storage from capture to capture; tests turn it off to
// read captures as though each were the first.
var lendStorage = true

// readBufs pools read buffers across capture folders.
var readBufs = sync.Pool{New: func() any { b := make([]byte, 0, 16<<10); return &b }}

// maxPooledBuf bounds what a pooled buffer keeps: a rare huge file is not
// held on to for the rest of the load.
const maxPooledBuf = 1 << 20

// capReaders are reused from capture to capture (a reader is a few hundred
// bytes: its folders and MAC list); close clears what one kept.
var capReaders = sync.Pool{New: func() any { return new(capReader) }}

func newCapReader(fsys fs.FS, dir string) *capReader {
	r := capReaders.Get().(*capReader)
	*r = capReader{fsys: fsys, dir: dir, buf: readBufs.Get().(*[]byte), links: r.links, procBonds: r.procBonds[:0], ents: r.ents[:0],
		stamp: r.stamp, stampUnix: r.stampUnix}
	r.dirs = r.dirsBuf[:0]
	if ffs, ok := fsys.(FolderFS); ok {
		r.ffs = ffs
	}
	return r
}

// dirIndex is the index in r.dirs of the folder d ("" or "a/b/"), added when
// new. (An index: adding moves the list.)
func (r *capReader) dirIndex(d string) int {
	for i := range r.dirs {
		if r.dirs[i].d == d {
			return i
		}
	}
	r.dirs = append(r.dirs, capDir{d: d})
	return len(r.dirs) - 1
}

// close closes the folders opened and gives the buffer and r back: r is
// not to be used after.
func (r *capReader) close() {
	for _, d := range r.dirs {
		if d.f != nil {
			d.f.Close()
		}
	}
	// All closed, none referred to again (a folder's path, for an error,
	// is made from its parent's): they may be reused.
	for _, d := range r.dirs {
		if rl, ok := d.f.(Releaser); ok {
			rl.Release()
		}
	}
	if cap(*r.buf) <= maxPooledBuf {
		*r.buf = (*r.buf)[:0]
		readBufs.Put(r.buf)
	}
	links, procBonds, ents, stamp, stampUnix := r.links, r.procBonds, r.ents, r.stamp, r.stampUnix
	links.release()
	clear(procBonds[:cap(procBonds)])
	if cap(procBonds) > maxScratchBonds {
		procBonds = nil
	}
	clear(ents[:cap(ents)])
	if cap(ents) > maxScratchEntries {
		ents = nil
	}
	// nothing of this capture (its problems are the caller's now), only
	// the emptied storage
	*r = capReader{links: links, procBonds: procBonds[:0], ents: ents[:0], stamp: stamp, stampUnix: stampUnix}
	capReaders.Put(r)
}

// folder is the open folder d ("" or "a/b/", relative to the capture), or
// nil when it cannot be opened (reading through fsys then says why).
func (r *capReader) folder(d string) Folder {
	i := r.dirIndex(d)
	if !r.dirs[i].opened {
		var f Folder
		var err error
		if d == "" {
			f, err = r.ffs.OpenFolder(r.dir)
		} else {
			// relative to its parent folder, opened first
			pd, base := path.Split(strings.TrimSuffix(d, "/"))
			if p := r.folder(pd); p != nil {
				f, err = p.OpenFolder(base)
			} else {
				f, err = r.ffs.OpenFolder(path.Join(r.dir, d))
			}
		}
		if err != nil {
			f = nil
		}
		r.dirs[i].f, r.dirs[i].opened = f, true
	}
	return r.dirs[i].f
}

// read reads the file p of fsys as fs.ReadFile does, into the reused
// buffer, noting its modification time from the open file (no second
// look-up of the name). The bytes are valid until the next read.
func (r *capReader) read(p string) ([]byte, error) {
	if r.ffs != nil {
		if rel, ok := strings.CutPrefix(p, r.dir); ok && strings.HasPrefix(rel, "/") {
			if b, ok, err := r.readInFolder(rel[1:]); ok {
				return b, err
			}
		}
	}
	return r.readFS(p)
}

// readRel is read of the file rel, relative to the capture folder (its
// path is made only when the folder cannot be opened).
func (r *capReader) readRel(rel string) ([]byte, error) {
	if r.ffs != nil {
		if b, ok, err := r.readInFolder(rel); ok {
			return b, err
		}
	}
	return r.readFS(path.Join(r.dir, rel))
}

// readInFolder reads rel relative to its open folder; ok is false when
// the folder is not open.
func (r *capReader) readInFolder(rel string) (b []byte, ok bool, err error) {
	d, base := path.Split(rel)
	f := r.folder(d)
	if f == nil {
		return nil, false, nil
	}
	b, mod, err := f.ReadFileBuf(base, *r.buf)
	if err != nil {
		return nil, true, err
	}
	*r.buf = b
	if mod.After(r.newest) {
		r.newest = mod
	}
	return b, true, nil
}

// readFS reads the file p through fsys.
func (r *capReader) readFS(p string) ([]byte, error) {
	f, err := r.fsys.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil || st.IsDir() {
		// Let fs.ReadFile say what is wrong, in its own words.
		return fs.ReadFile(r.fsys, p)
	}
	b, err := readInto(f, min(st.Size(), 64<<20), *r.buf) // a hint: the reader's cap is the limit
	if err != nil {
		return nil, err
	}
	*r.buf = b
	if t := st.ModTime(); t.After(r.newest) {
		r.newest = t
	}
	return b, nil
}

// readInto reads f to its end into buf's storage, sized from size (a
// hint), growing it when f holds more.
func readInto(f io.Reader, size int64, buf []byte) ([]byte, error) {
	if want := int(max(size, 0)) + 1; cap(buf) < want {
		buf = make([]byte, 0, want)
	}
	buf = buf[:0]
	for {
		if len(buf) == cap(buf) {
			buf = slices.Grow(buf, max(len(buf), 4096))
		}
		n, err := f.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return nil, err
		}
	}
}

// maxScratchEntries bounds the listing storage a reader keeps.
const maxScratchEntries = 1024

// list lists the folder d ("" or "a/b/", relative to the capture) once.
// A folder whose parent's listing lacks it is absent without a look.
func (r *capReader) list(d string) ([]Entry, error) {
	i := r.dirIndex(d)
	if !r.dirs[i].listed {
		var entries []Entry
		var err error
		switch {
		case d != "" && !r.exists(strings.TrimSuffix(d, "/")):
			err = &fs.PathError{Op: "open", Path: path.Join(r.dir, d), Err: fs.ErrNotExist}
		case r.ffs != nil && r.folder(d) != nil:
			entries, err = r.listFolder(r.folder(d))
			if err == nil {
				break
			}
			fallthrough // let fs.ReadDir say what is wrong, in its own words
		default:
			var des []fs.DirEntry
			des, err = fs.ReadDir(r.fsys, path.Join(r.dir, d))
			entries = entriesOf(des)
		}
		r.dirs[i].entries, r.dirs[i].err, r.dirs[i].listed = entries, err, true
	}
	return r.dirs[i].entries, r.dirs[i].err
}

// listFolder lists the open folder f into the reader's listing storage
// when f can (EntryLister): the listing is a piece of r.ents, which a
// later listing of this capture may move (the piece stays as it is).
func (r *capReader) listFolder(f Folder) ([]Entry, error) {
	if el, ok := f.(EntryLister); ok {
		n0 := len(r.ents)
		all, err := el.ListEntries(r.ents)
		if err != nil {
			return nil, err
		}
		r.ents = all
		return all[n0:len(all):len(all)], nil
	}
	des, err := f.ReadDir(-1)
	if err != nil {
		return nil, err
	}
	return entriesOf(des), nil
}

// entriesOf is a listing's names and types.
func entriesOf(des []fs.DirEntry) []Entry {
	if des == nil {
		return nil
	}
	out := make([]Entry, len(des))
	for i, e := range des {
		out[i] = Entry{Name: e.Name(), Type: e.Type()}
	}
	return out
}

// exists reports whether rel (relative to the capture folder) is listed in
// its directory; unlistable directories answer true, leaving it to the open.
func (r *capReader) exists(rel string) bool {
	// One listing per folder answers every optional file (lldp.json/.txt/
	// .keyvalue, l2.pcap(ng), ovs-bonds.txt, …) without failed opens.
	d, base := path.Split(rel)
	entries, err := r.list(d)
	switch {
	case err == nil:
		_, found := slices.BinarySearchFunc(entries, base, compareName)
		return found
	case errors.Is(err, fs.ErrNotExist):
		return false
	}
	return true
}

// compareName orders a sorted listing's entries by name.
func compareName(e Entry, name string) int { return strings.Compare(e.Name, name) }

// isSosreport is IsSosreport answered from the folder's listing when it
// is opened as a folder: a sos_commands entry that is not a symlink the
// listing could not resolve.
func (r *capReader) isSosreport() bool {
	if r.ffs == nil {
		return IsSosreport(r.fsys, r.dir)
	}
	entries, err := r.list("")
	if err != nil {
		return IsSosreport(r.fsys, r.dir)
	}
	i, found := slices.BinarySearchFunc(entries, "sos_commands", compareName)
	return found && entries[i].Type&fs.ModeSymlink == 0
}

func (r *capReader) problem(format string, args ...any) {
	r.problems = append(r.problems, fmt.Sprintf(format, args...))
}

// first reads the first existing file of names (relative to the folder).
func (r *capReader) first(names []string) (string, []byte) {
	if i, b := r.firstIndex(names); b != nil {
		return path.Join(r.dir, names[i]), b
	}
	return "", nil
}

// firstIndex is first without the file's path: the index of its name.
func (r *capReader) firstIndex(names []string) (int, []byte) {
	for i, n := range names {
		if !r.exists(n) {
			continue
		}
		b, err := r.readRel(n)
		if err == nil {
			return i, b
		}
		if !errors.Is(err, fs.ErrNotExist) {
			r.problem("%s: %v", path.Join(r.dir, n), err)
		}
	}
	return 0, nil
}

// firstLine is b's first line without surrounding white space.
func firstLine(b []byte) string {
	l, _, _ := bytes.Cut(b, []byte{'\n'})
	return string(bytes.TrimSpace(l))
}

// mergeHost joins what the link listing says (ip-link or netlink) with the
// bonding driver's view (/proc/net/bonding) into h: NICs, bridges, VLANs,
// and every bond with both halves merged. problem reports inconsistencies.
func mergeHost(h *topology.Host, links *Links, procBonds map[string]*topology.Bond, procOrder []string, ipFile string, bdir func() string, problem func(string, ...any)) {
	if links != nil {
		h.NICs = links.NICs
		h.Bridges = links.Bridges
		h.VLANs = links.VLANs
	}
	// Indexes, not pointers: appending NICs moves the slice.
	nicByName := make(map[string]int, len(h.NICs))
	for i := range h.NICs {
		nicByName[h.NICs[i].Name] = i
	}
	ipBonds := map[string]*topology.Bond{}
	if links != nil {
		for i := range links.Bonds {
			ipBonds[links.Bonds[i].Name] = &links.Bonds[i]
		}
	}
	var namesBuf [8]string // (a host has a handful of bonds: on the stack)
	names := append(namesBuf[:0], procOrder...)
	if links != nil {
		for _, b := range links.Bonds {
			if _, ok := procBonds[b.Name]; !ok {
				names = append(names, b.Name)
			}
		}
	}
	slices.Sort(names)
	for _, name := range names {
		pb := procBonds[name]
		ib := ipBonds[name]
		var b topology.Bond
		switch {
		case pb != nil && ib != nil:
			b = mergeBond(*pb, ib)
		case pb != nil:
			b = *pb
			if links != nil {
				problem("%s: bond %s is not in %s", pb.Source, quote.Name(name), ipFile)
			}
		default:
			if ib.Mode == "" {
				problem("%s: %s is the master of %d NIC(s) but is not listed as a bond", ipFile, quote.Name(name), len(ib.Slaves))
				continue
			}
			b = *ib
			b.Slaves = detachSlaves(ib.Slaves)
			b.ActiveAggregator = cloneAggregator(ib.ActiveAggregator)
			problem("%s: missing: %s is a bond in %s but the capture has no copy of /proc/net/bonding/%s; its slaves' speeds and LACP partners are unknown", path.Join(bdir(), quote.Name(name)), quote.Name(name), ipFile, quote.Name(name))
		}
		h.Bonds = append(h.Bonds, b)
	}

	// NICs the bonding files name but ip-link did not list.
	for bi := range h.Bonds {
		b := &h.Bonds[bi]
		for si := range b.Slaves {
			s := &b.Slaves[si]
			i, ok := nicByName[s.Name]
			if !ok {
				i = len(h.NICs)
				h.NICs = append(h.NICs, topology.NIC{Name: s.Name, PermMAC: s.PermMAC, Master: b.Name})
				nicByName[s.Name] = i
			}
			n := &h.NICs[i]
			if n.PermMAC == "" {
				n.PermMAC = s.PermMAC
			}
			if s.PermMAC == "" {
				s.PermMAC = n.PermMAC
			}
			if s.Speed > 0 {
				n.Speed = s.Speed
			}
			if s.Duplex != "" {
				n.Duplex = s.Duplex
			}
			if n.Master == "" {
				n.Master = b.Name
			}
		}
		if b.Bridge == "" {
			for _, br := range h.Bridges {
				if slices.Contains(br.Ports, b.Name) {
					b.Bridge = br.Name
				}
			}
		}
	}
	slices.SortFunc(h.NICs, func(a, b topology.NIC) int { return strings.Compare(a.Name, b.Name) })
	shareMACs(h)
}
