package keeper

import (
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/bech32"

	"github.com/assay-network/assay/x/emission/types"
)

// addressDecoder turns the bech32 addresses x/subnet stores into bytes. It
// reads the account prefix once: sdk.AccAddressFromBech32 looks it up
// through sdk.GetConfig on every call, which in SDK v0.55 costs a readlink
// of /proc/self/exe (~9 µs), more than the whole decode, and an epoch
// decodes an address per payout. One decoder lives for one epoch and
// remembers what it decoded: an operator's coldkey is paid for each of its
// UIDs.
type addressDecoder struct {
	prefix string
	seen   map[string]sdk.AccAddress // lookups only, never ranged
}

func newAddressDecoder() addressDecoder {
	return addressDecoder{prefix: sdk.GetConfig().GetBech32AccountAddrPrefix(), seen: make(map[string]sdk.AccAddress)}
}

// decode checks what sdk.AccAddressFromBech32 checks: the checksum, the
// prefix and a non-empty address of at most 255 bytes.
func (d addressDecoder) decode(s string) (sdk.AccAddress, error) {
	if addr, ok := d.seen[s]; ok {
		return addr, nil
	}
	hrp, bz, err := bech32.DecodeAndConvert(s)
	switch {
	case err != nil:
		return nil, types.ErrInvalidAddress.Wrapf("%q: %s", s, err)
	case hrp != d.prefix:
		return nil, types.ErrInvalidAddress.Wrapf("%q: prefix %q, want %q", s, hrp, d.prefix)
	case len(bz) == 0 || len(bz) > 255:
		return nil, types.ErrInvalidAddress.Wrapf("%q: %d bytes", s, len(bz))
	}
	d.seen[s] = bz
	return bz, nil
}
