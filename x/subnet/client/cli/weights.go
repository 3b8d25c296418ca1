package cli

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/client/tx"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/spf13/cobra"

	"github.com/assay-network/assay/internal/atomicfile"
	"github.com/assay-network/assay/weightcommit"
	"github.com/assay-network/assay/x/subnet/types"
)

const (
	flagSalt       = "salt"
	flagHash       = "hash"
	flagVersionKey = "version-key"
	// CommitsDir is where commit-weights keeps what reveal-weights needs, under --home.
	CommitsDir = "weights-commits"
)

// ParseWeights parses "UID=W,UID=W,..." into parallel uid and weight slices,
// in the order given.
func ParseWeights(s string) ([]uint32, []uint32, error) {
	var uids, weights []uint32
	for i, part := range strings.Split(strings.TrimSpace(s), ",") {
		u, w, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return nil, nil, fmt.Errorf("weights entry %d: %q is not UID=WEIGHT", i, part)
		}
		uid, err := strconv.ParseUint(strings.TrimSpace(u), 10, 16)
		if err != nil {
			return nil, nil, fmt.Errorf("weights entry %d: uid %q is not in [0, 65535]", i, u)
		}
		wt, err := strconv.ParseUint(strings.TrimSpace(w), 10, 16)
		if err != nil {
			return nil, nil, fmt.Errorf("weights entry %d: weight %q is not in [0, 65535]", i, w)
		}
		uids, weights = append(uids, uint32(uid)), append(weights, uint32(wt))
	}
	return uids, weights, nil
}

// StoredCommit is the file commit-weights writes and reveal-weights reads:
// whose commit it is and the record a reveal needs.
type StoredCommit struct {
	Netuid uint16 `json:"netuid"`
	Hotkey string `json:"hotkey"`
	weightcommit.Record
}

// CommitPath is <home>/weights-commits/<netuid>-<hotkey>-<hash>.json.
func CommitPath(home string, netuid uint16, hotkey, hash string) string {
	return filepath.Join(home, CommitsDir, fmt.Sprintf("%d-%s-%s.json", netuid, hotkey, hash))
}

// SaveStoredCommit writes sc to its CommitPath under home, atomically: a
// crash mid-write must not lose the salt of a commit that may be on chain.
func SaveStoredCommit(home string, sc StoredCommit) (string, error) {
	path := CommitPath(home, sc.Netuid, sc.Hotkey, sc.Hash)
	bz, err := json.MarshalIndent(sc, "", "  ")
	if err != nil {
		return "", err
	}
	return path, atomicfile.Write(path, bz)
}

// NewSetWeightsCmd is `set-weights NETUID UID=W,...`.
func NewSetWeightsCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "set-weights [netuid] [uid=weight,...]",
		Short: "Set your validator hotkey's weights (subnets with commit_reveal off); sign with --from HOTKEY",
		Args:  cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			clientCtx, err := client.GetClientTxContext(cmd)
			if err != nil {
				return err
			}
			netuid, err := parseNetuid(args[0])
			if err != nil {
				return err
			}
			uids, weights, err := ParseWeights(args[1])
			if err != nil {
				return err
			}
			version, _ := cmd.Flags().GetUint64(flagVersionKey)
			msg := &types.MsgSetWeights{Hotkey: clientCtx.GetFromAddress().String(), Netuid: netuid, Uids: uids, Weights: weights, VersionKey: version}
			if err := msg.ValidateBasic(); err != nil {
				return err
			}
			return tx.GenerateOrBroadcastTxCLI(clientCtx, cmd.Flags(), msg)
		},
	}
	cmd.Flags().Uint64(flagVersionKey, 0, "weights version key (>= the subnet's weights_version)")
	addTxFlags(cmd)
	return cmd
}

// NewCommitWeightsCmd is `commit-weights NETUID UID=W,... [--salt HEX]`.
func NewCommitWeightsCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "commit-weights [netuid] [uid=weight,...]",
		Short: "Commit to weights; prints the hash and keeps the salt in <home>/weights-commits for reveal-weights",
		Long: `Commit to weights on a subnet with commit_reveal on. The hash is SHA-256 over
the canonical encoding in x/subnet's README. The uids, weights, salt and
version key are written to <home>/weights-commits/<netuid>-<hotkey>-<hash>.json
before the tx is sent; reveal-weights reads that file in the reveal window.`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			clientCtx, err := client.GetClientTxContext(cmd)
			if err != nil {
				return err
			}
			netuid, err := parseNetuid(args[0])
			if err != nil {
				return err
			}
			uids, weights, err := ParseWeights(args[1])
			if err != nil {
				return err
			}
			version, _ := cmd.Flags().GetUint64(flagVersionKey)
			saltHex, _ := cmd.Flags().GetString(flagSalt)
			var salt []byte
			if saltHex == "" {
				salt = make([]byte, 32)
				if _, err := rand.Read(salt); err != nil {
					return err
				}
			} else if salt, err = hex.DecodeString(saltHex); err != nil {
				return fmt.Errorf("--%s: not hex: %w", flagSalt, err)
			}
			hotkey := clientCtx.GetFromAddress()
			// Check the reveal would be well-formed before committing to it.
			reveal := &types.MsgRevealWeights{Hotkey: hotkey.String(), Netuid: netuid, Uids: uids, Weights: weights, Salt: salt, VersionKey: version}
			if err := reveal.ValidateBasic(); err != nil {
				return err
			}
			hash := types.WeightsCommitHash(uint16(netuid), hotkey, uids, weights, salt, version)
			hashHex := hex.EncodeToString(hash)
			path, err := SaveStoredCommit(clientCtx.HomeDir, StoredCommit{Netuid: uint16(netuid), Hotkey: hotkey.String(),
				Record: weightcommit.Record{Hash: hashHex, UIDs: uids, Weights: weights, Salt: hex.EncodeToString(salt), VersionKey: version}})
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "commit hash %s\nsalt and weights saved to %s\n", hashHex, path)
			if err := tx.GenerateOrBroadcastTxCLI(clientCtx, cmd.Flags(), &types.MsgCommitWeights{Hotkey: hotkey.String(), Netuid: netuid, Hash: hash}); err != nil {
				// nothing was committed: a stale file would confuse the next reveal
				_ = os.Remove(path)
				return err
			}
			return nil
		},
	}
	cmd.Flags().String(flagSalt, "", "hex salt, 8..64 bytes (default: 32 random bytes)")
	cmd.Flags().Uint64(flagVersionKey, 0, "weights version key (>= the subnet's weights_version)")
	addTxFlags(cmd)
	return cmd
}

// FindStoredCommit reads the stored commit for (netuid, hotkey): the one with
// hash when given, else the oldest file by name order (one pending is the
// usual case).
func FindStoredCommit(home string, netuid uint16, hotkey sdk.AccAddress, hash string) (StoredCommit, string, error) {
	var sc StoredCommit
	var path string
	if hash != "" {
		path = CommitPath(home, netuid, hotkey.String(), strings.ToLower(hash))
	} else {
		matches, err := filepath.Glob(filepath.Join(home, CommitsDir, fmt.Sprintf("%d-%s-*.json", netuid, hotkey.String())))
		if err != nil {
			return sc, "", err
		}
		if len(matches) == 0 {
			return sc, "", fmt.Errorf("no stored commit for netuid %d and hotkey %s under %s", netuid, hotkey, filepath.Join(home, CommitsDir))
		}
		if len(matches) > 1 {
			sort.Strings(matches)
			return sc, "", fmt.Errorf("%d stored commits for netuid %d and hotkey %s: pick one with --%s (%s)", len(matches), netuid, hotkey, flagHash, strings.Join(matches, ", "))
		}
		path = matches[0]
	}
	bz, err := os.ReadFile(path)
	if err != nil {
		return sc, path, err
	}
	return sc, path, json.Unmarshal(bz, &sc)
}

// NewRevealWeightsCmd is `reveal-weights NETUID [--hash H]`.
func NewRevealWeightsCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "reveal-weights [netuid]",
		Short: "Reveal weights committed with commit-weights, from the file it stored; sign with --from HOTKEY",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			clientCtx, err := client.GetClientTxContext(cmd)
			if err != nil {
				return err
			}
			netuid, err := parseNetuid(args[0])
			if err != nil {
				return err
			}
			hash, _ := cmd.Flags().GetString(flagHash)
			if hash == "" {
				// The chain knows which commits are still pending: reveal the
				// oldest of those we hold the salt for, and forget the rest.
				res, err := types.NewQueryClient(clientCtx).Commits(cmd.Context(),
					&types.QueryCommitsRequest{Netuid: netuid, Hotkey: clientCtx.GetFromAddress().String()})
				if err != nil {
					return fmt.Errorf("reading pending commits from the chain: %w", err)
				}
				hash, err = PickStoredCommit(clientCtx.HomeDir, uint16(netuid), clientCtx.GetFromAddress(), res.Commits)
				if err != nil {
					return err
				}
			}
			sc, path, err := FindStoredCommit(clientCtx.HomeDir, uint16(netuid), clientCtx.GetFromAddress(), hash)
			if err != nil {
				return err
			}
			salt, err := hex.DecodeString(sc.Salt)
			if err != nil {
				return fmt.Errorf("%s: salt: %w", path, err)
			}
			msg := &types.MsgRevealWeights{Hotkey: clientCtx.GetFromAddress().String(), Netuid: netuid,
				Uids: sc.UIDs, Weights: sc.Weights, Salt: salt, VersionKey: sc.VersionKey}
			if err := msg.ValidateBasic(); err != nil {
				return err
			}
			if err := tx.GenerateOrBroadcastTxCLI(clientCtx, cmd.Flags(), msg); err != nil {
				return err
			}
			if !clientCtx.GenerateOnly {
				_ = os.Remove(path) // revealed: the salt is public now
			}
			return nil
		},
	}
	cmd.Flags().String(flagHash, "", "hex hash of the commit to reveal (default: the oldest stored commit still pending on chain)")
	addTxFlags(cmd)
	return cmd
}

// PickStoredCommit returns the hash of the oldest pending commit whose file is
// stored, and deletes stored files of commits no longer pending (revealed,
// expired, or never included).
func PickStoredCommit(home string, netuid uint16, hotkey sdk.AccAddress, pending []types.WeightCommit) (string, error) {
	matches, err := filepath.Glob(filepath.Join(home, CommitsDir, fmt.Sprintf("%d-%s-*.json", netuid, hotkey.String())))
	if err != nil {
		return "", err
	}
	stored := make(map[string]string, len(matches))
	for _, m := range matches {
		base := strings.TrimSuffix(filepath.Base(m), ".json")
		stored[base[strings.LastIndex(base, "-")+1:]] = m
	}
	pick := ""
	for _, c := range pending { // oldest first
		h := hex.EncodeToString(c.Hash)
		if _, ok := stored[h]; ok && pick == "" {
			pick = h
		}
		delete(stored, h)
	}
	for _, m := range matches {
		base := strings.TrimSuffix(filepath.Base(m), ".json")
		if _, stale := stored[base[strings.LastIndex(base, "-")+1:]]; stale {
			_ = os.Remove(m)
		}
	}
	if pick == "" {
		return "", fmt.Errorf("none of the %d commits pending on chain for netuid %d and hotkey %s has a stored salt under %s",
			len(pending), netuid, hotkey, filepath.Join(home, CommitsDir))
	}
	return pick, nil
}
