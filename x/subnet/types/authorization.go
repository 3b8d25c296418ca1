package types

import (
	"fmt"

	"github.com/cosmos/cosmos-sdk/crypto/keys/secp256k1"
	sdk "github.com/cosmos/cosmos-sdk/types"
)

// RegistrationAuthorization is the exact byte string a hotkey signs to let a
// coldkey register it on a subnet. Binding the chain id, netuid and coldkey
// means the signature cannot be replayed on another chain, another subnet or
// by another payer.
func RegistrationAuthorization(chainID string, netuid uint16, coldkey, hotkey string) []byte {
	return fmt.Appendf(nil, "assay/register-neuron/v1\nchain_id=%s\nnetuid=%d\ncoldkey=%s\nhotkey=%s", chainID, netuid, coldkey, hotkey)
}

// VerifyHotkeyProof checks that pubKey is the hotkey's key and that sig signs
// the registration authorisation.
func VerifyHotkeyProof(chainID string, msg *MsgRegisterNeuron) error {
	if len(msg.HotkeyPubkey) != secp256k1.PubKeySize {
		return ErrHotkeyProof.Wrapf("hotkey_pubkey: want %d bytes of compressed secp256k1, got %d", secp256k1.PubKeySize, len(msg.HotkeyPubkey))
	}
	pk := &secp256k1.PubKey{Key: msg.HotkeyPubkey}
	hotkey, err := sdk.AccAddressFromBech32(msg.Hotkey)
	if err != nil {
		return ErrInvalidAddress.Wrapf("hotkey: %s", err)
	}
	if !sdk.AccAddress(pk.Address()).Equals(hotkey) {
		return ErrHotkeyProof.Wrapf("hotkey_pubkey does not belong to hotkey %s", msg.Hotkey)
	}
	if !pk.VerifySignature(RegistrationAuthorization(chainID, uint16(msg.Netuid), msg.Coldkey, msg.Hotkey), msg.HotkeySignature) {
		return ErrHotkeyProof.Wrapf("hotkey_signature does not sign the registration of %s on netuid %d for coldkey %s (chain %q)",
			msg.Hotkey, msg.Netuid, msg.Coldkey, chainID)
	}
	return nil
}
