package opened

import (
	"errors"
	"testing"

	"cosmossdk.io/collections"
	"github.com/cosmos/cosmos-sdk/runtime"
	storetypes "github.com/cosmos/cosmos-sdk/store/v2/types"
	"github.com/cosmos/cosmos-sdk/testutil"
	"github.com/stretchr/testify/require"
)

// A Map over an opened store writes, reads and removes what the
// collections.Map does, and reports a missing key as not found.
func TestOpenedMapActsAsTheMap(t *testing.T) {
	key := storetypes.NewKVStoreKey("opened")
	svc := runtime.NewKVStoreService(key)
	ctx := testutil.DefaultContextWithKeys(map[string]*storetypes.KVStoreKey{"opened": key}, nil, nil)
	m := collections.NewMap(collections.NewSchemaBuilder(svc), collections.NewPrefix(7), "m",
		collections.PairKeyCodec(collections.Uint16Key, collections.StringKey), collections.Uint64Value)
	o := Open(ctx, svc, m)

	require.NoError(t, o.Set(collections.Join(uint16(3), "a"), 42))
	got, err := m.Get(ctx, collections.Join(uint16(3), "a"))
	require.NoError(t, err)
	require.Equal(t, uint64(42), got)

	require.NoError(t, m.Set(ctx, collections.Join(uint16(3), "b"), 7))
	v, found, err := o.Find(collections.Join(uint16(3), "b"))
	require.NoError(t, err)
	require.True(t, found)
	require.Equal(t, uint64(7), v)

	_, found, err = o.Find(collections.Join(uint16(4), "b"))
	require.NoError(t, err)
	require.False(t, found)

	require.NoError(t, o.Remove(collections.Join(uint16(3), "a")))
	_, err = m.Get(ctx, collections.Join(uint16(3), "a"))
	require.True(t, errors.Is(err, collections.ErrNotFound))

	// a value the codec cannot read is an encoding error, as from Get
	require.NoError(t, svc.OpenKVStore(ctx).Set([]byte{7, 0, 3, 'c'}, []byte{1}))
	_, err = m.Get(ctx, collections.Join(uint16(3), "c"))
	require.ErrorIs(t, err, collections.ErrEncoding)
	_, _, err = o.Find(collections.Join(uint16(3), "c"))
	require.ErrorIs(t, err, collections.ErrEncoding)
}
