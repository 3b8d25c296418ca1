package types

import (
	"crypto/sha256"
	"encoding/binary"

	sdk "github.com/cosmos/cosmos-sdk/types"
)

const (
	// MaxWeightValue is the largest weight (weights are uint16).
	MaxWeightValue = 65535
	// MinSaltLen and MaxSaltLen bound a commit's salt.
	MinSaltLen = 8
	MaxSaltLen = 64
	// CommitHashLen is the length of a weight commit hash (SHA-256).
	CommitHashLen = sha256.Size
)

// WeightsCommitHash is the commit hash of DESIGN §3, SHA-256 over:
//
//	netuid       uint16 big-endian (2 bytes)
//	hotkey       1-byte length, then the hotkey's raw account address bytes (20)
//	uids         uint32 big-endian count, then each uid as uint16 big-endian
//	weights      uint32 big-endian count, then each weight as uint16 big-endian
//	salt         uint32 big-endian length, then the salt bytes
//	version_key  uint64 big-endian (8 bytes)
//
// uids and weights are hashed in the order given (the reveal must repeat it).
// Values above 65535 cannot be encoded; ValidateBasic rejects them first.
func WeightsCommitHash(netuid uint16, hotkey sdk.AccAddress, uids, weights []uint32, salt []byte, versionKey uint64) []byte {
	buf := make([]byte, 0, 2+1+len(hotkey)+4+2*len(uids)+4+2*len(weights)+4+len(salt)+8)
	buf = binary.BigEndian.AppendUint16(buf, netuid)
	buf = append(buf, byte(len(hotkey)))
	buf = append(buf, hotkey...)
	buf = binary.BigEndian.AppendUint32(buf, uint32(len(uids)))
	for _, u := range uids {
		buf = binary.BigEndian.AppendUint16(buf, uint16(u))
	}
	buf = binary.BigEndian.AppendUint32(buf, uint32(len(weights)))
	for _, w := range weights {
		buf = binary.BigEndian.AppendUint16(buf, uint16(w))
	}
	buf = binary.BigEndian.AppendUint32(buf, uint32(len(salt)))
	buf = append(buf, salt...)
	buf = binary.BigEndian.AppendUint64(buf, versionKey)
	h := sha256.Sum256(buf)
	return h[:]
}

// checkWeightVectors checks the stateless weight rules: equal lengths, values
// in uint16 range, uids in uint16 range, no duplicate uid.
func checkWeightVectors(uids, weights []uint32) error {
	if len(uids) == 0 {
		return ErrInvalidWeights.Wrap("uids: empty")
	}
	if len(uids) != len(weights) {
		return ErrInvalidWeights.Wrapf("uids and weights: lengths differ (%d uids, %d weights)", len(uids), len(weights))
	}
	if len(uids) > MaxWeightValue+1 {
		return ErrInvalidWeights.Wrapf("uids: %d entries, at most %d", len(uids), MaxWeightValue+1)
	}
	seen := make(map[uint32]struct{}, len(uids))
	for i, u := range uids {
		if u > MaxWeightValue {
			return ErrUnknownUID.Wrapf("uids[%d]: %d is above 65535", i, u)
		}
		if _, dup := seen[u]; dup {
			return ErrDuplicateUID.Wrapf("uids[%d]: uid %d appears twice", i, u)
		}
		seen[u] = struct{}{}
		if weights[i] > MaxWeightValue {
			return ErrInvalidWeights.Wrapf("weights[%d]: %d is above 65535", i, weights[i])
		}
	}
	return nil
}

// ValidateBasic checks the message without state.
func (m *MsgSetWeights) ValidateBasic() error {
	if err := checkAddress("hotkey", m.Hotkey); err != nil {
		return err
	}
	if err := CheckNetuid(m.Netuid); err != nil {
		return err
	}
	return checkWeightVectors(m.Uids, m.Weights)
}

// ValidateBasic checks the message without state.
func (m *MsgCommitWeights) ValidateBasic() error {
	if err := checkAddress("hotkey", m.Hotkey); err != nil {
		return err
	}
	if err := CheckNetuid(m.Netuid); err != nil {
		return err
	}
	if len(m.Hash) != CommitHashLen {
		return ErrInvalidCommit.Wrapf("hash: want %d bytes (SHA-256), got %d", CommitHashLen, len(m.Hash))
	}
	return nil
}

// ValidateBasic checks the message without state.
func (m *MsgRevealWeights) ValidateBasic() error {
	if err := checkAddress("hotkey", m.Hotkey); err != nil {
		return err
	}
	if err := CheckNetuid(m.Netuid); err != nil {
		return err
	}
	if len(m.Salt) < MinSaltLen || len(m.Salt) > MaxSaltLen {
		return ErrInvalidCommit.Wrapf("salt: want %d..%d bytes, got %d", MinSaltLen, MaxSaltLen, len(m.Salt))
	}
	return checkWeightVectors(m.Uids, m.Weights)
}
