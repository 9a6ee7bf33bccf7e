//go:build !linux

package runjob

// renameNoReplace renames old to new unless new exists (fs.ErrExist);
// runs of one history are serialised by its lock.
func renameNoReplace(old, new string) error { return renameChecked(old, new) }
