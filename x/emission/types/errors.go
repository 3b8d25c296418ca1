package types

import (
	errorsmod "cosmossdk.io/errors"
	"google.golang.org/grpc/codes"
)

// Registered errors of x/emission; never renumber.
var (
	ErrInvalidParams    = errorsmod.Register(ModuleName, 2, "invalid params")
	ErrInvalidAuthority = errorsmod.Register(ModuleName, 3, "invalid authority")
	ErrSubnetNotFound   = errorsmod.RegisterWithGRPCCode(ModuleName, 4, codes.NotFound, "subnet not found")
	ErrInvalidAddress   = errorsmod.RegisterWithGRPCCode(ModuleName, 5, codes.InvalidArgument, "invalid address")
	ErrInvalidGenesis   = errorsmod.Register(ModuleName, 6, "invalid genesis")
	ErrEpoch            = errorsmod.Register(ModuleName, 7, "epoch failed")
	ErrSupplyInvariant  = errorsmod.Register(ModuleName, 8, "supply invariant broken")
)
