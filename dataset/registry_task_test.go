package dataset

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/assay-network/assay/task"
)

func readBuiltin(t *testing.T, file string) task.Spec {
	t.Helper()
	raw, err := os.ReadFile("../scripts/tasks/" + file)
	if err != nil {
		t.Fatal(err)
	}
	s, err := task.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// The built-in specs map onto the registry: name → id, and german-credit's
// protected personal_status → the registry's "sex", defined over it.
func TestRegistryTaskOfBuiltins(t *testing.T) {
	gc, err := NewRegistryTask(readBuiltin(t, "german-credit.json"))
	if err != nil {
		t.Fatal(err)
	}
	want := RegistryTask{ID: GermanCredit, TaskType: TaskTabular, ProtectedColumn: "personal_status",
		BiasMetric: task.BiasCounterfactualFlip, BiasWeight: 0.5, MaxLatency: 2 * time.Second}
	if gc != want {
		t.Fatalf("german-credit: %+v, want %+v", gc, want)
	}
	schema := &Schema{Protected: []Protected{{Name: "age", Feature: "age"}, {Name: "sex", Feature: "personal_status"}}}
	if p, err := gc.Protected(schema); err != nil || p != "sex" {
		t.Fatalf("german-credit protected: %q %v, want sex", p, err)
	}
	if _, err := gc.Protected(&Schema{Protected: []Protected{{Name: "age", Feature: "age"}}}); err == nil ||
		!strings.Contains(err.Error(), `no protected attribute over column "personal_status"`) {
		t.Fatalf("registry without the column: %v", err)
	}

	mnist, err := NewRegistryTask(readBuiltin(t, "mnist.json"))
	if err != nil || mnist.ID != MNIST || mnist.TaskType != TaskImage || mnist.BiasWeight != 0 || mnist.ProtectedColumn != "" {
		t.Fatalf("mnist: %+v %v", mnist, err)
	}
	if p, err := mnist.Protected(&Schema{}); p != "" || err != nil {
		t.Fatalf("mnist protected: %q %v", p, err)
	}
	cps, err := NewRegistryTask(readBuiltin(t, "cps1985-wages.json"))
	if err != nil || cps.ID != CPSWages || cps.ProtectedColumn != "gender" {
		t.Fatalf("cps1985-wages: %+v %v", cps, err)
	}
}

func TestRegistryTaskRefusesUnknownNames(t *testing.T) {
	s := readBuiltin(t, "german-credit.json")
	s.Name = "my-credit"
	_, err := NewRegistryTask(s)
	if err == nil || !strings.Contains(err.Error(), `task "my-credit"`) || !strings.Contains(err.Error(), GermanCredit) {
		t.Fatalf("unknown name: %v", err)
	}
}
