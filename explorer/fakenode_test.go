package explorer

import (
	"context"
	"fmt"
	"net"
	"sync"
	"testing"
	"time"

	"cosmossdk.io/math"
	"github.com/cosmos/cosmos-sdk/client/grpc/cmtservice"
	"github.com/cosmos/cosmos-sdk/codec"
	"github.com/cosmos/cosmos-sdk/types/bech32"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	"github.com/assay-network/assay/app/params"
	"github.com/assay-network/assay/client"
	emissiontypes "github.com/assay-network/assay/x/emission/types"
	subnettypes "github.com/assay-network/assay/x/subnet/types"
)

// fakeNode is a gRPC server with the queries the explorer reads, answering
// from fixed values, counting calls per method: unit tests and benchmarks
// run the explorer over real gRPC without a chain.
type fakeNode struct {
	cmtservice.UnimplementedServiceServer

	height  int64
	mg      *subnettypes.QueryMetagraphResponse
	history []emissiontypes.EpochRecord

	mu    sync.Mutex
	calls map[string]int
	// unpinned counts, per method, the queries sent without a height.
	unpinned map[string]int
	heights  []string // x-cosmos-block-height of each module query
}

// newFakeNode serves a subnet 1 of n UIDs at height h on loopback.
func newFakeNode(t testing.TB, n int, h int64) (*fakeNode, *Node, func()) {
	t.Helper()
	f := &fakeNode{height: h, mg: fakeMetagraph(n, h), calls: map[string]int{}, unpinned: map[string]int{}}
	f.history = []emissiontypes.EpochRecord{fakeEpoch(f.mg, h-1)}
	_, reg := client.Codec()
	srv := grpc.NewServer(grpc.ForceServerCodec(codec.NewProtoCodec(reg).GRPCCodec()))
	subnettypes.RegisterQueryServer(srv, subnetServer{fakeNode: f})
	emissiontypes.RegisterQueryServer(srv, emissionServer{fakeNode: f})
	cmtservice.RegisterServiceServer(srv, f)
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = srv.Serve(lis) }()
	node, err := DialNode(lis.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	stop := func() { srv.Stop() }
	t.Cleanup(func() { node.Close(); srv.Stop() })
	return f, node, stop
}

func (f *fakeNode) count(ctx context.Context, method string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls[method]++
	md, _ := metadata.FromIncomingContext(ctx)
	pinned := md.Get("x-cosmos-block-height")
	f.heights = append(f.heights, fmt.Sprint(pinned))
	// Every answer names its height, as the SDK's gRPC server does: the
	// pinned one, else the latest.
	answered := fmt.Sprint(f.height)
	if len(pinned) == 1 {
		answered = pinned[0]
	} else {
		f.unpinned[method]++
	}
	_ = grpc.SetHeader(ctx, metadata.Pairs("x-cosmos-block-height", answered))
}

// unpinnedCalls is how many queries of method carried no height.
func (f *fakeNode) unpinnedCalls(method string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.unpinned[method]
}

func (f *fakeNode) callsTo(method string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[method]
}

// latest and advance are the node's height; the module queries answer the
// same state whatever the height.
func (f *fakeNode) latest() int64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.height
}

func (f *fakeNode) advance() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.height++
}

func (f *fakeNode) GetBlockByHeight(ctx context.Context, req *cmtservice.GetBlockByHeightRequest) (*cmtservice.GetBlockByHeightResponse, error) {
	f.count(ctx, "GetBlockByHeight")
	return &cmtservice.GetBlockByHeightResponse{SdkBlock: &cmtservice.Block{Header: cmtservice.Header{Height: req.Height, Time: blockTime(req.Height)}}}, nil
}

// blockTime is one block every 2 s from a fixed start.
func blockTime(h int64) time.Time {
	return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(h) * 2 * time.Second)
}

// subnetServer and emissionServer split the two modules' methods (both
// have Params, Subnet and so on).
type subnetServer struct {
	*fakeNode
	*subnettypes.UnimplementedQueryServer
}

func (s subnetServer) Metagraph(ctx context.Context, req *subnettypes.QueryMetagraphRequest) (*subnettypes.QueryMetagraphResponse, error) {
	s.count(ctx, "Metagraph")
	if req.Netuid != 1 {
		return nil, status.Error(codes.NotFound, fmt.Sprintf("subnet not found: netuid %d", req.Netuid))
	}
	return s.mg, nil
}

// Params is the explorer's height query (count sets the header).
func (s subnetServer) Params(ctx context.Context, _ *subnettypes.QueryParamsRequest) (*subnettypes.QueryParamsResponse, error) {
	s.count(ctx, "Params")
	return &subnettypes.QueryParamsResponse{Params: subnettypes.DefaultParams()}, nil
}

func (s subnetServer) Subnets(ctx context.Context, _ *subnettypes.QuerySubnetsRequest) (*subnettypes.QuerySubnetsResponse, error) {
	s.count(ctx, "Subnets")
	return &subnettypes.QuerySubnetsResponse{Subnets: []subnettypes.Subnet{s.mg.Subnet}}, nil
}

func (s subnetServer) RegistrationCost(ctx context.Context, _ *subnettypes.QueryRegistrationCostRequest) (*subnettypes.QueryRegistrationCostResponse, error) {
	s.count(ctx, "RegistrationCost")
	return &subnettypes.QueryRegistrationCostResponse{Cost: math.NewInt(1_000_000), Block: s.height}, nil
}

type emissionServer struct {
	*fakeNode
	*emissiontypes.UnimplementedQueryServer
}

func (s emissionServer) Subnet(ctx context.Context, req *emissiontypes.QuerySubnetRequest) (*emissiontypes.QuerySubnetResponse, error) {
	s.count(ctx, "EmissionSubnet")
	if req.Netuid != 1 {
		return nil, status.Error(codes.NotFound, "subnet not found")
	}
	return &emissiontypes.QuerySubnetResponse{Pool: emissiontypes.SubnetPool{Netuid: 1, Pending: math.NewInt(5), Received: math.NewInt(100)},
		Share: math.LegacyOneDec(), TotalStake: math.NewInt(1_000_000_000), NextEpochBlock: s.height + 3}, nil
}

func (s emissionServer) History(ctx context.Context, _ *emissiontypes.QueryHistoryRequest) (*emissiontypes.QueryHistoryResponse, error) {
	s.count(ctx, "History")
	return &emissiontypes.QueryHistoryResponse{Epochs: s.history}, nil
}

func (s emissionServer) Schedule(ctx context.Context, _ *emissiontypes.QueryScheduleRequest) (*emissiontypes.QueryScheduleResponse, error) {
	s.count(ctx, "Schedule")
	return &emissiontypes.QueryScheduleResponse{Block: s.height, CurrentReward: math.NewInt(1_000_000), Issued: math.NewInt(s.height * 1_000_000),
		Cap: math.NewInt(21_000_000_000_000), NextHalvingIssuance: math.NewInt(10_500_000_000_000), NextHalvingHeight: 10_500_000,
		Carry: math.ZeroInt(), Burned: math.ZeroInt()}, nil
}

// fakeMetagraph is n UIDs: UID 0 a validator holding most stake, the
// others miners with stake and incentive falling with the UID.
func fakeMetagraph(n int, h int64) *subnettypes.QueryMetagraphResponse {
	hp := subnettypes.DefaultHyperparams()
	hp.MaxUids = uint32(max(n, 256))
	mg := &subnettypes.QueryMetagraphResponse{Block: h, Subnet: subnettypes.Subnet{Netuid: 1, Owner: addr(999), Name: "fake",
		Hyperparams: hp, Locked: math.ZeroInt(), Burn: math.ZeroInt(), NeuronCount: uint32(n), TaskHash: "ab"}}
	for i := range n {
		nr := subnettypes.Neuron{Netuid: 1, Uid: uint32(i), Hotkey: addr(i), Coldkey: addr(1000 + i), RegisteredAt: int64(i),
			Axon:     &subnettypes.AxonInfo{Endpoint: fmt.Sprintf("10.0.0.%d:7000", i%250), ModelHash: fmt.Sprintf("%064x", i)},
			Emission: math.NewInt(int64(1000 * (n - i))), Stake: math.NewInt(int64(10_000 * (n - i))),
			Consensus: math.LegacyNewDecWithPrec(int64(n-i), 3), ValidatorTrust: math.LegacyZeroDec(),
			Incentive: math.LegacyNewDecWithPrec(int64(n-i), 4), Dividends: math.LegacyZeroDec(), LastUpdate: h - int64(i%7)}
		if i == 0 {
			nr.ValidatorPermit, nr.ValidatorTrust, nr.Dividends, nr.Incentive = true, math.LegacyOneDec(), math.LegacyOneDec(), math.LegacyZeroDec()
			nr.Stake = math.NewInt(1_000_000_000)
		}
		mg.Neurons = append(mg.Neurons, nr)
	}
	return mg
}

// fakeEpoch pays every UID of mg something at block.
func fakeEpoch(mg *subnettypes.QueryMetagraphResponse, block int64) emissiontypes.EpochRecord {
	rec := emissiontypes.EpochRecord{Netuid: 1, Block: block, Paid: true, Pool: math.NewInt(1_000_000), Owner: mg.Subnet.Owner,
		OwnerCut: math.NewInt(180_000), MinersTotal: math.NewInt(410_000), ValidatorsTotal: math.NewInt(410_000), Carried: math.ZeroInt()}
	for _, n := range mg.Neurons {
		r := emissiontypes.UIDResult{Uid: n.Uid, Hotkey: n.Hotkey, Coldkey: n.Coldkey, Stake: n.Stake, ValidatorPermit: n.ValidatorPermit,
			Consensus: n.Consensus, ValidatorTrust: n.ValidatorTrust, Incentive: n.Incentive, Dividends: n.Dividends,
			MinerReward: math.NewInt(int64(n.Uid) * 10), ValidatorTake: math.ZeroInt(), ValidatorStaked: math.ZeroInt()}
		if n.Uid == 0 {
			r.ValidatorTake, r.ValidatorStaked = math.NewInt(73_800), math.NewInt(336_200)
		}
		rec.Results = append(rec.Results, r)
	}
	return rec
}

// addr is a distinct valid assay1… address per i.
func addr(i int) string {
	b := make([]byte, 20)
	b[18], b[19] = byte(i>>8), byte(i)
	s, err := bech32Account(b)
	if err != nil {
		panic(err)
	}
	return s
}

func bech32Account(b []byte) (string, error) {
	return bech32.ConvertAndEncode(params.Bech32Prefix, b)
}
