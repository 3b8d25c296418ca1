package testchain

import (
	"io"

	"github.com/cosmos/cosmos-sdk/client/tx"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/tx/signing"
	authtx "github.com/cosmos/cosmos-sdk/x/auth/tx"
	"github.com/stretchr/testify/require"
)

// DefaultGas is the gas limit Broadcast and Deliver sign for: enough for
// a batch of setup messages; fees are zero, so a high limit costs nothing.
const DefaultGas = 1_000_000

// waitBlocks is how many blocks WaitTx waits for a tx to land: a tx CheckTx
// accepted is in the next block or two, so ten means the chain lost it.
const waitBlocks = 10

// Submit signs msgs with the keyring key from, broadcasts them in sync mode
// and requires CheckTx to accept them; it returns the tx hash without
// waiting for a block, for callers that wait their own way.
func (c *Chain) Submit(from string, gas uint64, msgs ...sdk.Msg) string {
	c.t.Helper()
	ctx := c.Ctx().WithFromName(from).WithFromAddress(c.Addr(from)).
		WithBroadcastMode("sync").WithSkipConfirmation(true).WithOutput(io.Discard)
	txf := tx.Factory{}.
		WithChainID(c.ChainID()).WithKeybase(ctx.Keyring).WithTxConfig(ctx.TxConfig).
		WithAccountRetriever(ctx.AccountRetriever).WithGas(gas).WithSignMode(signing.SignMode_SIGN_MODE_DIRECT)
	txf, err := txf.Prepare(ctx)
	require.NoError(c.t, err)
	builder, err := txf.BuildUnsignedTx(msgs...)
	require.NoError(c.t, err)
	require.NoError(c.t, tx.Sign(c.t.Context(), txf, from, builder, true))
	bz, err := ctx.TxConfig.TxEncoder()(builder.GetTx())
	require.NoError(c.t, err)
	res, err := ctx.BroadcastTx(bz)
	require.NoError(c.t, err)
	require.Zero(c.t, res.Code, "CheckTx rejected: %s", res.RawLog)
	return res.TxHash
}

// Broadcast is Submit with DefaultGas, then WaitTx: it returns the
// delivered result whatever its code, for tests that check a refusal.
func (c *Chain) Broadcast(from string, msgs ...sdk.Msg) sdk.TxResponse {
	c.t.Helper()
	return c.BroadcastGas(from, DefaultGas, msgs...)
}

// BroadcastGas is Broadcast with a gas limit of its own.
func (c *Chain) BroadcastGas(from string, gas uint64, msgs ...sdk.Msg) sdk.TxResponse {
	c.t.Helper()
	return c.WaitTx(c.Submit(from, gas, msgs...))
}

// Deliver is Broadcast for txs that must succeed: it also requires the
// delivered code to be 0.
func (c *Chain) Deliver(from string, msgs ...sdk.Msg) sdk.TxResponse {
	c.t.Helper()
	return c.DeliverGas(from, DefaultGas, msgs...)
}

// DeliverGas is Deliver with a gas limit of its own.
func (c *Chain) DeliverGas(from string, gas uint64, msgs ...sdk.Msg) sdk.TxResponse {
	c.t.Helper()
	res := c.BroadcastGas(from, gas, msgs...)
	require.Zero(c.t, res.Code, "tx %s failed: %s", res.TxHash, res.RawLog)
	return res
}

// WaitTx waits until txHash is in a block and returns its result. It counts
// blocks rather than seconds, so a slow machine does not fail it; the
// network checks about once a second, so tests that race a window a few
// blocks wide poll on their own.
func (c *Chain) WaitTx(txHash string) sdk.TxResponse {
	c.t.Helper()
	var out sdk.TxResponse
	require.NoError(c.t, c.Net.RetryForBlocks(func() error {
		res, err := authtx.QueryTx(c.Ctx(), txHash)
		if err != nil {
			return err
		}
		out = *res
		return nil
	}, waitBlocks), "tx %s", txHash)
	return out
}
