package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/rs/zerolog"

	"github.com/assay-network/assay/client"
	"github.com/assay-network/assay/gateway"
)

// defaultGateway is where the demo serves assay-gateway unless told
// otherwise (assay-gateway's own default); when it is taken the demo picks
// a free port instead.
const defaultGateway = "127.0.0.1:8700"

// gatewaySubnet is the subnet the demo's gateway serves: german-credit,
// whose rows an app builder can write by hand.
const gatewaySubnet = "german-credit"

// exampleBody is german-credit's first data row (credit-g.arff) in the
// gateway's raw feature format: nominal values as strings, numbers as
// numbers. It is the body of the curl the demo prints.
const exampleBody = `{"rows": [{"checking_status": "<0", "duration": 6, "credit_history": "critical/other existing credit",
  "purpose": "radio/tv", "credit_amount": 1169, "savings_status": "no known savings", "employment": ">=7",
  "installment_commitment": 4, "personal_status": "male single", "other_parties": "none", "residence_since": 4,
  "property_magnitude": "real estate", "age": 67, "other_payment_plans": "none", "housing": "own",
  "existing_credits": 2, "job": "skilled", "num_dependents": 1, "own_telephone": "yes", "foreign_worker": "yes"}]}
`

// demoGateway is the gateway the demo serves and the curl that calls it.
type demoGateway struct {
	url, body string // base URL; the example body's file
	netuid    uint16
	stop      func()
}

// startGateway serves assay-gateway in process on addr for the
// german-credit subnet, signing with validator1's hotkey there (as an
// operator runs it beside their validator), open to anonymous callers, and
// skipping the miners the demo's validators score 0 for a §12 reason.
func (d *demo) startGateway(ctx context.Context, addr string) (*demoGateway, error) {
	var s *subnetSpec
	for _, sn := range d.subnets {
		if sn.dataset == gatewaySubnet {
			s = sn
		}
	}
	if s == nil {
		return nil, fmt.Errorf("--gateway: no %s subnet in this demo", gatewaySubnet)
	}
	signer, err := client.NewKeyringSigner(d.kr, validators[0].hotkey(s))
	if err != nil {
		return nil, err
	}
	keys, err := (&gateway.Keys{}).WithAnonymous(gateway.Limit{Enabled: true})
	if err != nil {
		return nil, err
	}
	var states []string
	for _, v := range validators {
		states = append(states, d.statePath(s.netuid, v.key))
	}
	g, err := gateway.New(gateway.Config{Netuids: []uint16{s.netuid}, DataDir: d.o.dataDir},
		gateway.Deps{Chain: gateway.ClientChain{C: d.chain}, Signer: signer, Keys: keys,
			Skipper: &gateway.StateFiles{Paths: states}, Log: zerolog.Nop()})
	if err != nil {
		return nil, err
	}
	lis, err := net.Listen("tcp", addr)
	if err != nil && addr == defaultGateway {
		lis, err = net.Listen("tcp", "127.0.0.1:0")
	}
	if err != nil {
		g.Close()
		return nil, fmt.Errorf("--gateway %s: %w (pass another address, 127.0.0.1:0 for any free port, or \"\" for no gateway)", addr, err)
	}
	body := filepath.Join(d.home, "gateway-example.json")
	if err := os.WriteFile(body, []byte(exampleBody), 0o644); err != nil {
		lis.Close()
		g.Close()
		return nil, err
	}
	gctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := g.Serve(gctx, lis); err != nil && !errors.Is(err, context.Canceled) {
			progress("gateway stopped: %v", err)
		}
	}()
	stop := func() { cancel(); <-done; g.Close() }
	return &demoGateway{url: "http://" + lis.Addr().String(), body: body, netuid: s.netuid, stop: stop}, nil
}

// curl is the command line an app builder runs against the demo's gateway.
func (g *demoGateway) curl() string {
	return fmt.Sprintf("curl -s -H 'Content-Type: application/json' %s/v1/subnets/%d/infer -d @%s", g.url, g.netuid, g.body)
}

// try runs the printed curl's request itself, so the demo fails if the
// example does not work, and returns what it answered in one line.
func (g *demoGateway) try(ctx context.Context) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, fmt.Sprintf("%s/v1/subnets/%d/infer", g.url, g.netuid), bytes.NewReader([]byte(exampleBody)))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return "", err
	}
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("gateway answered %s: %s", resp.Status, bytes.TrimSpace(raw))
	}
	var res gateway.InferResult
	if err := json.Unmarshal(raw, &res); err != nil {
		return "", fmt.Errorf("gateway answer: %w", err)
	}
	if len(res.Predictions) != 1 || len(res.Receipts) == 0 {
		return "", fmt.Errorf("gateway answered %d predictions and %d receipts for one row", len(res.Predictions), len(res.Receipts))
	}
	p := res.Predictions[0]
	r := res.Receipts[p.Receipt]
	var probs []string
	for _, c := range res.Classes {
		probs = append(probs, fmt.Sprintf("%s %.3f", c, p.Probabilities[c]))
	}
	return fmt.Sprintf("label %q (%s), answered by uid %d at block %d, receipt signed by the miner and countersigned by the gateway",
		p.Label, strings.Join(probs, ", "), r.Miner.UID, res.Block), nil
}
