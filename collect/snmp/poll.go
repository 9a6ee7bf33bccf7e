package snmp

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/gosnmp/gosnmp"

	"github.com/bondaudit/bondaudit/topology"
	"github.com/bondaudit/bondaudit/vendors"
	"github.com/bondaudit/bondaudit/vendors/all"
)

// PollOptions configure a collection run.
type PollOptions struct {
	// Concurrency bounds the switches polled at once (default 16).
	Concurrency int
	// Progress, when set, is called after each switch (from one goroutine
	// at a time).
	Progress func(done, total int, r *Result)
	Log      *slog.Logger
	Now      func() time.Time
	// Dial opens a session (default Dial); tests swap in their own.
	Dial func(Options) (Client, error)
	// FullWalk walks each profile's whole subtrees instead of only the
	// columns its decoders read (the lean walk, the default).
	FullWalk bool
}

// Result is one switch's collection.
type Result struct {
	Target Target
	// Switch is the decoded snapshot; for a switch that could not be read
	// it is an Unreachable snapshot saying why, so that an audit reports it.
	Switch *topology.Switch
	// Walk is everything read (nil when nothing was).
	Walk     *vendors.Walk
	Err      error
	Requests int
	Elapsed  time.Duration
	// Problems are subtrees that failed while the rest was read.
	Problems []string
	// Varbinds counts the values received.
	Varbinds int
}

// systemOID is SNMPv2-MIB system: read first to recognise the vendor.
const systemOID = "1.3.6.1.2.1.1"

// Poll collects every target with a bounded worker pool. A switch that
// fails never stops the others; results come back in target order.
func Poll(ctx context.Context, targets []Target, opt PollOptions) []Result {
	if opt.Concurrency <= 0 {
		opt.Concurrency = 16
	}
	if opt.Dial == nil {
		opt.Dial = Dial
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Log == nil {
		opt.Log = slog.New(slog.DiscardHandler)
	}
	out := make([]Result, len(targets))
	next := make(chan int)
	var wg sync.WaitGroup
	var mu sync.Mutex
	done := 0
	for range min(opt.Concurrency, len(targets)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				out[i] = pollOne(ctx, targets[i], opt)
				if opt.Progress != nil {
					mu.Lock()
					done++
					opt.Progress(done, len(targets), &out[i])
					mu.Unlock()
				}
			}
		}()
	}
	for i := range targets {
		next <- i
	}
	close(next)
	wg.Wait()
	return out
}

func where(t Target) string {
	return net.JoinHostPort(t.Options.Address, strconv.Itoa(int(max(t.Options.Port, 1))))
}

func pollOne(ctx context.Context, t Target, opt PollOptions) (r Result) {
	r.Target = t
	start := time.Now()
	ctx, cancel := context.WithTimeout(ctx, t.Deadline)
	defer cancel()
	log := opt.Log.With("switch", t.Name, "address", where(t))
	defer func() {
		r.Elapsed = time.Since(start)
		if r.Err != nil {
			r.Switch = &topology.Switch{Schema: topology.SwitchSchema, Name: t.Name, Source: "snmp " + where(t),
				Collected: opt.Now().UTC().Format(time.RFC3339), Unreachable: true, Error: r.Err.Error()}
			// Info, not Warn: the caller reports each failed switch (the CLI
			// prints one line per switch); a warning here printed it twice.
			log.Info("switch not collected", "err", r.Err, "elapsed", r.Elapsed)
		} else {
			log.Info("switch collected", "varbinds", r.Walk.Len(), "requests", r.Requests, "elapsed", r.Elapsed)
		}
	}()
	c, err := opt.Dial(t.Options)
	if err != nil {
		r.Err = err
		return r
	}
	defer c.Close()
	defer func() { r.Requests = c.Requests() }()

	vbs, err := c.BulkWalk(ctx, systemOID)
	if err != nil {
		if capErr := (*TooManyVarBindsError)(nil); errors.As(err, &capErr) {
			err = fmt.Errorf("%s: stopped after %d varbinds: %w", t.Name, len(vbs), err)
		}
		r.Err = err
		return r
	}
	if len(vbs) == 0 {
		r.Err = fmt.Errorf("%s: the agent answers but shows no SNMPv2-MIB system group (view/ACL too narrow?)", where(t))
		return r
	}
	sys := vendors.NewWalk(vbs)
	oid, _ := sys.Get("1.3.6.1.2.1.1.2.0")
	descr, _ := sys.Get("1.3.6.1.2.1.1.1.0")
	prof := all.Identify(oid.OID, descr.Text())
	log.Debug("recognised", "profile", prof.Name)
	for _, root := range append(append([]string(nil), vendors.StandardOIDs...), prof.OIDs...) {
		if root == systemOID {
			continue
		}
		got, err := c.BulkWalk(ctx, root)
		vbs = append(vbs, got...)
		if err != nil {
			if capErr := (*TooManyVarBindsError)(nil); errors.As(err, &capErr) {
				// Not collected: a partial table would be judged as if whole.
				r.Err = fmt.Errorf("%s: stopped after %d varbinds: %w", t.Name, len(vbs), err)
				return r
			}
			if ctx.Err() != nil || errors.Is(err, context.DeadlineExceeded) {
				r.Err = fmt.Errorf("%s: deadline %s passed while walking %s (%d varbinds read): %w", t.Name, t.Deadline, root, len(vbs), err)
				return r
			}
			var ae *agentError
			if errors.As(err, &ae) {
				r.Problems = append(r.Problems, fmt.Sprintf("walking %s: %v", root, err))
				continue
			}
			r.Err = err
			return r
		}
	}
	r.Walk = vendors.NewWalk(vbs)
	s, decoded := all.Decode(r.Walk, t.Name)
	probs := topology.ProblemTexts(decoded) // a live walk has no file to place them in
	if s.Unreachable {
		// Answers, but nothing to audit (vendors.NarrowView): not collected.
		r.Err = fmt.Errorf("%s: %d varbinds read: %s", where(t), r.Walk.Len(), s.Error)
		return r
	}
	if len(s.FDB) == 0 && prof.PerVLANFDB {
		probs = append(probs, perVLANFDB(ctx, t, opt, r.Walk, s)...)
	}
	s.Source = "snmp " + where(t)
	s.Collected = opt.Now().UTC().Format(time.RFC3339)
	s.Problems = append(s.Problems, r.Problems...)
	s.Problems = append(s.Problems, probs...)
	r.Switch = s
	return r
}

// vtpVlanState is CISCO-VTP-MIB vtpVlanState (index managementDomain.vlan;
// 1 = operational).
const vtpVlanState = "1.3.6.1.4.1.9.9.46.1.3.1.1.2"

// perVLANFDB reads the FDB of Cisco IOS, which serves BRIDGE-MIB per VLAN:
// community "community@VLAN" on v1/v2c, context "vlan-VLAN" on v3. One
// session per VLAN. The first VLAN context the agent refuses or does not
// answer ends the read: the others would be refused the same way, each
// after a full timeout, so it is said once, as the switch's problem. The
// whole read gets t.PerVLANFDBBudget of the switch's deadline. A VLAN
// that answers with an empty table is read, not a failure. Messages name
// the form of the context (community@VLAN, context vlan-N), never the
// community.
func perVLANFDB(ctx context.Context, t Target, opt PollOptions, w *vendors.Walk, s *topology.Switch) []string {
	var vlans []int
	for _, row := range w.Column(vtpVlanState) {
		ix, ok := vendors.IndexInts(row.Index)
		st, _ := row.Value.Number()
		if !ok || len(ix) != 2 || st != 1 || (ix[1] >= 1002 && ix[1] <= 1005) {
			continue
		}
		vlans = append(vlans, int(ix[1]))
	}
	const maxVLANs = 1024
	var probs []string
	if len(vlans) > maxVLANs {
		probs = append(probs, fmt.Sprintf("%d VLANs: FDB read for the first %d only", len(vlans), maxVLANs))
		vlans = vlans[:maxVLANs]
	}
	form := func(vlan int) string {
		if t.Options.Version == V3 {
			return fmt.Sprintf("context vlan-%d", vlan)
		}
		return fmt.Sprintf("community@%d", vlan)
	}
	kind := "community@VLAN"
	if t.Options.Version == V3 {
		kind = "context vlan-N"
	}
	budgetTime := t.PerVLANFDBBudget
	share := ""
	if budgetTime <= 0 {
		budgetTime = t.Deadline * DefaultPerVLANFDBShare / 100
		share = fmt.Sprintf(", the default %d%% of the %s deadline", DefaultPerVLANFDBShare, t.Deadline)
	}
	vctx, cancel := context.WithTimeout(ctx, budgetTime)
	defer cancel()
	// The per-VLAN sessions share the switch's varbind cap.
	budget := cmp.Or(t.Options.MaxVarBinds, DefaultMaxVarBinds) - w.Len()
	for i, vlan := range vlans {
		o := t.Options
		o.MaxVarBinds = budget
		if budget <= 0 {
			probs = append(probs, fmt.Sprintf("FDB of VLAN %d and after: not read: the switch reached its %s cap (%d varbinds, targets.yaml)",
				vlan, MaxVarBindsKey, cmp.Or(t.Options.MaxVarBinds, DefaultMaxVarBinds)))
			break
		}
		if expired(ctx) {
			probs = append(probs, deadlinePassed(vlans[i:], len(vlans), t.Deadline))
			break
		}
		if expired(vctx) {
			probs = append(probs, budgetSpent(vlans[i:], len(vlans), budgetTime, share))
			break
		}
		if o.Version == V3 {
			o.Context = fmt.Sprintf("vlan-%d", vlan)
		} else {
			o.Community = NewSecret(fmt.Sprintf("%s@%d", o.Community.Reveal(), vlan))
		}
		c, err := opt.Dial(o)
		if err != nil {
			probs = append(probs, fmt.Sprintf("per-VLAN FDB not readable: %s (VLAN %d): %v", form(vlan), vlan, err))
			break
		}
		var vbs []vendors.VarBind
		stop := ""
		for _, root := range []string{"1.3.6.1.2.1.17.1.4.1", "1.3.6.1.2.1.17.4.3.1"} {
			got, err := c.BulkWalk(vctx, root)
			budget -= len(got)
			if err == nil {
				vbs = append(vbs, got...)
				continue
			}
			// A table cut short is left out: it would be judged as if whole.
			var capErr *TooManyVarBindsError
			switch {
			case errors.As(err, &capErr):
				probs = append(probs, fmt.Sprintf("FDB of VLAN %d: %v", vlan, err))
			case expired(ctx):
				stop = "deadline"
			case expired(vctx) || errors.Is(err, context.DeadlineExceeded):
				stop = "budget"
			case refusedVLAN(err):
				rest := ""
				if n := len(vlans) - i - 1; n > 0 {
					rest = fmt.Sprintf("; the other %d VLANs not tried", n)
				}
				if i > 0 {
					rest += fmt.Sprintf(" (%d VLANs read before it)", i)
				}
				probs = append(probs, fmt.Sprintf("per-VLAN FDB not readable: %s refused: %s (VLAN %d): %v%s",
					kind, form(vlan), vlan, err, rest))
				stop = "refused"
			default:
				probs = append(probs, fmt.Sprintf("FDB of VLAN %d (%s): %v", vlan, form(vlan), err))
			}
			break
		}
		c.Close()
		switch stop {
		case "budget":
			probs = append(probs, budgetSpent(vlans[i:], len(vlans), budgetTime, share))
			return probs
		case "deadline":
			probs = append(probs, deadlinePassed(vlans[i:], len(vlans), t.Deadline))
			return probs
		case "refused":
			return probs
		}
		fdb, p := vendors.VLANFDB(vendors.NewWalk(vbs), vlan, s)
		s.FDB = append(s.FDB, fdb...)
		probs = append(probs, p...)
	}
	return probs
}

// budgetSpent says which VLANs the per-VLAN FDB budget left unread.
func budgetSpent(left []int, all int, budget time.Duration, share string) string {
	return fmt.Sprintf("per-VLAN FDB cut short: its %s budget (%s in targets.yaml%s) ran out at VLAN %d: %d of %d VLANs not read",
		budget, PerVLANFDBBudgetKey, share, left[0], len(left), all)
}

// expired: ctx is done or its deadline is past. A request cut at the
// deadline can return before the context's own timer marks it done.
func expired(ctx context.Context) bool {
	if ctx.Err() != nil {
		return true
	}
	d, ok := ctx.Deadline()
	return ok && !time.Now().Before(d)
}

// deadlinePassed says which VLANs the switch's deadline left unread.
func deadlinePassed(left []int, all int, deadline time.Duration) string {
	return fmt.Sprintf("per-VLAN FDB cut short: the switch's %s deadline passed at VLAN %d: %d of %d VLANs not read",
		deadline, left[0], len(left), all)
}

// refusedVLAN: an error that says the agent will not serve this VLAN
// context (no answer: a wrong community is dropped, not answered; an
// access error; an SNMPv3 report), rather than a fault of one table.
func refusedVLAN(err error) bool {
	var ae *agentError
	if errors.As(err, &ae) {
		switch ae.status {
		case gosnmp.NoAccess, gosnmp.AuthorizationError, gosnmp.NoSuchName, gosnmp.InconsistentName:
			return true
		}
		return false
	}
	var oe *oidOrderError
	return !errors.As(err, &oe)
}

// Saved is what SaveAll did with one Result.
type Saved struct {
	Result *Result
	Path   string
	Err    error // the snapshot could not be written
}

// SaveAll writes one snapshot per result into dir (NAME.json), unreachable
// switches included (their snapshot says why). Every snapshot is tried:
// one that cannot be written (disk full, a folder in the way) is reported
// in its Saved and the rest are still written.
func SaveAll(dir string, results []Result) []Saved {
	out := make([]Saved, len(results))
	for i := range results {
		r := &results[i]
		p := filepath.Join(dir, r.Target.Name+".json")
		out[i] = Saved{Result: r, Path: p, Err: topology.SaveSnapshot(p, r.Switch)}
	}
	return out
}
