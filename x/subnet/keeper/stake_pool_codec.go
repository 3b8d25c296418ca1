package keeper

import (
	"cosmossdk.io/collections/codec"

	"github.com/assay-network/assay/x/internal/compact"
	"github.com/assay-network/assay/x/subnet/types"
)

// stakePoolCodec stores a StakePool's two numbers as varints (x/internal/compact):
// every epoch credits each paid validator's pool.
func stakePoolCodec(proto codec.ValueCodec[types.StakePool]) codec.ValueCodec[types.StakePool] {
	return compact.Value[types.StakePool]{
		ValueCodec: proto,
		Write: func(w *compact.Writer, p types.StakePool) {
			w.MathInt(p.TotalStake)
			w.MathInt(p.TotalShares)
		},
		Read: func(r *compact.Reader) types.StakePool {
			return types.StakePool{TotalStake: r.MathInt(), TotalShares: r.MathInt()}
		},
		SizeHint: func(types.StakePool) int { return 24 },
	}
}
