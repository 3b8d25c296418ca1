package types

import (
	"github.com/cosmos/cosmos-sdk/codec"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/msgservice"
)

// RegisterInterfaces registers the module's messages with the interface registry.
func RegisterInterfaces(registry codectypes.InterfaceRegistry) {
	registry.RegisterImplementations((*sdk.Msg)(nil),
		&MsgRegisterSubnet{},
		&MsgUpdateHyperparams{},
		&MsgDissolveSubnet{},
		&MsgRegisterNeuron{},
		&MsgServeAxon{},
		&MsgUpdateParams{},
		&MsgAddStake{},
		&MsgRemoveStake{},
		&MsgSetTake{},
		&MsgSetWeights{},
		&MsgCommitWeights{},
		&MsgRevealWeights{},
	)
	msgservice.RegisterMsgServiceDesc(registry, &_Msg_serviceDesc)
}

// RegisterLegacyAminoCodec registers the messages for amino JSON signing.
func RegisterLegacyAminoCodec(cdc *codec.LegacyAmino) {
	cdc.RegisterConcrete(&MsgRegisterSubnet{}, "assay/subnet/MsgRegisterSubnet", nil)
	cdc.RegisterConcrete(&MsgUpdateHyperparams{}, "assay/subnet/MsgUpdateHyperparams", nil)
	cdc.RegisterConcrete(&MsgDissolveSubnet{}, "assay/subnet/MsgDissolveSubnet", nil)
	cdc.RegisterConcrete(&MsgRegisterNeuron{}, "assay/subnet/MsgRegisterNeuron", nil)
	cdc.RegisterConcrete(&MsgServeAxon{}, "assay/subnet/MsgServeAxon", nil)
	cdc.RegisterConcrete(&MsgUpdateParams{}, "assay/subnet/MsgUpdateParams", nil)
	cdc.RegisterConcrete(&MsgAddStake{}, "assay/subnet/MsgAddStake", nil)
	cdc.RegisterConcrete(&MsgRemoveStake{}, "assay/subnet/MsgRemoveStake", nil)
	cdc.RegisterConcrete(&MsgSetTake{}, "assay/subnet/MsgSetTake", nil)
	cdc.RegisterConcrete(&MsgSetWeights{}, "assay/subnet/MsgSetWeights", nil)
	cdc.RegisterConcrete(&MsgCommitWeights{}, "assay/subnet/MsgCommitWeights", nil)
	cdc.RegisterConcrete(&MsgRevealWeights{}, "assay/subnet/MsgRevealWeights", nil)
}
