package testchain

import (
	"cosmossdk.io/math"
	"github.com/cosmos/cosmos-sdk/crypto/hd"
	"github.com/cosmos/cosmos-sdk/crypto/keyring"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/tx/signing"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"
	"github.com/stretchr/testify/require"

	"github.com/assay-network/assay/app"
	subnettypes "github.com/assay-network/assay/x/subnet/types"
)

// registrationMaxCost caps what Registration lets a registration burn: far
// above any cost the localnet params reach, so only a broken cost trips it.
const registrationMaxCost = 1_000_000_000

// NewKey adds a key to the validator's keyring and returns its address.
func (c *Chain) NewKey(name string) sdk.AccAddress {
	c.t.Helper()
	rec, _, err := c.Keyring().NewMnemonic(name, keyring.English, sdk.FullFundraiserPath, keyring.DefaultBIP39Passphrase, hd.Secp256k1)
	require.NoError(c.t, err)
	addr, err := rec.GetAddress()
	require.NoError(c.t, err)
	return addr
}

// Addr is the address of the keyring key name.
func (c *Chain) Addr(name string) sdk.AccAddress {
	c.t.Helper()
	rec, err := c.Keyring().Key(name)
	require.NoError(c.t, err)
	addr, err := rec.GetAddress()
	require.NoError(c.t, err)
	return addr
}

// Fund sends amount uassay from the validator's account to each address,
// in one tx so that setup spends one block.
func (c *Chain) Fund(amount int64, to ...sdk.AccAddress) {
	c.t.Helper()
	msgs := make([]sdk.Msg, len(to))
	for i, a := range to {
		msgs[i] = banktypes.NewMsgSend(c.Val.Address, a, sdk.NewCoins(sdk.NewInt64Coin(app.BondDenom, amount)))
	}
	c.Deliver(c.Val.Moniker, msgs...)
}

// NewFundedKeys creates keys and funds each with amount uassay in one tx.
func (c *Chain) NewFundedKeys(amount int64, names ...string) []sdk.AccAddress {
	c.t.Helper()
	addrs := make([]sdk.AccAddress, len(names))
	for i, n := range names {
		addrs[i] = c.NewKey(n)
	}
	c.Fund(amount, addrs...)
	return addrs
}

// Balance is the uassay balance of addr.
func (c *Chain) Balance(addr sdk.AccAddress) math.Int {
	c.t.Helper()
	res, err := banktypes.NewQueryClient(c.Ctx()).Balance(c.t.Context(), banktypes.NewQueryBalanceRequest(addr, app.BondDenom))
	require.NoError(c.t, err)
	return res.Balance.Amount
}

// Registration is a MsgRegisterNeuron paid by the keyring key coldName for
// hotName, carrying the hotkey's signed authorisation (the chain refuses a
// hotkey registered without its owner's consent).
func (c *Chain) Registration(netuid uint16, coldName, hotName string) *subnettypes.MsgRegisterNeuron {
	c.t.Helper()
	cold, hot := c.Addr(coldName).String(), c.Addr(hotName).String()
	auth := subnettypes.RegistrationAuthorization(c.ChainID(), netuid, cold, hot)
	sig, pk, err := c.Keyring().Sign(hotName, auth, signing.SignMode_SIGN_MODE_DIRECT)
	require.NoError(c.t, err)
	return &subnettypes.MsgRegisterNeuron{Coldkey: cold, Netuid: uint32(netuid), Hotkey: hot, HotkeyPubkey: pk.Bytes(),
		HotkeySignature: sig, MaxCost: math.NewInt(registrationMaxCost)}
}

// RegisterNeurons registers the keyring hotkeys on netuid in one tx paid by
// the validator's account; UIDs follow the order given.
func (c *Chain) RegisterNeurons(netuid uint16, hotkeys ...string) {
	c.t.Helper()
	msgs := make([]sdk.Msg, len(hotkeys))
	for i, h := range hotkeys {
		msgs[i] = c.Registration(netuid, c.Val.Moniker, h)
	}
	c.Deliver(c.Val.Moniker, msgs...)
}
