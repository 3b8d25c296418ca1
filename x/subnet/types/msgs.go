package types

import (
	"net"
	"strconv"
	"strings"

	errorsmod "cosmossdk.io/errors"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/assay-network/assay/task"
)

const (
	maxSubnetNameLen = 64
	maxEndpointLen   = 256
	maxProtocolLen   = 32
	maxVersionLen    = 64
	modelHashHexLen  = 64
)

func checkAddress(field, addr string) error {
	if addr == "" {
		return ErrInvalidAddress.Wrapf("%s: missing", field)
	}
	if _, err := sdk.AccAddressFromBech32(addr); err != nil {
		return ErrInvalidAddress.Wrapf("%s: %s", field, err)
	}
	return nil
}

// NetuidFromWire converts a netuid as the protos carry it (uint32) to the
// chain's type (uint16), rejecting the reserved netuid and anything above
// MaxNetuid with ErrInvalidNetuid naming the field. Every message and query
// netuid enters the keeper through it.
func NetuidFromWire(netuid uint32) (uint16, error) {
	if netuid == ReservedNetuid || netuid > MaxNetuid {
		return 0, ErrInvalidNetuid.Wrapf("netuid: must be in [1, %d], got %d", MaxNetuid, netuid)
	}
	return uint16(netuid), nil
}

// CheckNetuid rejects the reserved and out-of-range netuids.
func CheckNetuid(netuid uint32) error {
	_, err := NetuidFromWire(netuid)
	return err
}

// ValidateBasic checks the message without state.
func (m *MsgRegisterSubnet) ValidateBasic() error {
	_, err := m.ValidatedTask()
	return err
}

// ValidatedTask runs ValidateBasic's checks and returns the parsed task, so
// the msg server parses the spec once.
func (m *MsgRegisterSubnet) ValidatedTask() (task.Spec, error) {
	if err := checkAddress("owner", m.Owner); err != nil {
		return task.Spec{}, err
	}
	if m.Name == "" || len(m.Name) > maxSubnetNameLen {
		return task.Spec{}, ErrInvalidTask.Wrapf("name: must be 1..%d characters", maxSubnetNameLen)
	}
	spec, err := ParseTaskSpec(m.TaskSpec)
	if err != nil {
		return task.Spec{}, err
	}
	if m.Hyperparams != nil {
		if err := m.Hyperparams.Validate(); err != nil {
			return task.Spec{}, err
		}
	}
	if m.MaxLock != nil && (m.MaxLock.IsNil() || m.MaxLock.IsNegative()) {
		return task.Spec{}, ErrInvalidAmount.Wrap("max_lock: must be a non-negative amount")
	}
	return spec, nil
}

// ValidateBasic checks the message without state.
func (m *MsgUpdateHyperparams) ValidateBasic() error {
	if err := checkAddress("owner", m.Owner); err != nil {
		return err
	}
	if err := CheckNetuid(m.Netuid); err != nil {
		return err
	}
	return m.Hyperparams.Validate()
}

// ValidateBasic checks the message without state.
func (m *MsgDissolveSubnet) ValidateBasic() error {
	if err := checkAddress("owner", m.Owner); err != nil {
		return err
	}
	return CheckNetuid(m.Netuid)
}

// ValidateBasic checks the message without state (the hotkey signature needs
// the chain id, so the keeper checks it).
func (m *MsgRegisterNeuron) ValidateBasic() error {
	if err := checkAddress("coldkey", m.Coldkey); err != nil {
		return err
	}
	if err := checkAddress("hotkey", m.Hotkey); err != nil {
		return err
	}
	if err := CheckNetuid(m.Netuid); err != nil {
		return err
	}
	if m.MaxCost.IsNil() || m.MaxCost.IsNegative() {
		return ErrInvalidAmount.Wrap("max_cost: must be a non-negative amount")
	}
	if len(m.HotkeyPubkey) == 0 {
		return ErrHotkeyProof.Wrap("hotkey_pubkey: missing")
	}
	if len(m.HotkeySignature) == 0 {
		return ErrHotkeyProof.Wrap("hotkey_signature: missing")
	}
	return nil
}

// ValidateEndpoint accepts host:port with a port in 1..65535 and a non-empty host.
func ValidateEndpoint(endpoint string) error {
	if endpoint == "" || len(endpoint) > maxEndpointLen {
		return ErrInvalidAxon.Wrapf("endpoint: must be host:port, 1..%d characters", maxEndpointLen)
	}
	host, port, err := net.SplitHostPort(endpoint)
	if err != nil {
		return ErrInvalidAxon.Wrapf("endpoint: %q is not host:port: %s", endpoint, err)
	}
	if host == "" || strings.ContainsAny(host, " /\t\n") {
		return ErrInvalidAxon.Wrapf("endpoint: bad host %q", host)
	}
	p, err := strconv.ParseUint(port, 10, 16)
	if err != nil || p == 0 {
		return ErrInvalidAxon.Wrapf("endpoint: port must be 1..65535, got %q", port)
	}
	return nil
}

// ValidateModelHash accepts a lowercase or uppercase hex SHA-256.
func ValidateModelHash(h string) error {
	if len(h) != modelHashHexLen {
		return ErrInvalidAxon.Wrapf("model_hash: want %d hex characters (SHA-256), got %d", modelHashHexLen, len(h))
	}
	for _, c := range h {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return ErrInvalidAxon.Wrapf("model_hash: %q is not hex", c)
		}
	}
	return nil
}

// ValidateBasic checks the message without state.
func (m *MsgServeAxon) ValidateBasic() error {
	if err := checkAddress("hotkey", m.Hotkey); err != nil {
		return err
	}
	if err := CheckNetuid(m.Netuid); err != nil {
		return err
	}
	if err := ValidateEndpoint(m.Endpoint); err != nil {
		return err
	}
	if err := ValidateModelHash(m.ModelHash); err != nil {
		return err
	}
	if len(m.Protocol) > maxProtocolLen {
		return ErrInvalidAxon.Wrapf("protocol: at most %d characters", maxProtocolLen)
	}
	if len(m.Version) > maxVersionLen {
		return ErrInvalidAxon.Wrapf("version: at most %d characters", maxVersionLen)
	}
	return nil
}

// ValidateBasic checks the message without state.
func (m *MsgUpdateParams) ValidateBasic() error {
	if err := checkAddress("authority", m.Authority); err != nil {
		return err
	}
	return errorsmod.Wrap(m.Params.Validate(), "params")
}
