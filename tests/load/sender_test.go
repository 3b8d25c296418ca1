package load

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	mrand "math/rand/v2"
	"net/http"
	"regexp"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"cosmossdk.io/math"
	sdkclient "github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/client/tx"
	"github.com/cosmos/cosmos-sdk/codec"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	"github.com/cosmos/cosmos-sdk/crypto/keyring"
	cryptotypes "github.com/cosmos/cosmos-sdk/crypto/types"
	"github.com/cosmos/cosmos-sdk/std"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/tx/signing"
	authsigning "github.com/cosmos/cosmos-sdk/x/auth/signing"
	authtx "github.com/cosmos/cosmos-sdk/x/auth/tx"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"
	"google.golang.org/grpc"

	subnettypes "github.com/assay-network/assay/x/subnet/types"
)

// account signs its own txs with a key taken out of the test keyring once,
// tracking its sequence itself: one goroutine per account, so its txs
// reach the node in sequence order.
type account struct {
	name    string
	addr    string
	priv    cryptotypes.PrivKey
	number  uint64
	seq     uint64
	weights bool // a validator hotkey: sends weight txs, not transfers
}

// gasLimit is generous for every tx the load sends (a transfer uses about
// a third of it); gas is free on this chain (minimum gas price 0).
const gasLimit = 400_000

func txConfig() (sdkclient.TxConfig, codec.Codec) {
	reg := codectypes.NewInterfaceRegistry()
	std.RegisterInterfaces(reg)
	authtypes.RegisterInterfaces(reg)
	banktypes.RegisterInterfaces(reg)
	subnettypes.RegisterInterfaces(reg)
	cdc := codec.NewProtoCodec(reg)
	return authtx.NewTxConfig(cdc, authtx.DefaultSignModes), cdc
}

func loadAccount(t *testing.T, kr keyring.Keyring, cdc codec.Codec, name string) *account {
	t.Helper()
	rec, err := kr.Key(name)
	if err != nil {
		t.Fatalf("key %s: %v", name, err)
	}
	local := rec.GetLocal()
	if local == nil {
		t.Fatalf("key %s is not a local key", name)
	}
	var priv cryptotypes.PrivKey
	if err := cdc.UnpackAny(local.PrivKey, &priv); err != nil {
		t.Fatalf("key %s: %v", name, err)
	}
	return &account{name: name, addr: sdk.AccAddress(priv.PubKey().Address()).String(), priv: priv}
}

// refresh reads the account's number and committed sequence.
func (a *account) refresh(ctx context.Context, conn grpc.ClientConnInterface, cdc codec.Codec) error {
	r, err := authtypes.NewQueryClient(conn).Account(ctx, &authtypes.QueryAccountRequest{Address: a.addr})
	if err != nil {
		return fmt.Errorf("account %s: %w", a.name, err)
	}
	var acc sdk.AccountI
	if err := cdc.UnpackAny(r.Account, &acc); err != nil {
		return err
	}
	a.number, a.seq = acc.GetAccountNumber(), acc.GetSequence()
	return nil
}

func (a *account) sign(ctx context.Context, cfg sdkclient.TxConfig, msg sdk.Msg) ([]byte, error) {
	b := cfg.NewTxBuilder()
	if err := b.SetMsgs(msg); err != nil {
		return nil, err
	}
	b.SetGasLimit(gasLimit)
	pub := a.priv.PubKey()
	empty := signing.SignatureV2{PubKey: pub, Data: &signing.SingleSignatureData{SignMode: signing.SignMode_SIGN_MODE_DIRECT}, Sequence: a.seq}
	if err := b.SetSignatures(empty); err != nil {
		return nil, err
	}
	sd := authsigning.SignerData{Address: a.addr, ChainID: chainID, AccountNumber: a.number, Sequence: a.seq, PubKey: pub}
	sig, err := tx.SignWithPrivKey(ctx, signing.SignMode_SIGN_MODE_DIRECT, sd, b, a.priv, cfg, a.seq)
	if err != nil {
		return nil, err
	}
	if err := b.SetSignatures(sig); err != nil {
		return nil, err
	}
	return cfg.TxEncoder()(b.GetTx())
}

// tally counts what the node answered in CheckTx, per step.
type tally struct {
	sent, accepted, rejected, failed atomic.Int64
	setWeights, commitWeights        atomic.Int64
	lastRejection                    atomic.Value // string
}

// nextMsg is the account's next tx: weight txs from validators (mostly
// SetWeights, a CommitWeights every eighth), 1 uassay transfers from the rest.
func (a *account) nextMsg(i int, peers []*account, tl *tally) sdk.Msg {
	if !a.weights {
		to := peers[mrand.IntN(len(peers))]
		return &banktypes.MsgSend{FromAddress: a.addr, ToAddress: to.addr, Amount: sdk.NewCoins(sdk.NewCoin("uassay", math.NewInt(1)))}
	}
	uids := []uint32{0, 1, 2, 3}
	weights := []uint32{uint32(mrand.IntN(65535) + 1), uint32(mrand.IntN(65535) + 1), uint32(mrand.IntN(65535) + 1), uint32(mrand.IntN(65535) + 1)}
	if i%8 == 7 {
		salt := make([]byte, 16)
		_, _ = rand.Read(salt)
		hot := sdk.MustAccAddressFromBech32(a.addr)
		tl.commitWeights.Add(1)
		return &subnettypes.MsgCommitWeights{Hotkey: a.addr, Netuid: uint32(revealNet),
			Hash: subnettypes.WeightsCommitHash(revealNet, hot, uids, weights, salt, 0)}
	}
	tl.setWeights.Add(1)
	return &subnettypes.MsgSetWeights{Hotkey: a.addr, Netuid: uint32(plainNet), Uids: uids, Weights: weights}
}

// broadcaster posts txs to the node's CometBFT RPC (broadcast_tx_sync:
// the answer is CheckTx's).
type broadcaster struct {
	url string
	hc  *http.Client
}

type checkResult struct {
	Code uint32 `json:"code"`
	Log  string `json:"log"`
}

func (b *broadcaster) send(ctx context.Context, txBytes []byte) (checkResult, error) {
	body, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": 1, "method": "broadcast_tx_sync",
		"params": map[string]string{"tx": base64.StdEncoding.EncodeToString(txBytes)}})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, b.url, bytes.NewReader(body))
	if err != nil {
		return checkResult{}, err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := b.hc.Do(req)
	if err != nil {
		return checkResult{}, err
	}
	defer resp.Body.Close()
	var r struct {
		Result *checkResult `json:"result"`
		Error  *struct {
			Message string `json:"message"`
			Data    string `json:"data"`
		} `json:"error"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		return checkResult{}, err
	}
	if r.Error != nil {
		return checkResult{}, fmt.Errorf("broadcast_tx_sync: %s %s", r.Error.Message, r.Error.Data)
	}
	if r.Result == nil {
		return checkResult{}, fmt.Errorf("broadcast_tx_sync: empty answer")
	}
	return *r.Result, nil
}

var expectedSeq = regexp.MustCompile(`account sequence mismatch, expected (\d+)`)

// drive sends a's txs at one every interval until ctx ends. A tx that
// misses its slot (the node was slow to answer) is sent at once; slots are
// not made up later, so the offered rate is an upper bound.
func (a *account) drive(ctx context.Context, cfg sdkclient.TxConfig, b *broadcaster, interval time.Duration, peers []*account, tl *tally) {
	// Spread the accounts' first txs over one interval.
	next := time.Now().Add(time.Duration(mrand.Int64N(int64(interval))))
	for i := 0; ; i++ {
		select {
		case <-ctx.Done():
			return
		case <-time.After(time.Until(next)):
		}
		next = next.Add(interval)
		if now := time.Now(); next.Before(now) {
			next = now
		}
		bz, err := a.sign(ctx, cfg, a.nextMsg(i, peers, tl))
		if err != nil {
			tl.failed.Add(1)
			tl.lastRejection.Store("signing: " + err.Error())
			continue
		}
		tl.sent.Add(1)
		r, err := b.send(ctx, bz)
		switch {
		case err != nil:
			if ctx.Err() == nil {
				tl.failed.Add(1)
				tl.lastRejection.Store(err.Error())
			}
		case r.Code == 0:
			tl.accepted.Add(1)
			a.seq++
		default:
			tl.rejected.Add(1)
			tl.lastRejection.Store(fmt.Sprintf("%s: code %d: %s", a.name, r.Code, r.Log))
			// The node says which sequence it expects (a tx of ours it
			// accepted after we gave up on the answer, for one).
			if m := expectedSeq.FindStringSubmatch(r.Log); m != nil {
				if n, err := strconv.ParseUint(m[1], 10, 64); err == nil {
					a.seq = n
				}
			}
		}
	}
}
