package task

// Bounds on a spec. A task lives in chain state and is gossiped in a
// transaction, so every size and count is capped; the caps are far above
// any real task (the built-ins use at most a tenth of each) and low enough
// that a hostile spec costs little to check. task/README.md lists them.
const (
	// MaxSpecBytes caps a task file.
	MaxSpecBytes = 64 << 10
	// maxDepth caps JSON nesting (a valid spec nests 6 deep).
	maxDepth = 10

	maxNameBytes   = 64
	maxColumnBytes = 256 // a column name, a nominal value, label.positive
	maxURLBytes    = 2048
	maxURLs        = 8 // mirrors per file
	maxIgnore      = 1024

	// MaxFileBytes caps one data file (4 GiB).
	MaxFileBytes = 1 << 32

	minGroups                = 2
	maxGroups                = 64
	maxGroupValues           = 1024 // nominal values over all groups
	maxCounterfactuals       = 1024
	maxSeed                  = 1<<53 - 1 // exact in every JSON reader
	minLatencyMS             = 1
	maxLatencyMS             = 60_000
	maxTemperature     int64 = 1000
)
