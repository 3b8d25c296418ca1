package testnet

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"text/template"

	cmtcfg "github.com/cometbft/cometbft/config"
	serverconfig "github.com/cosmos/cosmos-sdk/server/config"
	"github.com/cosmos/cosmos-sdk/telemetry"
)

// cometConfig is node i's config.toml: CometBFT's defaults with every
// listener on Host at the node's ports, the other nodes as persistent peers
// and cfg.CommitTimeout blocks.
func cometConfig(cfg Config, i int, peers []string) *cmtcfg.Config {
	p := PortsOf(cfg.PortOffset, i)
	c := cmtcfg.DefaultConfig()
	c.SetRoot(cfg.Home(i))
	c.Moniker = Moniker(i)
	c.ProxyApp = tcpAddr(p.ABCI)
	c.RPC.ListenAddress = tcpAddr(p.RPC)
	c.RPC.GRPCListenAddress = "" // CometBFT's own gRPC server: off, as by default
	c.RPC.PprofListenAddress = addr(p.Pprof)
	c.P2P.ListenAddress = tcpAddr(p.P2P)
	c.P2P.ExternalAddress = addr(p.P2P)
	c.P2P.PersistentPeers = strings.Join(peers, ",")
	// Every peer is on 127.0.0.1: a strict address book would drop them all.
	c.P2P.AddrBookStrict = false
	c.P2P.AllowDuplicateIP = true
	c.Instrumentation.PrometheusListenAddr = addr(p.Prometheus)
	c.Consensus.TimeoutCommit = cfg.CommitTimeout
	return c
}

// appConfig is node i's app.toml: the SDK's defaults with REST enabled (the
// README's curl examples and the explorer read it), REST and gRPC on Host at
// the node's ports, and cfg.MinGasPrices.
func appConfig(cfg Config, i int) *serverconfig.Config {
	p := PortsOf(cfg.PortOffset, i)
	c := serverconfig.DefaultConfig()
	c.MinGasPrices = cfg.MinGasPrices
	c.API.Enable = true
	c.API.Address = tcpAddr(p.API)
	c.GRPC.Address = addr(p.GRPC)
	return c
}

// clientTOML points assayd's client commands at node i: its RPC, the chain
// id and the test keyring, so `export ASSAY_HOME=<home>` is all a user sets.
var clientTOML = template.Must(template.New("client.toml").Parse(`chain-id = "{{.ChainID}}"
keyring-backend = "{{.KeyringBackend}}"
keyring-default-keyname = ""
output = "text"
node = "{{.Node}}"
broadcast-mode = "sync"
`))

// writeNodeConfig writes config.toml, app.toml, client.toml and the empty
// otel.yaml `assayd init` would write, into node i's config directory.
func writeNodeConfig(cfg Config, i int, peers []string) error {
	dir := filepath.Join(cfg.Home(i), "config")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	// CometBFT renders config.toml only through this function; its template
	// is fixed and the directory exists, so it has nothing left to fail on.
	cmtcfg.WriteConfigFile(filepath.Join(dir, "config.toml"), cometConfig(cfg, i, peers))

	appTmpl, err := template.New("app.toml").Parse(serverconfig.DefaultConfigTemplate)
	if err != nil {
		return fmt.Errorf("app.toml template: %w", err)
	}
	if err := render(filepath.Join(dir, "app.toml"), appTmpl, appConfig(cfg, i)); err != nil {
		return err
	}
	client := struct{ ChainID, KeyringBackend, Node string }{
		cfg.ChainID, cfg.KeyringBackend, tcpAddr(PortsOf(cfg.PortOffset, i).RPC),
	}
	if err := render(filepath.Join(dir, "client.toml"), clientTOML, client); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, telemetry.OtelFileName), nil, 0o600)
}

func render(path string, t *template.Template, data any) error {
	var b bytes.Buffer
	if err := t.Execute(&b, data); err != nil {
		return fmt.Errorf("%s: %w", filepath.Base(path), err)
	}
	return os.WriteFile(path, b.Bytes(), 0o644)
}
