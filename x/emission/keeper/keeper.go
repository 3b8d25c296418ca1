// Package keeper is x/emission's state and block logic: mint the block
// reward, split it across subnets, run each subnet's Yuma epoch on schedule
// and pay owners, miners and validators.
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

	"github.com/assay-network/assay/x/emission/types"
)

// Keeper holds x/emission's state.
type Keeper struct {
	auth      types.AccountKeeper
	bank      types.BankKeeper
	subnets   types.SubnetKeeper
	authority string
	// storeService opens the store for the epoch's bulk reads and writes
	storeService store.KVStoreService
	// addrPrefix is the account address prefix, read once (addressDecoder)
	addrPrefix string

	Schema collections.Schema
	Params collections.Item[types.Params]
	// Issued is every uassay ever minted by the module.
	Issued collections.Item[math.Int]
	// Carry is minted reward not yet allotted to a subnet.
	Carry collections.Item[math.Int]
	// Burned is emission destroyed with dissolved subnets' pending pools.
	Burned collections.Item[math.Int]
	// Pools by netuid.
	Pools collections.Map[uint16, types.SubnetPool]
	// Deferred holds due epochs in run order: (due block, netuid).
	Deferred collections.KeySet[collections.Pair[int64, uint16]]
	// History keeps the last history_length epochs per subnet.
	History collections.Map[collections.Pair[uint16, int64], types.EpochRecord]
	// Rewards are cumulative per (address, netuid).
	Rewards collections.Map[collections.Pair[sdk.AccAddress, uint16], types.RewardTotals]

	// epochHistory is the epoch's write-only view of History (history_entry.go).
	epochHistory collections.Map[collections.Pair[uint16, int64], epochEntry]
	// rewardsBook is the epoch's view of Rewards (rewards_book.go).
	rewardsBook collections.Map[collections.Pair[sdk.AccAddress, uint16], rewardBook]
}

// NewKeeper builds the keeper; authority is the gov module account.
func NewKeeper(cdc codec.BinaryCodec, storeService store.KVStoreService, auth types.AccountKeeper, bank types.BankKeeper,
	subnets types.SubnetKeeper, authority string,
) *Keeper {
	if _, err := sdk.AccAddressFromBech32(authority); err != nil {
		panic(fmt.Sprintf("x/emission: invalid authority %q: %s", authority, err))
	}
	sb := collections.NewSchemaBuilder(storeService)
	k := &Keeper{
		auth:         auth,
		bank:         bank,
		subnets:      subnets,
		authority:    authority,
		storeService: storeService,
		addrPrefix:   sdk.GetConfig().GetBech32AccountAddrPrefix(),
		Params:       collections.NewItem(sb, collections.NewPrefix(types.ParamsPrefix), "params", codec.CollValue[types.Params](cdc)),
		Issued:       collections.NewItem(sb, collections.NewPrefix(types.IssuedPrefix), "issued", sdk.IntValue),
		Carry:        collections.NewItem(sb, collections.NewPrefix(types.CarryPrefix), "carry", sdk.IntValue),
		Burned:       collections.NewItem(sb, collections.NewPrefix(types.BurnedPrefix), "burned", sdk.IntValue),
		Pools:        collections.NewMap(sb, collections.NewPrefix(types.PoolsPrefix), "pools", collections.Uint16Key, codec.CollValue[types.SubnetPool](cdc)),
		Deferred: collections.NewKeySet(sb, collections.NewPrefix(types.DeferredPrefix), "deferred",
			collections.PairKeyCodec(collections.Int64Key, collections.Uint16Key)),
		History: collections.NewMap(sb, collections.NewPrefix(types.HistoryPrefix), "history",
			collections.PairKeyCodec(collections.Uint16Key, collections.Int64Key), epochRecordCodec(codec.CollValue[types.EpochRecord](cdc))),
		Rewards: collections.NewMap(sb, collections.NewPrefix(types.RewardsPrefix), "rewards",
			collections.PairKeyCodec(sdk.AccAddressKey, collections.Uint16Key), rewardTotalsCodec(codec.CollValue[types.RewardTotals](cdc))),
	}
	schema, err := sb.Build()
	if err != nil {
		panic(err)
	}
	k.Schema = schema
	// the views share History's and Rewards' prefixes, so they stay out of the schema
	views := collections.NewSchemaBuilder(storeService)
	k.epochHistory = collections.NewMap(views, collections.NewPrefix(types.HistoryPrefix), "epoch_history",
		collections.PairKeyCodec(collections.Uint16Key, collections.Int64Key), epochEntryCodec{})
	k.rewardsBook = collections.NewMap(views, collections.NewPrefix(types.RewardsPrefix), "rewards_book",
		collections.PairKeyCodec(sdk.AccAddressKey, collections.Uint16Key), rewardBookCodec{k.Rewards.ValueCodec()})
	return k
}

// Authority may update params.
func (k *Keeper) Authority() string { return k.authority }

func (k *Keeper) logger(ctx context.Context) log.Logger {
	return sdk.UnwrapSDKContext(ctx).Logger().With("module", "x/"+types.ModuleName)
}

// getInt reads an Int item that may not be set yet.
func getInt(ctx context.Context, item collections.Item[math.Int]) (math.Int, error) {
	v, err := item.Get(ctx)
	if errors.Is(err, collections.ErrNotFound) {
		return math.ZeroInt(), nil
	}
	return v, err
}

func (k *Keeper) pool(ctx context.Context, netuid uint16) (types.SubnetPool, error) {
	p, err := k.Pools.Get(ctx, netuid)
	if errors.Is(err, collections.ErrNotFound) {
		return types.SubnetPool{Netuid: uint32(netuid), Pending: math.ZeroInt(), Received: math.ZeroInt()}, nil
	}
	return p, err
}

func coins(amount math.Int) sdk.Coins {
	return sdk.NewCoins(sdk.NewCoin(types.Denom, amount))
}
