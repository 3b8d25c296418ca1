package cli_test

import (
	"testing"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/codec"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	cryptocodec "github.com/cosmos/cosmos-sdk/crypto/codec"
	"github.com/cosmos/cosmos-sdk/crypto/hd"
	"github.com/cosmos/cosmos-sdk/crypto/keyring"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/stretchr/testify/require"

	"github.com/assay-network/assay/app"
	"github.com/assay-network/assay/x/subnet/client/cli"
)

func newKey(t *testing.T, kr keyring.Keyring, name string) string {
	t.Helper()
	rec, _, err := kr.NewMnemonic(name, keyring.English, sdk.FullFundraiserPath, keyring.DefaultBIP39Passphrase, hd.Secp256k1)
	require.NoError(t, err)
	addr, err := rec.GetAddress()
	require.NoError(t, err)
	return addr.String()
}

func TestResolveAddress(t *testing.T) {
	app.SetAddressConfig()
	reg := codectypes.NewInterfaceRegistry()
	cryptocodec.RegisterInterfaces(reg)
	kr := keyring.NewInMemory(codec.NewProtoCodec(reg))
	alice := newKey(t, kr, "alice")
	bob := newKey(t, kr, "bob")
	ctx := client.Context{}.WithKeyring(kr)

	got, err := cli.ResolveAddress(ctx, "hotkey", "alice")
	require.NoError(t, err)
	require.Equal(t, alice, got)
	got, err = cli.ResolveAddress(ctx, "hotkey", bob)
	require.NoError(t, err)
	require.Equal(t, bob, got)

	_, err = cli.ResolveAddress(ctx, "coldkey", "carol")
	require.ErrorIs(t, err, cli.ErrNotKeyOrAddress)
	require.ErrorContains(t, err, `coldkey "carol"`)
	require.ErrorContains(t, err, `no key "carol"`)

	// Without a keyring only addresses pass.
	got, err = cli.ResolveAddress(client.Context{}, "address", alice)
	require.NoError(t, err)
	require.Equal(t, alice, got)
	_, err = cli.ResolveAddress(client.Context{}, "address", "alice")
	require.ErrorIs(t, err, cli.ErrNotKeyOrAddress)
	require.ErrorContains(t, err, "no keyring opened")

	// A key named with bob's address but holding another key is ambiguous:
	// the error gives both readings.
	other := newKey(t, kr, bob)
	_, err = cli.ResolveAddress(ctx, "hotkey", bob)
	require.ErrorIs(t, err, cli.ErrAmbiguousKey)
	require.ErrorContains(t, err, bob)
	require.ErrorContains(t, err, other)
}
