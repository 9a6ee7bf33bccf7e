package host

import (
	"io/fs"
	"time"
)

// FolderFS is a file system that opens a folder once to list it and read
// the files in it (collect.SiteDir): a capture folder then costs one
// listing and one open per file, with no walk of each file's path from the
// root and no failed open for a file the listing does not have.
type FolderFS interface {
	fs.FS
	// OpenFolder opens the folder name; its errors are fs.ReadDir's.
	OpenFolder(name string) (Folder, error)
}

// Folder is a folder opened by a FolderFS.
type Folder interface {
	// ReadDir lists the folder as fs.ReadDir does (n <= 0: all, sorted).
	ReadDir(n int) ([]fs.DirEntry, error)
	// ReadFileBuf reads the entry name into buf's storage (grown when the
	// file does not fit) with the errors fs.ReadFile gives for the folder's
	// path joined with name, and returns the file's modification time. The
	// bytes are valid until buf is reused.
	ReadFileBuf(name string, buf []byte) ([]byte, time.Time, error)
	// OpenFolder opens the entry name, a folder, as the FolderFS opens the
	// folder's path joined with name.
	OpenFolder(name string) (Folder, error)
	Close() error
}

// EntryLister is a Folder that lists itself into the caller's storage
// (collect.SiteDir's folders): a capture's folders are listed with no
// fs.DirEntry made per name.
type EntryLister interface {
	// ListEntries appends what ReadDir(-1) would list (sorted by name, a
	// symlink as what it points to when ReadDir says so) to dst, with
	// ReadDir's errors.
	ListEntries(dst []Entry) ([]Entry, error)
}

// Entry is a folder's entry: its name and type (fs.DirEntry's Name and
// Type).
type Entry struct {
	Name string
	Type fs.FileMode
}

// IsDir is fs.DirEntry's IsDir.
func (e Entry) IsDir() bool { return e.Type.IsDir() }

// Releaser is a Folder that may be reused once closed (collect.SiteDir's
// folders opened at their parent's): Release says that the caller refers
// to it no more, nor to any folder opened from it.
type Releaser interface {
	Release()
}
