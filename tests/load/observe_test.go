package load

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// rpcGet decodes a CometBFT RPC GET's result into v.
func (n *node) rpcGet(ctx context.Context, path string, v any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, n.rpc+path, nil)
	if err != nil {
		return err
	}
	c := http.Client{Timeout: 5 * time.Second}
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", path, resp.Status)
	}
	var env struct {
		Result json.RawMessage `json:"result"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&env); err != nil {
		return err
	}
	return json.Unmarshal(env.Result, v)
}

func (n *node) height(ctx context.Context) (int64, error) {
	var r struct {
		SyncInfo struct {
			LatestBlockHeight string `json:"latest_block_height"`
		} `json:"sync_info"`
	}
	if err := n.rpcGet(ctx, "/status", &r); err != nil {
		return 0, err
	}
	return strconv.ParseInt(r.SyncInfo.LatestBlockHeight, 10, 64)
}

// mempool is CometBFT's count of unconfirmed txs.
func (n *node) mempool(ctx context.Context) (int, error) {
	var r struct {
		Total string `json:"total"`
	}
	if err := n.rpcGet(ctx, "/num_unconfirmed_txs", &r); err != nil {
		return 0, err
	}
	return strconv.Atoi(r.Total)
}

type blockStat struct {
	height      int64
	time        time.Time
	txs, failed int
	failure     string // the log of one failed tx
}

// blocks reads header time, tx count and failed-tx count of each height.
func (n *node) blocks(ctx context.Context, from, to int64) ([]blockStat, error) {
	var out []blockStat
	for h := from; h <= to; h++ {
		var b struct {
			Block struct {
				Header struct {
					Time time.Time `json:"time"`
				} `json:"header"`
				Data struct {
					Txs []string `json:"txs"`
				} `json:"data"`
			} `json:"block"`
		}
		if err := n.rpcGet(ctx, fmt.Sprintf("/block?height=%d", h), &b); err != nil {
			return nil, err
		}
		var res struct {
			TxsResults []struct {
				Code uint32 `json:"code"`
				Log  string `json:"log"`
			} `json:"txs_results"`
		}
		if err := n.rpcGet(ctx, fmt.Sprintf("/block_results?height=%d", h), &res); err != nil {
			return nil, err
		}
		s := blockStat{height: h, time: b.Block.Header.Time, txs: len(b.Block.Data.Txs)}
		for _, r := range res.TxsResults {
			if r.Code != 0 {
				s.failed++
				s.failure = r.Log
			}
		}
		out = append(out, s)
	}
	return out, nil
}

// mempoolWatch samples the mempool size every 250 ms until stopped.
type mempoolWatch struct {
	mu      sync.Mutex
	samples []int
	stop    context.CancelFunc
	done    chan struct{}
}

func watchMempool(ctx context.Context, n *node) *mempoolWatch {
	ctx, cancel := context.WithCancel(ctx)
	w := &mempoolWatch{stop: cancel, done: make(chan struct{})}
	go func() {
		defer close(w.done)
		t := time.NewTicker(250 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			if m, err := n.mempool(ctx); err == nil {
				w.mu.Lock()
				w.samples = append(w.samples, m)
				w.mu.Unlock()
			}
		}
	}()
	return w
}

// finish stops sampling and returns the mean and the largest sample.
func (w *mempoolWatch) finish() (mean float64, peak int) {
	w.stop()
	<-w.done
	w.mu.Lock()
	defer w.mu.Unlock()
	sum := 0
	for _, s := range w.samples {
		sum += s
		peak = max(peak, s)
	}
	if len(w.samples) > 0 {
		mean = float64(sum) / float64(len(w.samples))
	}
	return mean, peak
}
