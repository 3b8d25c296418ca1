package keeper

import (
	"testing"

	sdkmath "cosmossdk.io/math"
	sdk "github.com/cosmos/cosmos-sdk/types"
	authcodec "github.com/cosmos/cosmos-sdk/x/auth/codec"
	"github.com/stretchr/testify/require"

	"github.com/assay-network/assay/x/emission/types"
)

func TestPayoutEventMatchesTypedEvent(t *testing.T) {
	for _, tc := range []struct {
		netuid uint16
		block  int64
		p      payout
	}{
		{0, 0, payout{uid: 0, address: "", role: types.RoleOwner, amount: sdkmath.ZeroInt()}},
		{1, 12, payout{uid: 3, address: "assay1568e2a9jv779ufmftks7ufllmqndv3mwcgs3rn", role: types.RoleMiner, amount: sdkmath.NewInt(1501)}},
		{65535, 1<<63 - 1, payout{uid: 65535, address: `a"<&>\é`, role: types.RoleStakePool, amount: sdkmath.NewIntFromUint64(1<<64 - 1)}},
		{7, -5, payout{uid: 9, address: "x", role: types.RoleValidatorTake, amount: sdkmath.NewInt(1)}},
	} {
		want, err := sdk.TypedEventToEvent(&types.EventPayout{
			Netuid: uint32(tc.netuid), Block: tc.block, Uid: uint32(tc.p.uid), Address: tc.p.address, Role: tc.p.role, Amount: tc.p.amount.String(),
		})
		require.NoError(t, err)
		require.Equal(t, want, payoutEvent(tc.netuid, tc.block, tc.p))
	}
}

// The decoder accepts and rejects what the SDK's bech32 address codec does.
func TestAddressDecoderChecksLikeTheSDK(t *testing.T) {
	dec, sdkCodec := addressDecoder{prefix: "assay", seen: map[string]sdk.AccAddress{}}, authcodec.NewBech32Codec("assay")
	good := "assay1568e2a9jv779ufmftks7ufllmqndv3mwcgs3rn"
	want, err := sdkCodec.StringToBytes(good)
	require.NoError(t, err)
	for range 2 { // decoded, then remembered
		got, err := dec.decode(good)
		require.NoError(t, err)
		require.Equal(t, sdk.AccAddress(want), got)
	}
	for _, bad := range []string{
		"",
		"assay1568e2a9jv779ufmftks7ufllmqndv3mwcgs3rm",  // checksum
		"cosmos1568e2a9jv779ufmftks7ufllmqndv3mwcgs3rn", // another chain's prefix (and checksum)
		"cosmos1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5lzv7xu", // a valid cosmos address
	} {
		_, err := dec.decode(bad)
		require.ErrorIs(t, err, types.ErrInvalidAddress, bad)
		_, sdkErr := sdkCodec.StringToBytes(bad)
		require.Error(t, sdkErr, bad)
	}
}
