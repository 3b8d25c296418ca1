package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"time"

	"github.com/rs/zerolog"

	"github.com/assay-network/assay/client"
	"github.com/assay-network/assay/miner"
	"github.com/assay-network/assay/miner/model"
)

// startSwapMiner runs the demo's dishonest miner in this process: it
// publishes the hash of one model file (m.serves, and streams that file to
// GetModel) but answers Infer with another model's forward pass
// (m.answers). assay-miner has no flag for this on purpose, and miner.New
// refuses a ModelHash that is not the served file's; the cheat is the
// Predict dependency, which the miner package lets tests replace. Only
// replaying the published model (DESIGN §12) can tell: the answers are a
// good model's, so quality alone would pay it.
func (d *demo) startSwapMiner(ctx context.Context, s *subnetSpec, m *minerSpec) (string, error) {
	published, file, err := model.LoadFile(m.model)
	if err != nil {
		return "", err
	}
	answers, _, err := model.Load(m.answersModel)
	if err != nil {
		return "", err
	}
	// The server encodes rows with the published model's encoder: the
	// answering model must read the same inputs, i.e. serve the same task.
	if err := answers.CheckTask(published.Header.Task, published.Header.TaskHash); err != nil {
		return "", fmt.Errorf("swap miner: %s: %w", m.answersModel, err)
	}
	pred, err := model.NewPredictor(answers, model.PredictorOptions{})
	if err != nil {
		return "", err
	}
	signer, err := client.NewKeyringSigner(d.kr, m.key)
	if err != nil {
		return "", err
	}
	permits := &miner.MetagraphPermits{Source: d.chain, Netuid: s.netuid, Every: time.Second}
	if err := permits.Refresh(ctx); err != nil {
		return "", err
	}
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	_, err = d.ps.goRun(fmt.Sprintf("miner-%s-%s", s.dataset, m.name), func(ctx context.Context, w io.Writer) error {
		defer lis.Close()
		log := zerolog.New(w).With().Timestamp().Str("cheat", "swap").Logger()
		permits.Log = log
		srv, err := miner.New(miner.Config{Netuid: s.netuid}, miner.Deps{Model: published, ModelFile: file,
			Predict: pred.Predict, Signer: signer, Permits: permits, Log: log, UID: m.uid})
		if err != nil {
			return err
		}
		go permits.Run(ctx)
		return srv.Serve(ctx, lis, nil)
	})
	if err != nil {
		lis.Close()
		return "", err
	}
	if err := d.chain.ServeAxon(ctx, m.key, s.netuid, lis.Addr().String(), "grpc", m.hash, miner.Version); err != nil {
		return "", fmt.Errorf("swap miner %s: publishing its axon: %w", m.key, err)
	}
	return lis.Addr().String(), nil
}
