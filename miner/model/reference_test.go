package model

import (
	"context"
	"slices"
	"testing"

	"github.com/rs/zerolog"

	"github.com/assay-network/assay/dataset"
)

// TestReferenceModelsGermanCredit trains the three reference variants and
// checks they are what the demo needs: good clearly beats the majority-class
// baseline, poor is clearly worse than good, biased is about as accurate as
// good but its decisions follow the protected column (personal_status).
func TestReferenceModelsGermanCredit(t *testing.T) {
	d := requireData(t, "german-credit", dataset.LoadOptions{})
	ctx := context.Background()
	base := d.MajorityRate(d.Validation)
	ev := map[string]Evaluation{}
	for _, v := range Variants() {
		m, err := TrainReference(ctx, d, v, 0, 0, zerolog.Nop())
		if err != nil {
			t.Fatal(err)
		}
		p, err := NewPredictor(m, PredictorOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if ev[v], err = Evaluate(ctx, m, p, d, d.Validation, true); err != nil {
			t.Fatal(err)
		}
		t.Logf("%-6s accuracy %.3f flip rate (personal_status) %.3f  [baseline %.3f]", v, ev[v].Accuracy, ev[v].FlipRate, base)
	}
	good, poor, biased := ev[VariantGood], ev[VariantPoor], ev[VariantBiased]
	if good.Accuracy < base+0.04 {
		t.Errorf("good accuracy %.3f not clearly above the majority baseline %.3f", good.Accuracy, base)
	}
	if poor.Accuracy > good.Accuracy-0.1 {
		t.Errorf("poor accuracy %.3f not clearly below good %.3f", poor.Accuracy, good.Accuracy)
	}
	if biased.Accuracy < good.Accuracy-0.05 || biased.Accuracy < base {
		t.Errorf("biased accuracy %.3f not in good's class (%.3f, baseline %.3f)", biased.Accuracy, good.Accuracy, base)
	}
	if good.FlipRate > 0.1 {
		t.Errorf("good model flip rate %.3f, want ≤ 0.1", good.FlipRate)
	}
	if biased.FlipRate < 0.2 || biased.FlipRate < 3*good.FlipRate {
		t.Errorf("biased flip rate %.3f, want ≥ 0.2 and ≥ 3× good's %.3f", biased.FlipRate, good.FlipRate)
	}
}

// TestReferenceModelsCPS is the hermetic counterpart on the committed CPS
// data: the built-in task predicts occupation (6 classes, no positive
// class), protected column gender. Gender predicts occupation in this data,
// so even the fair model's decisions move with it; biasing must move them
// further. It runs without `make data`.
func TestReferenceModelsCPS(t *testing.T) {
	d := cpsData(t)
	ctx := context.Background()
	ev := map[string]Evaluation{}
	for _, v := range []string{VariantGood, VariantBiased} {
		m, err := TrainReference(ctx, d, v, 0, 0, zerolog.Nop())
		if err != nil {
			t.Fatal(err)
		}
		p, _ := NewPredictor(m, PredictorOptions{})
		if ev[v], err = Evaluate(ctx, m, p, d, d.Validation, true); err != nil {
			t.Fatal(err)
		}
		t.Logf("%-6s accuracy %.3f flip rate (gender) %.3f", v, ev[v].Accuracy, ev[v].FlipRate)
	}
	if ev[VariantGood].Accuracy < d.MajorityRate(d.Validation)+0.1 {
		t.Errorf("good accuracy %.3f vs baseline %.3f", ev[VariantGood].Accuracy, d.MajorityRate(d.Validation))
	}
	if ev[VariantBiased].FlipRate < ev[VariantGood].FlipRate+0.05 {
		t.Errorf("biased flip rate %.3f vs good %.3f", ev[VariantBiased].FlipRate, ev[VariantGood].FlipRate)
	}
}

func TestReferenceConfigErrors(t *testing.T) {
	d := cpsData(t)
	if _, err := ReferenceConfig(d, "great", 0, 0); err == nil {
		t.Fatal("unknown variant accepted")
	}
	img := &dataset.Dataset{ID: "mnist", Task: dataset.TaskImage}
	if _, err := ReferenceConfig(img, VariantBiased, 0, 0); err == nil {
		t.Fatal("biased MNIST accepted")
	}
}

func TestMNISTGood(t *testing.T) {
	if testing.Short() {
		t.Skip("trains an MNIST model; skipped with -short")
	}
	// A subset keeps the test quick; `make models` trains on all 60,000.
	d := requireData(t, "mnist", dataset.LoadOptions{MaxTrain: 6000, MaxValidation: 1000})
	cfg, err := ReferenceConfig(d, VariantGood, 0, 1)
	if err != nil {
		t.Fatal(err)
	}
	m, err := Train(context.Background(), d, cfg)
	if err != nil {
		t.Fatal(err)
	}
	// Measured here with the serving forward pass, not read from the
	// trainer's own header, which the trainer could get wrong by itself.
	p, err := NewPredictor(m, PredictorOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ev, err := Evaluate(context.Background(), m, p, d, d.Validation, false)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("mnist good (6000 rows, 1 epoch): validation accuracy %.3f (trainer's header says %.3f)", ev.Accuracy, m.Header.Training.ValidationAccuracy)
	if ev.Accuracy < 0.8 {
		t.Errorf("accuracy %.3f, want ≥ 0.8", ev.Accuracy)
	}
}

// TestTrivialAnswersTheMajorityClass: the trivial variant answers the train
// split's majority class on every validation row, on a tabular task (CPS,
// 6 classes) and, with the data, on german-credit and MNIST.
func TestTrivialAnswersTheMajorityClass(t *testing.T) {
	tasks := []func() *dataset.Dataset{func() *dataset.Dataset { return cpsData(t) }}
	if !testing.Short() {
		tasks = append(tasks,
			func() *dataset.Dataset { return requireData(t, "german-credit", dataset.LoadOptions{}) },
			func() *dataset.Dataset {
				return requireData(t, "mnist", dataset.LoadOptions{MaxTrain: 2000, MaxValidation: 500})
			})
	}
	for _, load := range tasks {
		d := load()
		counts := d.ClassCounts(d.Train)
		majority := slices.Index(counts, slices.Max(counts))
		m, err := TrainReference(context.Background(), d, VariantTrivial, 0, 0, zerolog.Nop())
		if err != nil {
			t.Fatalf("%s: %v", d.ID, err)
		}
		p, err := NewPredictor(m, PredictorOptions{})
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := d.Rows(d.Validation)
		got, err := Classify(context.Background(), m, p, rows)
		if err != nil {
			t.Fatal(err)
		}
		other := 0
		for _, c := range got {
			if c != majority {
				other++
			}
		}
		t.Logf("%s: trivial answers class %d (%s) on %d/%d validation rows; accuracy %.3f",
			d.ID, majority, d.Schema.Classes[majority], len(got)-other, len(got), m.Header.Training.ValidationAccuracy)
		if other > 0 {
			t.Errorf("%s: trivial answered another class than %d on %d of %d rows", d.ID, majority, other, len(got))
		}
	}
}
