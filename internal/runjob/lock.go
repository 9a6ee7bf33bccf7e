package runjob

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/bondaudit/bondaudit/internal/quote"
)

// LockName is the lock file in the history folder: one run at a time
// writes a history.
const LockName = ".lock"

// Holder is a run holding a history's lock, as its lock file says.
type Holder struct {
	PID     int       `json:"pid"`
	Host    string    `json:"host"`
	Started time.Time `json:"started"`
	Config  string    `json:"config"`
}

// HeldError is a lock another run holds.
type HeldError struct {
	Path string
	// Holder is what the lock file says; nil when it says nothing
	// readable (the holder is writing it, or releasing the lock).
	Holder *Holder
	// Now is when the lock was asked for: a holder that started on
	// another day is shown with its date.
	Now time.Time
}

func (e *HeldError) Error() string {
	return fmt.Sprintf("another run holds %s (%s)", e.Path, e.Holder.describe(e.Now))
}

// describe is "pid 1234 on host, since 14:02:11 UTC, config /etc/…".
func (h *Holder) describe(now time.Time) string {
	if h == nil {
		return "its lock file does not say who: being written or released"
	}
	since := h.Started.UTC().Format("15:04:05 UTC")
	if y, m, d := h.Started.UTC().Date(); now.IsZero() || y != now.UTC().Year() || m != now.UTC().Month() || d != now.UTC().Day() {
		since = h.Started.UTC().Format("2006-01-02 15:04:05 UTC")
	}
	return fmt.Sprintf("pid %d on %s, since %s, config %s", h.PID, quote.Name(h.Host), since, quote.Name(h.Config))
}

// Lock is a history's lock, held (flock) from Acquire to Release.
type Lock struct {
	f    *os.File
	Path string
	// Stale is the holder a lock file still named when it was taken: a
	// run that ended without releasing it (killed). nil normally.
	Stale *Holder
}

// Acquire takes the lock of the history folder dir (creating the folder
// and its lock file as needed) and writes who holds it into the file. A
// lock another process holds is a *HeldError naming it; a lock file left
// by a run that is gone (no flock held) is taken over.
func Acquire(dir string, me Holder) (*Lock, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("history: %w", err)
	}
	path := filepath.Join(dir, LockName)
	f, err := openLockFile(path)
	if err != nil {
		return nil, fmt.Errorf("lock: %w", err)
	}
	held, err := tryLock(f)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	if held {
		h := readHolder(f)
		f.Close()
		return nil, &HeldError{Path: path, Holder: h, Now: me.Started}
	}
	l := &Lock{f: f, Path: path, Stale: readHolder(f)}
	b, _ := json.Marshal(me)
	if err := f.Truncate(0); err == nil {
		_, err = f.WriteAt(append(b, '\n'), 0)
	}
	if err != nil {
		l.Release()
		return nil, fmt.Errorf("lock %s: writing the holder: %w", path, err)
	}
	return l, nil
}

// Release empties the lock file (a lock file that names someone after
// its run is over was left by a killed run) and lets it go.
func (l *Lock) Release() error {
	if l == nil || l.f == nil {
		return nil
	}
	l.f.Truncate(0)
	err := l.f.Close() // closing the last descriptor releases the flock
	l.f = nil
	return err
}

// readHolder reads the holder a lock file names; nil when it names none.
func readHolder(f *os.File) *Holder {
	b := make([]byte, 4096)
	n, _ := f.ReadAt(b, 0)
	s := strings.TrimSpace(string(b[:n]))
	if s == "" {
		return nil
	}
	var h Holder
	if json.Unmarshal([]byte(s), &h) != nil {
		return nil
	}
	return &h
}
