package collect

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io/fs"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"
	"unsafe"

	"github.com/bondaudit/bondaudit/collect/host"
)

// readAt opens name relative to the folder's descriptor with O_NOFOLLOW
// (name is one component, so nothing leads out of the folder, which is
// itself beneath the site's root) and reads it when it is a regular file
// within the per-file cap. ok is false when the file is not read that way:
// the caller then reads it through the site's root. The file's path is
// made only for an error.
func (d *siteFolder) readAt(name string, buf []byte) (b []byte, mod time.Time, ok bool, err error) {
	if !d.descriptor() {
		return nil, time.Time{}, false, nil
	}
	fd, err := openat(d.dirfd, name, syscall.O_RDONLY|syscall.O_NOFOLLOW|syscall.O_NONBLOCK|syscall.O_NOCTTY|syscall.O_CLOEXEC)
	if err != nil {
		return nil, time.Time{}, false, nil
	}
	defer syscall.Close(fd)
	// The fstat of what was opened, not the listing's d_type, decides:
	// regular files only.
	var st syscall.Stat_t
	if syscall.Fstat(fd, &st) != nil || st.Mode&syscall.S_IFMT != syscall.S_IFREG || st.Size > d.s.lim.file() {
		return nil, time.Time{}, false, nil
	}
	c := capped{s: d.s, dir: d, name: name, left: d.s.lim.file(), fd: fd}
	if b, err = readAllFunc(c.Read, st.Size, d.s.lim.file(), buf); err != nil {
		return nil, time.Time{}, true, err
	}
	return b, time.Unix(st.Mtim.Unix()), true, nil
}

// openat is syscall.Openat without its copy of name to the heap: the
// NUL-terminated name is built on the stack (a name longer than NAME_MAX,
// or with a NUL in it, goes to syscall.Openat, which refuses it).
func openat(dirfd int, name string, flags int) (int, error) {
	var b [256]byte
	if len(name) >= len(b) || strings.IndexByte(name, 0) >= 0 {
		return syscall.Openat(dirfd, name, flags, 0)
	}
	copy(b[:], name)
	b[len(name)] = 0
	for {
		fd, _, e := syscall.Syscall6(syscall.SYS_OPENAT, uintptr(dirfd), uintptr(unsafe.Pointer(&b[0])), uintptr(flags|syscall.O_LARGEFILE), 0, 0, 0)
		switch e {
		case 0:
			return int(fd), nil
		case syscall.EINTR:
			continue
		}
		return -1, e
	}
}

// descriptor sets d.dirfd, the open folder's descriptor (valid while d is
// open); false when there is none to use.
func (d *siteFolder) descriptor() bool {
	if d.dirfd >= 0 {
		return true
	}
	if d.f == nil {
		return false // closed
	}
	rc, err := d.f.SyscallConn()
	if err != nil {
		return false
	}
	return rc.Control(func(fd uintptr) { d.dirfd = int(fd) }) == nil && d.dirfd >= 0
}

// openFolderAt opens the folder name relative to d's descriptor, with
// O_NOFOLLOW and O_DIRECTORY (one component: nothing leads out of d, which
// is beneath the site's root). nil when it is not a folder opened that way
// (a symlink, gone, not a folder): the caller then goes through the root.
// The folder is its descriptor only (no os.File) and its path is made only
// for an error.
func (d *siteFolder) openFolderAt(name string) *siteFolder {
	if !d.descriptor() {
		return nil
	}
	fd, err := openat(d.dirfd, name, syscall.O_RDONLY|syscall.O_DIRECTORY|syscall.O_NOFOLLOW|syscall.O_CLOEXEC)
	if err != nil {
		return nil
	}
	f := siteFolders.Get().(*siteFolder)
	*f = siteFolder{s: d.s, parent: d, base: name, dirfd: fd}
	return f
}

// siteFolders are the descriptor-only folders given back by Release, for
// openFolderAt to reuse (a capture opens two or three).
var siteFolders = sync.Pool{New: func() any { return new(siteFolder) }}

// Release implements host.Releaser: a descriptor-only folder, closed, that
// no listing entry refers to (ReadDir's name their folder; ListEntries'
// do not) goes back to siteFolders. The caller refers to it no more, nor
// to a folder opened from it: it releases those with it.
func (d *siteFolder) Release() {
	if d.f != nil || d.dirfd >= 0 || d.shared {
		return
	}
	*d = siteFolder{dirfd: -1} // (no descriptor: closing it again closes nothing)
	siteFolders.Put(d)
}

// direntScratch is what listing a folder reuses: the buffer getdents64
// fills, the names read so far and where each is.
type direntScratch struct {
	buf   []byte
	names []byte
	ents  []rawDirent
}

// rawDirent is one entry of a listing: its name is names[off:end].
type rawDirent struct {
	off, end int
	typ      byte // d_type: a hint only (DT_UNKNOWN on some file systems)
}

var direntBufs = sync.Pool{New: func() any { return &direntScratch{buf: make([]byte, 8<<10)} }}

// errBadDirent is a getdents64 record that does not parse (the kernel
// writes none; the check keeps a bad one from reading past the buffer).
var errBadDirent = errors.New("malformed directory entry")

// listFolder lists the folder with getdents64 on its descriptor: the
// names in one string, the entries in one array, sorted by name, links
// resolved as os.File.ReadDir's are (resolveLinks). ok is false when the
// folder has no descriptor to list.
func (d *siteFolder) listFolder() (entries []fs.DirEntry, ok bool, err error) {
	var list []dirEntry
	ok, err = d.eachDirent(func(n int) { list = make([]dirEntry, 0, n) }, func(name string, typ fs.FileMode) {
		list = append(list, dirEntry{d: d, name: name, typ: typ})
	})
	if !ok || err != nil {
		return nil, ok, err
	}
	if len(list) > 0 {
		d.shared = true // (the entries name d: it is not released)
	}
	slices.SortFunc(list, func(a, b dirEntry) int { return strings.Compare(a.name, b.name) })
	entries = make([]fs.DirEntry, len(list))
	for i := range list {
		entries[i] = &list[i]
	}
	d.resolveLinks(entries)
	return entries, true, nil
}

// listEntries is listFolder appending names and types to dst (the
// caller's storage): sorted by name, links resolved as resolveLinks
// resolves them; one string of names is all it makes.
func (d *siteFolder) listEntries(dst []host.Entry) (out []host.Entry, ok bool, err error) {
	n0 := len(dst)
	ok, err = d.eachDirent(func(n int) { dst = slices.Grow(dst, n) }, func(name string, typ fs.FileMode) {
		dst = append(dst, host.Entry{Name: name, Type: typ})
	})
	if !ok || err != nil {
		return dst[:n0], ok, err
	}
	list := dst[n0:]
	slices.SortFunc(list, func(a, b host.Entry) int { return strings.Compare(a.Name, b.Name) })
	for i := range list {
		if list[i].Type&fs.ModeSymlink == 0 {
			continue
		}
		if st, ok := d.linkTarget(list[i].Name); ok {
			list[i].Type = st.Mode().Type()
		}
	}
	return dst, true, nil
}

// eachDirent lists the folder with getdents64 on its descriptor: sized is
// told how many entries were read, then each is given to yield with its
// type (lstat'ed beneath the site's root when d_type does not say; one
// gone since the listing is left out, as os.File.ReadDir leaves it out),
// in the order read; the names are pieces of one string. ok is false when
// the folder has no descriptor to list.
func (d *siteFolder) eachDirent(sized func(n int), yield func(name string, typ fs.FileMode)) (ok bool, err error) {
	if !d.descriptor() {
		return false, nil
	}
	sc := direntBufs.Get().(*direntScratch)
	defer func() {
		if cap(sc.names) > 1<<20 || cap(sc.ents) > 1<<16 {
			sc.names, sc.ents = nil, nil // a huge folder's are not kept
		}
		direntBufs.Put(sc)
	}()
	names, ents := sc.names[:0], sc.ents[:0]
	for {
		n, err := syscall.ReadDirent(d.dirfd, sc.buf)
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return true, err
		}
		if n <= 0 {
			break
		}
		var good bool
		if names, ents, good = parseDirents(sc.buf[:n], names, ents); !good {
			return true, errBadDirent
		}
	}
	sc.names, sc.ents = names, ents
	all := string(names)
	sized(len(ents))
	for _, e := range ents {
		name := all[e.off:e.end]
		t, known := direntMode(e.typ)
		if !known {
			st, err := d.s.root.Lstat(d.join(name))
			if errors.Is(err, fs.ErrNotExist) {
				continue // gone since the listing, as os.File.ReadDir skips it
			}
			if err != nil {
				return true, unwrapPath(err)
			}
			t = st.Mode().Type()
		}
		yield(name, t)
	}
	return true, nil
}

// direntHeader is the fixed part of a linux_dirent64 record: d_ino (8),
// d_off (8), d_reclen (2), d_type (1); the NUL-terminated name follows.
const direntHeader = 19

// parseDirents appends the entries of the getdents64 records in buf to
// names (their bytes) and ents, leaving out "." and ".." and entries with
// no inode (as os.File.ReadDir does). false when a record is malformed:
// shorter than its header, longer than what is left, a name without its
// NUL, empty or with a '/'.
func parseDirents(buf, names []byte, ents []rawDirent) ([]byte, []rawDirent, bool) {
	for len(buf) > 0 {
		if len(buf) < direntHeader+1 {
			return names, ents, false
		}
		reclen := int(binary.NativeEndian.Uint16(buf[16:18]))
		if reclen < direntHeader+1 || reclen > len(buf) {
			return names, ents, false
		}
		rec := buf[:reclen]
		buf = buf[reclen:]
		name := rec[direntHeader:]
		i := bytes.IndexByte(name, 0)
		if i <= 0 || bytes.IndexByte(name[:i], '/') >= 0 {
			return names, ents, false
		}
		name = name[:i]
		if binary.NativeEndian.Uint64(rec[0:8]) == 0 || string(name) == "." || string(name) == ".." {
			continue
		}
		ents = append(ents, rawDirent{off: len(names), end: len(names) + len(name), typ: rec[18]})
		names = append(names, name...)
	}
	return names, ents, true
}

// direntMode is the type d_type gives; false for DT_UNKNOWN (or a value
// this does not know), which takes an lstat.
func direntMode(t byte) (fs.FileMode, bool) {
	switch t {
	case syscall.DT_REG:
		return 0, true
	case syscall.DT_DIR:
		return fs.ModeDir, true
	case syscall.DT_LNK:
		return fs.ModeSymlink, true
	case syscall.DT_FIFO:
		return fs.ModeNamedPipe, true
	case syscall.DT_SOCK:
		return fs.ModeSocket, true
	case syscall.DT_CHR:
		return fs.ModeDevice | fs.ModeCharDevice, true
	case syscall.DT_BLK:
		return fs.ModeDevice, true
	}
	return 0, false
}

// dirEntry is an entry of a listing read by listFolder.
type dirEntry struct {
	d    *siteFolder
	name string
	typ  fs.FileMode
}

func (e *dirEntry) Name() string      { return e.name }
func (e *dirEntry) IsDir() bool       { return e.typ.IsDir() }
func (e *dirEntry) Type() fs.FileMode { return e.typ }
func (e *dirEntry) String() string    { return fs.FormatDirEntry(e) }

// Info lstats the entry beneath the site's root, as os.File.ReadDir's
// entries lstat theirs.
func (e *dirEntry) Info() (fs.FileInfo, error) {
	p := e.d.join(e.name)
	st, err := e.d.s.root.Lstat(p)
	if err != nil {
		return nil, refuse("lstat", p, err)
	}
	return st, nil
}

// readFD reads the descriptor fd (a regular file: EINTR is retried).
func readFD(fd int, p []byte) (int, error) {
	for {
		n, err := syscall.Read(fd, p)
		if err == syscall.EINTR {
			continue
		}
		return max(n, 0), err
	}
}

func closeFD(fd int) error { return syscall.Close(fd) }
