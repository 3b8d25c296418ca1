package client

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/cosmos/cosmos-sdk/client/tx"
	"github.com/cosmos/cosmos-sdk/codec"
	"github.com/cosmos/cosmos-sdk/crypto/keyring"
	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"
	txtypes "github.com/cosmos/cosmos-sdk/types/tx"
	"github.com/cosmos/cosmos-sdk/types/tx/signing"
	authtx "github.com/cosmos/cosmos-sdk/x/auth/tx"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// TxError is a tx the chain refused (in CheckTx or in the block), with the
// module's error code and log, e.g. subnet code 12 "registration cost ... above max_cost".
type TxError struct {
	TxHash    string
	Codespace string
	Code      uint32
	Log       string
}

func (e *TxError) Error() string {
	return fmt.Sprintf("tx %s failed: %s code %d: %s", e.TxHash, e.Codespace, e.Code, e.Log)
}

// ErrNotSent marks a Broadcast failure from before the tx reached the node
// (key, account, simulation, signing): such a tx can never land. After a
// failed broadcast call or inclusion wait the outcome is unknown instead.
var ErrNotSent = errors.New("chain: tx not sent")

// notSent keeps err's message and makes errors.Is(…, ErrNotSent) hold.
type notSent struct{ error }

func (e notSent) Unwrap() []error { return []error{e.error, ErrNotSent} }

// Broadcast signs msgs with key (gas simulated), broadcasts in sync mode
// and waits until the tx is in a block; a refused tx comes back as *TxError.
func (c *Chain) Broadcast(ctx context.Context, key string, msgs ...sdk.Msg) (*sdk.TxResponse, error) {
	c.txMu.Lock()
	defer c.txMu.Unlock()
	rec, err := c.record(key)
	if err != nil {
		return nil, notSent{err}
	}
	// A tx of this account still in the node's mempool (one sent by a
	// process killed before it landed) leaves the committed sequence behind
	// the one the node expects, and ours is refused as "account sequence
	// mismatch". The refused tx was never accepted, so re-querying the
	// sequence and signing again cannot send it twice.
	deadline := time.Now().Add(c.opts.TxTimeout)
	for {
		res, err := c.send(ctx, rec, msgs)
		if err == nil {
			return c.waitTx(ctx, res.TxHash)
		}
		if !wrongSequence(err) || !time.Now().Before(deadline) {
			return res, err
		}
		select {
		case <-ctx.Done():
			return res, err
		case <-time.After(c.opts.PollInterval):
		}
	}
}

// send signs msgs with the account's current sequence and broadcasts them
// in sync mode: the response CheckTx accepted, or an error.
func (c *Chain) send(ctx context.Context, rec *keyring.Record, msgs []sdk.Msg) (*sdk.TxResponse, error) {
	addr, err := rec.GetAddress()
	if err != nil {
		return nil, notSent{err}
	}
	accNum, seq, err := c.account(ctx, addr)
	if err != nil {
		return nil, notSent{err}
	}
	txCfg := authtx.NewTxConfig(c.cdc, authtx.DefaultSignModes)
	f := tx.Factory{}.WithChainID(c.chainID).WithKeybase(c.kr).WithTxConfig(txCfg).
		WithAccountNumber(accNum).WithSequence(seq).WithFromName(rec.Name).
		WithGasAdjustment(c.opts.GasAdjustment).WithSignMode(signing.SignMode_SIGN_MODE_DIRECT)
	svc := txtypes.NewServiceClient(c.conn)

	simBytes, err := f.BuildSimTx(msgs...)
	if err != nil {
		return nil, notSent{fmt.Errorf("chain: building simulation tx: %w", err)}
	}
	sim, err := svc.Simulate(ctx, &txtypes.SimulateRequest{TxBytes: simBytes})
	if err != nil {
		return nil, notSent{fmt.Errorf("chain: simulating %s: %w", sdk.MsgTypeURL(msgs[0]), err)}
	}
	gas := uint64(math.Ceil(float64(sim.GasInfo.GasUsed) * c.opts.GasAdjustment))
	f = f.WithGas(gas).WithGasPrices(c.gasPrice.String())
	txb, err := f.BuildUnsignedTx(msgs...)
	if err != nil {
		return nil, notSent{err}
	}
	if err := tx.Sign(ctx, f, rec.Name, txb, true); err != nil {
		return nil, notSent{fmt.Errorf("chain: signing with %s: %w", rec.Name, err)}
	}
	bz, err := txCfg.TxEncoder()(txb.GetTx())
	if err != nil {
		return nil, notSent{err}
	}
	br, err := svc.BroadcastTx(ctx, &txtypes.BroadcastTxRequest{TxBytes: bz, Mode: txtypes.BroadcastMode_BROADCAST_MODE_SYNC})
	if err != nil {
		return nil, fmt.Errorf("chain: broadcast: %w", err)
	}
	if r := br.TxResponse; r.Code != 0 {
		return r, &TxError{TxHash: r.TxHash, Codespace: r.Codespace, Code: r.Code, Log: r.RawLog}
	}
	return br.TxResponse, nil
}

// wrongSequence reports whether the node refused a tx for its account
// sequence, in the simulation or in CheckTx.
func wrongSequence(err error) bool {
	var te *TxError
	if errors.As(err, &te) {
		return te.Codespace == sdkerrors.RootCodespace && te.Code == sdkerrors.ErrWrongSequence.ABCICode()
	}
	return errors.Is(err, ErrNotSent) && strings.Contains(err.Error(), sdkerrors.ErrWrongSequence.Error())
}

// waitTx polls the tx service until the tx is in a block.
func (c *Chain) waitTx(ctx context.Context, hash string) (*sdk.TxResponse, error) {
	ctx, cancel := context.WithTimeout(ctx, c.opts.TxTimeout)
	defer cancel()
	t := time.NewTicker(c.opts.PollInterval)
	defer t.Stop()
	svc := txtypes.NewServiceClient(c.conn)
	for {
		r, err := svc.GetTx(ctx, &txtypes.GetTxRequest{Hash: hash})
		if err == nil {
			if r.TxResponse.Code != 0 {
				return r.TxResponse, &TxError{TxHash: hash, Codespace: r.TxResponse.Codespace, Code: r.TxResponse.Code, Log: r.TxResponse.RawLog}
			}
			return r.TxResponse, nil
		}
		if status.Code(err) != codes.NotFound {
			return nil, fmt.Errorf("chain: looking up tx %s: %w", hash, err)
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("chain: tx %s not in a block after %v: %w", hash, c.opts.TxTimeout, ctx.Err())
		case <-t.C:
		}
	}
}

func (c *Chain) account(ctx context.Context, addr sdk.AccAddress) (uint64, uint64, error) {
	r, err := authtypes.NewQueryClient(c.conn).Account(ctx, &authtypes.QueryAccountRequest{Address: addr.String()})
	if err != nil {
		return 0, 0, fmt.Errorf("chain: account %s (funded?): %w", addr, err)
	}
	var acc sdk.AccountI
	if err := c.cdc.UnpackAny(r.Account, &acc); err != nil {
		return 0, 0, err
	}
	return acc.GetAccountNumber(), acc.GetSequence(), nil
}

// msgResponse decodes the first message response of a committed tx.
func (c *Chain) msgResponse(r *sdk.TxResponse, out codec.ProtoMarshaler) error {
	raw, err := hex.DecodeString(r.Data)
	if err != nil {
		return fmt.Errorf("chain: tx %s data: %w", r.TxHash, err)
	}
	var data sdk.TxMsgData
	if err := c.cdc.Unmarshal(raw, &data); err != nil {
		return fmt.Errorf("chain: tx %s data: %w", r.TxHash, err)
	}
	if len(data.MsgResponses) == 0 {
		return fmt.Errorf("chain: tx %s has no message response", r.TxHash)
	}
	return c.cdc.Unmarshal(data.MsgResponses[0].Value, out)
}
