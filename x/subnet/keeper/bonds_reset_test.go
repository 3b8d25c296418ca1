package keeper_test

import (
	"strings"
	"testing"

	"cosmossdk.io/collections"
	"github.com/stretchr/testify/require"

	"github.com/assay-network/assay/x/emission/yuma"
	"github.com/assay-network/assay/x/subnet/types"
)

var (
	modelA = strings.Repeat("a", 64)
	modelB = strings.Repeat("b", 64)
)

// bondsResetFixture is a subnet with a validator (UID 0) and two miners
// (UIDs 1, 2) that published modelA; the validator holds bonds on both
// miners and the first serves' reset records are already applied.
func bondsResetFixture(t *testing.T, bondsReset bool) (*fixture, uint16, []account) {
	f := newFixture(t)
	owner := f.funded(1000 * assay)
	hp := plainHP()
	hp.BondsReset = bondsReset
	netuid := uint16(f.registerSubnet(owner, hp))
	hot := []account{newAccount(), newAccount(), newAccount()}
	for _, h := range hot {
		f.registerNeuron(uint32(netuid), f.funded(10*assay), h)
	}
	f.serve(netuid, hot[1], modelA)
	f.serve(netuid, hot[2], modelA)
	require.NoError(t, f.k.RunEpoch(f.ctx, netuid, func(in types.EpochInputs) (types.EpochResults, error) {
		return unchangedResults(in), nil
	}))
	require.NoError(t, f.k.Bonds.Set(f.ctx, collections.Join(netuid, uint16(0)),
		types.BondsRow{Entries: []types.BondEntry{{Uid: 1, Value: 1 << 30}, {Uid: 2, Value: 1 << 29}}}))
	return f, netuid, hot
}

func (f *fixture) serve(netuid uint16, hot account, modelHash string) {
	f.t.Helper()
	f.advance(int64(types.DefaultHyperparams().ServingRateLimit))
	_, err := f.msgs.ServeAxon(f.ctx, &types.MsgServeAxon{Hotkey: hot.String(), Netuid: uint32(netuid),
		Endpoint: "10.0.0.1:9000", Protocol: "grpc", ModelHash: modelHash})
	require.NoError(f.t, err)
}

// runEpoch runs an epoch that keeps the bonds it is given and returns them.
func (f *fixture) runEpoch(netuid uint16) []types.BondsRow {
	f.t.Helper()
	var seen []types.BondsRow
	require.NoError(f.t, f.k.RunEpoch(f.ctx, netuid, func(in types.EpochInputs) (types.EpochResults, error) {
		seen = asBondsRows(in.Bonds)
		return unchangedResults(in), nil
	}))
	return seen
}

// asBondsRows is the epoch's bond rows in the stored proto form.
func asBondsRows(rows [][]yuma.Entry) []types.BondsRow {
	out := make([]types.BondsRow, len(rows))
	for i, row := range rows {
		for _, e := range row {
			out[i].Entries = append(out[i].Entries, types.BondEntry{Uid: uint32(e.UID), Value: e.Value.Raw()})
		}
	}
	return out
}

func (f *fixture) storedBonds(netuid, uid uint16) []types.BondEntry {
	f.t.Helper()
	row, err := f.k.Bonds.Get(f.ctx, collections.Join(netuid, uid))
	require.NoError(f.t, err)
	return row.Entries
}

func TestBondsResetOnNewModelHash(t *testing.T) {
	f, netuid, hot := bondsResetFixture(t, true)
	f.serve(netuid, hot[1], modelB)

	in, err := f.k.EpochInputs(f.ctx, netuid)
	require.NoError(t, err)
	onlyUID2 := []types.BondEntry{{Uid: 2, Value: 1 << 29}}
	require.Equal(t, onlyUID2, asBondsRows(in.Bonds)[0].Entries, "the epoch does not see the bond on the UID that changed its model")
	require.Len(t, f.storedBonds(netuid, 0), 2, "reading the inputs writes nothing")

	require.Equal(t, onlyUID2, f.runEpoch(netuid)[0].Entries)
	require.Equal(t, onlyUID2, f.storedBonds(netuid, 0), "the epoch stores the bonds without the reset one")
	has, err := f.k.BondResets.Has(f.ctx, collections.Join(netuid, uint16(1)))
	require.NoError(t, err)
	require.False(t, has, "the epoch clears the record")

	// The next epoch resets nothing: bonds formed since the reset stay.
	require.NoError(t, f.k.Bonds.Set(f.ctx, collections.Join(netuid, uint16(0)),
		types.BondsRow{Entries: []types.BondEntry{{Uid: 1, Value: 7}, {Uid: 2, Value: 1 << 29}}}))
	require.Len(t, f.runEpoch(netuid)[0].Entries, 2)
}

func TestBondsResetNotOnSameModelHash(t *testing.T) {
	f, netuid, hot := bondsResetFixture(t, true)
	f.serve(netuid, hot[1], modelA) // new endpoint or version, same model
	require.Len(t, f.runEpoch(netuid)[0].Entries, 2)
	require.Len(t, f.storedBonds(netuid, 0), 2)
}

func TestBondsResetOffKeepsBonds(t *testing.T) {
	f, netuid, hot := bondsResetFixture(t, false)
	f.serve(netuid, hot[1], modelB)
	require.Len(t, f.runEpoch(netuid)[0].Entries, 2)
	require.Len(t, f.storedBonds(netuid, 0), 2)
}

// An epoch whose run fails applies nothing and keeps the record for the
// next one.
func TestBondsResetRecordLifetime(t *testing.T) {
	f, netuid, hot := bondsResetFixture(t, true)
	f.serve(netuid, hot[1], modelB)
	err := f.k.RunEpoch(f.ctx, netuid, func(types.EpochInputs) (types.EpochResults, error) {
		return types.EpochResults{}, types.ErrInvalidAmount
	})
	require.ErrorIs(t, err, types.ErrInvalidAmount)
	has, err := f.k.BondResets.Has(f.ctx, collections.Join(netuid, uint16(1)))
	require.NoError(t, err)
	require.True(t, has, "a failed epoch applies nothing")
	require.Len(t, f.storedBonds(netuid, 0), 2)
	require.Equal(t, []types.BondEntry{{Uid: 2, Value: 1 << 29}}, f.runEpoch(netuid)[0].Entries)
}
