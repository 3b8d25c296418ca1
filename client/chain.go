package client

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"
	"time"

	sdkmath "cosmossdk.io/math"
	cmtservice "github.com/cosmos/cosmos-sdk/client/grpc/cmtservice"
	"github.com/cosmos/cosmos-sdk/client/tx"
	"github.com/cosmos/cosmos-sdk/codec"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	"github.com/cosmos/cosmos-sdk/crypto/keyring"
	"github.com/cosmos/cosmos-sdk/std"
	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"
	txtypes "github.com/cosmos/cosmos-sdk/types/tx"
	"github.com/cosmos/cosmos-sdk/types/tx/signing"
	authtx "github.com/cosmos/cosmos-sdk/x/auth/tx"
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

// TxError is a tx the chain refused (in CheckTx or in the block), with the
// module's error code and log, e.g. subnet code 12 "registration cost ... above max_cost".
type TxError struct {
	TxHash    string
	Codespace string
	Code      uint32
	Log       string
}

func (e *TxError) Error() string {
	return fmt.Sprintf("tx %s failed: %s code %d: %s", e.TxHash, e.Codespace, e.Code, e.Log)
}

// ErrNotSent marks a Broadcast failure from before the tx reached the node
// (key, account, simulation, signing): such a tx can never land. After a
// failed broadcast call or inclusion wait the outcome is unknown instead.
var ErrNotSent = errors.New("chain: tx not sent")

// notSent keeps err's message and makes errors.Is(…, ErrNotSent) hold.
type notSent struct{ error }

func (e notSent) Unwrap() []error { return []error{e.error, ErrNotSent} }

// Broadcast signs msgs with key (gas simulated), broadcasts in sync mode
// and waits until the tx is in a block; a refused tx comes back as *TxError.
func (c *Chain) Broadcast(ctx context.Context, key string, msgs ...sdk.Msg) (*sdk.TxResponse, error) {
	c.txMu.Lock()
	defer c.txMu.Unlock()
	rec, err := c.record(key)
	if err != nil {
		return nil, notSent{err}
	}
	// A tx of this account still in the node's mempool (one sent by a
	// process killed before it landed) leaves the committed sequence behind
	// the one the node expects, and ours is refused as "account sequence
	// mismatch". The refused tx was never accepted, so re-querying the
	// sequence and signing again cannot send it twice.
	deadline := time.Now().Add(c.opts.TxTimeout)
	for {
		res, err := c.send(ctx, rec, msgs)
		if err == nil {
			return c.waitTx(ctx, res.TxHash)
		}
		if !wrongSequence(err) || !time.Now().Before(deadline) {
			return res, err
		}
		select {
		case <-ctx.Done():
			return res, err
		case <-time.After(c.opts.PollInterval):
		}
	}
}

// send signs msgs with the account's current sequence and broadcasts them
// in sync mode: the response CheckTx accepted, or an error.
func (c *Chain) send(ctx context.Context, rec *keyring.Record, msgs []sdk.Msg) (*sdk.TxResponse, error) {
	addr, err := rec.GetAddress()
	if err != nil {
		return nil, notSent{err}
	}
	accNum, seq, err := c.account(ctx, addr)
	if err != nil {
		return nil, notSent{err}
	}
	txCfg := authtx.NewTxConfig(c.cdc, authtx.DefaultSignModes)
	f := tx.Factory{}.WithChainID(c.chainID).WithKeybase(c.kr).WithTxConfig(txCfg).
		WithAccountNumber(accNum).WithSequence(seq).WithFromName(rec.Name).
		WithGasAdjustment(c.opts.GasAdjustment).WithSignMode(signing.SignMode_SIGN_MODE_DIRECT)
	svc := txtypes.NewServiceClient(c.conn)

	simBytes, err := f.BuildSimTx(msgs...)
	if err != nil {
		return nil, notSent{fmt.Errorf("chain: building simulation tx: %w", err)}
	}
	sim, err := svc.Simulate(ctx, &txtypes.SimulateRequest{TxBytes: simBytes})
	if err != nil {
		return nil, notSent{fmt.Errorf("chain: simulating %s: %w", sdk.MsgTypeURL(msgs[0]), err)}
	}
	gas := uint64(math.Ceil(float64(sim.GasInfo.GasUsed) * c.opts.GasAdjustment))
	f = f.WithGas(gas).WithGasPrices(c.gasPrice.String())
	txb, err := f.BuildUnsignedTx(msgs...)
	if err != nil {
		return nil, notSent{err}
	}
	if err := tx.Sign(ctx, f, rec.Name, txb, true); err != nil {
		return nil, notSent{fmt.Errorf("chain: signing with %s: %w", rec.Name, err)}
	}
	bz, err := txCfg.TxEncoder()(txb.GetTx())
	if err != nil {
		return nil, notSent{err}
	}
	br, err := svc.BroadcastTx(ctx, &txtypes.BroadcastTxRequest{TxBytes: bz, Mode: txtypes.BroadcastMode_BROADCAST_MODE_SYNC})
	if err != nil {
		return nil, fmt.Errorf("chain: broadcast: %w", err)
	}
	if r := br.TxResponse; r.Code != 0 {
		return r, &TxError{TxHash: r.TxHash, Codespace: r.Codespace, Code: r.Code, Log: r.RawLog}
	}
	return br.TxResponse, nil
}

// wrongSequence reports whether the node refused a tx for its account
// sequence, in the simulation or in CheckTx.
func wrongSequence(err error) bool {
	var te *TxError
	if errors.As(err, &te) {
		return te.Codespace == sdkerrors.RootCodespace && te.Code == sdkerrors.ErrWrongSequence.ABCICode()
	}
	return errors.Is(err, ErrNotSent) && strings.Contains(err.Error(), sdkerrors.ErrWrongSequence.Error())
}

// waitTx polls the tx service until the tx is in a block.
func (c *Chain) waitTx(ctx context.Context, hash string) (*sdk.TxResponse, error) {
	ctx, cancel := context.WithTimeout(ctx, c.opts.TxTimeout)
	defer cancel()
	t := time.NewTicker(c.opts.PollInterval)
	defer t.Stop()
	svc := txtypes.NewServiceClient(c.conn)
	for {
		r, err := svc.GetTx(ctx, &txtypes.GetTxRequest{Hash: hash})
		if err == nil {
			if r.TxResponse.Code != 0 {
				return r.TxResponse, &TxError{TxHash: hash, Codespace: r.TxResponse.Codespace, Code: r.TxResponse.Code, Log: r.TxResponse.RawLog}
			}
			return r.TxResponse, nil
		}
		if status.Code(err) != codes.NotFound {
			return nil, fmt.Errorf("chain: looking up tx %s: %w", hash, err)
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("chain: tx %s not in a block after %v: %w", hash, c.opts.TxTimeout, ctx.Err())
		case <-t.C:
		}
	}
}

func (c *Chain) account(ctx context.Context, addr sdk.AccAddress) (uint64, uint64, error) {
	r, err := authtypes.NewQueryClient(c.conn).Account(ctx, &authtypes.QueryAccountRequest{Address: addr.String()})
	if err != nil {
		return 0, 0, fmt.Errorf("chain: account %s (funded?): %w", addr, err)
	}
	var acc sdk.AccountI
	if err := c.cdc.UnpackAny(r.Account, &acc); err != nil {
		return 0, 0, err
	}
	return acc.GetAccountNumber(), acc.GetSequence(), nil
}

// msgResponse decodes the first message response of a committed tx.
func (c *Chain) msgResponse(r *sdk.TxResponse, out codec.ProtoMarshaler) error {
	raw, err := hex.DecodeString(r.Data)
	if err != nil {
		return fmt.Errorf("chain: tx %s data: %w", r.TxHash, err)
	}
	var data sdk.TxMsgData
	if err := c.cdc.Unmarshal(raw, &data); err != nil {
		return fmt.Errorf("chain: tx %s data: %w", r.TxHash, err)
	}
	if len(data.MsgResponses) == 0 {
		return fmt.Errorf("chain: tx %s has no message response", r.TxHash)
	}
	return c.cdc.Unmarshal(data.MsgResponses[0].Value, out)
}
