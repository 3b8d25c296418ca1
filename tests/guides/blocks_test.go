// Package guides walks the operator guides (docs/*.md) on a fresh localnet:
// every command of every ```sh block, extracted from the Markdown and run
// with bash as written, in order, from the repository root.
package guides

import (
	"regexp"
	"strings"
)

var shBlock = regexp.MustCompile("(?s)```sh\n(.*?)```")

// backgroundMarker opens a block an operator runs in another terminal (a
// daemon that runs until stopped); the URL on the same line answers once
// it is ready:
//
//	# in another terminal; ready when http://127.0.0.1:9102/healthz answers
var backgroundMarker = regexp.MustCompile(`^#\s*in another terminal\b.*?\b(https?://\S+)\s+answers`)

// Block is one ```sh block of a guide: the commands a reader pastes, one
// per entry (a line, with its backslash continuations joined), and, for a
// block run in another terminal, the URL that answers once it is ready.
type Block struct {
	Commands []string
	ReadyURL string
	Source   string // the block as written
}

// Background says whether the block runs in another terminal.
func (b Block) Background() bool { return b.ReadyURL != "" }

// ParseBlocks extracts the ```sh blocks of a guide in order.
func ParseBlocks(markdown string) []Block {
	var out []Block
	for _, m := range shBlock.FindAllStringSubmatch(markdown, -1) {
		b := Block{Source: m[1]}
		lines := strings.Split(strings.ReplaceAll(m[1], "\\\n", " "), "\n")
		if len(lines) > 0 {
			if mm := backgroundMarker.FindStringSubmatch(strings.TrimSpace(lines[0])); mm != nil {
				b.ReadyURL = mm[1]
			}
		}
		for _, line := range lines {
			line = strings.TrimSpace(line)
			if line == "" || strings.HasPrefix(line, "#") {
				continue
			}
			b.Commands = append(b.Commands, line)
		}
		out = append(out, b)
	}
	return out
}

var txHash = regexp.MustCompile(`(?m)"?txhash"?:\s*"?([0-9A-F]{64})"?`)

// TxHashes are the transaction hashes a command's output reports (YAML or JSON).
func TxHashes(output string) []string {
	var out []string
	for _, m := range txHash.FindAllStringSubmatch(output, -1) {
		out = append(out, m[1])
	}
	return out
}
