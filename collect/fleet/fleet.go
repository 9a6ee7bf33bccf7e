// Package fleet collects raw host captures from many Linux hosts over SSH:
// a bounded pool of workers, each dialling one host (ssh-agent and key
// files, host keys checked against known_hosts, ProxyJump chains), running
// the read-only stock commands (StockCommands) in one session and writing
// the host's capture folder, byte for byte what the capture recipe
// (DESIGN.md "raw host capture") gives on the host itself, atomically under
// Options.Out. A host that cannot be read gets <name>.json, a host
// snapshot with "unreachable": true and why, so the audit reports it
// (map.host-unreachable) and the others are still collected.
//
// Everything a host sends is untrusted: section names are checked against
// the capture layout, every command's output and every host's total are
// capped, and a host gets a deadline.
package fleet

import (
	"errors"
	"fmt"
	"time"
)

// Target is one host to collect, as the inventory resolves it (the same
// fields as collect/fleet/inventory.Target).
type Target struct {
	// Name is the inventory name: the capture folder is Out/<Name>/.
	Name string
	// Addr is the address dialled (ansible_host, ssh_config HostName);
	// "": Name.
	Addr string
	// Port is the SSH port; 0: 22.
	Port int
	// User logs in; "": Options.User.
	User string
	// Become runs the commands that need root through `sudo -n`.
	Become bool
	// IdentityFiles are private key files tried after the agent's keys;
	// none: ~/.ssh/id_ed25519, id_ecdsa, id_rsa.
	IdentityFiles []string
	// ProxyJump is a comma-separated chain of [user@]host[:port] jump
	// hosts, dialled in order, the target through the last.
	ProxyJump string
}

// Class says why a host could not be collected.
type Class string

// Failure classes, as the summary counts them.
const (
	ClassRefused        Class = "refused"
	ClassTimeout        Class = "timeout"
	ClassAuth           Class = "auth"
	ClassHostKeyChanged Class = "host-key-changed"
	ClassHostKeyUnknown Class = "host-key-unknown"
	ClassCommand        Class = "command-failed"
	ClassConnect        Class = "connect" // other network errors: no route, name not found
	ClassSave           Class = "not-saved"
)

// Classes lists the failure classes in summary order.
var Classes = []Class{ClassRefused, ClassTimeout, ClassAuth, ClassHostKeyChanged, ClassHostKeyUnknown,
	ClassCommand, ClassConnect, ClassSave}

// Describe is a class in words for the summary.
func (c Class) Describe() string {
	switch c {
	case ClassRefused:
		return "connection refused"
	case ClassTimeout:
		return "timed out"
	case ClassAuth:
		return "authentication failed"
	case ClassHostKeyChanged:
		return "host key CHANGED"
	case ClassHostKeyUnknown:
		return "host key not known"
	case ClassCommand:
		return "command failed"
	case ClassConnect:
		return "network error"
	case ClassSave:
		return "capture not saved"
	}
	return string(c)
}

// Error is a host that could not be collected.
type Error struct {
	Class Class
	Err   error
}

func (e *Error) Error() string { return e.Err.Error() }
func (e *Error) Unwrap() error { return e.Err }

func fail(c Class, format string, args ...any) *Error {
	return &Error{Class: c, Err: fmt.Errorf(format, args...)}
}

// ClassOf is the class of a host's error ("" for nil).
func ClassOf(err error) Class {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Class
	}
	return ClassConnect
}

// Result is what became of one host.
type Result struct {
	Target Target
	// Err is why the host could not be collected (an *Error); nil: its
	// capture was written.
	Err error
	// Path is what was written: Out/<name> (a capture folder), or
	// Out/<name>.json (a snapshot from --remote-bondaudit, or the
	// unreachable snapshot when Err is set). "" when nothing could be.
	Path string
	// SaveErr is set when the unreachable snapshot could not be written.
	SaveErr error
	// Notes are what the capture lacks and why (no /proc/net/bonding,
	// lldpd not running, a command that failed), none fatal.
	Notes    []string
	Files    int
	Bytes    int64
	Attempts int
	Duration time.Duration
}

// Class is the result's failure class, "" when collected.
func (r *Result) Class() Class { return ClassOf(r.Err) }

// Progress is the pool's state, reported after each host.
type Progress struct {
	Total, Done, Failed, InFlight int
	Started                       time.Time
	// Result is the host just finished.
	Result *Result
}
