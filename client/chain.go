package client

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	sdkmath "cosmossdk.io/math"
	cmtservice "github.com/cosmos/cosmos-sdk/client/grpc/cmtservice"
	"github.com/cosmos/cosmos-sdk/codec"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	"github.com/cosmos/cosmos-sdk/crypto/keyring"
	"github.com/cosmos/cosmos-sdk/std"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/tx/signing"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"

	subnettypes "github.com/assay-network/assay/x/subnet/types"
)

// ChainOptions tune tx building; zero values take defaults.
type ChainOptions struct {
	GasPrices     string        // e.g. "0.025uassay"; default "0uassay" (localnet)
	GasAdjustment float64       // multiplies simulated gas (1.5)
	TxTimeout     time.Duration // wait for inclusion (30s)
	PollInterval  time.Duration // between inclusion checks (500ms)
}

// Chain is the shared chain client: queries and signed txs over the node's
// gRPC endpoint (the tx service broadcasts and looks txs up, so no CometBFT
// RPC is needed). Txs from one Chain are serialised so account sequences
// never race.
type Chain struct {
	raw      *grpc.ClientConn
	conn     codecConn
	kr       keyring.Keyring
	chainID  string
	cdc      codec.Codec
	opts     ChainOptions
	gasPrice sdk.DecCoins
	txMu     sync.Mutex
}

// Codec is the interface registry the chain client decodes with: std crypto
// and tx types, auth accounts and x/subnet messages. A keyring built for
// the client should use it too.
func Codec() (codec.Codec, codectypes.InterfaceRegistry) {
	reg := codectypes.NewInterfaceRegistry()
	std.RegisterInterfaces(reg)
	authtypes.RegisterInterfaces(reg)
	subnettypes.RegisterInterfaces(reg)
	return codec.NewProtoCodec(reg), reg
}

// Dial connects to a node's gRPC endpoint (host:port, plaintext) and
// learns the chain id from it. kr may be nil for a query-only client.
func Dial(ctx context.Context, grpcAddr string, kr keyring.Keyring, opts ChainOptions) (*Chain, error) {
	conn, err := grpc.NewClient(grpcAddr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		return nil, fmt.Errorf("chain: dial %s: %w", grpcAddr, err)
	}
	c, err := NewChain(ctx, conn, kr, opts)
	if err != nil {
		conn.Close()
		return nil, err
	}
	return c, nil
}

// NewChain wraps an existing connection (tests use an in-process node).
func NewChain(ctx context.Context, conn *grpc.ClientConn, kr keyring.Keyring, opts ChainOptions) (*Chain, error) {
	if opts.GasPrices == "" {
		opts.GasPrices = "0uassay"
	}
	if opts.GasAdjustment <= 0 {
		opts.GasAdjustment = 1.5
	}
	if opts.TxTimeout <= 0 {
		opts.TxTimeout = 30 * time.Second
	}
	if opts.PollInterval <= 0 {
		opts.PollInterval = 500 * time.Millisecond
	}
	gp, err := sdk.ParseDecCoins(opts.GasPrices)
	if err != nil {
		return nil, fmt.Errorf("chain: gas prices %q: %w", opts.GasPrices, err)
	}
	cdc, reg := Codec()
	cc := codecConn{conn, grpc.ForceCodec(codec.NewProtoCodec(reg).GRPCCodec())}
	info, err := cmtservice.NewServiceClient(cc).GetNodeInfo(ctx, &cmtservice.GetNodeInfoRequest{})
	if err != nil {
		return nil, fmt.Errorf("chain: node info from %s: %w", conn.Target(), err)
	}
	return &Chain{raw: conn, conn: cc, kr: kr, chainID: info.DefaultNodeInfo.Network, cdc: cdc, opts: opts, gasPrice: gp}, nil
}

// codecConn makes every call use the SDK's gogoproto codec: the chain's
// messages carry gogoproto custom types (math.Int, LegacyDec) that grpc-go's
// default protobuf codec cannot decode (it panics "invalid Go type math.Int"),
// which is why the SDK's own gRPC server and clients force this codec too.
type codecConn struct {
	*grpc.ClientConn
	codec grpc.CallOption
}

func (c codecConn) Invoke(ctx context.Context, method string, args, reply any, opts ...grpc.CallOption) error {
	return c.ClientConn.Invoke(ctx, method, args, reply, append(opts, c.codec)...)
}

func (c codecConn) NewStream(ctx context.Context, desc *grpc.StreamDesc, method string, opts ...grpc.CallOption) (grpc.ClientStream, error) {
	return c.ClientConn.NewStream(ctx, desc, method, append(opts, c.codec)...)
}

// Conn is the node's gRPC connection for other chain query clients (e.g.
// subnettypes.NewQueryClient); it decodes with the SDK's codec.
func (c *Chain) Conn() grpc.ClientConnInterface { return c.conn }

// ChainID is the network the node reports.
func (c *Chain) ChainID() string { return c.chainID }

// Close closes the connection.
func (c *Chain) Close() error { return c.raw.Close() }

func (c *Chain) subnet() subnettypes.QueryClient { return subnettypes.NewQueryClient(c.conn) }

// Subnet returns a subnet's state.
func (c *Chain) Subnet(ctx context.Context, netuid uint16) (*subnettypes.Subnet, error) {
	r, err := c.subnet().Subnet(ctx, &subnettypes.QuerySubnetRequest{Netuid: uint32(netuid)})
	if err != nil {
		return nil, err
	}
	return &r.Subnet, nil
}

// Metagraph returns every neuron of a subnet in one call.
func (c *Chain) Metagraph(ctx context.Context, netuid uint16) (*subnettypes.QueryMetagraphResponse, error) {
	return c.subnet().Metagraph(ctx, &subnettypes.QueryMetagraphRequest{Netuid: uint32(netuid)})
}

// NeuronByHotkey returns the hotkey's neuron, or ok=false if it is not registered.
func (c *Chain) NeuronByHotkey(ctx context.Context, netuid uint16, hotkey string) (_ *subnettypes.Neuron, ok bool, _ error) {
	r, err := c.subnet().NeuronByHotkey(ctx, &subnettypes.QueryNeuronByHotkeyRequest{Netuid: uint32(netuid), Hotkey: hotkey})
	if status.Code(err) == codes.NotFound {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	return &r.Neuron, true, nil
}

// RegistrationCost is what registering on the subnet would burn now.
func (c *Chain) RegistrationCost(ctx context.Context, netuid uint16) (sdkmath.Int, error) {
	r, err := c.subnet().RegistrationCost(ctx, &subnettypes.QueryRegistrationCostRequest{Netuid: uint32(netuid)})
	if err != nil {
		return sdkmath.Int{}, err
	}
	return r.Cost, nil
}

// KeyAddress is the bech32 address of a keyring key (name or address).
func (c *Chain) KeyAddress(key string) (string, error) {
	rec, err := c.record(key)
	if err != nil {
		return "", err
	}
	a, err := rec.GetAddress()
	if err != nil {
		return "", err
	}
	return a.String(), nil
}

func (c *Chain) record(key string) (*keyring.Record, error) {
	if c.kr == nil {
		return nil, errors.New("chain: no keyring")
	}
	rec, err := c.kr.Key(key)
	if err == nil {
		return rec, nil
	}
	if addr, aerr := sdk.AccAddressFromBech32(key); aerr == nil {
		if rec, err2 := c.kr.KeyByAddress(addr); err2 == nil {
			return rec, nil
		}
	}
	return nil, fmt.Errorf("chain: no key %q in the keyring: %w", key, err)
}

// RegisterNeuron registers hotkey on netuid, paid by coldkey (both keyring
// keys): the hotkey signs the registration authorisation, the coldkey signs
// and pays for the tx. The chain refuses if the cost is above maxCost.
func (c *Chain) RegisterNeuron(ctx context.Context, coldkey, hotkey string, netuid uint16, maxCost sdkmath.Int) (*subnettypes.MsgRegisterNeuronResponse, error) {
	cold, err := c.KeyAddress(coldkey)
	if err != nil {
		return nil, err
	}
	hrec, err := c.record(hotkey)
	if err != nil {
		return nil, err
	}
	haddr, err := hrec.GetAddress()
	if err != nil {
		return nil, err
	}
	auth := subnettypes.RegistrationAuthorization(c.chainID, netuid, cold, haddr.String())
	sig, pk, err := c.kr.Sign(hrec.Name, auth, signing.SignMode_SIGN_MODE_DIRECT)
	if err != nil {
		return nil, fmt.Errorf("chain: hotkey signing the registration: %w", err)
	}
	msg := &subnettypes.MsgRegisterNeuron{Coldkey: cold, Netuid: uint32(netuid), Hotkey: haddr.String(),
		HotkeyPubkey: pk.Bytes(), HotkeySignature: sig, MaxCost: maxCost}
	res, err := c.Broadcast(ctx, coldkey, msg)
	if err != nil {
		return nil, err
	}
	out := &subnettypes.MsgRegisterNeuronResponse{}
	if err := c.msgResponse(res, out); err != nil {
		return nil, err
	}
	return out, nil
}

// ServeAxon publishes the hotkey's endpoint and model hash.
func (c *Chain) ServeAxon(ctx context.Context, hotkey string, netuid uint16, endpoint, protocol, modelHash, version string) error {
	addr, err := c.KeyAddress(hotkey)
	if err != nil {
		return err
	}
	_, err = c.Broadcast(ctx, hotkey, &subnettypes.MsgServeAxon{Hotkey: addr, Netuid: uint32(netuid),
		Endpoint: endpoint, Protocol: protocol, ModelHash: modelHash, Version: version})
	return err
}
