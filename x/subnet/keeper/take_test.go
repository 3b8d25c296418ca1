package keeper_test

import (
	"testing"

	"cosmossdk.io/math"
	"github.com/stretchr/testify/require"

	"github.com/assay-network/assay/x/subnet/types"
)

func TestSetTake(t *testing.T) {
	f := newFixture(t)
	owner := f.funded(1000 * assay)
	netuid := f.registerSubnet(owner, plainHP())
	cold, hot := f.funded(10*assay), newAccount()
	f.registerNeuron(netuid, cold, hot)
	take, err := f.k.Take(f.ctx, hot.addr)
	require.NoError(t, err)
	require.Equal(t, math.LegacyNewDecWithPrec(18, 2), take, "default take is 18%")

	set := func(from account, d math.LegacyDec) error {
		_, err := f.msgs.SetTake(f.ctx, &types.MsgSetTake{Coldkey: from.String(), Hotkey: hot.String(), Take: d})
		return err
	}
	require.ErrorIs(t, set(newAccount(), math.LegacyNewDecWithPrec(1, 2)), types.ErrNotHotkeyOwner)
	require.ErrorIs(t, set(cold, math.LegacyNewDecWithPrec(19, 2)), types.ErrInvalidTake)
	require.NoError(t, set(cold, math.LegacyNewDecWithPrec(10, 2)), "decreases are free")
	require.NoError(t, set(cold, math.LegacyNewDecWithPrec(15, 2)), "first increase")
	err = set(cold, math.LegacyNewDecWithPrec(16, 2))
	require.ErrorIs(t, err, types.ErrTakeRateLimit)
	require.ErrorContains(t, err, "next increase allowed at block 14401")
	require.NoError(t, set(cold, math.LegacyNewDecWithPrec(5, 2)), "decrease during the rate limit")
	f.advance(14_400)
	require.NoError(t, set(cold, math.LegacyNewDecWithPrec(16, 2)))
	take, _ = f.k.Take(f.ctx, hot.addr)
	require.Equal(t, math.LegacyNewDecWithPrec(16, 2), take)
	_, err = f.msgs.SetTake(f.ctx, &types.MsgSetTake{Coldkey: cold.String(), Hotkey: newAccount().String(), Take: math.LegacyZeroDec()})
	require.ErrorIs(t, err, types.ErrNeuronNotFound)
}
