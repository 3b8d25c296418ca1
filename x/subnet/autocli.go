package subnet

import (
	autocliv1 "cosmossdk.io/api/cosmos/autocli/v1"

	"github.com/assay-network/assay/x/subnet/types"
)

// AutoCLIOptions maps queries and the simple txs to commands. Txs that read a
// file or need the hotkey's signature, and the commits query (hex hashes),
// are hand-written in client/cli and enhanced with these.
func (AppModule) AutoCLIOptions() *autocliv1.ModuleOptions {
	return &autocliv1.ModuleOptions{
		Query: &autocliv1.ServiceCommandDescriptor{
			Service:              types.Query_serviceDesc.ServiceName,
			EnhanceCustomCommand: true,
			RpcCommandOptions: []*autocliv1.RpcCommandOptions{
				{RpcMethod: "Params", Use: "params", Short: "Show the module parameters"},
				{RpcMethod: "Subnet", Use: "subnet [netuid]", Short: "Show one subnet: owner, task, hyperparameters, lock",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "netuid"}}},
				{RpcMethod: "Subnets", Use: "subnets", Short: "List all subnets"},
				{RpcMethod: "Neuron", Use: "neuron [netuid] [uid]", Short: "Show one neuron by UID",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "netuid"}, {ProtoField: "uid"}}},
				{RpcMethod: "NeuronByHotkey", Use: "neuron-by-hotkey [netuid] [hotkey]", Short: "Show the neuron of a hotkey",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "netuid"}, {ProtoField: "hotkey"}}},
				{RpcMethod: "Metagraph", Use: "metagraph [netuid]", Short: "Show every neuron of a subnet with its axon",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "netuid"}}},
				{RpcMethod: "RegistrationCost", Use: "registration-cost [netuid]", Short: "Show the current neuron registration cost (uassay)",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "netuid"}}},
				{RpcMethod: "LockCost", Use: "lock-cost", Short: "Show the current subnet lock cost (uassay)"},
				{RpcMethod: "Unbondings", Use: "unbondings [address]", Short: "List a coldkey's removed stake waiting out the unbonding period",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "address"}}},
				{RpcMethod: "StakeByAddress", Use: "stake [address]", Short: "List every stake position of a coldkey, with its current value",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "address"}}},
				{RpcMethod: "HotkeyStake", Use: "hotkey-stake [netuid] [hotkey]", Short: "Show a hotkey's stake pool, take and permit on a subnet",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "netuid"}, {ProtoField: "hotkey"}}},
				{RpcMethod: "Delegators", Use: "delegators [netuid] [hotkey]", Short: "List the stake positions in a hotkey's pool",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "netuid"}, {ProtoField: "hotkey"}}},
				{RpcMethod: "Weights", Use: "weights [netuid] [uid]", Short: "Show the weights a UID has set (or revealed)",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "netuid"}, {ProtoField: "uid"}}},
				{RpcMethod: "Model", Use: "model [netuid] [model-hash]",
					Short:          "Show the first (block, UID, hotkey) that published a model hash on a subnet",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "netuid"}, {ProtoField: "model_hash"}}},
				// hand-written (client/cli): it prints the hashes in hex
				{RpcMethod: "Commits", Skip: true},
			},
		},
		Tx: &autocliv1.ServiceCommandDescriptor{
			Service:              types.Msg_serviceDesc.ServiceName,
			EnhanceCustomCommand: true,
			RpcCommandOptions: []*autocliv1.RpcCommandOptions{
				{RpcMethod: "RegisterSubnet", Skip: true},
				{RpcMethod: "UpdateHyperparams", Skip: true},
				{RpcMethod: "RegisterNeuron", Skip: true},
				{RpcMethod: "UpdateParams", Skip: true},
				{RpcMethod: "AddStake", Skip: true},
				{RpcMethod: "RemoveStake", Skip: true},
				{RpcMethod: "SetTake", Skip: true},
				{RpcMethod: "SetWeights", Skip: true},
				{RpcMethod: "CommitWeights", Skip: true},
				{RpcMethod: "RevealWeights", Skip: true},
				{RpcMethod: "DissolveSubnet", Use: "dissolve-subnet [netuid]", Short: "Dissolve your subnet and get its lock back",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "netuid"}}},
				{RpcMethod: "ServeAxon", Use: "serve-axon [netuid] [endpoint]",
					Short:          "Publish the endpoint (host:port) and model hash your hotkey serves; sign with --from HOTKEY",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "netuid"}, {ProtoField: "endpoint"}},
					FlagOptions: map[string]*autocliv1.FlagOptions{
						"model_hash": {Name: "model-hash", Usage: "hex SHA-256 of the served model file"},
						"protocol":   {Name: "protocol", Usage: "synapse protocol", DefaultValue: "grpc"},
						"version":    {Name: "version", Usage: "miner software version"},
					}},
			},
		},
	}
}
