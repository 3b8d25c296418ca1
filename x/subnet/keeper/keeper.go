// Package keeper holds x/subnet's state and rules: subnets, neurons (UIDs),
// axons, and the lock and registration costs.
package keeper

import (
	"context"
	"errors"
	"fmt"

	"cosmossdk.io/collections"
	"cosmossdk.io/core/store"
	"cosmossdk.io/log/v2"
	"cosmossdk.io/math"
	"github.com/cosmos/cosmos-sdk/codec"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/assay-network/assay/x/emission/yuma"
	"github.com/assay-network/assay/x/subnet/types"
)

// Keeper is x/subnet's state. Other modules get narrow interfaces over it,
// never the whole keeper.
type Keeper struct {
	cdc          codec.BinaryCodec
	storeService store.KVStoreService
	bank         types.BankKeeper
	authority    string
	hooks        types.SubnetHooks

	Schema collections.Schema
	// Params are the module parameters.
	Params collections.Item[types.Params]
	// Subnets by netuid.
	Subnets collections.Map[uint16, types.Subnet]
	// Neurons by (netuid, uid).
	Neurons collections.Map[collections.Pair[uint16, uint16], types.Neuron]
	// HotkeyUID indexes neurons by (netuid, hotkey).
	HotkeyUID collections.Map[collections.Pair[uint16, sdk.AccAddress], uint16]
	// LastLock and LastLockBlock drive the subnet lock cost.
	LastLock      collections.Item[math.Int]
	LastLockBlock collections.Item[int64]

	// StakePools by (netuid, hotkey): the truth about a hotkey's stake.
	// Neuron.Stake and SubnetStake are views of it written by setPool only.
	StakePools collections.Map[collections.Pair[uint16, sdk.AccAddress], types.StakePool]
	// StakePositions are shares by (netuid, hotkey, coldkey).
	StakePositions collections.Map[collections.Triple[uint16, sdk.AccAddress, sdk.AccAddress], math.Int]
	// StakePrincipal is each position's net stake (added minus removed), by
	// the position's key; a position's earnings are its value minus this.
	StakePrincipal collections.Map[collections.Triple[uint16, sdk.AccAddress, sdk.AccAddress], math.Int]
	// StakeByColdkey indexes positions by (coldkey, netuid, hotkey).
	StakeByColdkey collections.KeySet[collections.Triple[sdk.AccAddress, uint16, sdk.AccAddress]]
	// StakeRemainder is stake left in pools whose last share was withdrawn
	// (share rounding); it stays in the module account, accounted here.
	StakeRemainder collections.Item[math.Int]
	// Takes by hotkey (absent: params.default_take).
	Takes collections.Map[sdk.AccAddress, types.TakeInfo]
	// Weights rows by (netuid, uid).
	Weights collections.Map[collections.Pair[uint16, uint16], types.WeightsRow]
	// Commits are pending weight commits by (netuid, hotkey).
	Commits collections.Map[collections.Pair[uint16, sdk.AccAddress], types.WeightCommits]
	// SubnetStake caches Σ pool stake per subnet (written only by setPool)
	// so the per-block emission split reads one value per subnet.
	SubnetStake collections.Map[uint16, math.Int]
	// Bonds are each validator UID's bonds from the last epoch, by (netuid, uid).
	Bonds collections.Map[collections.Pair[uint16, uint16], types.BondsRow]
	// epochWeights and epochBonds are the epoch's views of Weights and Bonds
	// (the same stored rows, as the Yuma library's types; epoch_rows_codec.go).
	epochWeights collections.Map[collections.Pair[uint16, uint16], []yuma.Weight]
	epochBonds   collections.Map[collections.Pair[uint16, uint16], []yuma.Entry]
	// epochNeuronsView is the epoch's view of Neurons (epoch_neuron_codec.go).
	epochNeuronsView collections.Map[collections.Pair[uint16, uint16], epochNeuron]
	// epochPools is the epoch's view of StakePools (epoch_pool_codec.go).
	epochPools collections.Map[collections.Pair[uint16, sdk.AccAddress], epochPool]
	// Unbondings are removed stake waiting out unbonding_period, by (release block, id).
	Unbondings      collections.Map[collections.Pair[int64, uint64], types.Unbonding]
	NextUnbondingID collections.Sequence
	// BondResets are the (netuid, uid) whose bonds the subnet's next epoch
	// drops: the UID served a new model hash with bonds_reset on.
	BondResets collections.KeySet[collections.Pair[uint16, uint16]]
	// ModelPublishers are the first publisher of each model hash, by
	// (netuid, lowercase hex hash).
	ModelPublishers collections.Map[collections.Pair[uint16, string], types.ModelPublisher]
}

// NewKeeper builds the keeper. authority is the address allowed to change params
// (the gov module account).
func NewKeeper(cdc codec.BinaryCodec, storeService store.KVStoreService, bank types.BankKeeper, authority string) *Keeper {
	if _, err := sdk.AccAddressFromBech32(authority); err != nil {
		panic(fmt.Sprintf("x/subnet: invalid authority %q: %s", authority, err))
	}
	sb := collections.NewSchemaBuilder(storeService)
	k := &Keeper{
		cdc:          cdc,
		storeService: storeService,
		bank:         bank,
		authority:    authority,
		Params:       collections.NewItem(sb, collections.NewPrefix(types.ParamsPrefix), "params", codec.CollValue[types.Params](cdc)),
		Subnets:      collections.NewMap(sb, collections.NewPrefix(types.SubnetsPrefix), "subnets", collections.Uint16Key, codec.CollValue[types.Subnet](cdc)),
		Neurons: collections.NewMap(sb, collections.NewPrefix(types.NeuronsPrefix), "neurons",
			collections.PairKeyCodec(collections.Uint16Key, collections.Uint16Key), neuronCodec(codec.CollValue[types.Neuron](cdc))),
		HotkeyUID: collections.NewMap(sb, collections.NewPrefix(types.HotkeyUIDPrefix), "hotkey_uid",
			collections.PairKeyCodec(collections.Uint16Key, sdk.AccAddressKey), collections.Uint16Value),
		LastLock:      collections.NewItem(sb, collections.NewPrefix(types.LastLockPrefix), "last_lock", sdk.IntValue),
		LastLockBlock: collections.NewItem(sb, collections.NewPrefix(types.LastLockBlockPrefix), "last_lock_block", collections.Int64Value),
		StakePools: collections.NewMap(sb, collections.NewPrefix(types.StakePoolsPrefix), "stake_pools",
			collections.PairKeyCodec(collections.Uint16Key, sdk.AccAddressKey), stakePoolCodec(codec.CollValue[types.StakePool](cdc))),
		StakePositions: collections.NewMap(sb, collections.NewPrefix(types.StakePositionsPrefix), "stake_positions",
			collections.TripleKeyCodec(collections.Uint16Key, sdk.AccAddressKey, sdk.AccAddressKey), sdk.IntValue),
		StakePrincipal: collections.NewMap(sb, collections.NewPrefix(types.StakePrincipalPrefix), "stake_principal",
			collections.TripleKeyCodec(collections.Uint16Key, sdk.AccAddressKey, sdk.AccAddressKey), sdk.IntValue),
		StakeByColdkey: collections.NewKeySet(sb, collections.NewPrefix(types.StakeByColdkeyPrefix), "stake_by_coldkey",
			collections.TripleKeyCodec(sdk.AccAddressKey, collections.Uint16Key, sdk.AccAddressKey)),
		StakeRemainder: collections.NewItem(sb, collections.NewPrefix(types.StakeRemainderPrefix), "stake_remainder", sdk.IntValue),
		Takes:          collections.NewMap(sb, collections.NewPrefix(types.TakesPrefix), "takes", sdk.AccAddressKey, codec.CollValue[types.TakeInfo](cdc)),
		Weights: collections.NewMap(sb, collections.NewPrefix(types.WeightsPrefix), "weights",
			collections.PairKeyCodec(collections.Uint16Key, collections.Uint16Key), weightsCodec(codec.CollValue[types.WeightsRow](cdc))),
		Commits: collections.NewMap(sb, collections.NewPrefix(types.CommitsPrefix), "commits",
			collections.PairKeyCodec(collections.Uint16Key, sdk.AccAddressKey), codec.CollValue[types.WeightCommits](cdc)),
		SubnetStake: collections.NewMap(sb, collections.NewPrefix(types.SubnetStakePrefix), "subnet_stake", collections.Uint16Key, sdk.IntValue),
		Bonds: collections.NewMap(sb, collections.NewPrefix(types.BondsPrefix), "bonds",
			collections.PairKeyCodec(collections.Uint16Key, collections.Uint16Key), bondsCodec(codec.CollValue[types.BondsRow](cdc))),
		Unbondings: collections.NewMap(sb, collections.NewPrefix(types.UnbondingsPrefix), "unbondings",
			collections.PairKeyCodec(collections.Int64Key, collections.Uint64Key), codec.CollValue[types.Unbonding](cdc)),
		NextUnbondingID: collections.NewSequence(sb, collections.NewPrefix(types.NextUnbondingPrefix), "next_unbonding_id"),
		BondResets: collections.NewKeySet(sb, collections.NewPrefix(types.BondResetsPrefix), "bond_resets",
			collections.PairKeyCodec(collections.Uint16Key, collections.Uint16Key)),
		ModelPublishers: collections.NewMap(sb, collections.NewPrefix(types.ModelPublishersPrefix), "model_publishers",
			collections.PairKeyCodec(collections.Uint16Key, collections.StringKey), codec.CollValue[types.ModelPublisher](cdc)),
	}
	schema, err := sb.Build()
	if err != nil {
		panic(err)
	}
	k.Schema = schema
	// the views share their maps' prefixes, so they stay out of the schema
	views := collections.NewSchemaBuilder(storeService)
	k.epochWeights = collections.NewMap(views, collections.NewPrefix(types.WeightsPrefix), "epoch_weights",
		collections.PairKeyCodec(collections.Uint16Key, collections.Uint16Key), yumaWeightsCodec{k.Weights.ValueCodec()})
	k.epochBonds = collections.NewMap(views, collections.NewPrefix(types.BondsPrefix), "epoch_bonds",
		collections.PairKeyCodec(collections.Uint16Key, collections.Uint16Key), yumaBondsCodec{k.Bonds.ValueCodec()})
	k.epochNeuronsView = collections.NewMap(views, collections.NewPrefix(types.NeuronsPrefix), "epoch_neurons",
		collections.PairKeyCodec(collections.Uint16Key, collections.Uint16Key), epochNeuronCodec{k.Neurons.ValueCodec()})
	k.epochPools = collections.NewMap(views, collections.NewPrefix(types.StakePoolsPrefix), "epoch_pools",
		k.StakePools.KeyCodec(), epochPoolCodec{k.StakePools.ValueCodec()})
	return k
}

// SetHooks installs the hooks other modules registered; call once at wiring.
func (k *Keeper) SetHooks(h types.SubnetHooks) {
	if k.hooks != nil {
		panic("x/subnet: hooks already set")
	}
	k.hooks = h
}

// Authority is the address allowed to update params.
func (k *Keeper) Authority() string { return k.authority }

// Logger returns the module logger.
func (k *Keeper) Logger(ctx context.Context) log.Logger {
	return sdk.UnwrapSDKContext(ctx).Logger().With("module", "x/"+types.ModuleName)
}

// GetParams returns the module parameters.
func (k *Keeper) GetParams(ctx context.Context) (types.Params, error) {
	return k.Params.Get(ctx)
}

// GetSubnet returns the subnet or ErrSubnetNotFound naming the netuid.
func (k *Keeper) GetSubnet(ctx context.Context, netuid uint16) (types.Subnet, error) {
	s, err := k.Subnets.Get(ctx, netuid)
	if err != nil {
		if isNotFound(err) {
			return types.Subnet{}, types.ErrSubnetNotFound.Wrapf("netuid %d", netuid)
		}
		return types.Subnet{}, err
	}
	return s, nil
}

func blockHeight(ctx context.Context) int64 {
	return sdk.UnwrapSDKContext(ctx).BlockHeight()
}

func isNotFound(err error) bool {
	return err != nil && errors.Is(err, collections.ErrNotFound)
}
