package demo

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"regexp"
	"sync"
	"time"
)

var explorerLine = regexp.MustCompile(`explorer: (http://\S+)`)

// explorerProbe is the demo's stderr: it keeps every byte and, once the
// demo prints its explorer URL, asks that URL for / until it answers 200
// (the node's first block may come after the explorer starts).
type explorerProbe struct {
	ctx    context.Context
	buf    bytes.Buffer
	mu     sync.Mutex
	url    string
	ok     bool
	status string // the last answer when not 200
	done   chan struct{}
}

func newExplorerProbe(ctx context.Context) *explorerProbe {
	return &explorerProbe{ctx: ctx, done: make(chan struct{})}
}

func (p *explorerProbe) Write(b []byte) (int, error) {
	n, err := p.buf.Write(b)
	if p.url == "" {
		if m := explorerLine.FindSubmatch(p.buf.Bytes()); m != nil {
			p.url = string(m[1])
			go p.poll(p.url)
		}
	}
	return n, err
}

func (p *explorerProbe) poll(url string) {
	defer close(p.done)
	c := &http.Client{Timeout: 5 * time.Second}
	for {
		st := ""
		res, err := c.Get(url)
		if err != nil {
			st = err.Error()
		} else {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				p.mu.Lock()
				p.ok = true
				p.mu.Unlock()
				return
			}
			st = res.Status
		}
		p.mu.Lock()
		p.status = st
		p.mu.Unlock()
		select {
		case <-p.ctx.Done():
			return
		case <-time.After(500 * time.Millisecond):
		}
	}
}

// result says whether the explorer answered 200 on / while the demo ran;
// call it after the demo exited.
func (p *explorerProbe) result() error {
	if p.url == "" {
		return fmt.Errorf("the demo printed no `explorer: http://…` line")
	}
	select {
	case <-p.done:
	case <-time.After(10 * time.Second):
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.ok {
		return fmt.Errorf("explorer %s never answered 200 on / while the demo ran (last: %s)", p.url, p.status)
	}
	return nil
}
