package types

import (
	errorsmod "cosmossdk.io/errors"
	"google.golang.org/grpc/codes"
)

// Registered errors of x/subnet. Codes are part of the API: never renumber.
// The gRPC codes decide what a query answers (REST: InvalidArgument is 400,
// NotFound 404, anything unregistered 500).
var (
	ErrInvalidParams        = errorsmod.Register(ModuleName, 2, "invalid params")
	ErrInvalidTask          = errorsmod.Register(ModuleName, 3, "invalid task spec")
	ErrInvalidHyperparams   = errorsmod.Register(ModuleName, 4, "invalid hyperparameters")
	ErrHyperparamOutOfBound = errorsmod.Register(ModuleName, 5, "hyperparameter out of bounds")
	ErrSubnetNotFound       = errorsmod.RegisterWithGRPCCode(ModuleName, 6, codes.NotFound, "subnet not found")
	ErrSubnetLimit          = errorsmod.Register(ModuleName, 7, "subnet limit reached")
	ErrNotOwner             = errorsmod.Register(ModuleName, 8, "not the subnet owner")
	ErrLockAboveMax         = errorsmod.Register(ModuleName, 9, "lock cost above max_lock")
	ErrCostAboveMax         = errorsmod.Register(ModuleName, 10, "registration cost above max_cost")
	ErrHotkeyRegistered     = errorsmod.Register(ModuleName, 11, "hotkey already registered on subnet")
	ErrAllImmune            = errorsmod.Register(ModuleName, 12, "subnet full and every neuron immune")
	ErrHotkeyProof          = errorsmod.Register(ModuleName, 13, "hotkey proof invalid")
	ErrNeuronNotFound       = errorsmod.RegisterWithGRPCCode(ModuleName, 14, codes.NotFound, "neuron not found")
	ErrServingRateLimit     = errorsmod.Register(ModuleName, 15, "axon served too fast")
	ErrInvalidAxon          = errorsmod.Register(ModuleName, 16, "invalid axon")
	ErrInvalidAuthority     = errorsmod.Register(ModuleName, 17, "invalid authority")
	ErrInvalidAddress       = errorsmod.RegisterWithGRPCCode(ModuleName, 18, codes.InvalidArgument, "invalid address")
	ErrInvalidAmount        = errorsmod.Register(ModuleName, 19, "invalid amount")
	ErrInvalidGenesis       = errorsmod.Register(ModuleName, 20, "invalid genesis")
	ErrInvalidNetuid        = errorsmod.RegisterWithGRPCCode(ModuleName, 21, codes.InvalidArgument, "invalid netuid")

	// Stake, take, weights and commit-reveal.
	ErrInsufficientStake    = errorsmod.Register(ModuleName, 22, "insufficient stake")
	ErrStakeTooSmall        = errorsmod.Register(ModuleName, 23, "stake amount too small for one share")
	ErrNotHotkeyOwner       = errorsmod.Register(ModuleName, 24, "not the hotkey owner")
	ErrInvalidTake          = errorsmod.Register(ModuleName, 25, "invalid take")
	ErrTakeRateLimit        = errorsmod.Register(ModuleName, 26, "take increased too fast")
	ErrNoValidatorPermit    = errorsmod.Register(ModuleName, 27, "no validator permit")
	ErrDuplicateUID         = errorsmod.Register(ModuleName, 28, "duplicate uid in weights")
	ErrUnknownUID           = errorsmod.Register(ModuleName, 29, "unknown uid in weights")
	ErrTooFewWeights        = errorsmod.Register(ModuleName, 30, "fewer weights than min_allowed_weights")
	ErrMaxWeightLimit       = errorsmod.Register(ModuleName, 31, "weight above max_weight_limit")
	ErrWeightsRateLimit     = errorsmod.Register(ModuleName, 32, "weights set too fast")
	ErrWeightsVersion       = errorsmod.Register(ModuleName, 33, "weights version_key below the subnet's weights_version")
	ErrInvalidWeights       = errorsmod.Register(ModuleName, 34, "invalid weights")
	ErrCommitRevealEnabled  = errorsmod.Register(ModuleName, 35, "commit-reveal is on: commit weights, then reveal them")
	ErrCommitRevealDisabled = errorsmod.Register(ModuleName, 36, "commit-reveal is off: use set-weights")
	ErrTooManyCommits       = errorsmod.Register(ModuleName, 37, "too many pending weight commits")
	ErrRevealMismatch       = errorsmod.Register(ModuleName, 38, "reveal does not match any pending commit")
	ErrRevealTooEarly       = errorsmod.Register(ModuleName, 39, "reveal before the commit's reveal window")
	ErrRevealExpired        = errorsmod.Register(ModuleName, 40, "commit expired before reveal")
	ErrInvalidCommit        = errorsmod.Register(ModuleName, 41, "invalid weight commit")
	ErrCommitRateLimit      = errorsmod.Register(ModuleName, 42, "weights committed too fast")

	// Model publication.
	ErrModelNotFound = errorsmod.RegisterWithGRPCCode(ModuleName, 43, codes.NotFound, "model hash never published on the subnet")
)
