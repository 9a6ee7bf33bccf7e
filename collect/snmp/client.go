package snmp

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/gosnmp/gosnmp"

	"github.com/bondaudit/bondaudit/vendors"
)

// Client is the small interface bondaudit needs from an SNMP agent. The
// gosnmp implementation and tests' fakes both satisfy it.
type Client interface {
	// Get fetches single instances.
	Get(ctx context.Context, oids ...string) ([]vendors.VarBind, error)
	// BulkWalk walks a subtree with GETBULK (GETNEXT on SNMPv1 or when
	// the agent breaks on GETBULK).
	BulkWalk(ctx context.Context, root string) ([]vendors.VarBind, error)
	// Walk walks a subtree with GETNEXT.
	Walk(ctx context.Context, root string) ([]vendors.VarBind, error)
	// Requests is the number of request PDUs sent so far (retries included).
	Requests() int
	Close() error
}

// Version is an SNMP protocol version.
type Version string

// SNMP versions.
const (
	V1  Version = "1"
	V2c Version = "2c"
	V3  Version = "3"
)

// Options configure one agent session. Secrets are values here; they come
// from the targets file's env/file references and are never printed.
type Options struct {
	Address        string // host or IP (no port)
	Port           uint16 // default 161
	Version        Version
	Community      Secret
	Context        string // SNMPv3 context name, or v1/v2c community suffix ("@vlan") use
	Timeout        time.Duration
	Retries        int
	MaxRepetitions uint32
	// NoBulk forces GETNEXT walks for agents that break on GETBULK.
	NoBulk bool
	// FullWalk walks this switch's profile subtrees whole, for an agent
	// that answers a many-column GETBULK wrongly (PollOptions.FullWalk
	// does it for every switch).
	FullWalk bool
	// MaxVarBinds caps the varbinds one session reads over all its walks
	// (0: DefaultMaxVarBinds). An agent serving an endless or runaway table
	// is stopped there with a *TooManyVarBindsError instead of filling
	// memory until the deadline.
	MaxVarBinds int
	V3          *V3Options
}

// DefaultMaxVarBinds is the per-switch varbind cap when targets.yaml sets
// no max_varbinds: about 17 times the largest real recording in the test
// fixtures (29,521 varbinds, a Juniper EX4600), room for a core switch's
// 100k+ MAC FDB, and a few hundred MiB at most.
const DefaultMaxVarBinds = 500_000

// MaxVarBindsKey is the targets.yaml key that sets Options.MaxVarBinds.
const MaxVarBindsKey = "max_varbinds"

// TooManyVarBindsError is a walk stopped at the varbind cap.
type TooManyVarBindsError struct {
	Limit int
	Root  string // the subtree being walked when the cap was reached
}

func (e *TooManyVarBindsError) Error() string {
	return fmt.Sprintf("the agent served more than %d varbinds (the %s cap) and was still going while walking %s: an endless or runaway table; if the switch really is this large, raise %s in targets.yaml",
		e.Limit, MaxVarBindsKey, e.Root, MaxVarBindsKey)
}

// V3Options is an SNMPv3 USM user.
type V3Options struct {
	User         string
	AuthProtocol string // MD5, SHA, SHA224, SHA256, SHA384, SHA512, or "" (noAuth)
	AuthKey      Secret
	PrivProtocol string // DES, AES, AES192, AES256, AES192C, AES256C, or "" (noPriv)
	PrivKey      Secret
}

// Secret is a credential. It prints as <redacted> in every format, so a
// log line or error that includes it by accident leaks nothing.
type Secret struct{ v string }

// NewSecret wraps a credential value.
func NewSecret(v string) Secret { return Secret{v} }

// Reveal returns the value, for the one place that must send it.
func (s Secret) Reveal() string { return s.v }

// IsZero reports whether no value is set.
func (s Secret) IsZero() bool { return s.v == "" }

// String implements fmt.Stringer.
func (s Secret) String() string { return "<redacted>" }

// GoString implements fmt.GoStringer (%#v).
func (s Secret) GoString() string { return "<redacted>" }

// MarshalText implements encoding.TextMarshaler (JSON, YAML, slog).
func (s Secret) MarshalText() ([]byte, error) { return []byte("<redacted>"), nil }

var authProtocols = map[string]gosnmp.SnmpV3AuthProtocol{
	"MD5": gosnmp.MD5, "SHA": gosnmp.SHA, "SHA1": gosnmp.SHA, "SHA224": gosnmp.SHA224,
	"SHA256": gosnmp.SHA256, "SHA384": gosnmp.SHA384, "SHA512": gosnmp.SHA512,
}

var privProtocols = map[string]gosnmp.SnmpV3PrivProtocol{
	"DES": gosnmp.DES, "AES": gosnmp.AES, "AES128": gosnmp.AES, "AES192": gosnmp.AES192,
	"AES256": gosnmp.AES256, "AES192C": gosnmp.AES192C, "AES256C": gosnmp.AES256C,
}

// AuthProtocols and PrivProtocols list the accepted names, for messages.
func AuthProtocols() []string { return []string{"MD5", "SHA", "SHA224", "SHA256", "SHA384", "SHA512"} }

// PrivProtocols lists the accepted privacy protocol names.
func PrivProtocols() []string {
	return []string{"DES", "AES", "AES192", "AES256", "AES192C", "AES256C"}
}

// gosnmpClient is a Client over one gosnmp session. One per target per
// goroutine: gosnmp sessions are not safe for concurrent use.
type gosnmpClient struct {
	g        *gosnmp.GoSNMP
	opt      Options
	requests atomic.Int64
	bulkOK   bool
	// varbinds counts what walks have returned, against opt.MaxVarBinds.
	varbinds int
	// received counts every value in every response, those past the end
	// of a walk included.
	received int
}

// ColumnWalker is a Client that walks several columns at once (Dial's
// does); Poll walks a lean walk's columns one by one with BulkWalk on a
// Client that is not one.
type ColumnWalker interface {
	// WalkColumns walks columns in lockstep, one GETBULK (GETNEXT on
	// SNMPv1) carrying every column not yet at its end, and stops each
	// column at its end. A column ending in .0 is a scalar: its one
	// instance, if the agent has it.
	WalkColumns(ctx context.Context, cols []string) ([]vendors.VarBind, error)
}

// ReceivedCounter is a Client that counts the values it received.
type ReceivedCounter interface {
	// Received is the number of values in every response so far, those
	// a walk read past its end and dropped included.
	Received() int
}

// Dial opens a session to an agent (UDP: nothing is sent until the first
// request).
func Dial(opt Options) (Client, error) {
	if opt.Port == 0 {
		opt.Port = 161
	}
	if opt.Timeout <= 0 {
		opt.Timeout = 2 * time.Second
	}
	if opt.MaxRepetitions == 0 {
		opt.MaxRepetitions = 25
	}
	if opt.MaxVarBinds <= 0 {
		opt.MaxVarBinds = DefaultMaxVarBinds
	}
	g := &gosnmp.GoSNMP{
		Target:             opt.Address,
		Port:               opt.Port,
		Transport:          "udp",
		Timeout:            opt.Timeout,
		Retries:            opt.Retries,
		ExponentialTimeout: true, // each retry waits twice as long
		MaxOids:            gosnmp.MaxOids,
		MaxRepetitions:     opt.MaxRepetitions,
	}
	switch opt.Version {
	case V1:
		g.Version = gosnmp.Version1
		g.Community = opt.Community.Reveal()
	case V2c, "":
		g.Version = gosnmp.Version2c
		g.Community = opt.Community.Reveal()
	case V3:
		if opt.V3 == nil || opt.V3.User == "" {
			return nil, errors.New("SNMPv3 needs a user")
		}
		g.Version = gosnmp.Version3
		g.SecurityModel = gosnmp.UserSecurityModel
		g.ContextName = opt.Context
		usm := &gosnmp.UsmSecurityParameters{UserName: opt.V3.User}
		g.MsgFlags = gosnmp.NoAuthNoPriv
		if opt.V3.AuthProtocol != "" {
			p, ok := authProtocols[strings.ToUpper(opt.V3.AuthProtocol)]
			if !ok {
				return nil, fmt.Errorf("auth protocol %q: want one of %s", opt.V3.AuthProtocol, strings.Join(AuthProtocols(), ", "))
			}
			usm.AuthenticationProtocol, usm.AuthenticationPassphrase = p, opt.V3.AuthKey.Reveal()
			g.MsgFlags = gosnmp.AuthNoPriv
		}
		if opt.V3.PrivProtocol != "" {
			if opt.V3.AuthProtocol == "" {
				return nil, errors.New("SNMPv3 privacy needs authentication (set an auth protocol)")
			}
			p, ok := privProtocols[strings.ToUpper(opt.V3.PrivProtocol)]
			if !ok {
				return nil, fmt.Errorf("priv protocol %q: want one of %s", opt.V3.PrivProtocol, strings.Join(PrivProtocols(), ", "))
			}
			usm.PrivacyProtocol, usm.PrivacyPassphrase = p, opt.V3.PrivKey.Reveal()
			g.MsgFlags = gosnmp.AuthPriv
		}
		g.SecurityParameters = usm
	default:
		return nil, fmt.Errorf("SNMP version %q: want 1, 2c or 3", opt.Version)
	}
	c := &gosnmpClient{g: g, opt: opt, bulkOK: g.Version != gosnmp.Version1 && !opt.NoBulk}
	g.OnSent = func(*gosnmp.GoSNMP) { c.requests.Add(1) }
	if err := g.Connect(); err != nil {
		return nil, fmt.Errorf("%s: %w", c.where(), err)
	}
	return c, nil
}

func (c *gosnmpClient) where() string {
	return net.JoinHostPort(c.opt.Address, strconv.Itoa(int(c.opt.Port)))
}

func (c *gosnmpClient) Requests() int { return int(c.requests.Load()) }

func (c *gosnmpClient) Received() int { return c.received }

func (c *gosnmpClient) Close() error {
	if c.g.Conn == nil {
		return nil
	}
	return c.g.Conn.Close()
}

// explain turns gosnmp's errors into what a network engineer can act on.
func (c *gosnmpClient) explain(op string, err error) error {
	what := ""
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		what = "the per-switch deadline passed"
	case errors.Is(err, context.Canceled):
		what = "cancelled"
	case errors.Is(err, gosnmp.ErrWrongDigest):
		what = "SNMPv3 authentication failed: wrong auth key or protocol"
	case errors.Is(err, gosnmp.ErrDecryption):
		what = "SNMPv3 decryption failed: wrong privacy key or protocol"
	case errors.Is(err, gosnmp.ErrUnknownUsername):
		what = "SNMPv3 user unknown to the agent"
	case strings.Contains(err.Error(), "not authentic"):
		// The agent's report (unknown user, wrong digest) is not signed
		// with our key, so gosnmp discards it: either is possible.
		what = "SNMPv3 authentication failed: wrong auth key or auth protocol, or a user name the agent does not know"
	case errors.Is(err, gosnmp.ErrUnknownSecurityLevel):
		what = "the agent does not accept this SNMPv3 security level for the user"
	case strings.Contains(err.Error(), "request timeout") || errors.Is(err, gosnmp.ErrMaxRetriesExceeded):
		what = fmt.Sprintf("no answer within %s × %d tries", c.opt.Timeout, c.opt.Retries+1)
		if c.g.Version != gosnmp.Version3 {
			what += " (agent down, ACL, or wrong community: agents do not answer a wrong community)"
		} else if c.g.MsgFlags&gosnmp.AuthPriv == gosnmp.AuthPriv {
			what += " (agent down, ACL, or a wrong privacy key or protocol: agents drop what they cannot decrypt)"
		} else {
			what += " (agent down, ACL, or SNMPv3 settings the agent drops)"
		}
	case strings.Contains(err.Error(), "connection refused"):
		what = "connection refused (nothing listens on that port)"
	}
	if what != "" {
		return fmt.Errorf("%s %s: %s: %w", op, c.where(), what, err)
	}
	return fmt.Errorf("%s %s: %w", op, c.where(), err)
}

func (c *gosnmpClient) Get(ctx context.Context, oids ...string) ([]vendors.VarBind, error) {
	c.g.Context = ctx
	pkt, err := c.g.Get(oids)
	if err != nil {
		return nil, c.explain("get", err)
	}
	if pkt.Error != gosnmp.NoError {
		return nil, fmt.Errorf("get %s: agent error %s at varbind %d", c.where(), pkt.Error, pkt.ErrorIndex)
	}
	return convert(pkt.Variables), nil
}

func (c *gosnmpClient) BulkWalk(ctx context.Context, root string) ([]vendors.VarBind, error) {
	if !c.bulkOK {
		return c.Walk(ctx, root)
	}
	out, err := c.walk(ctx, root, true)
	var ae *agentError
	if errors.As(err, &ae) && len(out) == 0 {
		// Some agents answer GETBULK with an error status: walk with GETNEXT.
		c.bulkOK = false
		return c.Walk(ctx, root)
	}
	return out, err
}

func (c *gosnmpClient) Walk(ctx context.Context, root string) ([]vendors.VarBind, error) {
	return c.walk(ctx, root, false)
}

type agentError struct {
	status gosnmp.SNMPError
	index  uint8
}

func (e *agentError) Error() string {
	return fmt.Sprintf("agent error %s at varbind %d", e.status, e.index)
}

// walk pages through a subtree with GETBULK or GETNEXT.
func (c *gosnmpClient) walk(ctx context.Context, root string, bulk bool) ([]vendors.VarBind, error) {
	c.g.Context = ctx
	fetch := func(cur string) (*gosnmp.SnmpPacket, error) {
		var pkt *gosnmp.SnmpPacket
		var err error
		if bulk {
			pkt, err = c.g.GetBulk([]string{cur}, 0, c.opt.MaxRepetitions)
		} else {
			pkt, err = c.g.GetNext([]string{cur})
		}
		if pkt != nil {
			c.received += len(pkt.Variables)
		}
		return pkt, err
	}
	out, err := walkPages(ctx, root, bulk, c.opt.MaxVarBinds-c.varbinds, fetch)
	c.varbinds += len(out)
	if err == nil {
		return out, nil
	}
	root = "." + strings.Trim(root, ".")
	var (
		capErr *TooManyVarBindsError
		ae     *agentError
		oe     *oidOrderError
	)
	switch {
	case errors.As(err, &capErr):
		capErr.Limit = c.opt.MaxVarBinds
		return out, fmt.Errorf("%s: %w", c.where(), err)
	case errors.As(err, &ae), errors.As(err, &oe):
	default:
		return out, c.explain("walk "+root+" on", err)
	}
	return out, fmt.Errorf("walk %s on %s: %w", root, c.where(), err)
}

// maxLockstepVarBinds bounds the values one lockstep GETBULK asks for
// (columns × repetitions) when MaxRepetitions is smaller: net-snmp's
// agent answers at most 100 (maxGetbulkResponses) and other agents cut
// a response to their message size, so asking for more only makes
// bigger packets.
const maxLockstepVarBinds = 100

// maxLockstepColumns bounds the columns one request carries.
const maxLockstepColumns = 32

func (c *gosnmpClient) WalkColumns(ctx context.Context, cols []string) ([]vendors.VarBind, error) {
	c.g.Context = ctx
	bulk := c.bulkOK
	fetch := func(oids []string, reps uint32) (*gosnmp.SnmpPacket, error) {
		var pkt *gosnmp.SnmpPacket
		var err error
		if bulk {
			pkt, err = c.g.GetBulk(oids, 0, reps)
		} else {
			pkt, err = c.g.GetNext(oids)
		}
		if pkt != nil {
			c.received += len(pkt.Variables)
		}
		return pkt, err
	}
	out, err := walkLockstep(ctx, cols, bulk, c.opt.MaxRepetitions, c.opt.MaxVarBinds-c.varbinds, fetch)
	if bulk && len(out) == 0 && errors.As(err, new(*agentError)) {
		// Some agents answer GETBULK with an error status: walk with GETNEXT.
		c.bulkOK, bulk = false, false
		out, err = walkLockstep(ctx, cols, false, c.opt.MaxRepetitions, c.opt.MaxVarBinds-c.varbinds, fetch)
	}
	c.varbinds += len(out)
	if err == nil {
		return out, nil
	}
	var (
		capErr *TooManyVarBindsError
		ce     *columnsError
		oe     *oidOrderError
	)
	switch {
	case errors.As(err, &capErr):
		capErr.Limit = c.opt.MaxVarBinds
		return out, fmt.Errorf("%s: %w", c.where(), err)
	case errors.As(err, &ce):
		return out, fmt.Errorf("on %s: %w", c.where(), err)
	case errors.As(err, &oe):
	default:
		return out, c.explain("walk "+columnsName(cols)+" on", err)
	}
	return out, fmt.Errorf("walk %s on %s: %w", columnsName(cols), c.where(), err)
}

// columnsName names a group of columns in messages: the one column, or
// the first and how many.
func columnsName(cols []string) string {
	if len(cols) == 1 {
		return "." + strings.Trim(cols[0], ".")
	}
	return fmt.Sprintf(".%s and %d more columns", strings.Trim(cols[0], "."), len(cols)-1)
}

// columnsError is the columns an agent answered with an error status
// while the others were read.
type columnsError struct {
	cols []string
	errs []error // *agentError, one per column
}

func (e *columnsError) Error() string {
	var b strings.Builder
	for i, c := range e.cols {
		if i > 0 {
			b.WriteString("; ")
		}
		fmt.Fprintf(&b, "walk %s: %v", c, e.errs[i])
	}
	return b.String()
}

func (e *columnsError) Unwrap() []error { return e.errs }

// walkLockstep walks columns side by side with fetch (one request: the
// varbinds after each of oids; reps rows each on GETBULK), so that each
// round trip carries as many useful values as the agent will send: up to
// maxLockstepColumns columns per request, the first not yet at their
// end, with max(1, min(maxReps, max(maxReps, maxLockstepVarBinds) /
// columns)) rows each. A column whose table is empty or ends drops out
// after one response, and the others then get more rows per request. In
// a response the i-th value belongs to the i-th column asked for, modulo
// their number; an agent that cut a response short has answered the
// first ones only, and the others are asked again from where they were.
// Each column stops at its end (a value outside it, endOfMibView), a
// scalar (X.0) after its one instance. tooBig halves what is asked for;
// an error status naming one column gives up that column (a
// *columnsError at the end, with the rest read). An OID that does not
// increase within a column is an *oidOrderError, and holding more than
// budget varbinds a *TooManyVarBindsError (the varbinds read so far come
// back with them).
func walkLockstep(ctx context.Context, cols []string, bulk bool, maxReps uint32, budget int,
	fetch func(oids []string, reps uint32) (*gosnmp.SnmpPacket, error)) ([]vendors.VarBind, error) {
	type column struct {
		prefix, cur, scalar string
		done                bool
	}
	cs := make([]column, len(cols))
	for i, col := range cols {
		col = "." + strings.Trim(col, ".")
		if base, ok := strings.CutSuffix(col, ".0"); ok {
			cs[i] = column{prefix: base + ".", cur: base, scalar: col}
			continue
		}
		cs[i] = column{prefix: col + ".", cur: col}
	}
	total := max(int(maxReps), maxLockstepVarBinds)
	width := maxLockstepColumns
	var failed *columnsError
	var out []vendors.VarBind
	active := make([]int, 0, width)
	oids := make([]string, 0, width)
	for {
		if err := ctx.Err(); err != nil {
			return out, err
		}
		active, oids = active[:0], oids[:0]
		scalars := true
		for i := range cs {
			if !cs[i].done && len(active) < width {
				active = append(active, i)
				oids = append(oids, cs[i].cur)
				scalars = scalars && cs[i].scalar != ""
			}
		}
		if len(active) == 0 {
			if failed != nil {
				return out, failed
			}
			return out, nil
		}
		reps := uint32(1)
		if !scalars {
			reps = uint32(max(1, min(int(maxReps), total/len(active))))
		}
		pkt, err := fetch(oids, reps)
		if err != nil {
			return out, err
		}
		if pkt.Error == gosnmp.TooBig && total > 1 {
			total /= 2
			width = min(width, total)
			continue
		}
		if pkt.Error != gosnmp.NoError {
			ix := int(pkt.ErrorIndex)
			if ix < 1 || ix > len(active) {
				return out, &agentError{pkt.Error, pkt.ErrorIndex}
			}
			c := &cs[active[ix-1]]
			c.done = true
			if !(pkt.Error == gosnmp.NoSuchName && !bulk) { // SNMPv1's end of MIB
				if failed == nil {
					failed = &columnsError{}
				}
				failed.cols = append(failed.cols, strings.TrimSuffix(c.prefix, "."))
				failed.errs = append(failed.errs, &agentError{pkt.Error, pkt.ErrorIndex})
			}
			continue
		}
		if len(pkt.Variables) == 0 {
			return out, failed.orNil()
		}
		for i, v := range pkt.Variables {
			c := &cs[active[i%len(active)]]
			if c.done {
				continue
			}
			if v.Type == gosnmp.EndOfMibView || v.Type == gosnmp.NoSuchObject || v.Type == gosnmp.NoSuchInstance ||
				!strings.HasPrefix(v.Name, c.prefix) {
				c.done = true
				continue
			}
			if vendors.CompareOID(strings.TrimPrefix(v.Name, "."), strings.TrimPrefix(c.cur, ".")) <= 0 {
				return out, &oidOrderError{v.Name, c.cur}
			}
			if c.scalar != "" {
				c.done = true
				if v.Name != c.scalar {
					continue // no instance .0: not a scalar on this agent
				}
			}
			if len(out) >= budget {
				return out, &TooManyVarBindsError{Root: strings.TrimSuffix(c.prefix, ".")}
			}
			out = append(out, convertOne(v))
			c.cur = v.Name
		}
	}
}

// orNil returns e as an error, nil when there is none.
func (e *columnsError) orNil() error {
	if e == nil {
		return nil
	}
	return e
}

// oidOrderError is an agent returning an OID that does not follow the one
// asked for.
type oidOrderError struct{ got, after string }

func (e *oidOrderError) Error() string {
	return fmt.Sprintf("agent returned %s after %s (OID not increasing)", e.got, e.after)
}

// walkPages pages through a subtree with fetch (one request: the varbinds
// after cur). It stops at the end of the subtree, at endOfMibView, on an
// OID that does not increase (a broken agent would otherwise loop
// forever), and once it holds more than budget varbinds (a
// *TooManyVarBindsError whose Limit the caller fills in; the varbinds read
// so far come back with it).
func walkPages(ctx context.Context, root string, bulk bool, budget int, fetch func(cur string) (*gosnmp.SnmpPacket, error)) ([]vendors.VarBind, error) {
	root = "." + strings.Trim(root, ".")
	prefix := root + "."
	cur := root
	var out []vendors.VarBind
	for {
		if err := ctx.Err(); err != nil {
			return out, err
		}
		pkt, err := fetch(cur)
		if err != nil {
			return out, err
		}
		if pkt.Error != gosnmp.NoError {
			if pkt.Error == gosnmp.NoSuchName && !bulk {
				return out, nil // SNMPv1's end of MIB
			}
			return out, &agentError{pkt.Error, pkt.ErrorIndex}
		}
		if len(pkt.Variables) == 0 {
			return out, nil
		}
		for _, v := range pkt.Variables {
			if v.Type == gosnmp.EndOfMibView || v.Type == gosnmp.NoSuchObject || v.Type == gosnmp.NoSuchInstance {
				return out, nil
			}
			if !strings.HasPrefix(v.Name, prefix) {
				return out, nil
			}
			if vendors.CompareOID(strings.TrimPrefix(v.Name, "."), strings.TrimPrefix(cur, ".")) <= 0 {
				return out, &oidOrderError{v.Name, cur}
			}
			if len(out) >= budget {
				return out, &TooManyVarBindsError{Root: root}
			}
			out = append(out, convertOne(v))
			cur = v.Name
		}
	}
}

func convert(vs []gosnmp.SnmpPDU) []vendors.VarBind {
	out := make([]vendors.VarBind, 0, len(vs))
	for _, v := range vs {
		out = append(out, convertOne(v))
	}
	return out
}

// convertOne maps a gosnmp value onto the plain values vendors decodes.
func convertOne(v gosnmp.SnmpPDU) vendors.VarBind {
	vb := vendors.VarBind{OID: strings.TrimPrefix(v.Name, ".")}
	switch v.Type {
	case gosnmp.Integer:
		vb.Value = vendors.Value{Kind: vendors.KindInteger, Int: int64(gosnmp.ToBigInt(v.Value).Int64())}
	case gosnmp.OctetString, gosnmp.BitString:
		b, _ := v.Value.([]byte)
		vb.Value = vendors.Value{Kind: vendors.KindOctetString, Bytes: b}
	case gosnmp.Opaque:
		b, _ := v.Value.([]byte)
		vb.Value = vendors.Value{Kind: vendors.KindOpaque, Bytes: b}
	case gosnmp.ObjectIdentifier:
		s, _ := v.Value.(string)
		vb.Value = vendors.Value{Kind: vendors.KindOID, OID: strings.TrimPrefix(s, ".")}
	case gosnmp.IPAddress:
		s, _ := v.Value.(string)
		ip := net.ParseIP(s).To4()
		vb.Value = vendors.Value{Kind: vendors.KindIPAddress, Bytes: []byte(ip)}
	case gosnmp.Counter32:
		vb.Value = vendors.Value{Kind: vendors.KindCounter32, Uint: gosnmp.ToBigInt(v.Value).Uint64()}
	case gosnmp.Gauge32, gosnmp.Uinteger32:
		vb.Value = vendors.Value{Kind: vendors.KindGauge32, Uint: gosnmp.ToBigInt(v.Value).Uint64()}
	case gosnmp.TimeTicks:
		vb.Value = vendors.Value{Kind: vendors.KindTimeTicks, Uint: gosnmp.ToBigInt(v.Value).Uint64()}
	case gosnmp.Counter64:
		vb.Value = vendors.Value{Kind: vendors.KindCounter64, Uint: gosnmp.ToBigInt(v.Value).Uint64()}
	case gosnmp.NoSuchObject:
		vb.Value = vendors.Value{Kind: vendors.KindNoSuchObject}
	case gosnmp.NoSuchInstance:
		vb.Value = vendors.Value{Kind: vendors.KindNoSuchInstance}
	case gosnmp.EndOfMibView:
		vb.Value = vendors.Value{Kind: vendors.KindEndOfMibView}
	default:
		vb.Value = vendors.Value{Kind: vendors.KindNull}
	}
	return vb
}
