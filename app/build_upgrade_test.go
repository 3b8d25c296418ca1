//go:build upgrade_test

package app

const testUpgradeBuild = true
