package l2

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/gopacket/gopacket/layers"
)

// ListenConfig says where and how long Listen listens.
type ListenConfig struct {
	// Interfaces to listen on: each bond slave, not the bond (the bond
	// consumes LACPDUs, and a frame heard on the bond does not say which
	// slave heard it).
	Interfaces []string
	// Duration to listen. LLDP is sent every 30 s and CDP every 60 s by
	// default, so 65 s hears each at least once.
	Duration time.Duration
	// Now is the clock stamped on frames; time.Now when nil.
	Now func() time.Time
	// Heard, when set, is called with each frame as it is heard (one call
	// at a time): a caller that has heard enough cancels the context.
	Heard func(Frame)
}

// ErrListenUnsupported is returned by Listen where raw packet sockets are
// not available (anything but Linux).
var ErrListenUnsupported = errors.New("passive listening needs Linux packet sockets (AF_PACKET)")

// frameSource is one interface's socket, as the platform provides it.
type frameSource interface {
	// read returns the next frame; an error ends the listening on this
	// interface (a deadline error when time is up).
	read(b []byte) (int, error)
	setDeadline(t time.Time) error
	close() error
}

// Listen hears LLDP, CDP and LACP frames on each interface for
// cfg.Duration, or until ctx is done, and returns them sorted by time. It
// needs CAP_NET_RAW. Each interface gets a packet socket that sees every
// frame before the bonding driver does (so LACPDUs on slaves are heard),
// with a BPF filter letting only these protocols through, the protocols'
// multicast groups joined, and the host's own outgoing frames ignored.
//
// An interface that cannot be opened, or a frame that cannot be decoded,
// becomes an error naming the interface; the other interfaces are still
// heard.
func Listen(ctx context.Context, cfg ListenConfig) ([]Frame, []error) {
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	deadline := time.Now().Add(cfg.Duration)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}

	var (
		mu     sync.Mutex
		frames []Frame
		errs   []error
		wg     sync.WaitGroup
	)
	report := func(f *Frame, err error) {
		mu.Lock()
		defer mu.Unlock()
		if err != nil {
			errs = append(errs, err)
		}
		if f != nil {
			frames = append(frames, *f)
			if cfg.Heard != nil {
				cfg.Heard(*f)
			}
		}
	}
	var sources []frameSource
	for _, name := range cfg.Interfaces {
		src, err := openSource(name)
		if err != nil {
			report(nil, fmt.Errorf("listening on %s: %w", name, err))
			continue
		}
		if err := src.setDeadline(deadline); err != nil {
			report(nil, fmt.Errorf("listening on %s: %w", name, err))
			src.close()
			continue
		}
		sources = append(sources, src)
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer src.close()
			buf := make([]byte, 65536)
			for i := 1; ; i++ {
				n, err := src.read(buf)
				if err != nil {
					if ctx.Err() == nil && !isTimeout(err) {
						report(nil, fmt.Errorf("listening on %s: %w", name, err))
					}
					return
				}
				f, err := decodeFrame(layers.LinkTypeEthernet, buf[:n], 0)
				if err != nil {
					report(nil, fmt.Errorf("listening on %s: frame %d: %w", name, i, err))
					continue
				}
				if f == nil {
					continue
				}
				f.Time, f.Interface = now().UTC(), name
				f.Neighbour.Source = fmt.Sprintf("listen %s frame %d", name, i)
				report(f, nil)
			}
		}()
	}

	done := make(chan struct{})
	go func() {
		select {
		case <-ctx.Done():
			for _, s := range sources {
				_ = s.setDeadline(time.Now()) // wake the readers
			}
		case <-done:
		}
	}()
	wg.Wait()
	close(done)

	slices.SortStableFunc(frames, func(a, b Frame) int {
		return cmp.Or(a.Time.Compare(b.Time), cmp.Compare(a.Interface, b.Interface))
	})
	return frames, errs
}
