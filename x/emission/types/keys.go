package types

const (
	// ModuleName is the module's name and its module account, which mints
	// block rewards and holds them until subnets are paid.
	ModuleName = "emission"
	StoreKey   = ModuleName
	Denom      = "uassay"
)

// Collection prefixes; never reuse a number.
var (
	ParamsPrefix   = []byte{0}
	IssuedPrefix   = []byte{1}
	CarryPrefix    = []byte{2}
	BurnedPrefix   = []byte{3}
	PoolsPrefix    = []byte{4}
	DeferredPrefix = []byte{5}
	HistoryPrefix  = []byte{6}
	RewardsPrefix  = []byte{7}
)

// Payout roles in events and the rewards table.
const (
	RoleOwner         = "owner"
	RoleMiner         = "miner"
	RoleValidatorTake = "validator_take"
	RoleStakePool     = "stake_pool"
)
