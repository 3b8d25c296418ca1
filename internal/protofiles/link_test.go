package protofiles_test

import (
	"testing"

	"github.com/assay-network/assay/internal/protofiles"
	_ "github.com/assay-network/assay/x/emission/types"
	_ "github.com/assay-network/assay/x/subnet/types"
)

// x/subnet's query and genesis files reference Subnet, Neuron and Params
// from state.proto, built after them: placeholders until Link.
func TestLinkResolvesCrossFileMessages(t *testing.T) {
	for _, pkg := range []string{"assay.subnet.v1", "assay.emission.v1"} {
		t.Run(pkg, func(t *testing.T) { linkResolves(t, pkg) })
	}
}

func linkResolves(t *testing.T, pkg string) {
	before := protofiles.Placeholders(pkg)
	if len(before) == 0 {
		t.Skip("no placeholders to repair (already linked by an import)")
	}
	t.Logf("%d placeholder fields before, e.g. %s", len(before), before[0])
	if err := protofiles.Link(pkg); err != nil {
		t.Fatal(err)
	}
	if after := protofiles.Placeholders(pkg); len(after) != 0 {
		t.Fatalf("still placeholders: %v", after)
	}
	if err := protofiles.Link(pkg); err != nil {
		t.Fatalf("second Link: %v", err)
	}
	if err := protofiles.Link("no.such.pkg"); err == nil {
		t.Fatal("unknown package accepted")
	}
}
