package partition

import (
	"context"
	"fmt"
	"net"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// relay stands in for tc netem where the kernel has no sch_netem: a TCP
// relay in the lab's bridge namespace that every peer connection goes
// through, holding each chunk for delay in each direction before passing
// it on, in order. Nodes dial node j at relayIP:p2p(j).
type relay struct {
	delay atomic.Int64 // nanoseconds, one way
	mu    sync.Mutex
	lns   []net.Listener
	conns []net.Conn
}

const relayIP = subnet + ".254"

// startRelay listens for each node on relayIP and forwards to the node's
// own p2p address; t.Cleanup closes every listener and connection.
func startRelay(t *testing.T, l *lab) *relay {
	t.Helper()
	ipCmd(t, "-n", l.bridgeNS(), "addr", "add", relayIP+"/24", "dev", "br0")
	r := &relay{}
	t.Cleanup(r.close)
	for j := 0; j < l.nodes; j++ {
		port := p2pBase + 10*j
		ln, err := listenIn(l.bridgeNS(), fmt.Sprintf("%s:%d", relayIP, port))
		if err != nil {
			t.Fatalf("relay for node%d: %v", j, err)
		}
		r.mu.Lock()
		r.lns = append(r.lns, ln)
		r.mu.Unlock()
		target := fmt.Sprintf("%s:%d", nodeIP(j), port)
		go r.serve(ln, l.bridgeNS(), target)
	}
	return r
}

func (r *relay) setDelay(d time.Duration) { r.delay.Store(int64(d)) }

func (r *relay) serve(ln net.Listener, ns, target string) {
	for {
		in, err := ln.Accept()
		if err != nil {
			return
		}
		out, err := dialIn(context.Background(), ns, target)
		if err != nil {
			in.Close()
			continue
		}
		if !r.track(in, out) {
			return
		}
		go r.pipe(in, out)
		go r.pipe(out, in)
	}
}

// track remembers conns for close; false once the relay is closed.
func (r *relay) track(cs ...net.Conn) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.lns == nil {
		for _, c := range cs {
			c.Close()
		}
		return false
	}
	r.conns = append(r.conns, cs...)
	return true
}

type chunk struct {
	b  []byte
	at time.Time
}

// pipe copies src to dst, each chunk written no earlier than delay after
// it was read. A full queue blocks the reader, as a full link would.
func (r *relay) pipe(src, dst net.Conn) {
	q := make(chan chunk, 4096)
	go func() {
		defer close(q)
		for {
			buf := make([]byte, 32<<10)
			n, err := src.Read(buf)
			if n > 0 {
				q <- chunk{buf[:n], time.Now().Add(time.Duration(r.delay.Load()))}
			}
			if err != nil {
				return
			}
		}
	}()
	for c := range q {
		time.Sleep(time.Until(c.at))
		if _, err := dst.Write(c.b); err != nil {
			break
		}
	}
	src.Close()
	dst.Close()
	for range q { // let the reader finish
	}
}

func (r *relay) close() {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, ln := range r.lns {
		ln.Close()
	}
	for _, c := range r.conns {
		c.Close()
	}
	r.lns, r.conns = nil, nil
}

// listenIn opens a TCP listener inside namespace ns, as dialIn dials: the
// socket is made on a thread switched into ns, which then ends.
func listenIn(ns, addr string) (net.Listener, error) {
	type result struct {
		ln  net.Listener
		err error
	}
	ch := make(chan result, 1)
	go func() {
		runtime.LockOSThread()
		f, err := os.Open("/run/netns/" + ns)
		if err != nil {
			ch <- result{nil, err}
			return
		}
		defer f.Close()
		if err := unix.Setns(int(f.Fd()), unix.CLONE_NEWNET); err != nil {
			ch <- result{nil, fmt.Errorf("setns %s: %w", ns, err)}
			return
		}
		ln, err := net.Listen("tcp", addr)
		ch <- result{ln, err}
	}()
	res := <-ch
	return res.ln, res.err
}
