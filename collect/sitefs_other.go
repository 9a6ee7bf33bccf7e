//go:build !linux

package collect

import "os"

// openBeneath has no fast path here: Open uses os.Root.
func (s *SiteDir) openBeneath(string, int) (*os.File, error, bool) { return nil, nil, false }

func openDirFD(string) *os.File { return nil }
