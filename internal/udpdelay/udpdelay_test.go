package udpdelay

import (
	"encoding/binary"
	"net"
	"sync"
	"testing"
	"time"
)

// echo is a UDP echo server that notes when each datagram (keyed by its
// first 8 bytes) arrived.
type echo struct {
	conn    *net.UDPConn
	mu      sync.Mutex
	arrived map[uint64]time.Time
}

func startEcho(t *testing.T) *echo {
	t.Helper()
	c, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	_ = c.SetReadBuffer(socketBuffer)
	e := &echo{conn: c, arrived: map[uint64]time.Time{}}
	done := make(chan struct{})
	go func() {
		defer close(done)
		buf := make([]byte, 2048)
		for {
			n, from, err := c.ReadFromUDPAddrPort(buf)
			if err != nil {
				return
			}
			now := time.Now()
			if n >= 8 {
				e.mu.Lock()
				e.arrived[binary.BigEndian.Uint64(buf)] = now
				e.mu.Unlock()
			}
			_, _ = c.WriteToUDPAddrPort(buf[:n], from)
		}
	}()
	t.Cleanup(func() { c.Close(); <-done })
	return e
}

func (e *echo) at(key uint64) time.Time {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.arrived[key]
}

func start(t *testing.T, target *net.UDPConn, opt Options) *Forwarder {
	t.Helper()
	opt.Target = target.LocalAddr().String()
	f, err := Start(opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func client(t *testing.T, f *Forwarder) *net.UDPConn {
	t.Helper()
	c, err := net.DialUDP("udp", nil, f.Addr())
	if err != nil {
		t.Fatal(err)
	}
	_ = c.SetReadBuffer(socketBuffer)
	t.Cleanup(func() { c.Close() })
	return c
}

func key(client, seq uint32) uint64 { return uint64(client)<<32 | uint64(seq) }

func datagram(client, seq uint32) []byte {
	b := make([]byte, 64)
	binary.BigEndian.PutUint64(b, key(client, seq))
	return b
}

// TestDelayEachDirection: every datagram reaches the agent no sooner than
// the delay after it was sent, and its answer reaches the client no sooner
// than the delay after the agent sent it.
func TestDelayEachDirection(t *testing.T) {
	e := startEcho(t)
	const delay = 60 * time.Millisecond
	f := start(t, e.conn, Options{Delay: delay})
	c := client(t, f)
	buf := make([]byte, 2048)
	for seq := range uint32(5) {
		sent := time.Now()
		if _, err := c.Write(datagram(0, seq)); err != nil {
			t.Fatal(err)
		}
		_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
		n, err := c.Read(buf)
		if err != nil {
			t.Fatalf("datagram %d: no answer: %v", seq, err)
		}
		back := time.Now()
		if got := binary.BigEndian.Uint64(buf[:n]); got != key(0, seq) {
			t.Fatalf("answer to %d is %x", seq, got)
		}
		arrived := e.at(key(0, seq))
		if d := arrived.Sub(sent); d < delay {
			t.Errorf("datagram %d reached the agent after %s, before the %s delay", seq, d, delay)
		}
		if d := back.Sub(arrived); d < delay {
			t.Errorf("answer %d reached the client %s after the agent sent it, before the %s delay", seq, d, delay)
		}
	}
	if got, want := f.Counts(), (Counts{ToAgent: 5, ToClient: 5}); got != want {
		t.Errorf("counts %+v, want %+v", got, want)
	}
}

// TestBurstDelayedOnce: datagrams sent at once are each delayed, not
// queued one delay behind the other (40 datagrams at 100 ms each way
// would take 8 s in series; the bound leaves room for a loaded machine).
func TestBurstDelayedOnce(t *testing.T) {
	e := startEcho(t)
	const delay, n = 100 * time.Millisecond, 40
	f := start(t, e.conn, Options{Delay: delay})
	c := client(t, f)
	sent := time.Now()
	for seq := range uint32(n) {
		if _, err := c.Write(datagram(0, seq)); err != nil {
			t.Fatal(err)
		}
	}
	buf := make([]byte, 2048)
	for seq := range uint32(n) {
		_ = c.SetReadDeadline(time.Now().Add(10 * time.Second))
		if _, err := c.Read(buf); err != nil {
			t.Fatalf("answer %d: %v", seq, err)
		}
	}
	if took := time.Since(sent); took < 2*delay || took > n*delay/2 {
		t.Errorf("a burst of %d took %s round trip at %s each way: want about %s", n, took, delay, 2*delay)
	}
}

// TestNoLossNoReorderUnderLoad: many clients with many datagrams in
// flight each get every answer, their own only, in the order sent.
func TestNoLossNoReorderUnderLoad(t *testing.T) {
	e := startEcho(t)
	const clients, each, window = 32, 400, 48
	f := start(t, e.conn, Options{Delay: 3 * time.Millisecond})
	var wg sync.WaitGroup
	for id := range uint32(clients) {
		c := client(t, f)
		wg.Add(1)
		go func() {
			defer wg.Done()
			credit := make(chan struct{}, window)
			for range window {
				credit <- struct{}{}
			}
			go func() {
				for seq := range uint32(each) {
					<-credit
					if _, err := c.Write(datagram(id, seq)); err != nil {
						t.Errorf("client %d: %v", id, err)
						return
					}
				}
			}()
			buf := make([]byte, 2048)
			for seq := range uint32(each) {
				_ = c.SetReadDeadline(time.Now().Add(10 * time.Second))
				n, err := c.Read(buf)
				if err != nil {
					t.Errorf("client %d: answer %d lost: %v", id, seq, err)
					return
				}
				if got := binary.BigEndian.Uint64(buf[:n]); got != key(id, seq) {
					t.Errorf("client %d: answer %d is %d/%d", id, seq, got>>32, uint32(got))
					return
				}
				credit <- struct{}{}
			}
		}()
	}
	wg.Wait()
	want := Counts{ToAgent: clients * each, ToClient: clients * each}
	if got := f.Counts(); got != want {
		t.Errorf("counts %+v, want %+v", got, want)
	}
}

// TestIdleSessionsClosed: a client's socket towards the agent is closed
// after the idle timeout, and a new datagram from it opens another.
func TestIdleSessionsClosed(t *testing.T) {
	e := startEcho(t)
	f := start(t, e.conn, Options{IdleTimeout: 50 * time.Millisecond})
	c := client(t, f)
	buf := make([]byte, 2048)
	roundTrip := func(seq uint32) {
		t.Helper()
		if _, err := c.Write(datagram(1, seq)); err != nil {
			t.Fatal(err)
		}
		_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
		if _, err := c.Read(buf); err != nil {
			t.Fatal(err)
		}
	}
	sessions := func() int {
		f.mu.Lock()
		defer f.mu.Unlock()
		return len(f.sessions)
	}
	roundTrip(0)
	if n := sessions(); n != 1 {
		t.Fatalf("%d sessions after one client, want 1", n)
	}
	for deadline := time.Now().Add(5 * time.Second); sessions() != 0; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("idle session still open after 5 s")
		}
	}
	roundTrip(1)
}

func TestStartErrors(t *testing.T) {
	if _, err := Start(Options{Target: "127.0.0.1:1", Delay: -time.Second}); err == nil {
		t.Error("negative delay accepted")
	}
	if _, err := Start(Options{Target: "no port"}); err == nil {
		t.Error("target without a port accepted")
	}
}
