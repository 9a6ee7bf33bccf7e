package runjob

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var t0 = time.Date(2026, 12, 3, 14, 2, 11, 0, time.UTC)

// TestLockHeldNamesTheHolder: a second Acquire of the same history while
// the first holds it fails with who holds it; after Release it succeeds.
func TestLockHeldNamesTheHolder(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "history")
	me := Holder{PID: 1234, Host: "auditor1", Started: t0, Config: "/etc/bondaudit/run.yaml"}
	l, err := Acquire(dir, me)
	if err != nil {
		t.Fatal(err)
	}
	if l.Stale != nil {
		t.Errorf("a new lock file reports a stale holder %+v", l.Stale)
	}
	_, err = Acquire(dir, Holder{PID: 99, Started: t0.Add(time.Minute)})
	var he *HeldError
	if !errors.As(err, &he) || he.Holder == nil || *he.Holder != me {
		t.Fatalf("second Acquire: %v, want a HeldError naming %+v", err, me)
	}
	want := "another run holds " + filepath.Join(dir, ".lock") + " (pid 1234 on auditor1, since 14:02:11 UTC, config /etc/bondaudit/run.yaml)"
	if err.Error() != want {
		t.Errorf("message\n%s\nwant\n%s", err, want)
	}
	// a holder from another day shows its date
	he.Now = t0.Add(24 * time.Hour)
	if !strings.Contains(he.Error(), "since 2026-12-03 14:02:11 UTC") {
		t.Errorf("holder of yesterday: %s", he.Error())
	}
	if err := l.Release(); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, ".lock")); len(b) != 0 {
		t.Errorf("released lock file still says %q", b)
	}
	l2, err := Acquire(dir, me)
	if err != nil {
		t.Fatalf("Acquire after Release: %v", err)
	}
	l2.Release()
}

// TestStaleLockTakenOver: a lock file naming a run that is gone (killed:
// its flock went with it) is taken over, and the run says whose it was.
func TestStaleLockTakenOver(t *testing.T) {
	dir := t.TempDir()
	dead := Holder{PID: 4242, Host: "old", Started: t0.Add(-time.Hour), Config: "/etc/x.yaml"}
	b, _ := json.Marshal(dead)
	os.WriteFile(filepath.Join(dir, ".lock"), b, 0o644)
	me := Holder{PID: os.Getpid(), Host: "new", Started: t0, Config: "/etc/run.yaml"}
	l, err := Acquire(dir, me)
	if err != nil {
		t.Fatalf("stale lock not taken over: %v", err)
	}
	defer l.Release()
	if l.Stale == nil || *l.Stale != dead {
		t.Errorf("Stale = %+v, want %+v", l.Stale, dead)
	}
	var got Holder
	b, _ = os.ReadFile(filepath.Join(dir, ".lock"))
	if err := json.Unmarshal(b, &got); err != nil || got != me {
		t.Errorf("lock file says %q, want %+v", b, me)
	}
}

// TestLockFileNotFollowed: a symlink in place of the lock file is not
// followed (the lock would be some other file).
func TestLockFileNotFollowed(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(t.TempDir(), "elsewhere")
	os.WriteFile(target, []byte("keep"), 0o644)
	os.Symlink(target, filepath.Join(dir, ".lock"))
	if l, err := Acquire(dir, Holder{PID: 1}); err == nil {
		l.Release()
		t.Fatal("a symlinked lock file was followed")
	}
	if b, _ := os.ReadFile(target); string(b) != "keep" {
		t.Errorf("the link's target was written: %q", b)
	}
}
