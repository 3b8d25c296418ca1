package keeper

import (
	"cosmossdk.io/collections/codec"

	"github.com/assay-network/assay/x/internal/compact"

	"github.com/assay-network/assay/x/subnet/types"
)

// neuronFields is how many fields types.Neuron has; neuronCodec writes each
// of them, and TestNeuronCodecCoversEveryField fails when the message gains
// one the codec does not know.
const neuronFields = 14

// neuronCodec stores a Neuron compactly (x/internal/compact): the six numbers
// an epoch rewrites are varints instead of decimal text.
func neuronCodec(proto codec.ValueCodec[types.Neuron]) codec.ValueCodec[types.Neuron] {
	return compact.Value[types.Neuron]{ValueCodec: proto, Write: encodeNeuron, Read: decodeNeuron}
}

func encodeNeuron(w *compact.Writer, n types.Neuron) {
	w.Uvarint(uint64(n.Netuid))
	w.Uvarint(uint64(n.Uid))
	w.Text(n.Hotkey)
	w.Text(n.Coldkey)
	w.Varint(n.RegisteredAt)
	w.Bool(n.Axon != nil)
	if n.Axon != nil {
		w.Text(n.Axon.Endpoint)
		w.Text(n.Axon.Protocol)
		w.Text(n.Axon.ModelHash)
		w.Text(n.Axon.Version)
		w.Varint(n.Axon.Block)
	}
	w.MathInt(n.Emission)
	w.MathInt(n.Stake)
	w.Bool(n.ValidatorPermit)
	w.Varint(n.LastUpdate)
	w.Dec(n.Consensus)
	w.Dec(n.ValidatorTrust)
	w.Dec(n.Incentive)
	w.Dec(n.Dividends)
}

func decodeNeuron(r *compact.Reader) types.Neuron {
	var n types.Neuron
	n.Netuid = uint32(r.Uvarint())
	n.Uid = uint32(r.Uvarint())
	n.Hotkey = r.Text()
	n.Coldkey = r.Text()
	n.RegisteredAt = r.Varint()
	if r.Bool() {
		n.Axon = &types.AxonInfo{Endpoint: r.Text(), Protocol: r.Text(), ModelHash: r.Text(), Version: r.Text(), Block: r.Varint()}
	}
	n.Emission = r.MathInt()
	n.Stake = r.MathInt()
	n.ValidatorPermit = r.Bool()
	n.LastUpdate = r.Varint()
	n.Consensus = r.Dec()
	n.ValidatorTrust = r.Dec()
	n.Incentive = r.Dec()
	n.Dividends = r.Dec()
	return n
}
