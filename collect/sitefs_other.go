//go:build !linux

package collect

import "time"

// readAt is Linux's fast path; elsewhere every file is read through the
// site's root.
func (d *siteFolder) readAt(name, full string, buf []byte) ([]byte, time.Time, bool, error) {
	return nil, time.Time{}, false, nil
}

func (d *siteFolder) descriptor() bool { return false }

func (d *siteFolder) openFolderAt(name string) *siteFolder { return nil }
