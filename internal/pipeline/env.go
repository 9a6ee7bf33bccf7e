package pipeline

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/bondaudit/bondaudit/internal/atomicfile"
	"github.com/bondaudit/bondaudit/rules"
	"github.com/bondaudit/bondaudit/topology/escape"
)

// Env is what a command's run takes from its caller (cmd/bondaudit):
// where reports and notes go, the clock and the log. Its methods are the
// commands' runs, below the flags: each returns an error when the run
// failed (the CLI's exit 2) and, where a run can, fails when it found
// something at or above --fail-on or could not collect everything (exit
// 1). What they print on Stderr are the run's notes, in order.
type Env struct {
	Stdout, Stderr io.Writer
	Now            func() time.Time
	Log            *slog.Logger
	// Terminal: Stderr is a terminal, so progress lines are drawn (and
	// redrawn in place).
	Terminal bool
}

// Opener opens a command's SITE (the CLI's: a folder read as untrusted
// input, or the built-in demo site) and names it. A run calls it after
// checking its flags, so a bad flag is reported before a missing site.
type Opener func() (fsys fs.FS, name string, err error)

// Load is the package's Load with the run's log, a progress line on a
// terminal, and, for a site that cannot be read at all, its problems on
// Stderr.
func (e *Env) Load(fsys fs.FS, name string, opt Options) (*Result, error) {
	opt.Log = e.Log
	if e.Terminal {
		opt.Progress = ProgressLine(e.Stderr, name)
	}
	r, err := Load(fsys, name, opt)
	var le *LoadError
	if errors.As(err, &le) {
		for _, p := range le.Problems {
			fmt.Fprintf(e.Stderr, "  %s\n", escape.Text(p))
		}
	}
	if err != nil {
		return nil, err
	}
	return r, nil
}

// Judged is Load, then the rules and the policy as of Now.
func (e *Env) Judged(fsys fs.FS, name string, pol *rules.Policy, opt Options) (*Result, error) {
	r, err := e.Load(fsys, name, opt)
	if err != nil {
		return nil, err
	}
	r.Judge(pol, e.Now())
	return r, nil
}

// Output writes to Stdout (path "" or "-"), or to the file path through
// atomicfile, bondaudit's one output writer: a device, FIFO or
// /dev/stdout is written in place, a regular file (or a symlink's target)
// replaced atomically keeping its mode. An error names flag (-o,
// --save-baseline).
func (e *Env) Output(flag, path string, write func(io.Writer) error) error {
	if path == "" || path == "-" {
		return write(e.Stdout)
	}
	if err := atomicfile.Write(path, write); err != nil {
		return fmt.Errorf("%s: %w", flag, err)
	}
	return nil
}

// ParseFailOn reads --fail-on; the error names the flag.
func ParseFailOn(s string) (rules.FailOn, error) {
	f, err := rules.ParseFailOn(s)
	if err != nil {
		return f, fmt.Errorf("--fail-on %w", err)
	}
	return f, nil
}

// SyncWriter serialises writes to one writer (stderr shared by the log
// and the progress lines of worker pools).
type SyncWriter struct {
	mu sync.Mutex
	W  io.Writer
}

func (s *SyncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.W.Write(p)
}

// FormatList is "a, b or c", for --format's help and errors.
func FormatList(names []string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}
