package keeper

import (
	"errors"
	"math"

	"cosmossdk.io/collections/codec"
	sdkmath "cosmossdk.io/math"

	"github.com/assay-network/assay/x/internal/compact"
	"github.com/assay-network/assay/x/subnet/types"
)

// epochPool is a stake pool as an epoch credits it: its total stake and
// shares as int64 while the stored value holds them in compact varint form
// (a missing pool is two zeros, as EmptyPool), else the decoded StakePool.
// Either way it is written back as the StakePools map writes the same pool,
// without a math.Int per number.
type epochPool struct {
	small [2]int64 // total stake, total shares
	big   *types.StakePool
}

func (p epochPool) pool() types.StakePool {
	if p.big != nil {
		return *p.big
	}
	return types.StakePool{TotalStake: sdkmath.NewInt(p.small[0]), TotalShares: sdkmath.NewInt(p.small[1])}
}

func (p epochPool) hasShares() bool {
	if p.big != nil {
		return hasShares(*p.big)
	}
	return p.small[1] > 0
}

// credit adds v to the total stake (the shares stay: a reward raises every
// share's value); a total that would pass int64 moves the pool to math.Int.
func (p epochPool) credit(v uint64) epochPool {
	if p.big == nil && v <= math.MaxInt64 && p.small[0] >= 0 && uint64(p.small[0]) <= math.MaxInt64-v {
		p.small[0] += int64(v)
		return p
	}
	pool := p.pool()
	pool.TotalStake = pool.TotalStake.Add(sdkmath.NewIntFromUint64(v))
	return epochPool{big: &pool}
}

// stake is PoolStake of the pool.
func (p epochPool) stake() sdkmath.Int { return PoolStake(p.pool()) }

// epochPoolCodec backs the epoch's view of the StakePools map (same prefix,
// not in the schema); pools is the map's own codec, which reads every
// other form and writes the math.Int form.
type epochPoolCodec struct {
	pools codec.ValueCodec[types.StakePool]
}

func (c epochPoolCodec) Encode(p epochPool) ([]byte, error) {
	if p.big != nil {
		return c.pools.Encode(*p.big)
	}
	w := compact.Append(make([]byte, 1, 24)) // [0] is compact.Mark
	w.Int64(p.small[0])
	w.Int64(p.small[1])
	return w.Bytes(), nil
}

func (c epochPoolCodec) Decode(bz []byte) (epochPool, error) {
	if r, ok := compact.Open(bz); ok {
		var p epochPool
		var stake, shares bool
		p.small[0], stake = r.SmallInt()
		if stake {
			p.small[1], shares = r.SmallInt()
		}
		if stake && shares && r.Done() == nil {
			return p, nil
		}
	}
	pool, err := c.pools.Decode(bz)
	if err != nil {
		return epochPool{}, err
	}
	return epochPool{big: &pool}, nil
}

var errEpochPoolView = errors.New("epoch pool view: store encoding only")

func (c epochPoolCodec) EncodeJSON(epochPool) ([]byte, error) { return nil, errEpochPoolView }
func (c epochPoolCodec) DecodeJSON([]byte) (epochPool, error) { return epochPool{}, errEpochPoolView }
func (c epochPoolCodec) Stringify(epochPool) string           { return "epoch pool" }
func (c epochPoolCodec) ValueType() string                    { return "epoch pool" }
