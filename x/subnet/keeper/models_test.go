package keeper_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/assay-network/assay/x/subnet/types"
)

func (f *fixture) model(netuid uint16, hash string) (types.ModelPublisher, error) {
	res, err := f.qs.Model(f.ctx, &types.QueryModelRequest{Netuid: uint32(netuid), ModelHash: hash})
	if err != nil {
		return types.ModelPublisher{}, err
	}
	return res.Publisher, nil
}

// The first ServeAxon with a hash names its publisher; a later UID serving
// the same file (in either case) or the publisher re-serving it change
// nothing.
func TestModelFirstPublisher(t *testing.T) {
	f := newFixture(t)
	owner := f.funded(1000 * assay)
	netuid := uint16(f.registerSubnet(owner, plainHP()))
	first, copier := newAccount(), newAccount()
	f.registerNeuron(uint32(netuid), f.funded(10*assay), first)
	f.registerNeuron(uint32(netuid), f.funded(10*assay), copier)

	f.serve(netuid, first, modelA)
	want := types.ModelPublisher{Block: f.ctx.BlockHeight(), Uid: 0, Hotkey: first.String()}
	f.serve(netuid, copier, strings.ToUpper(modelA))
	f.serve(netuid, first, modelB)
	f.serve(netuid, first, modelA)

	got, err := f.model(netuid, modelA)
	require.NoError(t, err)
	require.Equal(t, want, got)
	got, err = f.model(netuid, strings.ToUpper(modelA))
	require.NoError(t, err)
	require.Equal(t, want, got, "the query takes either case")
	got, err = f.model(netuid, modelB)
	require.NoError(t, err)
	require.Equal(t, uint32(0), got.Uid)
	require.Greater(t, got.Block, want.Block)

	_, err = f.model(netuid, strings.Repeat("c", 64))
	require.ErrorIs(t, err, types.ErrModelNotFound)
	require.Equal(t, codes.NotFound, status.Code(err))
	_, err = f.model(netuid+1, modelA)
	require.Equal(t, codes.NotFound, status.Code(err), "unknown subnet: %v", err)
	_, err = f.model(netuid, "xyz")
	require.Equal(t, codes.InvalidArgument, status.Code(err))
	require.ErrorContains(t, err, "model_hash")
	_, err = f.model(0, modelA)
	require.ErrorIs(t, err, types.ErrInvalidNetuid)
}

// Dissolving a subnet forgets its publishers: a subnet that later takes the
// netuid starts with none.
func TestModelPublishersGoWithTheSubnet(t *testing.T) {
	f := newFixture(t)
	owner := f.funded(1000 * assay)
	netuid := uint16(f.registerSubnet(owner, plainHP()))
	hot := newAccount()
	f.registerNeuron(uint32(netuid), f.funded(10*assay), hot)
	f.serve(netuid, hot, modelA)
	_, err := f.msgs.DissolveSubnet(f.ctx, &types.MsgDissolveSubnet{Owner: owner.String(), Netuid: uint32(netuid)})
	require.NoError(t, err)
	require.Equal(t, netuid, uint16(f.registerSubnet(owner, plainHP())))
	_, err = f.model(netuid, modelA)
	require.ErrorIs(t, err, types.ErrModelNotFound)
}
