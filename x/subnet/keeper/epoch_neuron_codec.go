package keeper

import (
	"errors"
	"fmt"

	"cosmossdk.io/collections/codec"
	"cosmossdk.io/math"

	"github.com/assay-network/assay/x/internal/compact"
	"github.com/assay-network/assay/x/subnet/types"
)

// epochNeuron is a stored neuron as the epoch reads it: the fields the
// epoch needs, decoded, and the stored bytes. The results are written by
// keeping the bytes of every field before Emission and encoding the rest
// (emission, stake, permit, last update and the four Yuma outputs) anew,
// so an epoch neither decodes nor re-encodes the addresses, the axon and
// four decimals per UID, and a neuron whose bytes come out the same is not
// written.
type epochNeuron struct {
	uid                      uint32
	hotkey, coldkey          string
	registeredAt, lastUpdate int64
	// stake is unset while the stored stake is small (it fits int64):
	// epochNeurons builds those for all neurons at once (smallStakes).
	stake      math.Int
	smallStake int64
	permit     bool
	// stored is the stored value, copied once into a string that the
	// hotkey and coldkey are slices of (one allocation per neuron), and head
	// the length of its fields before Emission; full is the whole neuron
	// when it is stored as proto (head 0), which is written back through
	// the Neurons map. out is what Encode writes (withResults builds it).
	stored string
	head   int
	full   *types.Neuron
	out    []byte
}

// epochNeuronCodec backs the epoch's view of the Neurons map (same prefix,
// not in the schema). Encode writes out as it is: withResults builds it.
type epochNeuronCodec struct {
	neurons codec.ValueCodec[types.Neuron]
}

func (c epochNeuronCodec) Encode(n epochNeuron) ([]byte, error) {
	if n.full != nil || n.head == 0 || n.out == nil {
		return nil, errors.New("epoch neuron view: only a compact neuron with results is written")
	}
	return n.out, nil
}

// Decode reads the fields decodeNeuron reads, in its order, and fails
// where it would.
func (c epochNeuronCodec) Decode(b []byte) (epochNeuron, error) {
	r, ok := compact.Open(b)
	if !ok {
		full, err := c.neurons.Decode(b)
		if err != nil {
			return epochNeuron{}, err
		}
		return epochNeuron{uid: full.Uid, hotkey: full.Hotkey, coldkey: full.Coldkey, registeredAt: full.RegisteredAt,
			lastUpdate: full.LastUpdate, stake: stakeOrZero(full.Stake), permit: full.ValidatorPermit, full: &full}, nil
	}
	var n epochNeuron
	r.Uvarint() // netuid
	n.uid = uint32(r.Uvarint())
	hotkey := r.Blob()
	keysAt := len(b) - r.Len() - len(hotkey)
	coldkey := r.Blob()
	keysEnd := len(b) - r.Len()
	n.registeredAt = r.Varint()
	if r.Bool() {
		r.Blob() // endpoint
		r.Blob() // protocol
		r.Blob() // model hash
		r.Blob() // version
		r.Varint()
	}
	n.head = len(b) - r.Len()
	r.SkipInt() // emission
	var small bool
	if n.smallStake, small = r.SmallInt(); !small {
		n.stake = r.MathInt()
	}
	n.permit = r.Bool()
	n.lastUpdate = r.Varint()
	for range 4 { // consensus, validator trust, incentive, dividends
		r.SkipDec()
	}
	if err := r.Done(); err != nil {
		return epochNeuron{}, fmt.Errorf("%w: %T", err, types.Neuron{})
	}
	// the store's buffer is not the caller's to keep: one copy, which the
	// keys are read from
	n.stored = string(b)
	n.hotkey = n.stored[keysAt : keysAt+len(hotkey)]
	n.coldkey = n.stored[keysEnd-len(coldkey) : keysEnd]
	return n, nil
}

// withResults returns the stored bytes with UID i's results and stake in
// place of the ones stored, written as encodeNeuron writes them.
func (n epochNeuron) withResults(stake math.Int, res types.EpochResults, i int) []byte {
	return n.appendResults(make([]byte, 0, len(n.stored)+16), stake, res, i)
}

// appendResults is withResults appended to dst, so the epoch can build
// every neuron in one scratch buffer and copy only those that changed.
func (n epochNeuron) appendResults(dst []byte, stake math.Int, res types.EpochResults, i int) []byte {
	w := compact.Append(append(dst, n.stored[:n.head]...))
	w.Uint64(res.Emission[i])
	w.MathInt(stake)
	w.Bool(res.Permits[i])
	w.Varint(n.lastUpdate)
	types.WriteFixedDec(&w, res.Consensus[i])
	types.WriteFixedDec(&w, res.ValidatorTrust[i])
	types.WriteFixedDec(&w, res.Incentive[i])
	types.WriteFixedDec(&w, res.Dividends[i])
	return w.Bytes()
}

func (c epochNeuronCodec) EncodeJSON(epochNeuron) ([]byte, error) { return nil, errEpochView }
func (c epochNeuronCodec) DecodeJSON([]byte) (epochNeuron, error) { return epochNeuron{}, errEpochView }
func (c epochNeuronCodec) Stringify(epochNeuron) string           { return "epoch neuron" }
func (c epochNeuronCodec) ValueType() string                      { return "epoch neuron" }
