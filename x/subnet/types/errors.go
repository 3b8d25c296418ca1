package types

import errorsmod "cosmossdk.io/errors"

// Registered errors of x/subnet. Codes are part of the API: never renumber.
var (
	ErrInvalidParams        = errorsmod.Register(ModuleName, 2, "invalid params")
	ErrInvalidTask          = errorsmod.Register(ModuleName, 3, "invalid task spec")
	ErrInvalidHyperparams   = errorsmod.Register(ModuleName, 4, "invalid hyperparameters")
	ErrHyperparamOutOfBound = errorsmod.Register(ModuleName, 5, "hyperparameter out of bounds")
	ErrSubnetNotFound       = errorsmod.Register(ModuleName, 6, "subnet not found")
	ErrSubnetLimit          = errorsmod.Register(ModuleName, 7, "subnet limit reached")
	ErrNotOwner             = errorsmod.Register(ModuleName, 8, "not the subnet owner")
	ErrLockAboveMax         = errorsmod.Register(ModuleName, 9, "lock cost above max_lock")
	ErrCostAboveMax         = errorsmod.Register(ModuleName, 10, "registration cost above max_cost")
	ErrHotkeyRegistered     = errorsmod.Register(ModuleName, 11, "hotkey already registered on subnet")
	ErrAllImmune            = errorsmod.Register(ModuleName, 12, "subnet full and every neuron immune")
	ErrHotkeyProof          = errorsmod.Register(ModuleName, 13, "hotkey proof invalid")
	ErrNeuronNotFound       = errorsmod.Register(ModuleName, 14, "neuron not found")
	ErrServingRateLimit     = errorsmod.Register(ModuleName, 15, "axon served too fast")
	ErrInvalidAxon          = errorsmod.Register(ModuleName, 16, "invalid axon")
	ErrInvalidAuthority     = errorsmod.Register(ModuleName, 17, "invalid authority")
	ErrInvalidAddress       = errorsmod.Register(ModuleName, 18, "invalid address")
	ErrInvalidAmount        = errorsmod.Register(ModuleName, 19, "invalid amount")
	ErrInvalidGenesis       = errorsmod.Register(ModuleName, 20, "invalid genesis")
	ErrInvalidNetuid        = errorsmod.Register(ModuleName, 21, "invalid netuid")
)
