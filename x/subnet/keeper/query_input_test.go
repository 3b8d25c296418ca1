package keeper_test

import (
	"net/http"
	"testing"

	"github.com/grpc-ecosystem/grpc-gateway/runtime"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/assay-network/assay/x/subnet/types"
)

// Every query that takes a netuid converts it at the boundary: one that
// cannot name a subnet (0 is reserved, the chain's netuid is uint16) is
// InvalidArgument naming the field, so REST answers 400; a valid netuid
// with no subnet is NotFound (404). Bad addresses are InvalidArgument too.
func TestQueriesRejectBadNetuidAndAddress(t *testing.T) {
	f := newFixture(t)
	owner := f.funded(100_000_000_000)
	netuid := f.registerSubnet(owner, nil)
	hot := newAccount()
	f.registerNeuron(netuid, owner, hot)
	h := hot.String()

	queries := map[string]func(netuid uint32, hotkey string) error{
		"subnet": func(n uint32, _ string) error {
			_, err := f.qs.Subnet(f.ctx, &types.QuerySubnetRequest{Netuid: n})
			return err
		},
		"neuron": func(n uint32, _ string) error {
			_, err := f.qs.Neuron(f.ctx, &types.QueryNeuronRequest{Netuid: n, Uid: 0})
			return err
		},
		"neuron-by-hotkey": func(n uint32, hk string) error {
			_, err := f.qs.NeuronByHotkey(f.ctx, &types.QueryNeuronByHotkeyRequest{Netuid: n, Hotkey: hk})
			return err
		},
		"metagraph": func(n uint32, _ string) error {
			_, err := f.qs.Metagraph(f.ctx, &types.QueryMetagraphRequest{Netuid: n})
			return err
		},
		"registration-cost": func(n uint32, _ string) error {
			_, err := f.qs.RegistrationCost(f.ctx, &types.QueryRegistrationCostRequest{Netuid: n})
			return err
		},
		"hotkey-stake": func(n uint32, hk string) error {
			_, err := f.qs.HotkeyStake(f.ctx, &types.QueryHotkeyStakeRequest{Netuid: n, Hotkey: hk})
			return err
		},
		"delegators": func(n uint32, hk string) error {
			_, err := f.qs.Delegators(f.ctx, &types.QueryDelegatorsRequest{Netuid: n, Hotkey: hk})
			return err
		},
		"weights": func(n uint32, _ string) error {
			_, err := f.qs.Weights(f.ctx, &types.QueryWeightsRequest{Netuid: n, Uid: 0})
			return err
		},
		"commits": func(n uint32, hk string) error {
			_, err := f.qs.Commits(f.ctx, &types.QueryCommitsRequest{Netuid: n, Hotkey: hk})
			return err
		},
	}
	inputs := []struct {
		name     string
		netuid   uint32
		hotkey   string
		code     codes.Code
		http     int
		contains string
	}{
		{"valid", netuid, h, codes.OK, http.StatusOK, ""},
		{"reserved netuid", 0, h, codes.InvalidArgument, http.StatusBadRequest, "netuid"},
		{"netuid above uint16", 65536, h, codes.InvalidArgument, http.StatusBadRequest, "netuid"},
		{"netuid far above uint16", 1 << 31, h, codes.InvalidArgument, http.StatusBadRequest, "netuid"},
		{"no such subnet", 999, h, codes.NotFound, http.StatusNotFound, "netuid 999"},
	}
	for name, query := range queries {
		for _, in := range inputs {
			t.Run(name+"/"+in.name, func(t *testing.T) {
				err := query(in.netuid, in.hotkey)
				code := status.Code(err)
				require.Equal(t, in.code, code, "%v", err)
				require.Equal(t, in.http, runtime.HTTPStatusFromCode(code))
				if in.contains != "" {
					require.ErrorContains(t, err, in.contains)
				}
			})
		}
	}
	for _, name := range []string{"neuron-by-hotkey", "hotkey-stake", "delegators", "commits"} {
		t.Run(name+"/bad hotkey", func(t *testing.T) {
			err := queries[name](netuid, "garbage")
			require.Equal(t, codes.InvalidArgument, status.Code(err), "%v", err)
			require.ErrorContains(t, err, "hotkey")
		})
	}
	for name, call := range map[string]func() error{
		"stake": func() error {
			_, err := f.qs.StakeByAddress(f.ctx, &types.QueryStakeByAddressRequest{Address: "garbage"})
			return err
		},
		"unbondings": func() error {
			_, err := f.qs.Unbondings(f.ctx, &types.QueryUnbondingsRequest{Address: "garbage"})
			return err
		},
	} {
		t.Run(name+"/bad address", func(t *testing.T) {
			err := call()
			require.Equal(t, codes.InvalidArgument, status.Code(err), "%v", err)
			require.ErrorContains(t, err, "address")
		})
	}
}
