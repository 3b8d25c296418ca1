package client

import (
	"sync"

	"google.golang.org/grpc"
)

// DialFunc opens a connection to a miner endpoint and returns how to close it.
type DialFunc func(endpoint string) (grpc.ClientConnInterface, func() error, error)

// ConnPool keeps one gRPC connection per miner endpoint, opened on first
// use, for the validator's rounds and the gateway's requests alike. It is
// safe for concurrent use.
type ConnPool struct {
	dial  DialFunc
	mu    sync.Mutex
	conns map[string]pooledConn
}

type pooledConn struct {
	conn  grpc.ClientConnInterface
	close func() error
}

// NewConnPool returns an empty pool that opens connections with dial.
func NewConnPool(dial DialFunc) *ConnPool {
	return &ConnPool{dial: dial, conns: map[string]pooledConn{}}
}

// Get returns endpoint's connection, dialling it the first time.
func (p *ConnPool) Get(endpoint string) (grpc.ClientConnInterface, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if c, ok := p.conns[endpoint]; ok {
		return c.conn, nil
	}
	c, closeFn, err := p.dial(endpoint)
	if err != nil {
		return nil, err
	}
	p.conns[endpoint] = pooledConn{c, closeFn}
	return c, nil
}

// CloseAll closes every connection and empties the pool.
func (p *ConnPool) CloseAll() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for k, c := range p.conns {
		if c.close != nil {
			_ = c.close()
		}
		delete(p.conns, k)
	}
}
