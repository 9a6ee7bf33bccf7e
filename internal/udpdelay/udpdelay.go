// Package udpdelay is a UDP forwarder for tests and benchmarks: it listens
// on loopback, forwards every datagram to one agent and the agent's answers
// back, each datagram held for a fixed one-way delay in each direction, so
// a round trip through it costs twice the delay. It stands in for tc netem,
// which needs privileges the test machines do not have.
//
// Datagrams are delayed each on its own (a burst arrives one delay later,
// not one delay per datagram), kept in order, and counted, so a benchmark
// can count the requests a program sends without packet dumps.
//
// Standard library only; no product package imports it.
package udpdelay

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"
)

// Options configure a Forwarder.
type Options struct {
	// Target is the agent's address, host:port.
	Target string
	// Delay is the one-way delay added to every datagram in each
	// direction (a round trip costs 2×Delay more).
	Delay time.Duration
	// Listen is the address to listen on (default 127.0.0.1:0).
	Listen string
	// IdleTimeout closes a client's session to the agent after that long
	// without a datagram either way (default one minute).
	IdleTimeout time.Duration
}

// Counts are datagrams seen by a Forwarder since it started.
type Counts struct {
	ToAgent  int64 // datagrams received from clients (requests)
	ToClient int64 // datagrams received from the agent (answers)
	Dropped  int64 // datagrams that could not be sent on
}

// Sub returns c - o: what was seen between two readings.
func (c Counts) Sub(o Counts) Counts {
	return Counts{ToAgent: c.ToAgent - o.ToAgent, ToClient: c.ToClient - o.ToClient, Dropped: c.Dropped - o.Dropped}
}

// Forwarder is a running delay forwarder.
type Forwarder struct {
	conn   *net.UDPConn
	target *net.UDPAddr
	delay  time.Duration
	idle   time.Duration

	up, down *queue

	mu       sync.Mutex
	sessions map[netip.AddrPort]*session
	closed   bool

	toAgent, toClient, dropped atomic.Int64

	done chan struct{}
	wg   sync.WaitGroup
}

// session is one client's own socket towards the agent, so that the
// agent's answers can be told apart and sent back to that client.
type session struct {
	client netip.AddrPort
	conn   *net.UDPConn
	last   atomic.Int64 // unix nanoseconds of the last datagram
}

// packet is a datagram waiting for its time.
type packet struct {
	due  time.Time
	data []byte
	sess *session
}

// queue is a FIFO of packets. With one delay for all, due times never
// decrease along it, so sending in queue order keeps every datagram's
// delay and the order they came in.
type queue struct {
	mu     sync.Mutex
	items  []packet
	head   int
	notify chan struct{}
}

func newQueue() *queue { return &queue{notify: make(chan struct{}, 1)} }

func (q *queue) push(p packet) {
	q.mu.Lock()
	q.items = append(q.items, p)
	q.mu.Unlock()
	select {
	case q.notify <- struct{}{}:
	default:
	}
}

// pop waits for the next packet; ok is false once done is closed.
func (q *queue) pop(done <-chan struct{}) (packet, bool) {
	for {
		q.mu.Lock()
		if q.head < len(q.items) {
			p := q.items[q.head]
			q.items[q.head] = packet{}
			q.head++
			if q.head == len(q.items) {
				q.items, q.head = q.items[:0], 0
			}
			q.mu.Unlock()
			return p, true
		}
		q.mu.Unlock()
		select {
		case <-q.notify:
		case <-done:
			return packet{}, false
		}
	}
}

// socketBuffer is asked of the kernel for each socket (it may grant less)
// so that a burst waits in the socket rather than being dropped.
const socketBuffer = 4 << 20

// Start listens and forwards until Close.
func Start(opt Options) (*Forwarder, error) {
	if opt.Delay < 0 {
		return nil, fmt.Errorf("udpdelay: negative delay %s", opt.Delay)
	}
	target, err := net.ResolveUDPAddr("udp", opt.Target)
	if err != nil {
		return nil, fmt.Errorf("udpdelay: target %q: %w", opt.Target, err)
	}
	listen := opt.Listen
	if listen == "" {
		listen = "127.0.0.1:0"
	}
	la, err := net.ResolveUDPAddr("udp", listen)
	if err != nil {
		return nil, fmt.Errorf("udpdelay: listen address %q: %w", listen, err)
	}
	conn, err := net.ListenUDP("udp", la)
	if err != nil {
		return nil, fmt.Errorf("udpdelay: %w", err)
	}
	_ = conn.SetReadBuffer(socketBuffer)
	_ = conn.SetWriteBuffer(socketBuffer)
	f := &Forwarder{conn: conn, target: target, delay: opt.Delay, idle: opt.IdleTimeout,
		up: newQueue(), down: newQueue(), sessions: map[netip.AddrPort]*session{}, done: make(chan struct{})}
	if f.idle <= 0 {
		f.idle = time.Minute
	}
	f.wg.Add(4)
	go f.readClients()
	go f.send(f.up, func(p packet) error { _, err := p.sess.conn.Write(p.data); return err })
	go f.send(f.down, func(p packet) error { _, err := f.conn.WriteToUDPAddrPort(p.data, p.sess.client); return err })
	go f.reap()
	return f, nil
}

// Addr is the address clients send to.
func (f *Forwarder) Addr() *net.UDPAddr { return f.conn.LocalAddr().(*net.UDPAddr) }

// Port is the port clients send to.
func (f *Forwarder) Port() uint16 { return uint16(f.Addr().Port) }

// Delay is the one-way delay.
func (f *Forwarder) Delay() time.Duration { return f.delay }

// Counts returns the datagrams seen so far.
func (f *Forwarder) Counts() Counts {
	return Counts{ToAgent: f.toAgent.Load(), ToClient: f.toClient.Load(), Dropped: f.dropped.Load()}
}

// Close stops forwarding; datagrams still waiting are dropped.
func (f *Forwarder) Close() error {
	f.mu.Lock()
	if f.closed {
		f.mu.Unlock()
		return nil
	}
	f.closed = true
	close(f.done)
	err := f.conn.Close()
	for _, s := range f.sessions {
		s.conn.Close()
	}
	f.mu.Unlock()
	f.wg.Wait()
	return err
}

// readClients reads what clients send and queues it for the agent.
func (f *Forwarder) readClients() {
	defer f.wg.Done()
	buf := make([]byte, 64<<10)
	for {
		n, from, err := f.conn.ReadFromUDPAddrPort(buf)
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			continue
		}
		now := time.Now()
		f.toAgent.Add(1)
		s, err := f.session(from, now)
		if err != nil {
			f.dropped.Add(1)
			continue
		}
		f.up.push(packet{due: now.Add(f.delay), data: append([]byte(nil), buf[:n]...), sess: s})
	}
}

// session returns the client's session, opening it on its first datagram.
func (f *Forwarder) session(client netip.AddrPort, now time.Time) (*session, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		return nil, net.ErrClosed
	}
	if s := f.sessions[client]; s != nil {
		s.last.Store(now.UnixNano())
		return s, nil
	}
	conn, err := net.DialUDP("udp", nil, f.target)
	if err != nil {
		return nil, err
	}
	_ = conn.SetReadBuffer(socketBuffer)
	s := &session{client: client, conn: conn}
	s.last.Store(now.UnixNano())
	f.sessions[client] = s
	f.wg.Add(1)
	go f.readAgent(s)
	return s, nil
}

// readAgent reads the agent's answers to one client and queues them.
func (f *Forwarder) readAgent(s *session) {
	defer f.wg.Done()
	buf := make([]byte, 64<<10)
	for {
		n, err := s.conn.Read(buf)
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			continue // e.g. ICMP port unreachable from a stopped agent
		}
		now := time.Now()
		f.toClient.Add(1)
		s.last.Store(now.UnixNano())
		f.down.push(packet{due: now.Add(f.delay), data: append([]byte(nil), buf[:n]...), sess: s})
	}
}

// send sends a queue's packets, each at its due time.
func (f *Forwarder) send(q *queue, write func(packet) error) {
	defer f.wg.Done()
	timer := time.NewTimer(0)
	<-timer.C
	for {
		p, ok := q.pop(f.done)
		if !ok {
			return
		}
		if wait := time.Until(p.due); wait > 0 {
			timer.Reset(wait)
			select {
			case <-timer.C:
			case <-f.done:
				return
			}
		}
		if err := write(p); err != nil {
			f.dropped.Add(1)
		}
	}
}

// reap closes sessions idle for longer than the idle timeout.
func (f *Forwarder) reap() {
	defer f.wg.Done()
	tick := time.NewTicker(f.idle / 2)
	defer tick.Stop()
	for {
		select {
		case <-f.done:
			return
		case now := <-tick.C:
			f.mu.Lock()
			for k, s := range f.sessions {
				// Twice the delay too: never close under a datagram in flight.
				if now.Sub(time.Unix(0, s.last.Load())) > f.idle+2*f.delay {
					s.conn.Close()
					delete(f.sessions, k)
				}
			}
			f.mu.Unlock()
		}
	}
}
