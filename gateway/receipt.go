package gateway

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"

	"github.com/assay-network/assay/client"
	synapsev1 "github.com/assay-network/assay/synapse/v1"
)

// ReceiptVersion is the receipt format version.
const ReceiptVersion = 1

// Receipt is one miner's answer to one request, as anyone can check it:
// the request the gateway sent (its rows, so the request hash can be
// recomputed), the miner's signed response (request hash, nonce and
// caller, outputs, model hash), who the miner is, the block whose
// metagraph routed the request, and the gateway's countersignature over
// all of it.
type Receipt struct {
	Version  int          `json:"version"`
	Netuid   uint16       `json:"netuid"`
	Block    int64        `json:"block"`
	TaskHash string       `json:"task_hash"`
	Miner    ReceiptMiner `json:"miner"`
	Request  ReceiptReq   `json:"request"`
	Response ReceiptResp  `json:"response"`
	Gateway  ReceiptSig   `json:"gateway"`
}

// ReceiptMiner is the answering UID.
type ReceiptMiner struct {
	UID    uint32 `json:"uid"`
	Hotkey string `json:"hotkey"`
	PubKey []byte `json:"pubkey"` // compressed secp256k1, base64
}

// ReceiptReq is the synapse request as sent: client.NewInferRequest of
// Values (row-major, Rows × Cols; null is a missing value).
type ReceiptReq struct {
	Hash   string `json:"hash"` // sha256 of the canonical body, hex
	Nonce  int64  `json:"nonce"`
	Caller string `json:"caller"` // the gateway's (validator's) hotkey
	Rows   uint32 `json:"rows"`
	Cols   uint32 `json:"cols"`
	Values Floats `json:"values"`
}

// ReceiptResp is the miner's signed response.
type ReceiptResp struct {
	Rows          uint32 `json:"rows"`
	Classes       uint32 `json:"classes"`
	Probabilities Floats `json:"probabilities"`
	OutputsHash   string `json:"outputs_hash"` // client.OutputsHash, hex (informative: recomputed on verify)
	ModelHash     string `json:"model_hash"`
	Signature     []byte `json:"signature"` // the miner's, base64
}

// ReceiptSig is the gateway's countersignature.
type ReceiptSig struct {
	Hotkey    string `json:"hotkey"`
	PubKey    []byte `json:"pubkey"`
	Signature []byte `json:"signature"`
}

// Floats is a []float64 whose JSON null is NaN (a missing raw value), so
// a row with a missing value round-trips to the bits that were hashed.
type Floats []float64

func (f Floats) MarshalJSON() ([]byte, error) {
	b := make([]byte, 0, 2+len(f)*20)
	b = append(b, '[')
	for i, v := range f {
		if i > 0 {
			b = append(b, ',')
		}
		switch {
		case math.IsNaN(v):
			b = append(b, "null"...)
		case math.IsInf(v, 0):
			return nil, fmt.Errorf("value %d is infinite", i)
		default:
			b = strconv.AppendFloat(b, v, 'g', -1, 64)
		}
	}
	return append(b, ']'), nil
}

func (f *Floats) UnmarshalJSON(b []byte) error {
	var raw []*float64
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	out := make(Floats, len(raw))
	for i, p := range raw {
		if p == nil {
			out[i] = missing
		} else {
			out[i] = *p
		}
	}
	*f = out
	return nil
}

const receiptTag = "assay/gateway/v1/receipt\n"

// GatewaySignBytes is what the gateway's hotkey signs:
// tag ‖ sha256(the miner's client.ResponseSignBytes) (32) ‖ the miner's
// signature ‖ netuid (uint16 BE) ‖ uid (uint32 BE) ‖ block (uint64 BE) ‖
// task hash (32 raw bytes). The miner's sign bytes already bind the
// request hash, nonce, caller, miner hotkey, outputs and model hash.
func GatewaySignBytes(r *Receipt) ([]byte, error) {
	id, err := r.requestID()
	if err != nil {
		return nil, err
	}
	out := client.OutputsHash(r.Response.Rows, r.Response.Classes, r.Response.Probabilities)
	msg, err := client.ResponseSignBytes(id, r.Miner.Hotkey, out, r.Response.ModelHash)
	if err != nil {
		return nil, err
	}
	th, err := hex.DecodeString(r.TaskHash)
	if err != nil || len(th) != 32 {
		return nil, fmt.Errorf("task_hash %q is not 64 hex digits", r.TaskHash)
	}
	mh := sha256.Sum256(msg)
	b := make([]byte, 0, len(receiptTag)+32+len(r.Response.Signature)+2+4+8+32)
	b = append(b, receiptTag...)
	b = append(b, mh[:]...)
	b = append(b, r.Response.Signature...)
	b = binary.BigEndian.AppendUint16(b, r.Netuid)
	b = binary.BigEndian.AppendUint32(b, r.Miner.UID)
	b = binary.BigEndian.AppendUint64(b, uint64(r.Block))
	return append(b, th...), nil
}

func (r *Receipt) requestID() (client.RequestID, error) {
	h, err := hex.DecodeString(r.Request.Hash)
	if err != nil || len(h) != 32 {
		return client.RequestID{}, fmt.Errorf("request.hash %q is not 64 hex digits", r.Request.Hash)
	}
	return client.RequestID{BodyHash: [32]byte(h), Nonce: r.Request.Nonce, Caller: r.Request.Caller}, nil
}

// newReceipt builds and countersigns the receipt of one answer.
func (g *Gateway) newReceipt(netuid uint16, block int64, taskHash string, req *synapsev1.InferRequest, a answer) (*Receipt, error) {
	p := a.resp
	out := client.OutputsHash(p.Rows, p.Classes, p.Probabilities)
	r := &Receipt{
		Version: ReceiptVersion, Netuid: netuid, Block: block, TaskHash: taskHash,
		Miner: ReceiptMiner{UID: a.miner.UID, Hotkey: p.MinerHotkey, PubKey: p.MinerPubkey},
		Request: ReceiptReq{Hash: hex.EncodeToString(p.RequestHash), Nonce: p.Nonce, Caller: p.CallerHotkey,
			Rows: req.Rows, Cols: req.Cols, Values: req.Values},
		Response: ReceiptResp{Rows: p.Rows, Classes: p.Classes, Probabilities: p.Probabilities,
			OutputsHash: hex.EncodeToString(out[:]), ModelHash: p.ModelHash, Signature: p.Signature},
	}
	msg, err := GatewaySignBytes(r)
	if err != nil {
		return nil, err
	}
	sig, err := g.deps.Signer.Sign(msg)
	if err != nil {
		return nil, fmt.Errorf("countersigning: %w", err)
	}
	r.Gateway = ReceiptSig{Hotkey: g.deps.Signer.Address(), PubKey: g.deps.Signer.PubKey(), Signature: sig}
	return r, nil
}

// ErrReceipt is wrapped by every verification failure; the message names
// the part that failed.
var ErrReceipt = errors.New("receipt does not verify")

func receiptErr(part string, err error) error {
	return fmt.Errorf("%w: %s: %v", ErrReceipt, part, err)
}

// VerifyOffline checks a receipt without the chain: its version and shape,
// that request.values hash to request.hash, the miner's signature over
// (request, outputs, model hash), that the gateway is the caller the miner
// answered, and the gateway's countersignature.
func VerifyOffline(r *Receipt) error {
	if r.Version != ReceiptVersion {
		return receiptErr("version", fmt.Errorf("%d, this build reads %d", r.Version, ReceiptVersion))
	}
	req := &synapsev1.InferRequest{Netuid: uint32(r.Netuid), Rows: r.Request.Rows, Cols: r.Request.Cols, Values: r.Request.Values}
	if _, err := client.RequestRows(req); err != nil {
		return receiptErr("request", err)
	}
	bh, err := client.BodyHash(req)
	if err != nil {
		return receiptErr("request", err)
	}
	if hex.EncodeToString(bh[:]) != r.Request.Hash {
		return receiptErr("request.hash", fmt.Errorf("request.values hash to %x, the receipt says %s", bh, r.Request.Hash))
	}
	out := client.OutputsHash(r.Response.Rows, r.Response.Classes, r.Response.Probabilities)
	if r.Response.OutputsHash != "" && hex.EncodeToString(out[:]) != r.Response.OutputsHash {
		return receiptErr("response.outputs_hash", fmt.Errorf("response.probabilities hash to %x, the receipt says %s", out, r.Response.OutputsHash))
	}
	resp := &synapsev1.InferResponse{
		Rows: r.Response.Rows, Classes: r.Response.Classes, Probabilities: r.Response.Probabilities, ModelHash: r.Response.ModelHash,
		RequestHash: bh[:], Nonce: r.Request.Nonce, CallerHotkey: r.Request.Caller,
		MinerHotkey: r.Miner.Hotkey, MinerPubkey: r.Miner.PubKey, Signature: r.Response.Signature,
	}
	if err := client.VerifyResponse(req, resp, r.Miner.Hotkey, ""); err != nil {
		return receiptErr("miner signature (response.signature)", err)
	}
	if r.Gateway.Hotkey != r.Request.Caller {
		return receiptErr("gateway.hotkey", fmt.Errorf("%s countersigned, but the miner answered %s", r.Gateway.Hotkey, r.Request.Caller))
	}
	msg, err := GatewaySignBytes(r)
	if err != nil {
		return receiptErr("gateway signature", err)
	}
	if err := client.VerifySignature(r.Gateway.Hotkey, r.Gateway.PubKey, msg, r.Gateway.Signature); err != nil {
		return receiptErr("gateway signature (gateway.signature)", err)
	}
	return nil
}

// DecodeReceipts reads one receipt, or every receipt of an infer answer
// (an object with "receipts").
func DecodeReceipts(b []byte) ([]*Receipt, error) {
	var probe struct {
		Receipts json.RawMessage `json:"receipts"`
	}
	if err := json.Unmarshal(b, &probe); err != nil {
		return nil, fmt.Errorf("%w: malformed JSON: %v", ErrReceipt, err)
	}
	if probe.Receipts == nil {
		r, err := DecodeReceipt(b)
		if err != nil {
			return nil, err
		}
		return []*Receipt{r}, nil
	}
	var raws []json.RawMessage
	if err := json.Unmarshal(probe.Receipts, &raws); err != nil || len(raws) == 0 {
		return nil, fmt.Errorf("%w: receipts: want a non-empty list of receipts", ErrReceipt)
	}
	out := make([]*Receipt, len(raws))
	for i, raw := range raws {
		r, err := DecodeReceipt(raw)
		if err != nil {
			return nil, fmt.Errorf("receipts[%d]: %w", i, err)
		}
		out[i] = r
	}
	return out, nil
}

// DecodeReceipt parses a receipt's JSON, refusing unknown fields.
func DecodeReceipt(b []byte) (*Receipt, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var r Receipt
	if err := dec.Decode(&r); err != nil {
		return nil, fmt.Errorf("%w: malformed JSON: %v", ErrReceipt, err)
	}
	return &r, nil
}
