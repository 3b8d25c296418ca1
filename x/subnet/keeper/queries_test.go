package keeper_test

import (
	"testing"

	"cosmossdk.io/collections"
	"github.com/cosmos/cosmos-sdk/types/query"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/assay-network/assay/x/subnet/types"
)

func neuronKey(netuid, uid uint32) collections.Pair[uint16, uint16] {
	return collections.Join(uint16(netuid), uint16(uid))
}

func TestQueries(t *testing.T) {
	f := newFixture(t)
	owner := f.funded(100_000_000_000)
	for i := 0; i < 3; i++ {
		f.registerSubnet(owner, nil)
	}
	hots := []account{newAccount(), newAccount()}
	for _, h := range hots {
		f.registerNeuron(1, owner, h)
	}

	page, err := f.qs.Subnets(f.ctx, &types.QuerySubnetsRequest{Pagination: &query.PageRequest{Limit: 2, CountTotal: true}})
	require.NoError(t, err)
	require.Len(t, page.Subnets, 2)
	require.Equal(t, uint64(3), page.Pagination.Total)
	rest, err := f.qs.Subnets(f.ctx, &types.QuerySubnetsRequest{Pagination: &query.PageRequest{Key: page.Pagination.NextKey}})
	require.NoError(t, err)
	require.Len(t, rest.Subnets, 1)
	require.Equal(t, uint32(3), rest.Subnets[0].Netuid)

	mg, err := f.qs.Metagraph(f.ctx, &types.QueryMetagraphRequest{Netuid: 1})
	require.NoError(t, err)
	require.Len(t, mg.Neurons, 2)
	for i, n := range mg.Neurons {
		require.Equal(t, uint32(i), n.Uid)
		require.Equal(t, hots[i].String(), n.Hotkey)
	}

	byHot, err := f.qs.NeuronByHotkey(f.ctx, &types.QueryNeuronByHotkeyRequest{Netuid: 1, Hotkey: hots[1].String()})
	require.NoError(t, err)
	require.Equal(t, uint32(1), byHot.Neuron.Uid)
	byUID, err := f.qs.Neuron(f.ctx, &types.QueryNeuronRequest{Netuid: 1, Uid: 1})
	require.NoError(t, err)
	require.Equal(t, byHot.Neuron, byUID.Neuron)

	cost, err := f.qs.RegistrationCost(f.ctx, &types.QueryRegistrationCostRequest{Netuid: 1})
	require.NoError(t, err)
	direct, _ := f.k.RegistrationCost(f.ctx, 1)
	require.Equal(t, direct, cost.Cost)
	lock, err := f.qs.LockCost(f.ctx, &types.QueryLockCostRequest{})
	require.NoError(t, err)
	require.True(t, lock.Cost.IsPositive())

	for name, call := range map[string]func() error{
		"subnet":    func() error { _, err := f.qs.Subnet(f.ctx, &types.QuerySubnetRequest{Netuid: 999}); return err },
		"metagraph": func() error { _, err := f.qs.Metagraph(f.ctx, &types.QueryMetagraphRequest{Netuid: 999}); return err },
		"neuron":    func() error { _, err := f.qs.Neuron(f.ctx, &types.QueryNeuronRequest{Netuid: 1, Uid: 9}); return err },
		"cost": func() error {
			_, err := f.qs.RegistrationCost(f.ctx, &types.QueryRegistrationCostRequest{Netuid: 999})
			return err
		},
		"hotkey": func() error {
			_, err := f.qs.NeuronByHotkey(f.ctx, &types.QueryNeuronByHotkeyRequest{Netuid: 1, Hotkey: newAccount().String()})
			return err
		},
	} {
		err := call()
		require.Error(t, err, name)
		require.Equal(t, codes.NotFound, status.Code(err), "%s: %v", name, err)
	}
	_, err = f.qs.NeuronByHotkey(f.ctx, &types.QueryNeuronByHotkeyRequest{Netuid: 1, Hotkey: "garbage"})
	require.ErrorIs(t, err, types.ErrInvalidAddress)
}

// Queries are read-only and deterministic: the same state answers the same
// bytes every time, whatever the call order.
func TestQueriesAreDeterministic(t *testing.T) {
	f := newFixture(t)
	owner := f.funded(100_000_000_000)
	f.registerSubnet(owner, nil)
	for i := 0; i < 5; i++ {
		f.registerNeuron(1, owner, newAccount())
	}
	first, err := f.qs.Metagraph(f.ctx, &types.QueryMetagraphRequest{Netuid: 1})
	require.NoError(t, err)
	want, err := first.Marshal()
	require.NoError(t, err)
	for i := 0; i < 20; i++ {
		again, err := f.qs.Metagraph(f.ctx, &types.QueryMetagraphRequest{Netuid: 1})
		require.NoError(t, err)
		got, _ := again.Marshal()
		require.Equal(t, want, got)
	}
}
