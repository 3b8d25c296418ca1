package types_test

import (
	"testing"

	"github.com/cosmos/cosmos-sdk/codec"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/assay-network/assay/x/subnet/types"
)

func jsonCodec() codec.JSONCodec {
	// the chain's account prefix, set here rather than by importing app so
	// the fuzz binary stays small (go test -fuzz instruments every package)
	sdk.GetConfig().SetBech32PrefixForAccount("assay", "assaypub")
	reg := codectypes.NewInterfaceRegistry()
	types.RegisterInterfaces(reg)
	return codec.NewProtoCodec(reg)
}

// FuzzMsgValidation feeds arbitrary JSON to every message's decoder and
// validator: a user's malformed tx or file must produce an error, never a panic.
func FuzzMsgValidation(f *testing.F) {
	cdc := jsonCodec()
	seeds := []string{
		`{"owner":"assay1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqn5n2v2","name":"gc","task_spec":"{\"name\":\"t\",\"task_type\":\"tabular-classification\",\"dataset\":{\"format\":\"csv\",\"files\":[{\"role\":\"data\",\"sha256\":\"3f3543dcc9f564189b7354327370782b400514c4261c06a29b53c906b57ba0ed\",\"size_bytes\":1,\"urls\":[\"file:///x\"]}]},\"label\":{\"column\":\"y\"},\"split\":{\"seed\":1,\"validation_fraction\":\"0.3\"},\"metric\":\"accuracy\",\"reward\":{\"baseline\":\"majority\",\"temperature\":\"0.05\"},\"max_latency_ms\":100}"}`,
		`{"hyperparams":{"tempo":"0","kappa":"1.5"}}`,
		`{"task_spec":"{\"fairness\":{\"bias_weight\":\"-1\"},\"max_latency_ms\":4294967295}"}`,
		`{"subnets":[{"netuid":1,"task_spec":"{}","task_hash":"00"}]}`,
		`{"netuid":65536,"hotkey":"x","hotkey_pubkey":"AAAA","max_cost":"-5"}`,
		`{"endpoint":"[::1]:0","model_hash":"zz"}`,
		`{}`, `[]`, `null`, `{"max_lock":"1e400"}`,
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, bz []byte) {
		msgs := []interface {
			codec.ProtoMarshaler
			ValidateBasic() error
		}{
			&types.MsgRegisterSubnet{}, &types.MsgUpdateHyperparams{}, &types.MsgDissolveSubnet{},
			&types.MsgRegisterNeuron{}, &types.MsgServeAxon{}, &types.MsgUpdateParams{},
		}
		for _, m := range msgs {
			if err := cdc.UnmarshalJSON(bz, m); err != nil {
				continue
			}
			_ = m.ValidateBasic()
		}
		_, _ = types.ParseTaskSpec(string(bz))
		var gs types.GenesisState
		if cdc.UnmarshalJSON(bz, &gs) == nil {
			_ = gs.Validate()
		}
		var reg types.MsgRegisterNeuron
		if cdc.UnmarshalJSON(bz, &reg) == nil {
			_ = types.VerifyHotkeyProof("assay-test", &reg)
		}
		_ = types.ValidateEndpoint(string(bz))
		_ = types.ValidateModelHash(string(bz))
	})
}
