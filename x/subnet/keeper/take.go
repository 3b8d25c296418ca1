package keeper

import (
	"context"

	"cosmossdk.io/math"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/assay-network/assay/x/internal/opened"
	"github.com/assay-network/assay/x/subnet/types"
)

// Take returns the hotkey's take (params.default_take when never set).
func (k *Keeper) Take(ctx context.Context, hotkey sdk.AccAddress) (math.LegacyDec, error) {
	rates, err := k.TakeRates(ctx, []sdk.AccAddress{hotkey})
	if err != nil {
		return math.LegacyDec{}, err
	}
	return rates[0], nil
}

// TakeRates returns each hotkey's take like Take, reading the params at
// most once: an epoch asks for every paid validator's take.
func (k *Keeper) TakeRates(ctx context.Context, hotkeys []sdk.AccAddress) ([]math.LegacyDec, error) {
	rates := make([]math.LegacyDec, len(hotkeys))
	var def *math.LegacyDec
	// one opened store for every hotkey; Find, unlike Get, reports a miss
	// without formatting the key (a bech32 encoding) into an error
	takes := opened.Open(ctx, k.storeService, k.Takes)
	for i, hotkey := range hotkeys {
		info, set, err := takes.Find(hotkey)
		if err != nil {
			return nil, err
		}
		if set {
			rates[i] = info.Take
			continue
		}
		if def == nil {
			p, err := k.Params.Get(ctx)
			if err != nil {
				return nil, err
			}
			def = &p.DefaultTake
		}
		rates[i] = *def
	}
	return rates, nil
}

// isHotkeyOwner reports whether coldkey registered hotkey on some subnet.
// Bounded by max_subnets.
func (k *Keeper) isHotkeyOwner(ctx context.Context, hotkey, coldkey sdk.AccAddress) (registered, owner bool, err error) {
	err = k.Subnets.Walk(ctx, nil, func(netuid uint16, _ types.Subnet) (bool, error) {
		uid, err := k.HotkeyUID.Get(ctx, joinHotkey(netuid, hotkey))
		if isNotFound(err) {
			return false, nil
		}
		if err != nil {
			return true, err
		}
		registered = true
		n, err := k.Neurons.Get(ctx, joinUID(netuid, uid))
		if err != nil {
			return true, err
		}
		owner = n.Coldkey == coldkey.String()
		return owner, nil
	})
	return registered, owner, err
}

// SetTake sets the hotkey's take (in [0, 1]) on every subnet. Only the
// coldkey that registered the hotkey may; the take is capped by
// params.max_take and an increase is allowed once per params.take_rate_limit
// blocks.
func (k *Keeper) SetTake(ctx context.Context, coldkey, hotkey sdk.AccAddress, take math.LegacyDec) error {
	p, err := k.Params.Get(ctx)
	if err != nil {
		return err
	}
	if take.GT(p.MaxTake) {
		return types.ErrInvalidTake.Wrapf("take: %s is above max_take %s", take, p.MaxTake)
	}
	registered, owner, err := k.isHotkeyOwner(ctx, hotkey, coldkey)
	if err != nil {
		return err
	}
	if !registered {
		return types.ErrNeuronNotFound.Wrapf("hotkey %s is not registered on any subnet", hotkey)
	}
	if !owner {
		return types.ErrNotHotkeyOwner.Wrapf("hotkey %s was not registered by %s", hotkey, coldkey)
	}
	info, err := k.Takes.Get(ctx, hotkey)
	if isNotFound(err) {
		info, err = types.TakeInfo{Take: p.DefaultTake}, nil
	}
	if err != nil {
		return err
	}
	height := blockHeight(ctx)
	if take.GT(info.Take) {
		if info.IncreasedAt != 0 && height-info.IncreasedAt < int64(p.TakeRateLimit) {
			return types.ErrTakeRateLimit.Wrapf("take of %s last increased at block %d: next increase allowed at block %d",
				hotkey, info.IncreasedAt, info.IncreasedAt+int64(p.TakeRateLimit))
		}
		info.IncreasedAt = height
	}
	info.Take = take
	if err := k.Takes.Set(ctx, hotkey, info); err != nil {
		return err
	}
	return sdk.UnwrapSDKContext(ctx).EventManager().EmitTypedEvent(&types.EventTakeSet{Hotkey: hotkey.String(), Take: take.String()})
}
