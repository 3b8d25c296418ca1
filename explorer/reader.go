package explorer

import (
	"context"
	"strconv"

	"github.com/cosmos/cosmos-sdk/types/query"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"

	emissiontypes "github.com/assay-network/assay/x/emission/types"
	subnettypes "github.com/assay-network/assay/x/subnet/types"
)

// reader is the node's queries at one height, each answered once per
// height (heightCache) however many pages ask.
type reader struct {
	node  *Node
	cache *heightCache
}

// historyLimit is how many of a subnet's latest epochs the pages read:
// enough for the charts and the account's return estimate.
const historyLimit = 30

func netKey(prefix string, netuid uint16) string {
	return prefix + "/" + strconv.Itoa(int(netuid))
}

func (r *reader) subnets(ctx context.Context, h int64) ([]subnettypes.Subnet, error) {
	return cached(r.cache, h, "subnets", func() ([]subnettypes.Subnet, error) {
		var out []subnettypes.Subnet
		var next []byte
		for {
			res, err := r.node.Subnet.Subnets(atHeight(ctx, h), &subnettypes.QuerySubnetsRequest{Pagination: &query.PageRequest{Key: next, Limit: 200}})
			if err != nil {
				return nil, err
			}
			out = append(out, res.Subnets...)
			if res.Pagination == nil || len(res.Pagination.NextKey) == 0 {
				return out, nil
			}
			next = res.Pagination.NextKey
		}
	})
}

func (r *reader) subnet(ctx context.Context, h int64, netuid uint16) (subnettypes.Subnet, error) {
	return cached(r.cache, h, netKey("subnet", netuid), func() (subnettypes.Subnet, error) {
		res, err := r.node.Subnet.Subnet(atHeight(ctx, h), &subnettypes.QuerySubnetRequest{Netuid: uint32(netuid)})
		if err != nil {
			return subnettypes.Subnet{}, err
		}
		return res.Subnet, nil
	})
}

func (r *reader) metagraph(ctx context.Context, h int64, netuid uint16) (*subnettypes.QueryMetagraphResponse, error) {
	return cached(r.cache, h, netKey("metagraph", netuid), func() (*subnettypes.QueryMetagraphResponse, error) {
		return r.node.Subnet.Metagraph(atHeight(ctx, h), &subnettypes.QueryMetagraphRequest{Netuid: uint32(netuid)})
	})
}

func (r *reader) registrationCost(ctx context.Context, h int64, netuid uint16) (string, error) {
	return cached(r.cache, h, netKey("regcost", netuid), func() (string, error) {
		res, err := r.node.Subnet.RegistrationCost(atHeight(ctx, h), &subnettypes.QueryRegistrationCostRequest{Netuid: uint32(netuid)})
		if err != nil {
			return "", err
		}
		return res.Cost.String(), nil
	})
}

func (r *reader) pool(ctx context.Context, h int64, netuid uint16) (*emissiontypes.QuerySubnetResponse, error) {
	return cached(r.cache, h, netKey("pool", netuid), func() (*emissiontypes.QuerySubnetResponse, error) {
		return r.node.Emission.Subnet(atHeight(ctx, h), &emissiontypes.QuerySubnetRequest{Netuid: uint32(netuid)})
	})
}

// history is the subnet's latest epochs, newest first.
func (r *reader) history(ctx context.Context, h int64, netuid uint16) ([]emissiontypes.EpochRecord, error) {
	return cached(r.cache, h, netKey("history", netuid), func() ([]emissiontypes.EpochRecord, error) {
		res, err := r.node.Emission.History(atHeight(ctx, h), &emissiontypes.QueryHistoryRequest{Netuid: uint32(netuid), Limit: historyLimit})
		if err != nil {
			return nil, err
		}
		return res.Epochs, nil
	})
}

// lastEpoch is the subnet's latest epoch record (none before its first
// epoch). The metagraph reads only this one: a record holds a result per
// UID, so more would cost the page a multiple of the metagraph query.
func (r *reader) lastEpoch(ctx context.Context, h int64, netuid uint16) ([]emissiontypes.EpochRecord, error) {
	return cached(r.cache, h, netKey("history1", netuid), func() ([]emissiontypes.EpochRecord, error) {
		res, err := r.node.Emission.History(atHeight(ctx, h), &emissiontypes.QueryHistoryRequest{Netuid: uint32(netuid), Limit: 1})
		if err != nil {
			return nil, err
		}
		return res.Epochs, nil
	})
}

func (r *reader) schedule(ctx context.Context, h int64) (*emissiontypes.QueryScheduleResponse, error) {
	return cached(r.cache, h, "schedule", func() (*emissiontypes.QueryScheduleResponse, error) {
		return r.node.Emission.Schedule(atHeight(ctx, h), &emissiontypes.QueryScheduleRequest{})
	})
}

func (r *reader) balances(ctx context.Context, h int64, addr string) (*banktypes.QueryAllBalancesResponse, error) {
	return cached(r.cache, h, "balances/"+addr, func() (*banktypes.QueryAllBalancesResponse, error) {
		return r.node.Bank.AllBalances(atHeight(ctx, h), &banktypes.QueryAllBalancesRequest{Address: addr})
	})
}

func (r *reader) stakeOf(ctx context.Context, h int64, addr string) (*subnettypes.QueryStakeByAddressResponse, error) {
	return cached(r.cache, h, "stake/"+addr, func() (*subnettypes.QueryStakeByAddressResponse, error) {
		return r.node.Subnet.StakeByAddress(atHeight(ctx, h), &subnettypes.QueryStakeByAddressRequest{Address: addr})
	})
}

func (r *reader) rewards(ctx context.Context, h int64, addr string) (*emissiontypes.QueryRewardsResponse, error) {
	return cached(r.cache, h, "rewards/"+addr, func() (*emissiontypes.QueryRewardsResponse, error) {
		return r.node.Emission.Rewards(atHeight(ctx, h), &emissiontypes.QueryRewardsRequest{Address: addr})
	})
}

func (r *reader) hotkeyStake(ctx context.Context, h int64, netuid uint16, hotkey string) (*subnettypes.QueryHotkeyStakeResponse, error) {
	return cached(r.cache, h, netKey("hotkey", netuid)+"/"+hotkey, func() (*subnettypes.QueryHotkeyStakeResponse, error) {
		return r.node.Subnet.HotkeyStake(atHeight(ctx, h), &subnettypes.QueryHotkeyStakeRequest{Netuid: uint32(netuid), Hotkey: hotkey})
	})
}
