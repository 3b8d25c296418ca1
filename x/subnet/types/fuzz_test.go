package types_test

import (
	"slices"
	"testing"

	"github.com/cosmos/cosmos-sdk/codec"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/assay-network/assay/x/subnet/types"
)

func jsonCodec() codec.JSONCodec {
	cdc, _ := msgRegistry()
	return cdc
}

// msgRegistry is the codec and the interface registry x/subnet registers
// its messages in, the same list the chain routes txs by.
func msgRegistry() (codec.JSONCodec, codectypes.InterfaceRegistry) {
	// the chain's account prefix, set here rather than by importing app so
	// the fuzz binary stays small (go test -fuzz instruments every package)
	sdk.GetConfig().SetBech32PrefixForAccount("assay", "assaypub")
	reg := codectypes.NewInterfaceRegistry()
	reg.RegisterInterface(sdk.MsgInterfaceProtoName, (*sdk.Msg)(nil))
	types.RegisterInterfaces(reg)
	return codec.NewProtoCodec(reg), reg
}

type validatedMsg interface {
	codec.ProtoMarshaler
	ValidateBasic() error
}

// everyMsg returns a fresh value of every message x/subnet registers, so a
// message added later is fuzzed without editing this file. It fails the
// test if a message has no ValidateBasic: every tx a user can send is
// checked before it reaches a keeper.
func everyMsg(t testing.TB, reg codectypes.InterfaceRegistry) []validatedMsg {
	var out []validatedMsg
	for _, url := range slices.Sorted(slices.Values(reg.ListImplementations(sdk.MsgInterfaceProtoName))) {
		m, err := reg.Resolve(url)
		if err != nil {
			t.Fatalf("resolve %s: %v", url, err)
		}
		v, ok := m.(validatedMsg)
		if !ok {
			t.Fatalf("%s has no ValidateBasic", url)
		}
		out = append(out, v)
	}
	return out
}

// TestFuzzCoversEveryMsg pins the list the fuzz target walks: all twelve
// messages of x/subnet's Msg service.
func TestFuzzCoversEveryMsg(t *testing.T) {
	_, reg := msgRegistry()
	if got := len(everyMsg(t, reg)); got != 12 {
		t.Fatalf("fuzzing %d messages, want the 12 of x/subnet's Msg service", got)
	}
}

// FuzzMsgValidation feeds arbitrary JSON to every message's decoder and
// validator: a user's malformed tx or file must produce an error, never a panic.
func FuzzMsgValidation(f *testing.F) {
	cdc, reg := msgRegistry()
	seeds := []string{
		`{"owner":"assay1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqn5n2v2","name":"gc","task_spec":"{\"name\":\"t\",\"task_type\":\"tabular-classification\",\"dataset\":{\"format\":\"csv\",\"files\":[{\"role\":\"data\",\"sha256\":\"3f3543dcc9f564189b7354327370782b400514c4261c06a29b53c906b57ba0ed\",\"size_bytes\":1,\"urls\":[\"file:///x\"]}]},\"label\":{\"column\":\"y\"},\"split\":{\"seed\":1,\"validation_fraction\":\"0.3\"},\"metric\":\"accuracy\",\"reward\":{\"baseline\":\"majority\",\"temperature\":\"0.05\"},\"max_latency_ms\":100}"}`,
		`{"hyperparams":{"tempo":"0","kappa":"1.5"}}`,
		`{"task_spec":"{\"fairness\":{\"bias_weight\":\"-1\"},\"max_latency_ms\":4294967295}"}`,
		`{"subnets":[{"netuid":1,"task_spec":"{}","task_hash":"00"}]}`,
		`{"netuid":65536,"hotkey":"x","hotkey_pubkey":"AAAA","max_cost":"-5"}`,
		`{"endpoint":"[::1]:0","model_hash":"zz"}`,
		`{"coldkey":"assay1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqn5n2v2","hotkey":"assay1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqn5n2v2","netuid":1,"amount":"-1"}`,
		`{"coldkey":"x","hotkey":"y","netuid":70000,"amount":"99999999999999999999999999999999999999999999999999999999999999999999999999999999"}`,
		`{"coldkey":"assay1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqn5n2v2","hotkey":"h","take":"1.5"}`,
		`{"hotkey":"h","netuid":1,"uids":[0,1,70000],"weights":[65535,1],"version_key":"18446744073709551615"}`,
		`{"hotkey":"h","netuid":1,"hash":"AAEC"}`,
		`{"hotkey":"h","netuid":1,"uids":[],"weights":[1],"salt":"","version_key":"0"}`,
		`{}`, `[]`, `null`, `{"max_lock":"1e400"}`,
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, bz []byte) {
		for _, m := range everyMsg(t, reg) {
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
