package gateway

import (
	"encoding/json"
	"math"
	"testing"

	"github.com/cosmos/cosmos-sdk/crypto/keys/secp256k1"
	"github.com/stretchr/testify/require"

	"github.com/assay-network/assay/client"
	synapsev1 "github.com/assay-network/assay/synapse/v1"
)

// signedReceipt is a receipt as the gateway builds it, from a response a
// miner key signed; one input value is missing (NaN).
func signedReceipt(t *testing.T) (*Receipt, *Gateway) {
	t.Helper()
	gwKey := client.NewPrivKeySigner(secp256k1.GenPrivKey())
	minerKey := client.NewPrivKeySigner(secp256k1.GenPrivKey())
	req := client.NewInferRequest(4, [][]float64{{1.5, missing}, {-2, 0}})
	bh, err := client.BodyHash(req)
	require.NoError(t, err)
	resp := &synapsev1.InferResponse{Rows: 2, Classes: 2, Probabilities: []float64{0.25, 0.75, 0.9, 0.1}, ModelHash: sha64("m")}
	require.NoError(t, client.SignResponse(minerKey, client.RequestID{BodyHash: bh, Nonce: 77, Caller: gwKey.Address()}, resp))
	g := &Gateway{deps: Deps{Signer: gwKey}}
	r, err := g.newReceipt(4, 120, sha64("t"), req, answer{miner: Miner{UID: 5, Hotkey: minerKey.Address()}, resp: resp})
	require.NoError(t, err)
	return r, g
}

func sha64(s string) string {
	b := make([]byte, 64)
	for i := range b {
		b[i] = "0123456789abcdef"[(int(s[0])+i)%16]
	}
	return string(b)
}

func TestReceiptRoundTripsAndVerifies(t *testing.T) {
	r, _ := signedReceipt(t)
	b, err := json.Marshal(r)
	require.NoError(t, err)
	require.Contains(t, string(b), `"values":[1.5,null,-2,0]`)
	got, err := DecodeReceipt(b)
	require.NoError(t, err)
	require.True(t, math.IsNaN(got.Request.Values[1]))
	require.NoError(t, VerifyOffline(got))
}

func TestTamperedReceiptNamesWhatFailed(t *testing.T) {
	for _, c := range []struct {
		name string
		edit func(r *Receipt)
		want string
	}{
		{"probability", func(r *Receipt) { r.Response.Probabilities[2] = 0.1; r.Response.OutputsHash = "" }, "miner signature"},
		{"outputs hash kept", func(r *Receipt) { r.Response.Probabilities[2] = 0.1 }, "response.outputs_hash"},
		{"input", func(r *Receipt) { r.Request.Values[0] = 1.6 }, "request.hash"},
		{"missing becomes zero", func(r *Receipt) { r.Request.Values[1] = 0 }, "request.hash"},
		{"nonce", func(r *Receipt) { r.Request.Nonce++ }, "miner signature"},
		{"model", func(r *Receipt) { r.Response.ModelHash = sha64("x") }, "miner signature"},
		{"block", func(r *Receipt) { r.Block++ }, "gateway signature"},
		{"netuid", func(r *Receipt) { r.Netuid++ }, "request.hash"},
		{"uid", func(r *Receipt) { r.Miner.UID++ }, "gateway signature"},
		{"task", func(r *Receipt) { r.TaskHash = sha64("y") }, "gateway signature"},
		{"gateway key", func(r *Receipt) { r.Gateway.Hotkey = r.Miner.Hotkey }, "gateway.hotkey"},
		{"version", func(r *Receipt) { r.Version = 2 }, "version"},
	} {
		r, _ := signedReceipt(t)
		c.edit(r)
		err := VerifyOffline(r)
		require.ErrorIs(t, err, ErrReceipt, c.name)
		require.ErrorContains(t, err, c.want, c.name)
	}
}

func TestDecodeReceiptsTakesAnAnswerOrOneReceipt(t *testing.T) {
	r, _ := signedReceipt(t)
	one, err := json.Marshal(r)
	require.NoError(t, err)
	rs, err := DecodeReceipts(one)
	require.NoError(t, err)
	require.Len(t, rs, 1)
	all, err := json.Marshal(InferResult{Receipts: []*Receipt{r, r}})
	require.NoError(t, err)
	rs, err = DecodeReceipts(all)
	require.NoError(t, err)
	require.Len(t, rs, 2)
	_, err = DecodeReceipts([]byte(`{"receipts": []}`))
	require.ErrorContains(t, err, "receipts: want a non-empty list")
	_, err = DecodeReceipts([]byte(`{"version":1,"surprise":true}`))
	require.ErrorContains(t, err, "surprise")
}
