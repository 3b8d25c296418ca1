package e2e

import (
	"time"

	"cosmossdk.io/math"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/tx/signing"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	"github.com/assay-network/assay/app"
	"github.com/assay-network/assay/client"
	subnettypes "github.com/assay-network/assay/x/subnet/types"
)

// Helpers for the off-chain daemons' end-to-end tests: the shared chain
// client on the node's gRPC endpoint, and batched setup txs so that a test
// spends its blocks on what it tests.

// Client is the shared chain client (client.Chain) over the validator's
// gRPC endpoint, with the validator's keyring.
func (c *Chain) Client() *client.Chain {
	c.t.Helper()
	conn, err := grpc.NewClient(c.Val.AppConfig.GRPC.Address, grpc.WithTransportCredentials(insecure.NewCredentials()))
	require.NoError(c.t, err)
	cc, err := client.NewChain(c.t.Context(), conn, c.Ctx().Keyring, client.ChainOptions{PollInterval: 100 * time.Millisecond})
	require.NoError(c.t, err)
	c.t.Cleanup(func() { _ = cc.Close() })
	return cc
}

// KeyAddress is the address of a keyring key.
func (c *Chain) KeyAddress(name string) sdk.AccAddress {
	c.t.Helper()
	rec, err := c.Ctx().Keyring.Key(name)
	require.NoError(c.t, err)
	addr, err := rec.GetAddress()
	require.NoError(c.t, err)
	return addr
}

// NewFundedKeys creates keys and funds each with amount uassay in one tx.
func (c *Chain) NewFundedKeys(amount int64, names ...string) []sdk.AccAddress {
	c.t.Helper()
	addrs := make([]sdk.AccAddress, len(names))
	msgs := make([]sdk.Msg, len(names))
	for i, n := range names {
		addrs[i] = c.NewKey(n)
		msgs[i] = banktypes.NewMsgSend(c.Val.Address, addrs[i], sdk.NewCoins(sdk.NewInt64Coin(app.BondDenom, amount)))
	}
	res := c.Broadcast(c.Val.Moniker, msgs...)
	require.Zero(c.t, res.Code, res.RawLog)
	return addrs
}

// RegisterNeurons registers the keyring hotkeys on netuid in one tx paid by
// the validator's account (each hotkey signs its authorisation); UIDs follow
// the order given.
func (c *Chain) RegisterNeurons(netuid uint32, hotkeys ...string) {
	c.t.Helper()
	cold := c.Val.Address.String()
	msgs := make([]sdk.Msg, len(hotkeys))
	for i, h := range hotkeys {
		hot := c.KeyAddress(h).String()
		auth := subnettypes.RegistrationAuthorization(c.Net.Config.ChainID, uint16(netuid), cold, hot)
		sig, pk, err := c.Ctx().Keyring.Sign(h, auth, signing.SignMode_SIGN_MODE_DIRECT)
		require.NoError(c.t, err)
		msgs[i] = &subnettypes.MsgRegisterNeuron{Coldkey: cold, Netuid: netuid, Hotkey: hot, HotkeyPubkey: pk.Bytes(),
			HotkeySignature: sig, MaxCost: math.NewInt(1_000_000_000)}
	}
	res := c.Broadcast(c.Val.Moniker, msgs...)
	require.Zero(c.t, res.Code, res.RawLog)
}
