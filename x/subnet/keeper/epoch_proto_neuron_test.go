package keeper

import (
	"testing"

	"cosmossdk.io/collections"
	"cosmossdk.io/math"
	"github.com/cosmos/cosmos-sdk/codec"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	"github.com/cosmos/cosmos-sdk/runtime"
	storetypes "github.com/cosmos/cosmos-sdk/store/v2/types"
	"github.com/cosmos/cosmos-sdk/testutil"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/stretchr/testify/require"

	"github.com/assay-network/assay/x/emission/yuma"
	"github.com/assay-network/assay/x/internal/compact"
	"github.com/assay-network/assay/x/subnet/types"
)

// A neuron still stored as proto (written before the compact form) is read
// by the epoch and gets its results, stored compact from then on, next to a
// compact neuron that gets the same results through the byte path.
func TestRunEpochOnProtoStoredNeuron(t *testing.T) {
	key := storetypes.NewKVStoreKey(types.StoreKey)
	ctx := testutil.DefaultContextWithKeys(map[string]*storetypes.KVStoreKey{types.StoreKey: key}, nil, nil)
	cdc := codec.NewProtoCodec(codectypes.NewInterfaceRegistry())
	k := NewKeeper(cdc, runtime.NewKVStoreService(key), nil, sdk.AccAddress(make([]byte, 20)).String())
	const netuid = 1
	require.NoError(t, k.Subnets.Set(ctx, netuid, types.Subnet{Netuid: netuid, NeuronCount: 2, Hyperparams: types.DefaultHyperparams()}))
	neurons := []types.Neuron{
		{Netuid: netuid, Uid: 0, Hotkey: "hot0", Coldkey: "cold0", RegisteredAt: 3, Stake: math.NewInt(5), LastUpdate: 4},
		{Netuid: netuid, Uid: 1, Hotkey: "hot1", Coldkey: "cold1", RegisteredAt: 6, Stake: math.NewInt(7), LastUpdate: 8,
			Axon: &types.AxonInfo{Endpoint: "e", Protocol: "grpc", ModelHash: "ab", Version: "1", Block: 7}},
	}
	protoBz, err := codec.CollValue[types.Neuron](cdc).Encode(neurons[0])
	require.NoError(t, err)
	rawKey, err := collections.EncodeKeyWithPrefix(types.NeuronsPrefix, k.Neurons.KeyCodec(), joinUID(netuid, 0))
	require.NoError(t, err)
	require.NoError(t, k.storeService.OpenKVStore(ctx).Set(rawKey, protoBz))
	require.NoError(t, k.Neurons.Set(ctx, joinUID(netuid, 1), neurons[1]))

	tenth := func(k int64) yuma.Fixed { return yuma.FromRaw(k << yuma.FracBits / 10) }
	res := types.EpochResults{Permits: []bool{true, false}, Emission: []uint64{11, 12},
		Consensus:      []yuma.Fixed{tenth(1), tenth(2)},
		ValidatorTrust: []yuma.Fixed{tenth(3), tenth(4)},
		Incentive:      []yuma.Fixed{tenth(5), tenth(6)},
		Dividends:      []yuma.Fixed{tenth(7), tenth(8)},
		Bonds:          make([][]yuma.Entry, 2)}
	var seen types.EpochInputs
	require.NoError(t, k.RunEpoch(ctx, netuid, func(in types.EpochInputs) (types.EpochResults, error) {
		seen = in
		return res, nil
	}))
	require.Equal(t, []string{"hot0", "hot1"}, seen.Hotkeys)
	require.Equal(t, []string{"cold0", "cold1"}, seen.Coldkeys)
	require.Equal(t, []math.Int{math.NewInt(5), math.NewInt(7)}, seen.Stake)
	require.Equal(t, []int64{4, 8}, seen.LastUpdate)
	require.Equal(t, []int64{3, 6}, seen.RegisteredAt)
	for i, want := range neurons {
		want.ValidatorPermit, want.Emission = res.Permits[i], math.NewIntFromUint64(res.Emission[i])
		want.Consensus, want.ValidatorTrust = types.FixedToDec(res.Consensus[i]), types.FixedToDec(res.ValidatorTrust[i])
		want.Incentive, want.Dividends = types.FixedToDec(res.Incentive[i]), types.FixedToDec(res.Dividends[i])
		got, err := k.Neurons.Get(ctx, joinUID(netuid, uint16(i)))
		require.NoError(t, err)
		require.Equal(t, want, got)
	}
	stored, err := k.storeService.OpenKVStore(ctx).Get(rawKey)
	require.NoError(t, err)
	require.Equal(t, byte(compact.Mark), stored[0], "written back compact")
}
