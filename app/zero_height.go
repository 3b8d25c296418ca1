package app

import (
	"fmt"

	sdk "github.com/cosmos/cosmos-sdk/types"
	slashingtypes "github.com/cosmos/cosmos-sdk/x/slashing/types"
	stakingtypes "github.com/cosmos/cosmos-sdk/x/staking/types"
)

// prepForZeroHeightGenesis readies the SDK modules' state for a relaunch
// from an exported genesis, as every SDK chain's zero-height export does:
// distribution pays out everything owed and restarts its bookkeeping,
// staking and slashing forget the heights of the old chain. x/subnet and
// x/emission need no preparation: their export is complete as it is.
//
// It writes into ctx's (uncommitted) branch of the store; export never
// commits.
func (app *App) prepForZeroHeightGenesis(ctx sdk.Context, jailAllowedAddrs []string) error {
	allowed := make(map[string]bool, len(jailAllowedAddrs))
	for _, a := range jailAllowedAddrs {
		if _, err := sdk.ValAddressFromBech32(a); err != nil {
			return fmt.Errorf("--jail-allowed-addrs %q: %w", a, err)
		}
		allowed[a] = true
	}
	validators, err := app.StakingKeeper.GetAllValidators(ctx)
	if err != nil {
		return err
	}
	delegations, err := app.StakingKeeper.GetAllDelegations(ctx)
	if err != nil {
		return err
	}
	if err := app.settleDistribution(ctx, validators, delegations); err != nil {
		return fmt.Errorf("distribution: %w", err)
	}
	if err := app.resetStakingHeights(ctx, allowed); err != nil {
		return fmt.Errorf("staking: %w", err)
	}
	return app.resetSigningInfoHeights(ctx)
}

// settleDistribution withdraws every commission and delegation reward,
// drops the slash events and historical rewards, gives what rounding left
// outstanding to the community pool and starts each validator and
// delegation afresh at height 0.
func (app *App) settleDistribution(ctx sdk.Context, validators []stakingtypes.Validator, delegations []stakingtypes.Delegation) error {
	valAddrs := make([]sdk.ValAddress, len(validators))
	for i, v := range validators {
		bz, err := app.StakingKeeper.ValidatorAddressCodec().StringToBytes(v.GetOperator())
		if err != nil {
			return err
		}
		valAddrs[i] = bz
		// Nothing to withdraw is not an error for a relaunch.
		_, _ = app.DistrKeeper.WithdrawValidatorCommission(ctx, valAddrs[i])
	}
	type pair struct {
		del sdk.AccAddress
		val sdk.ValAddress
	}
	pairs := make([]pair, len(delegations))
	for i, d := range delegations {
		val, err := sdk.ValAddressFromBech32(d.ValidatorAddress)
		if err != nil {
			return err
		}
		del, err := sdk.AccAddressFromBech32(d.DelegatorAddress)
		if err != nil {
			return err
		}
		pairs[i] = pair{del, val}
		_, _ = app.DistrKeeper.WithdrawDelegationRewards(ctx, del, val)
	}
	app.DistrKeeper.DeleteAllValidatorSlashEvents(ctx)
	app.DistrKeeper.DeleteAllValidatorHistoricalRewards(ctx)

	// The new records start at height 0; ctx is this function's copy.
	ctx = ctx.WithBlockHeight(0)
	for _, val := range valAddrs {
		scraps, err := app.DistrKeeper.GetValidatorOutstandingRewardsCoins(ctx, val)
		if err != nil {
			return err
		}
		pool, err := app.DistrKeeper.FeePool.Get(ctx)
		if err != nil {
			return err
		}
		pool.CommunityPool = pool.CommunityPool.Add(scraps...)
		if err := app.DistrKeeper.FeePool.Set(ctx, pool); err != nil {
			return err
		}
		if err := app.DistrKeeper.Hooks().AfterValidatorCreated(ctx, val); err != nil {
			return err
		}
	}
	for _, p := range pairs {
		if err := app.DistrKeeper.Hooks().BeforeDelegationCreated(ctx, p.del, p.val); err != nil {
			return err
		}
		if err := app.DistrKeeper.Hooks().AfterDelegationModified(ctx, p.del, p.val); err != nil {
			return err
		}
	}
	return nil
}

// resetStakingHeights sets every redelegation's and unbonding delegation's
// creation height and every validator's unbonding height to 0, jails the
// validators not in allowed (when allowed is not empty) and applies the
// resulting validator set.
func (app *App) resetStakingHeights(ctx sdk.Context, allowed map[string]bool) error {
	var err error
	iterErr := app.StakingKeeper.IterateRedelegations(ctx, func(_ int64, red stakingtypes.Redelegation) bool {
		for i := range red.Entries {
			red.Entries[i].CreationHeight = 0
		}
		err = app.StakingKeeper.SetRedelegation(ctx, red)
		return err != nil
	})
	if err = firstErr(err, iterErr); err != nil {
		return fmt.Errorf("redelegations: %w", err)
	}
	iterErr = app.StakingKeeper.IterateUnbondingDelegations(ctx, func(_ int64, ubd stakingtypes.UnbondingDelegation) bool {
		for i := range ubd.Entries {
			ubd.Entries[i].CreationHeight = 0
		}
		err = app.StakingKeeper.SetUnbondingDelegation(ctx, ubd)
		return err != nil
	})
	if err = firstErr(err, iterErr); err != nil {
		return fmt.Errorf("unbonding delegations: %w", err)
	}
	validators, err := app.StakingKeeper.GetAllValidators(ctx)
	if err != nil {
		return err
	}
	for _, v := range validators {
		v.UnbondingHeight = 0
		if len(allowed) > 0 && !allowed[v.GetOperator()] {
			v.Jailed = true
		}
		if err := app.StakingKeeper.SetValidator(ctx, v); err != nil {
			return err
		}
	}
	_, err = app.StakingKeeper.ApplyAndReturnValidatorSetUpdates(ctx)
	return err
}

// resetSigningInfoHeights starts every validator's liveness window at 0.
func (app *App) resetSigningInfoHeights(ctx sdk.Context) error {
	var err error
	iterErr := app.SlashingKeeper.IterateValidatorSigningInfos(ctx, func(addr sdk.ConsAddress, info slashingtypes.ValidatorSigningInfo) bool {
		info.StartHeight = 0
		err = app.SlashingKeeper.SetValidatorSigningInfo(ctx, addr, info)
		return err != nil
	})
	if err = firstErr(err, iterErr); err != nil {
		return fmt.Errorf("slashing signing infos: %w", err)
	}
	return nil
}

func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
