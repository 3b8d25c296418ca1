package keeper

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/bech32"
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
		{0, 0, payout{uid: 0, address: "", role: types.RoleOwner, amount: 0}},
		{1, 12, payout{uid: 3, address: "assay1568e2a9jv779ufmftks7ufllmqndv3mwcgs3rn", role: types.RoleMiner, amount: 1501}},
		{65535, 1<<63 - 1, payout{uid: 65535, address: `a"<&>\é`, role: types.RoleStakePool, amount: 1<<64 - 1}},
		{7, -5, payout{uid: 9, address: "x", role: types.RoleValidatorTake, amount: 1}},
	} {
		want, err := sdk.TypedEventToEvent(&types.EventPayout{
			Netuid: uint32(tc.netuid), Block: tc.block, Uid: uint32(tc.p.uid), Address: tc.p.address, Role: tc.p.role, Amount: strconv.FormatUint(tc.p.amount, 10),
		})
		require.NoError(t, err)
		require.Equal(t, want, payoutEvents(tc.netuid, tc.block, []payout{tc.p})[0])
	}
}

// Payouts built together share their attribute array and number text;
// each must still read as its own typed event.
func TestPayoutEventsMatchTypedEvents(t *testing.T) {
	ps := []payout{
		{uid: 0, address: "assay1568e2a9jv779ufmftks7ufllmqndv3mwcgs3rn", role: types.RoleOwner, amount: 7},
		{uid: 300, address: "assay1568e2a9jv779ufmftks7ufllmqndv3mwcgs3rn", role: types.RoleMiner, amount: 1501},
		{uid: 301, address: "b", role: types.RoleValidatorTake, amount: 1<<64 - 2},
		{uid: 65535, address: "b", role: "other role", amount: 1},
		{uid: 2, address: "assay1568e2a9jv779ufmftks7ufllmqndv3mwcgs3rn", role: types.RoleStakePool, amount: 3},
	}
	got := payoutEvents(4, 99, ps)
	require.Len(t, got, len(ps))
	for i, p := range ps {
		want, err := sdk.TypedEventToEvent(&types.EventPayout{
			Netuid: 4, Block: 99, Uid: uint32(p.uid), Address: p.address, Role: p.role, Amount: strconv.FormatUint(p.amount, 10),
		})
		require.NoError(t, err)
		require.Equal(t, want, got[i])
	}
	require.Empty(t, payoutEvents(4, 99, nil))
}

func TestEpochEventMatchesTypedEvent(t *testing.T) {
	for _, e := range []*types.EventEpoch{
		{},
		{Netuid: 3, Block: 1200, Pool: "1000"},
		{Netuid: 65535, Block: 1<<63 - 1, Paid: true, Pool: "18446744073709551617", OwnerCut: "180", MinersTotal: "410",
			ValidatorsTotal: "409", Carried: "1", Deferred: true},
		{Block: -5, Pool: `a"<&>\é`},
	} {
		want, err := sdk.TypedEventToEvent(e)
		require.NoError(t, err)
		require.Equal(t, want, epochEvent(e))
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

// decodeCanonical accepts only what the SDK's bech32 decoder decodes to the
// decoder's prefix, and gives the same bytes: checked on valid addresses of
// every length and on each of them with one character changed, upper-cased
// or cut.
func TestCanonicalDecodeAgreesWithBech32(t *testing.T) {
	slow := func(s, prefix string) (sdk.AccAddress, bool) {
		hrp, bz, err := bech32.DecodeAndConvert(s)
		return bz, err == nil && hrp == prefix && len(bz) > 0 && len(bz) <= 255
	}
	rng := rand.New(rand.NewPCG(1, 2))
	const chars = "qpzry9x8gf2tvdw0s3jn54khce6mua7l1bioQPZAB!~ "
	for _, prefix := range []string{"assay", "a", "x1y", ""} {
		for size := 0; size <= 260; size += 1 + size/8 {
			addr := make([]byte, size)
			for i := range addr {
				addr[i] = byte(rng.Uint32())
			}
			good, err := bech32.ConvertAndEncode(prefix, addr)
			if err != nil {
				continue // the encoder rejects it too (an empty prefix)
			}
			cases := []string{good, strings.ToUpper(good), good[:len(good)-1], good + "q", prefix + "1"}
			for range 40 {
				b := []byte(good)
				b[rng.IntN(len(b))] = chars[rng.IntN(len(chars))]
				cases = append(cases, string(b))
			}
			for _, s := range cases {
				want, wantOK := slow(s, prefix)
				got, ok := decodeCanonical(s, prefix)
				if ok {
					require.True(t, wantOK, "%q accepted, the SDK rejects it", s)
					require.Equal(t, want, got, s)
				}
				if s == good && prefix != "" && size > 0 && size <= 255 {
					require.True(t, ok, "%q not decoded", s)
				}
			}
		}
	}
}
