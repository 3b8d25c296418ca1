package e2e

import (
	"context"
	"io"
	"math/rand"
	"net/http"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"cosmossdk.io/math"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	"github.com/assay-network/assay/client"
	"github.com/assay-network/assay/internal/buildcheck"
	"github.com/assay-network/assay/internal/testtime"
	subnettypes "github.com/assay-network/assay/x/subnet/types"
)

// TestMinerProcessKilled9ComesBackOnItsUID runs the real assay-miner
// binary, which registers itself (the coldkey pays) and publishes its axon,
// while a validator key sends it signed requests without pause. The miner
// is killed with SIGKILL twice, once at a seeded moment mid-load and once
// right after it came back, and restarted with the same command each time.
// A restarted miner must serve again on the same UID: no second
// registration (the coldkey pays nothing more, the registration block is
// unchanged) and no new neuron, and its answers verify again.
func TestMinerProcessKilled9ComesBackOnItsUID(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs assay-miner; skipped with -short")
	}
	root, err := filepath.Abs(filepath.Join("..", ".."))
	require.NoError(t, err)
	bin, err := buildcheck.Binary(t.Context(), root, "assay-miner", t.TempDir())
	require.NoError(t, err)
	c := NewChain(t, nil)
	ctx := t.Context()
	ds, m, spec := minerModel(t)
	owner := c.Val.Address.String()
	res := c.Broadcast(c.Val.Moniker, &subnettypes.MsgRegisterSubnet{Owner: owner, Name: "wages", TaskSpec: spec})
	require.Zero(t, res.Code, res.RawLog)
	const netuid = 1
	c.NewFundedKeys(10_000_000, "val", "m1", "m1cold")
	c.RegisterNeurons(netuid, "val")
	res = c.Broadcast(c.Val.Moniker, &subnettypes.MsgAddStake{Coldkey: owner, Netuid: netuid, Hotkey: c.Addr("val").String(), Amount: math.NewInt(5_000_000)})
	require.Zero(t, res.Code, res.RawLog)
	modelPath := filepath.Join(t.TempDir(), "m.amdl")
	hash, err := m.Save(modelPath)
	require.NoError(t, err)

	listen, metrics := freeAddr(t), freeAddr(t)
	logf := processLog(t, "assay-miner")
	var proc *exec.Cmd
	start := func() {
		proc = exec.Command(bin, "serve", "--model", modelPath, "--netuid", strconv.Itoa(netuid), "--hotkey", "m1", "--coldkey", "m1cold",
			"--home", c.Ctx().KeyringDir, "--keyring-backend", "test", "--grpc", c.Val.AppConfig.GRPC.Address,
			"--listen", listen, "--metrics", metrics)
		proc.Stdout, proc.Stderr = logf, logf
		proc.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
		require.NoError(t, proc.Start())
	}
	kill9 := func() {
		require.NoError(t, proc.Process.Signal(syscall.SIGKILL))
		_ = proc.Wait()
	}
	t.Cleanup(func() {
		if proc != nil && proc.ProcessState == nil {
			kill9()
		}
	})
	healthy := func(what string) {
		t.Helper()
		for deadline := time.Now().Add(testtime.Scale(90 * time.Second)); ; time.Sleep(100 * time.Millisecond) {
			if resp, err := http.Get("http://" + metrics + "/healthz"); err == nil {
				b, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode == http.StatusOK && strings.Contains(string(b), hash) {
					return
				}
			}
			require.True(t, time.Now().Before(deadline), "the miner never became healthy %s", what)
		}
	}
	cc := c.Client()
	neuron := func() subnettypes.Neuron {
		t.Helper()
		mg, err := cc.Metagraph(ctx, netuid)
		require.NoError(t, err)
		require.Len(t, mg.Neurons, 2, "the validator and the one miner")
		for _, n := range mg.Neurons {
			if n.Hotkey == c.Addr("m1").String() {
				return n
			}
		}
		t.Fatal("m1 is not on the subnet")
		return subnettypes.Neuron{}
	}

	start()
	healthy("after its first start")
	var first subnettypes.Neuron
	for deadline := time.Now().Add(testtime.Scale(60 * time.Second)); ; time.Sleep(200 * time.Millisecond) {
		if mg, err := cc.Metagraph(ctx, netuid); err == nil && len(mg.Neurons) == 2 {
			if n := neuron(); n.Axon != nil && n.Axon.Endpoint == listen && n.Axon.ModelHash == hash {
				first = n
				break
			}
		}
		require.True(t, time.Now().Before(deadline), "the miner's axon never reached the chain")
	}
	paid := c.Balance(c.Addr("m1cold"))

	// A validator that never stops asking, across the kills.
	signer, err := client.NewKeyringSigner(c.Ctx().Keyring, "val")
	require.NoError(t, err)
	conn, err := grpc.NewClient(listen, grpc.WithTransportCredentials(insecure.NewCredentials()))
	require.NoError(t, err)
	defer conn.Close()
	d := client.NewDendrite(signer, nil)
	ax := client.Axon{Hotkey: c.Addr("m1").String(), ModelHash: hash, Conn: conn}
	loadCtx, stopLoad := context.WithCancel(ctx)
	var mu sync.Mutex
	answered, failed := 0, 0
	loadDone := make(chan struct{})
	go func() {
		defer close(loadDone)
		for loadCtx.Err() == nil {
			req := client.NewInferRequest(netuid, [][]float64{ds.Row(ds.Validation[0])})
			_, err := d.Infer(loadCtx, ax, req, 2*time.Second)
			mu.Lock()
			if err == nil {
				answered++
			} else {
				failed++
			}
			mu.Unlock()
			if err != nil {
				time.Sleep(20 * time.Millisecond) // the miner is down: no busy loop
			}
		}
	}()
	answeredNow := func() int { mu.Lock(); defer mu.Unlock(); return answered }
	waitAnswers := func(what string, more int) {
		t.Helper()
		from := answeredNow()
		for deadline := time.Now().Add(testtime.Scale(60 * time.Second)); answeredNow() < from+more; time.Sleep(20 * time.Millisecond) {
			require.True(t, time.Now().Before(deadline), "no verified answers %s (%d failures so far)", what, failed)
		}
	}

	waitAnswers("before the first kill", 5)
	r := rand.New(rand.NewSource(17))
	time.Sleep(time.Duration(r.Int63n(int64(time.Second))))
	kill9() // mid-load
	start()
	healthy("after the first kill")
	waitAnswers("after the first restart", 5)
	kill9() // right after it came back
	start()
	healthy("after the second kill")
	waitAnswers("after the second restart", 5)
	stopLoad()
	<-loadDone

	after := neuron()
	require.Equal(t, first.Uid, after.Uid, "the miner came back on another UID")
	require.Equal(t, first.RegisteredAt, after.RegisteredAt, "the miner registered again")
	require.Equal(t, listen, after.Axon.Endpoint)
	require.Equal(t, hash, after.Axon.ModelHash)
	require.Equal(t, paid.String(), c.Balance(c.Addr("m1cold")).String(), "the coldkey paid again after a restart")
	t.Logf("%d answers verified, %d requests failed across two kill -9s", answered, failed)
}
