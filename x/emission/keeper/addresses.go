package keeper

import (
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/bech32"

	"github.com/assay-network/assay/x/emission/types"
)

// addressDecoder turns the bech32 addresses x/subnet stores into bytes. It
// takes the account prefix the keeper read once at construction (where
// NewKeeper already checks the authority against it): sdk.GetConfig costs a
// readlink of /proc/self/exe (~9 µs) in SDK v0.55, more than the whole
// decode. One decoder lives for one epoch and remembers what it decoded: an
// operator's coldkey is paid for each of its UIDs.
type addressDecoder struct {
	prefix string
	seen   map[string]sdk.AccAddress // lookups only, never ranged
}

func newAddressDecoder(prefix string) addressDecoder {
	return addressDecoder{prefix: prefix, seen: make(map[string]sdk.AccAddress)}
}

// decode checks what sdk.AccAddressFromBech32 checks: the checksum, the
// prefix and a non-empty address of at most 255 bytes. The addresses x/subnet
// stores are lower case with this prefix, and those decodeCanonical reads
// without allocating more than the result; anything else takes the SDK's
// bech32 decoder, which accepts what it accepts and words the errors.
func (d addressDecoder) decode(s string) (sdk.AccAddress, error) {
	if addr, ok := d.seen[s]; ok {
		return addr, nil
	}
	if bz, ok := decodeCanonical(s, d.prefix); ok {
		d.seen[s] = bz
		return bz, nil
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

// bech32Charset maps a data character to its 5-bit value (0xff: not one).
var bech32Charset = func() (m [256]byte) {
	for i := range m {
		m[i] = 0xff
	}
	for i, c := range "qpzry9x8gf2tvdw0s3jn54khce6mua7l" {
		m[c] = byte(i)
	}
	return m
}()

// bech32Mix[b] is the xor of the generator constants selected by the five
// bits of b: bech32's polymod step, one lookup instead of five branches.
var bech32Mix = func() (m [32]uint32) {
	gen := [5]uint32{0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3}
	for b := range m {
		for i, g := range gen {
			if b>>i&1 == 1 {
				m[b] ^= g
			}
		}
	}
	return m
}()

func bech32Step(chk uint32, v byte) uint32 {
	return (chk&0x1ffffff)<<5 ^ uint32(v) ^ bech32Mix[chk>>25]
}

// decodeCanonical decodes s = prefix + "1" + data + checksum when prefix
// is lower case, every data character is in the bech32 charset, the
// checksum holds, the padding is zero and the address has 1 to 255 bytes:
// exactly the strings bech32.DecodeAndConvert decodes to this prefix and
// the decoder accepts, to the same bytes. ok is false otherwise.
func decodeCanonical(s, prefix string) (sdk.AccAddress, bool) {
	n := len(prefix)
	if n == 0 || len(s) > 1023 || len(s) < n+7 || len(s) < 8 || s[:n] != prefix || s[n] != '1' {
		return nil, false
	}
	chk := uint32(1)
	for i := 0; i < n; i++ {
		c := prefix[i]
		if c < 33 || c > 126 || 'A' <= c && c <= 'Z' {
			return nil, false // the SDK's decoder lower-cases or rejects it
		}
		chk = bech32Step(chk, c>>5)
	}
	chk = bech32Step(chk, 0)
	for i := 0; i < n; i++ {
		chk = bech32Step(chk, prefix[i]&31)
	}
	data := s[n+1:]
	for i := 0; i < len(data); i++ {
		v := bech32Charset[data[i]]
		if v == 0xff {
			return nil, false
		}
		chk = bech32Step(chk, v)
	}
	payload := data[:len(data)-6]
	size, pad := len(payload)*5/8, len(payload)*5%8
	if chk != 1 || pad > 4 || size == 0 || size > 255 {
		return nil, false
	}
	out := make(sdk.AccAddress, 0, size)
	var acc uint32
	var bits uint
	for i := 0; i < len(payload); i++ {
		acc = acc<<5 | uint32(bech32Charset[payload[i]])
		bits += 5
		if bits >= 8 {
			bits -= 8
			out = append(out, byte(acc>>bits))
			acc &= 1<<bits - 1
		}
	}
	if acc != 0 {
		return nil, false // non-zero padding
	}
	return out, true
}
