package testnet

import (
	"context"
	"fmt"

	"cosmossdk.io/math"
	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/client/flags"
	"github.com/cosmos/cosmos-sdk/client/tx"
	"github.com/cosmos/cosmos-sdk/codec"
	cryptotypes "github.com/cosmos/cosmos-sdk/crypto/types"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/x/genutil"
	stakingtypes "github.com/cosmos/cosmos-sdk/x/staking/types"
)

// validatorKeys are a node's CometBFT identities: the p2p node id peers dial
// and the consensus key its gentx names.
type validatorKeys struct {
	nodeID string
	pubKey cryptotypes.PubKey
}

// initValidatorKeys writes node i's node_key.json, priv_validator_key.json
// and priv_validator_state.json, as `assayd init` does.
func initValidatorKeys(cfg Config, i int) (validatorKeys, error) {
	c := cometConfig(cfg, i, nil)
	id, pk, err := genutil.InitializeNodeValidatorFiles(c)
	if err != nil {
		return validatorKeys{}, fmt.Errorf("%s: validator files: %w", Moniker(i), err)
	}
	return validatorKeys{nodeID: id, pubKey: pk}, nil
}

// The commission and minimum self-delegation `assayd genesis gentx` uses
// when not told otherwise.
var (
	commissionRate          = math.LegacyNewDecWithPrec(1, 1)
	commissionMaxRate       = math.LegacyNewDecWithPrec(2, 1)
	commissionMaxChangeRate = math.LegacyNewDecWithPrec(1, 2)
)

// signGentx builds node i's genesis MsgCreateValidator, a self-delegation of
// cfg.SelfStake by its operator, signed with the operator's key from the
// keyring in node i's home. The memo is the node's peer address, as the SDK's
// gentx writes it.
func signGentx(ctx context.Context, cdc codec.Codec, txConfig client.TxConfig, cfg Config, i int, vk validatorKeys) (sdk.Tx, error) {
	name := cfg.Operators()[i]
	kr, err := OpenKeyring(cfg.Home(i), cdc)
	if err != nil {
		return nil, err
	}
	rec, err := kr.Key(name)
	if err != nil {
		return nil, fmt.Errorf("%s: operator key %s: %w", Moniker(i), name, err)
	}
	op, err := rec.GetAddress()
	if err != nil {
		return nil, err
	}
	stake, err := bondCoin("--self-stake", cfg.SelfStake)
	if err != nil {
		return nil, err
	}
	msg, err := stakingtypes.NewMsgCreateValidator(
		sdk.ValAddress(op).String(), vk.pubKey, stake,
		stakingtypes.NewDescription(Moniker(i), "", "", "", ""),
		stakingtypes.NewCommissionRates(commissionRate, commissionMaxRate, commissionMaxChangeRate),
		math.OneInt(),
	)
	if err != nil {
		return nil, fmt.Errorf("%s: create-validator: %w", Moniker(i), err)
	}
	memo := PortsOf(cfg.PortOffset, i).PeerAddress(vk.nodeID)
	b := txConfig.NewTxBuilder()
	if err := b.SetMsgs(msg); err != nil {
		return nil, err
	}
	b.SetMemo(memo)
	b.SetGasLimit(flags.DefaultGasLimit)
	f := tx.Factory{}.WithChainID(cfg.ChainID).WithKeybase(kr).WithTxConfig(txConfig).WithMemo(memo)
	if err := tx.Sign(ctx, f, name, b, true); err != nil {
		return nil, fmt.Errorf("%s: signing the gentx with %s: %w", Moniker(i), name, err)
	}
	return b.GetTx(), nil
}
