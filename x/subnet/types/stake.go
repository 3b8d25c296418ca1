package types

import "cosmossdk.io/math"

func checkPositiveAmount(field string, a math.Int) error {
	if a.IsNil() || !a.IsPositive() {
		return ErrInvalidAmount.Wrapf("%s: must be a positive amount of %s", field, Denom)
	}
	return nil
}

// checkStakeMove checks the fields MsgAddStake and MsgRemoveStake share.
func checkStakeMove(coldkey, hotkey string, netuid uint32, amount math.Int) error {
	if err := checkAddress("coldkey", coldkey); err != nil {
		return err
	}
	if err := checkAddress("hotkey", hotkey); err != nil {
		return err
	}
	if err := CheckNetuid(netuid); err != nil {
		return err
	}
	return checkPositiveAmount("amount", amount)
}

// ValidateBasic checks the message without state.
func (m *MsgAddStake) ValidateBasic() error {
	return checkStakeMove(m.Coldkey, m.Hotkey, m.Netuid, m.Amount)
}

// ValidateBasic checks the message without state.
func (m *MsgRemoveStake) ValidateBasic() error {
	return checkStakeMove(m.Coldkey, m.Hotkey, m.Netuid, m.Amount)
}

// ValidateBasic checks the message without state.
func (m *MsgSetTake) ValidateBasic() error {
	if err := checkAddress("coldkey", m.Coldkey); err != nil {
		return err
	}
	if err := checkAddress("hotkey", m.Hotkey); err != nil {
		return err
	}
	if m.Take.IsNil() || m.Take.IsNegative() || m.Take.GT(math.LegacyOneDec()) {
		return ErrInvalidTake.Wrap("take: must be in [0, 1]")
	}
	return nil
}

// ValueOf is what shares of pool withdraw: floor(shares·total_stake/total_shares).
func (p StakePool) ValueOf(shares math.Int) math.Int {
	if p.TotalShares.IsNil() || !p.TotalShares.IsPositive() {
		return math.ZeroInt()
	}
	return shares.Mul(p.TotalStake).Quo(p.TotalShares)
}

// SharesFor is the shares a deposit of amount mints: amount·ShareScale into an
// empty pool, else floor(amount·total_shares/total_stake).
func (p StakePool) SharesFor(amount math.Int) math.Int {
	if p.TotalShares.IsNil() || !p.TotalShares.IsPositive() || !p.TotalStake.IsPositive() {
		return amount.MulRaw(ShareScale)
	}
	return amount.Mul(p.TotalShares).Quo(p.TotalStake)
}

// SharesToWithdraw is the shares burned to withdraw amount:
// ceil(amount·total_shares/total_stake), so the rest of the pool never loses value.
func (p StakePool) SharesToWithdraw(amount math.Int) math.Int {
	num := amount.Mul(p.TotalShares)
	q := num.Quo(p.TotalStake)
	if !q.Mul(p.TotalStake).Equal(num) {
		q = q.AddRaw(1)
	}
	return q
}

// EmptyPool is a pool with nothing in it.
func EmptyPool() StakePool {
	return StakePool{TotalStake: math.ZeroInt(), TotalShares: math.ZeroInt()}
}
