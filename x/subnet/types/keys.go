package types

const (
	// ModuleName is the name of the module and of its module account, which
	// holds subnet locks.
	ModuleName = "subnet"
	// StoreKey is the store key of the module.
	StoreKey = ModuleName
	// Denom is the chain's token; every amount the module moves is in it.
	Denom = "uassay"
	// ReservedNetuid is never assigned to a subnet (Bittensor's root network id).
	ReservedNetuid = 0
	// MaxNetuid is the largest netuid (netuids are uint16 on chain).
	MaxNetuid = 65535
)

// Collection prefixes. Never reuse a number: state written under it would be
// read back as something else.
const (
	prefixParams byte = iota
	prefixSubnets
	prefixNeurons
	prefixHotkeyUID
	prefixLastLock
	prefixLastLockBlock
	prefixAxonServedAt
	prefixStakePools
	prefixStakePositions
	prefixStakeByColdkey
	prefixStakeRemainder
	prefixTakes
	prefixWeights
	prefixCommits
	prefixSubnetStake
	prefixBonds
	prefixUnbondings
	prefixNextUnbondingID
	prefixBondResets
	prefixModelPublishers
	prefixStakePrincipal
)

var (
	ParamsPrefix          = []byte{prefixParams}
	SubnetsPrefix         = []byte{prefixSubnets}
	NeuronsPrefix         = []byte{prefixNeurons}
	HotkeyUIDPrefix       = []byte{prefixHotkeyUID}
	LastLockPrefix        = []byte{prefixLastLock}
	LastLockBlockPrefix   = []byte{prefixLastLockBlock}
	StakePoolsPrefix      = []byte{prefixStakePools}
	StakePositionsPrefix  = []byte{prefixStakePositions}
	StakeByColdkeyPrefix  = []byte{prefixStakeByColdkey}
	StakeRemainderPrefix  = []byte{prefixStakeRemainder}
	TakesPrefix           = []byte{prefixTakes}
	WeightsPrefix         = []byte{prefixWeights}
	CommitsPrefix         = []byte{prefixCommits}
	SubnetStakePrefix     = []byte{prefixSubnetStake}
	BondsPrefix           = []byte{prefixBonds}
	UnbondingsPrefix      = []byte{prefixUnbondings}
	NextUnbondingPrefix   = []byte{prefixNextUnbondingID}
	BondResetsPrefix      = []byte{prefixBondResets}
	ModelPublishersPrefix = []byte{prefixModelPublishers}
	StakePrincipalPrefix  = []byte{prefixStakePrincipal}
)

// MaxPendingCommits is how many unrevealed weight commits a hotkey may hold per subnet.
const MaxPendingCommits = 10

// ShareScale is the shares minted per uassay by the first deposit into an empty
// pool; the headroom keeps later deposits from rounding to zero shares after
// rewards raise the pool's value per share.
const ShareScale = 1_000_000_000_000
