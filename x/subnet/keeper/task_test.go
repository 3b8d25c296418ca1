package keeper_test

import (
	"strings"
	"testing"

	"github.com/cosmos/gogoproto/proto"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/assay-network/assay/task"
	"github.com/assay-network/assay/x/subnet/types"
)

// The subnet stores the task file's canonical JSON and its hash, whatever
// the layout of the file that was sent, and the query shows both.
func TestRegisterSubnetStoresCanonicalTaskAndHash(t *testing.T) {
	f := newFixture(t)
	owner := f.funded(1_000_000_000)
	netuid := f.registerSubnet(owner, nil)

	spec, err := task.Parse([]byte(germanCreditTask()))
	require.NoError(t, err)
	canonical, err := spec.Canonical()
	require.NoError(t, err)
	hash, err := spec.Hash()
	require.NoError(t, err)

	res, err := f.qs.Subnet(f.ctx, &types.QuerySubnetRequest{Netuid: netuid})
	require.NoError(t, err)
	require.Equal(t, string(canonical), res.Subnet.TaskSpec)
	require.Equal(t, hash, res.Subnet.TaskHash)
	require.NotEqual(t, germanCreditTask(), res.Subnet.TaskSpec, "the file's white space is not what is stored")
	stored, err := res.Subnet.Task()
	require.NoError(t, err)
	require.Equal(t, "personal_status", stored.Fairness.Protected.Column)
}

// No message but MsgRegisterSubnet carries a task: the spec is fixed for
// the subnet's life. Checked on the Msg service's descriptors, so a new
// message with a task field fails here.
func TestOnlyRegisterSubnetCarriesATask(t *testing.T) {
	d, err := proto.HybridResolver.FindDescriptorByName("assay.subnet.v1.Msg")
	require.NoError(t, err)
	methods := d.(protoreflect.ServiceDescriptor).Methods()
	require.Positive(t, methods.Len())
	for i := range methods.Len() {
		in := methods.Get(i).Input()
		fields := taskFields(in, map[protoreflect.FullName]bool{})
		if in.Name() == "MsgRegisterSubnet" {
			require.Equal(t, []string{"task_spec"}, fields)
			continue
		}
		require.Empty(t, fields, "%s can change a task", in.FullName())
	}
}

// taskFields lists the fields named task* in m and the messages it holds.
func taskFields(m protoreflect.MessageDescriptor, seen map[protoreflect.FullName]bool) []string {
	if seen[m.FullName()] {
		return nil
	}
	seen[m.FullName()] = true
	var out []string
	for i := range m.Fields().Len() {
		fd := m.Fields().Get(i)
		if strings.HasPrefix(string(fd.Name()), "task") {
			out = append(out, string(fd.Name()))
		}
		if fd.Message() != nil {
			out = append(out, taskFields(fd.Message(), seen)...)
		}
	}
	return out
}

// Every owner message and the life of the subnet around it leave the task
// as registered.
func TestTaskIsImmutable(t *testing.T) {
	f := newFixture(t)
	owner := f.funded(100_000_000_000)
	netuid := f.registerSubnet(owner, nil)
	before, err := f.k.GetSubnet(f.ctx, uint16(netuid))
	require.NoError(t, err)

	hp := types.DefaultHyperparams()
	hp.Tempo = 42
	_, err = f.msgs.UpdateHyperparams(f.ctx, &types.MsgUpdateHyperparams{Owner: owner.String(), Netuid: netuid, Hyperparams: hp})
	require.NoError(t, err)
	hot := newAccount()
	f.registerNeuron(netuid, owner, hot)
	f.stake(netuid, owner, hot, 1_000_000)
	_, err = f.msgs.ServeAxon(f.ctx, &types.MsgServeAxon{Hotkey: hot.String(), Netuid: netuid, Endpoint: "10.0.0.1:9000",
		Protocol: "grpc", ModelHash: strings.Repeat("ab", 32)})
	require.NoError(t, err)
	// Registering the same task again makes another subnet, not a change.
	other := f.registerSubnet(owner, nil)
	require.NotEqual(t, netuid, other)
	f.advance(100)

	after, err := f.k.GetSubnet(f.ctx, uint16(netuid))
	require.NoError(t, err)
	require.Equal(t, uint64(42), after.Hyperparams.Tempo, "the hyperparameters did change")
	require.Equal(t, before.TaskSpec, after.TaskSpec)
	require.Equal(t, before.TaskHash, after.TaskHash)
}
