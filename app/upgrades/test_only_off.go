//go:build !upgrade_test

package upgrades

// testOnly is empty in a release build; see test_only_on.go.
var testOnly []Upgrade
