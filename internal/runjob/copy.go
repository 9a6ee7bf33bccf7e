package runjob

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/bondaudit/bondaudit/collect"
	"github.com/bondaudit/bondaudit/topology"
)

// maxDepth bounds how deep a copied folder may nest (a sosreport is about
// ten levels); deeper is a problem, not a copy.
const maxDepth = 32

// copier copies a folder written by others (the hosts' captures, recorded
// walks) into a snapshot, reading it as a site is read: beneath the folder
// only, regular files and folders only, within the size caps, names
// starting with a dot skipped (rsync's temporary files). What it refuses
// is a problem named as the audit of a site names it ("hosts/web01/…"),
// carried into the run's audit. Modification times are kept: they are
// when a capture was taken.
type copier struct {
	src    *collect.SiteDir
	dst    string // the snapshot's hosts/ or switches/
	prefix string // "hosts" or "switches"

	problems []topology.Problem
	entries  int // top-level entries copied
}

// copyInputs copies the folder from into dst (created) as the snapshot's
// prefix folder.
func copyInputs(from, dst, prefix string, lim collect.Limits) (*copier, error) {
	src, err := collect.OpenSiteDir(from, lim)
	if err != nil {
		return nil, err
	}
	defer src.Close()
	c := &copier{src: src, dst: dst, prefix: prefix}
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return nil, err
	}
	entries, err := src.ReadDir(".")
	if err != nil {
		return nil, fmt.Errorf("%s: %w", from, err)
	}
	var top []fileID
	if st, err := src.Stat("."); err == nil {
		top = append(top, idOf(st))
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") {
			continue
		}
		if c.copy(e.Name(), top) {
			c.entries++
		}
	}
	return c, nil
}

// problem records err about the input rel.
func (c *copier) problem(rel string, err error) {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	c.problems = append(c.problems, topology.Problem{File: path.Join(c.prefix, rel), What: err.Error()})
}

// copy copies the input rel (a file or a folder, symlinks that stay in the
// folder followed); ancestors are the folders above it, to refuse a link
// back to one of them. It reports whether anything was copied.
func (c *copier) copy(rel string, ancestors []fileID) bool {
	st, err := c.src.Stat(rel)
	if err != nil {
		c.problem(rel, err)
		return false
	}
	out := filepath.Join(c.dst, filepath.FromSlash(rel))
	if !st.IsDir() {
		return c.copyFile(rel, out, st)
	}
	id := idOf(st)
	for _, a := range ancestors {
		if id.ok && a == id {
			c.problem(rel, errors.New("not copied: a symlink back to a folder above it"))
			return false
		}
	}
	if len(ancestors) >= maxDepth {
		c.problem(rel, fmt.Errorf("not copied: folders nested deeper than %d", maxDepth))
		return false
	}
	entries, err := c.src.ReadDir(rel)
	if err != nil {
		c.problem(rel, err)
		return false
	}
	if err := os.Mkdir(out, 0o755); err != nil {
		c.problem(rel, err)
		return false
	}
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), ".") {
			c.copy(path.Join(rel, e.Name()), append(ancestors, id))
		}
	}
	os.Chtimes(out, st.ModTime(), st.ModTime())
	return true
}

// copyFile copies one file through the site reader (which refuses what is
// not a regular file and stops at the caps); a partial copy is removed.
func (c *copier) copyFile(rel, out string, st fs.FileInfo) bool {
	in, err := c.src.Open(rel)
	if err != nil {
		c.problem(rel, err)
		return false
	}
	defer in.Close()
	w, err := os.OpenFile(out, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		c.problem(rel, err)
		return false
	}
	_, err = io.Copy(w, in)
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(out)
		c.problem(rel, err)
		return false
	}
	os.Chtimes(out, st.ModTime(), st.ModTime())
	return true
}

// fileID identifies a folder (device and inode) to catch symlink loops.
type fileID struct {
	dev, ino uint64
	ok       bool
}
