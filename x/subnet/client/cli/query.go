package cli

import (
	"encoding/hex"
	"encoding/json"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/client/flags"
	"github.com/spf13/cobra"
	"google.golang.org/grpc"
	"google.golang.org/grpc/metadata"

	"github.com/assay-network/assay/x/subnet/types"
)

// NewQueryCmd is the root of `assayd q subnet`; autocli adds every query
// that is not hand-written here.
func NewQueryCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:                        types.ModuleName,
		Short:                      "Querying commands for the subnet module",
		DisableFlagParsing:         true,
		SuggestionsMinimumDistance: 2,
		RunE:                       client.ValidateCmd,
	}
	cmd.AddCommand(NewCommitsCmd(), NewStandingCmd())
	return cmd
}

// CommitView is one pending commit as `q subnet commits` prints it: the
// hash in hex, as commit-weights prints it, names its stored file and
// reveal-weights --hash takes it (the proto JSON would give base64). The
// other fields keep autocli's encoding, int64 as a string.
type CommitView struct {
	Hash        string `json:"hash"`
	Block       int64  `json:"block,string"`
	RevealFrom  int64  `json:"reveal_from,string"`
	RevealUntil int64  `json:"reveal_until,string"`
}

// CommitsJSON is the printed form of a Commits response.
func CommitsJSON(res *types.QueryCommitsResponse) ([]byte, error) {
	out := struct {
		Commits []CommitView `json:"commits"`
	}{Commits: make([]CommitView, 0, len(res.Commits))}
	for _, c := range res.Commits {
		out.Commits = append(out.Commits, CommitView{
			Hash: hex.EncodeToString(c.Hash), Block: c.Block, RevealFrom: c.RevealFrom, RevealUntil: c.RevealUntil,
		})
	}
	return json.Marshal(out)
}

// NewCommitsCmd is `q subnet commits NETUID HOTKEY`.
func NewCommitsCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "commits [netuid] [hotkey]",
		Short: "List a hotkey's (key name or address) pending weight commits (hashes in hex) and their reveal windows",
		Long: `List HOTKEY's pending weight commits on NETUID: each hash in hex (what
reveal-weights --hash takes), the block it was committed in and its reveal
window. Text output says where each window stands now, in blocks and
approximate time; -o json prints the JSON (int64s as strings).`,
		Args:        cobra.ExactArgs(2),
		Annotations: KeyNamesResolved(),
		RunE: func(cmd *cobra.Command, args []string) error {
			clientCtx, err := client.GetClientQueryContext(cmd)
			if err != nil {
				return err
			}
			netuid, err := parseNetuid(args[0])
			if err != nil {
				return err
			}
			hotkey, err := ResolveAddress(clientCtx, "hotkey", args[1])
			if err != nil {
				return err
			}
			var header metadata.MD
			res, err := types.NewQueryClient(clientCtx).Commits(cmd.Context(),
				&types.QueryCommitsRequest{Netuid: netuid, Hotkey: hotkey}, grpc.Header(&header))
			if err != nil {
				return err
			}
			if WantsText(cmd, clientCtx) {
				block, err := heightOf(header)
				if err != nil {
					return err
				}
				return WriteCommits(cmd.OutOrStdout(), netuid, hotkey, block, res, EstimateBlockTime(cmd.Context(), clientCtx))
			}
			bz, err := CommitsJSON(res)
			if err != nil {
				return err
			}
			return clientCtx.WithOutput(cmd.OutOrStdout()).PrintRaw(bz)
		},
	}
	flags.AddQueryFlagsToCmd(cmd)
	AddKeyNameFlags(cmd)
	return cmd
}
