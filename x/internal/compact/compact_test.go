package compact

import (
	"testing"

	"cosmossdk.io/math"
	"github.com/stretchr/testify/require"
)

// Int64 and Uint64 write what MathInt and Dec write for the same numbers.
func TestIntegerWritersMatchMathTypes(t *testing.T) {
	for _, v := range []int64{0, 1, -1, 127, -128, 1 << 40, 1<<63 - 1, -1 << 63} {
		var a, b, c Writer
		a.Int64(v)
		b.MathInt(math.NewInt(v))
		c.Dec(math.LegacyNewDecWithPrec(v, math.LegacyPrecision))
		require.Equal(t, b.Bytes(), a.Bytes(), "%d", v)
		require.Equal(t, c.Bytes(), a.Bytes(), "%d", v)
	}
	for _, v := range []uint64{0, 1, 1<<63 - 1, 1 << 63, 1<<64 - 1} {
		var a, b Writer
		a.Uint64(v)
		b.MathInt(math.NewIntFromUint64(v))
		require.Equal(t, b.Bytes(), a.Bytes(), "%d", v)
	}
}
