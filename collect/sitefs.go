package collect

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/bondaudit/bondaudit/collect/host"
)

// Limits bound what reading one site may cost. Everything under a site's
// hosts/ and switches/ is written by others (hosts rsync their captures in,
// LLDP names are set by whoever sends the frame), so a site is read like
// hostile input: inside the site folder only, regular files only, and no
// more bytes than these.
type Limits struct {
	// MaxFileBytes caps one input file; 0 means DefaultMaxFileBytes.
	MaxFileBytes int64
	// MaxSiteBytes caps all input files of one site together; 0 means
	// DefaultMaxSiteBytes.
	MaxSiteBytes int64
}

const (
	// DefaultMaxFileBytes is generous for real data: the largest recorded
	// switch walk is a few MiB, a sosreport's bonding files a few KiB.
	DefaultMaxFileBytes = 256 << 20
	// DefaultMaxSiteBytes bounds a whole site: a 100,000-host site is about
	// 4 GiB of captures.
	DefaultMaxSiteBytes = 64 << 30
)

func (l Limits) file() int64 {
	if l.MaxFileBytes > 0 {
		return l.MaxFileBytes
	}
	return DefaultMaxFileBytes
}

func (l Limits) site() int64 {
	if l.MaxSiteBytes > 0 {
		return l.MaxSiteBytes
	}
	return DefaultMaxSiteBytes
}

// Reasons a site input is refused. Each is wrapped in an *fs.PathError
// naming the file, so a problem line reads
// "open hosts/web01/hostname: symlink leaves the site".
var (
	ErrLeavesSite = errors.New("symlink leaves the site")
	ErrNotRegular = errors.New("not a regular file")
	ErrTooLarge   = errors.New("larger than the size cap")
	ErrSiteBudget = errors.New("the site's size cap is used up")
	ErrLinkLoop   = errors.New("too many levels of symlinks")
)

// SiteDir is a site folder opened for reading as an fs.FS. Paths resolve
// beneath the folder (os.Root: a symlink that stays inside the site works,
// one that leaves it is refused, whichever component it is in); Open
// returns a regular file or a folder and nothing else (a FIFO, socket or
// device is refused without blocking); every file read stops at the
// per-file cap and all reads together at the per-site cap.
type SiteDir struct {
	root *os.Root
	dir  string
	lim  Limits
	used atomic.Int64

	// tops are the top-level folders (hosts, switches) kept open while
	// the site is, so that OpenFolder opens hosts/<name> relative to
	// hosts/ (nil: could not be opened that way).
	mu   sync.Mutex
	tops map[string]*siteFolder
}

// OpenSiteDir opens dir as a site. The folder itself may be reached
// through a symlink (it is the operator's argument); nothing inside it may
// lead out of it.
func OpenSiteDir(dir string, lim Limits) (*SiteDir, error) {
	st, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("site %s: %w", dir, err)
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("site %s: not a folder (want a folder with hosts/ and switches/)", dir)
	}
	r, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("site %s: %w", dir, err)
	}
	return &SiteDir{root: r, dir: dir, lim: lim}, nil
}

// Close releases the folder.
func (s *SiteDir) Close() error {
	s.mu.Lock()
	for _, f := range s.tops {
		if f != nil {
			f.Close()
		}
	}
	s.tops = nil
	s.mu.Unlock()
	return s.root.Close()
}

// Dir is the folder the site was opened from.
func (s *SiteDir) Dir() string { return s.dir }

// BytesRead is how much of the site's size cap has been used.
func (s *SiteDir) BytesRead() int64 { return s.used.Load() }

// refuse turns an os.Root error into one that says why in a network
// engineer's words, keeping fs.ErrNotExist and fs.ErrPermission
// recognisable with errors.Is.
func refuse(op, name string, err error) error {
	var pe *fs.PathError
	inner := err
	if errors.As(err, &pe) {
		inner = pe.Err
	}
	switch {
	case errors.Is(inner, syscall.ELOOP):
		inner = ErrLinkLoop
	case strings.Contains(inner.Error(), "escapes from parent"):
		// os.Root's unexported errPathEscapes: a symlink (or "..") that
		// resolves outside the site. TestSiteDirRefusesEscapes keeps this
		// match honest.
		inner = ErrLeavesSite
	}
	return &fs.PathError{Op: op, Path: name, Err: inner}
}

// Open implements fs.FS.
func (s *SiteDir) Open(name string) (fs.File, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	// O_NONBLOCK: opening a FIFO for reading would otherwise wait for a
	// writer forever. It has no effect on regular files and folders.
	f, err := s.root.OpenFile(name, os.O_RDONLY|syscall.O_NONBLOCK|syscall.O_NOCTTY, 0)
	if err != nil {
		return nil, refuse("open", name, err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, &fs.PathError{Op: "stat", Path: name, Err: err}
	}
	switch {
	case st.IsDir():
		return &siteFolder{f: f, s: s, name: name, dirfd: -1}, nil
	case !st.Mode().IsRegular():
		f.Close()
		return nil, &fs.PathError{Op: "open", Path: name, Err: fmt.Errorf("%w (%s)", ErrNotRegular, kindOf(st.Mode()))}
	case st.Size() > s.lim.file():
		f.Close()
		return nil, &fs.PathError{Op: "open", Path: name, Err: fmt.Errorf("%w: %s is larger than %s", ErrTooLarge, byteSize(st.Size()), byteSize(s.lim.file()))}
	}
	return &siteFile{capped: capped{s: s, name: name, left: s.lim.file(), read: f.Read, fd: -1}, f: f, st: st}, nil
}

// ReadFile implements fs.ReadFileFS with the caps.
func (s *SiteDir) ReadFile(name string) ([]byte, error) {
	b, _, err := s.ReadFileBuf(name, nil)
	return b, err
}

// ReadFileBuf reads name as ReadFile does into buf's storage (grown when
// the file does not fit; pass a pooled buffer to read many files without
// allocating) and returns the bytes and the file's modification time. The
// bytes are valid until buf is reused. A file is read with one read of
// the size fstat gave it.
func (s *SiteDir) ReadFileBuf(name string, buf []byte) ([]byte, time.Time, error) {
	f, err := s.Open(name)
	if err != nil {
		return nil, time.Time{}, err
	}
	defer f.Close()
	sf, ok := f.(*siteFile)
	if !ok {
		return nil, time.Time{}, &fs.PathError{Op: "read", Path: name, Err: errors.New("is a folder")}
	}
	// The size is a hint (the file may grow while it is read); the cap in
	// Read is the limit.
	b, err := readAll(&sf.capped, sf.st.Size(), s.lim.file(), buf)
	if err != nil {
		return nil, time.Time{}, err
	}
	return b, sf.st.ModTime(), nil
}

// readAll reads r to its end into buf's storage. size is what fstat said
// (at most limit): the buffer holds one byte more, so that a file of that
// size comes in one read, and a read that fills exactly size bytes of it
// ends the file (on a regular file a read returns less than asked only at
// its end). What was read before an error is returned with it.
func readAll(r io.Reader, size, limit int64, buf []byte) ([]byte, error) {
	return readAllFunc(r.Read, size, limit, buf)
}

// readAllFunc is readAll reading with read: a method value of a reader on
// the caller's stack stays there (an io.Reader argument would move it to
// the heap).
func readAllFunc(read func([]byte) (int, error), size, limit int64, buf []byte) ([]byte, error) {
	want := int(min(max(size, 0), limit)) + 1
	if cap(buf) < want {
		buf = make([]byte, 0, want)
	}
	buf = buf[:0]
	for {
		if len(buf) == cap(buf) {
			buf = slices.Grow(buf, max(len(buf), 4096))
		}
		asked := cap(buf) - len(buf)
		n, err := read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+max(n, 0)]
		switch {
		case err == io.EOF:
			return buf, nil
		case err != nil:
			return buf, err
		case n <= 0:
			return buf, nil
		case n < asked && int64(len(buf)) == size:
			return buf, nil
		}
	}
}

// Stat implements fs.StatFS; it follows symlinks that stay inside the site.
func (s *SiteDir) Stat(name string) (fs.FileInfo, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "stat", Path: name, Err: fs.ErrInvalid}
	}
	st, err := s.root.Stat(name)
	if err != nil {
		return nil, refuse("stat", name, err)
	}
	return st, nil
}

// ReadDir implements fs.ReadDirFS: entries sorted by name, a symlink
// reported as what it points to when that is inside the site (so a linked
// capture folder is still a folder), and as a symlink otherwise, which
// Open then refuses with the reason.
func (s *SiteDir) ReadDir(name string) ([]fs.DirEntry, error) {
	f, err := s.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	d, ok := f.(*siteFolder)
	if !ok {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: syscall.ENOTDIR}
	}
	return d.ReadDir(-1)
}

func kindOf(m fs.FileMode) string {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a block device"
	case m&fs.ModeSymlink != 0:
		return "a symlink"
	}
	return m.Type().String()
}

func byteSize(n int64) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return fmt.Sprintf("%d GiB", n>>30)
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}

// siteFile is a regular file of the site, read under both caps.
type siteFile struct {
	capped
	f  *os.File
	st fs.FileInfo
}

func (f *siteFile) Stat() (fs.FileInfo, error) { return f.st, nil }
func (f *siteFile) Close() error               { return f.f.Close() }

// capped reads one file of the site under both caps.
type capped struct {
	s    *SiteDir
	dir  *siteFolder // set: the file is name in dir (its path is made for errors only)
	name string
	left int64                     // bytes this file may still give
	read func([]byte) (int, error) // nil: read the descriptor fd
	fd   int
}

// path is the file's path in the site, for errors.
func (f *capped) path() string {
	if f.dir != nil {
		return f.dir.join(f.name)
	}
	return f.name
}

func (f *capped) readRaw(p []byte) (int, error) {
	if f.read != nil {
		return f.read(p)
	}
	return readFD(f.fd, p)
}

func (f *capped) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	if f.left <= 0 {
		// One byte more than the cap tells a file that ends exactly at the
		// cap from one that goes on.
		var one [1]byte
		if n, _ := f.readRaw(one[:]); n == 0 {
			return 0, io.EOF
		}
		return 0, &fs.PathError{Op: "read", Path: f.path(), Err: fmt.Errorf("%w: grew past %s while being read", ErrTooLarge, byteSize(f.s.lim.file()))}
	}
	if int64(len(p)) > f.left {
		p = p[:f.left]
	}
	n, err := f.readRaw(p)
	if n < 0 {
		n = 0
	}
	f.left -= int64(n)
	if f.s.used.Add(int64(n)) > f.s.lim.site() {
		return n, &fs.PathError{Op: "read", Path: f.path(), Err: fmt.Errorf("%w (%s; raise --max-site-size)", ErrSiteBudget, byteSize(f.s.lim.site()))}
	}
	if err != nil && err != io.EOF {
		err = &fs.PathError{Op: "read", Path: f.path(), Err: err}
	}
	return n, err
}

// siteFolder is a folder of the site: an *os.File when opened through the
// site's root, or (Linux) only a descriptor when opened at its parent's.
type siteFolder struct {
	f *os.File // nil: a folder opened at its parent's descriptor
	s *SiteDir
	// name is the folder's path in the site; for a folder opened at its
	// parent's descriptor it is made from parent and base when an error
	// needs it.
	name   string
	parent *siteFolder
	base   string
	dirfd  int // the folder's descriptor once asked for (descriptor); -1 before

	osList bool          // ReadDir(n > 0) went through f: it goes on that way
	rest   []fs.DirEntry // the listing not yet given by ReadDir(n > 0)
	listed bool
	shared bool // entries of its listing name it: never released (Release)
}

// path is the folder's path in the site.
func (d *siteFolder) path() string {
	if d.parent != nil {
		return d.parent.join(d.base)
	}
	return d.name
}

func (d *siteFolder) Read([]byte) (int, error) {
	return 0, &fs.PathError{Op: "read", Path: d.path(), Err: errors.New("is a folder")}
}

func (d *siteFolder) Stat() (fs.FileInfo, error) {
	if d.f != nil {
		return d.f.Stat()
	}
	st, err := d.s.root.Lstat(d.path())
	if err != nil {
		return nil, refuse("stat", d.path(), err)
	}
	return st, nil
}

func (d *siteFolder) Close() error {
	if d.f != nil {
		return d.f.Close()
	}
	if d.dirfd < 0 {
		return &fs.PathError{Op: "close", Path: d.path(), Err: fs.ErrClosed}
	}
	fd := d.dirfd
	d.dirfd = -1
	return closeFD(fd)
}

// ReadDir lists the folder, sorted by name (n <= 0: all of it; n > 0: at
// most n entries a call, then io.EOF). On Linux the listing is read with
// getdents64 on the folder's descriptor into one block of names
// (listFolder); elsewhere, or when that fails, with os.File.ReadDir.
func (d *siteFolder) ReadDir(n int) ([]fs.DirEntry, error) {
	if d.f != nil && (n > 0 || d.osList) && !d.listed {
		d.osList = true
		return d.readDirOS(n)
	}
	if !d.listed {
		entries, err := d.listAll()
		if err != nil {
			return entries, err
		}
		d.rest, d.listed = entries, true
	}
	if n <= 0 {
		entries := d.rest
		d.rest = nil
		if entries == nil {
			entries = []fs.DirEntry{}
		}
		return entries, nil
	}
	if len(d.rest) == 0 {
		return nil, io.EOF
	}
	k := min(n, len(d.rest))
	entries := d.rest[:k:k]
	d.rest = d.rest[k:]
	return entries, nil
}

// ListEntries implements host.EntryLister: what ReadDir(-1) lists, as
// names and types appended to dst, with no fs.DirEntry made for each.
func (d *siteFolder) ListEntries(dst []host.Entry) ([]host.Entry, error) {
	if !d.listed && !d.osList {
		out, ok, err := d.listEntries(dst)
		if ok {
			if err != nil {
				return dst, &fs.PathError{Op: "readdir", Path: d.path(), Err: err}
			}
			d.rest, d.listed = nil, true // listed: ReadDir has nothing more to give
			return out, nil
		}
	}
	entries, err := d.ReadDir(-1)
	for _, e := range entries {
		dst = append(dst, host.Entry{Name: e.Name(), Type: e.Type()})
	}
	return dst, err
}

// listAll is the whole listing, sorted, links resolved (resolveLinks).
func (d *siteFolder) listAll() ([]fs.DirEntry, error) {
	if entries, ok, err := d.listFolder(); ok {
		if err != nil {
			return nil, &fs.PathError{Op: "readdir", Path: d.path(), Err: err}
		}
		return entries, nil
	}
	if d.f == nil {
		return nil, &fs.PathError{Op: "readdir", Path: d.path(), Err: fs.ErrClosed}
	}
	d.osList = true
	return d.readDirOS(-1)
}

func (d *siteFolder) readDirOS(n int) ([]fs.DirEntry, error) {
	entries, err := d.f.ReadDir(n)
	if err != nil && (n <= 0 || err != io.EOF) {
		return entries, &fs.PathError{Op: "readdir", Path: d.path(), Err: unwrapPath(err)}
	}
	d.resolveLinks(entries)
	slices.SortFunc(entries, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	return entries, err
}

// resolveLinks reports a symlink that stays inside the site as what it
// points to (so a linked capture folder is still a folder), keeping its
// name; one that does not stays a symlink, which Open then refuses.
func (d *siteFolder) resolveLinks(entries []fs.DirEntry) {
	for i, e := range entries {
		if e.Type()&fs.ModeSymlink == 0 {
			continue
		}
		if st, ok := d.linkTarget(e.Name()); ok {
			entries[i] = fs.FileInfoToDirEntry(renamed{st, e.Name()})
		}
	}
}

// linkTarget is what the folder's symlink name points to, resolved
// beneath the site's root; false when it cannot be (it leaves the site,
// loops or dangles), and the listing keeps it a symlink.
func (d *siteFolder) linkTarget(name string) (fs.FileInfo, bool) {
	st, err := d.s.root.Stat(d.join(name))
	return st, err == nil
}

func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// renamed keeps the link's own name on what it points to.
type renamed struct {
	fs.FileInfo
	name string
}

func (r renamed) Name() string { return r.name }

// OpenFolder opens the folder name of the site once, to list it and to read
// the files listed in it relative to it (host.FolderFS): a host's capture
// costs one listing and one open per file instead of a walk of every path
// from the site's root. A folder of a top-level folder (hosts/<name>) is
// opened relative to it, kept open. Errors are Open's.
func (s *SiteDir) OpenFolder(name string) (host.Folder, error) {
	if top, base, ok := strings.Cut(name, "/"); ok && !strings.Contains(base, "/") && fs.ValidPath(name) {
		if p := s.top(top); p != nil {
			if f := p.openFolderAt(base); f != nil {
				return f, nil
			}
		}
	}
	f, err := s.Open(name)
	if err != nil {
		return nil, err
	}
	d, ok := f.(*siteFolder)
	if !ok {
		f.Close()
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: syscall.ENOTDIR}
	}
	return d, nil
}

// top is the top-level folder name kept open, or nil.
func (s *SiteDir) top(name string) *siteFolder {
	s.mu.Lock()
	defer s.mu.Unlock()
	if d, ok := s.tops[name]; ok {
		return d
	}
	var d *siteFolder
	if f, err := s.Open(name); err == nil {
		if d, _ = f.(*siteFolder); d == nil || !d.descriptor() {
			f.Close()
			d = nil
		}
	}
	if s.tops == nil {
		s.tops = map[string]*siteFolder{}
	}
	s.tops[name] = d // its descriptor is set before it is shared
	return d
}

// OpenFolder opens the folder name (one entry of d, as its listing gave
// it) as SiteDir.OpenFolder opens d's path joined with name: relative to d
// without following a symlink, or else through the site's root.
func (d *siteFolder) OpenFolder(name string) (host.Folder, error) {
	if oneName(name) {
		if f := d.openFolderAt(name); f != nil {
			return f, nil
		}
	}
	return d.s.OpenFolder(d.join(name))
}

func (d *siteFolder) join(name string) string {
	p := d.path()
	if p == "." {
		return name
	}
	return p + "/" + name
}

// oneName reports whether name is one path component naming an entry.
func oneName(name string) bool {
	return name != "" && name != "." && name != ".." && !strings.ContainsRune(name, '/')
}

// ReadFileBuf reads the file name (one entry of the folder, as its listing
// gave it) as SiteDir.ReadFileBuf reads the folder's path joined with name,
// with the same caps, refusals and errors. A regular file is opened
// relative to the open folder without following a symlink; anything else
// (a symlink, a name gone since the listing, a FIFO, a file over the cap)
// is left to SiteDir.ReadFileBuf, which resolves it beneath the site's root
// and says why it is refused.
func (d *siteFolder) ReadFileBuf(name string, buf []byte) ([]byte, time.Time, error) {
	if oneName(name) {
		if b, t, ok, err := d.readAt(name, buf); ok {
			return b, t, err
		}
	}
	return d.s.ReadFileBuf(d.join(name), buf)
}
