package client

import (
	"errors"
	"testing"

	"google.golang.org/grpc"
)

func TestConnPoolDialsOncePerEndpointAndClosesAll(t *testing.T) {
	dials, closes := map[string]int{}, 0
	p := NewConnPool(func(endpoint string) (grpc.ClientConnInterface, func() error, error) {
		if endpoint == "bad:1" {
			return nil, nil, errors.New("refused")
		}
		dials[endpoint]++
		return &grpc.ClientConn{}, func() error { closes++; return nil }, nil
	})
	a1, err := p.Get("a:1")
	if err != nil {
		t.Fatal(err)
	}
	a2, _ := p.Get("a:1")
	if a1 != a2 || dials["a:1"] != 1 {
		t.Fatalf("second Get dialled again (%d dials) or returned another connection", dials["a:1"])
	}
	if _, err := p.Get("b:1"); err != nil || dials["b:1"] != 1 {
		t.Fatalf("b:1: %v, %d dials", err, dials["b:1"])
	}
	if _, err := p.Get("bad:1"); err == nil {
		t.Fatal("a failed dial returned no error")
	}
	p.CloseAll()
	if closes != 2 {
		t.Fatalf("CloseAll closed %d connections, want 2", closes)
	}
	if _, _ = p.Get("a:1"); dials["a:1"] != 2 {
		t.Fatalf("after CloseAll a Get must dial anew: %d dials", dials["a:1"])
	}
}
