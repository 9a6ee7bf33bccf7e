// Package snmplab runs a real net-snmp snmpd on loopback serving recorded
// walks, for tests: snmpd answers the protocol (v1, v2c, v3 with real USM
// crypto) and hands every GET/GETNEXT under .1.0, .1.2 and .1.3 to a
// pass_persist backend written here, which serves a walk file.
//
// The backend runs inside the test binary: a package that uses snmplab
// calls MaybeServePassPersist first thing in its TestMain; snmpd starts the
// test binary again with -bondaudit-pass-persist FILE.
package snmplab

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/bondaudit/bondaudit/collect/snmp"
	"github.com/bondaudit/bondaudit/vendors"
)

const passFlag = "-bondaudit-pass-persist"

// MaybeServePassPersist serves the pass_persist protocol on stdin/stdout
// and exits when the process was started as a backend; otherwise it
// returns at once.
func MaybeServePassPersist() {
	if len(os.Args) < 3 || os.Args[1] != passFlag {
		return
	}
	w, errs, err := snmp.ReadWalkFile(os.Args[2])
	if err != nil {
		os.Exit(1)
	}
	// Lines the reader rejected are left out. Nothing goes to stderr:
	// snmpd mixes a backend's stderr into its answers.
	_ = errs
	var delay time.Duration
	if len(os.Args) > 3 {
		delay, _ = time.ParseDuration(os.Args[3])
	}
	_ = ServePassPersist(os.Stdin, os.Stdout, w, delay)
	os.Exit(0)
}

// entry is one varbind in pass_persist's words.
type entry struct {
	oid      string // dotted, leading dot
	typ, val string
}

// passValue renders a value as pass_persist type and value lines; ok is
// false for values pass_persist cannot carry (exceptions, Null).
func passValue(v vendors.Value) (typ, val string, ok bool) {
	switch v.Kind {
	case vendors.KindInteger:
		return "integer", fmt.Sprint(v.Int), true
	case vendors.KindOctetString, vendors.KindOpaque:
		plain := true
		for _, c := range v.Bytes {
			if c < 0x20 || c >= 0x7f {
				plain = false
				break
			}
		}
		if plain && len(v.Bytes) > 0 && v.Bytes[0] != ' ' && v.Bytes[len(v.Bytes)-1] != ' ' {
			return "string", string(v.Bytes), true
		}
		hx := make([]string, len(v.Bytes))
		for i, c := range v.Bytes {
			hx[i] = fmt.Sprintf("%02x", c)
		}
		return "octet", strings.Join(hx, " "), true
	case vendors.KindOID:
		return "objectid", "." + v.OID, true
	case vendors.KindIPAddress:
		if len(v.Bytes) == 4 {
			return "ipaddress", fmt.Sprintf("%d.%d.%d.%d", v.Bytes[0], v.Bytes[1], v.Bytes[2], v.Bytes[3]), true
		}
	case vendors.KindCounter32:
		return "counter", fmt.Sprint(v.Uint), true
	case vendors.KindGauge32:
		return "gauge", fmt.Sprint(v.Uint), true
	case vendors.KindTimeTicks:
		return "timeticks", fmt.Sprint(v.Uint), true
	case vendors.KindCounter64:
		return "counter64", fmt.Sprint(v.Uint), true
	}
	return "", "", false
}

// maxValueLine is the longest value line snmpd's pass_persist reads
// (its buffer is 4 KiB); longer values are left out of what is served.
const maxValueLine = 4000

// Servable reports whether a varbind can be served through pass_persist:
// exceptions and Null cannot, nor values longer than snmpd's line buffer
// (some recordings hold 5 KiB of garbage in a PortList).
func Servable(vb vendors.VarBind) bool {
	_, v, ok := passValue(vb.Value)
	return ok && len(v) <= maxValueLine
}

// ServePassPersist answers snmpd's pass_persist requests (PING, get,
// getnext, set) from a walk until in ends, each answer delay late.
func ServePassPersist(in io.Reader, out io.Writer, w *vendors.Walk, delay time.Duration) error {
	var es []entry
	var oids []string
	for _, vb := range w.All() {
		if t, v, ok := passValue(vb.Value); ok && len(v) <= maxValueLine {
			es = append(es, entry{"." + vb.OID, t, v})
			oids = append(oids, vb.OID)
		}
	}
	r := bufio.NewReader(in)
	bw := bufio.NewWriter(out)
	line := func() (string, bool) {
		s, err := r.ReadString('\n')
		return strings.TrimSpace(s), err == nil
	}
	for {
		cmd, ok := line()
		if !ok {
			return bw.Flush()
		}
		switch cmd {
		case "PING":
			fmt.Fprintln(bw, "PONG")
		case "get", "getnext":
			req, _ := line()
			if delay > 0 {
				time.Sleep(delay)
			}
			req = strings.Trim(req, ".")
			i, found := slices.BinarySearchFunc(oids, req, vendors.CompareOID)
			if cmd == "getnext" && found {
				i++
			}
			if i >= len(es) || (cmd == "get" && !found) {
				fmt.Fprintln(bw, "NONE")
			} else {
				fmt.Fprintf(bw, "%s\n%s\n%s\n", es[i].oid, es[i].typ, es[i].val)
			}
		case "set":
			line()
			line()
			fmt.Fprintln(bw, "not-writable")
		case "":
			continue
		default:
			fmt.Fprintln(bw, "NONE")
		}
		if err := bw.Flush(); err != nil {
			return err
		}
	}
}
