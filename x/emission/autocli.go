package emission

import (
	autocliv1 "cosmossdk.io/api/cosmos/autocli/v1"

	"github.com/assay-network/assay/x/emission/types"
)

// AutoCLIOptions: `assayd q emission schedule | subnet NETUID | history NETUID | rewards ADDRESS | supply | params`.
func (AppModule) AutoCLIOptions() *autocliv1.ModuleOptions {
	return &autocliv1.ModuleOptions{
		Query: &autocliv1.ServiceCommandDescriptor{
			Service: types.Query_serviceDesc.ServiceName,
			RpcCommandOptions: []*autocliv1.RpcCommandOptions{
				{RpcMethod: "Params", Use: "params", Short: "Show the emission parameters"},
				{RpcMethod: "Schedule", Use: "schedule", Short: "Current block reward, issued, cap and the next halving"},
				{RpcMethod: "Subnet", Use: "subnet [netuid]", Short: "A subnet's share of emission, pending pool and next epoch",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "netuid"}}},
				{RpcMethod: "History", Use: "history [netuid]", Short: "The last epochs of a subnet with every UID's payout (newest first)",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "netuid"}}},
				{RpcMethod: "Rewards", Use: "rewards [address]", Short: "Cumulative rewards of an address per subnet and role",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "address"}}},
				{RpcMethod: "Supply", Use: "supply", Short: "Check the supply invariant: issued = rewards paid + pending + carry + burned"},
			},
		},
		Tx: &autocliv1.ServiceCommandDescriptor{
			Service:           types.Msg_serviceDesc.ServiceName,
			RpcCommandOptions: []*autocliv1.RpcCommandOptions{{RpcMethod: "UpdateParams", Skip: true}},
		},
	}
}
