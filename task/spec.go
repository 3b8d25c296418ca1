package task

// Task types (DESIGN §11).
const (
	TypeTabular = "tabular-classification"
	TypeImage   = "image-classification"
)

// Data formats.
const (
	FormatARFF = "arff"
	FormatCSV  = "csv"
	FormatIDX  = "idx"
)

// File roles: a tabular task has one "data" file; an image task has the
// four IDX files of its own train/test split.
const (
	RoleData        = "data"
	RoleTrainImages = "train_images"
	RoleTrainLabels = "train_labels"
	RoleTestImages  = "test_images"
	RoleTestLabels  = "test_labels"
)

// Quality metrics.
const (
	MetricAccuracy         = "accuracy"
	MetricBalancedAccuracy = "balanced_accuracy"
	MetricMacroF1          = "macro_f1"
)

// Bias metrics.
const (
	BiasCounterfactualFlip = "counterfactual_flip"
	BiasDemographicParity  = "demographic_parity"
	BiasEqualizedOdds      = "equalized_odds"
)

// Reward baselines (DESIGN §12).
const (
	BaselineMajority = "majority"
	BaselineChance   = "chance"
)

// DefaultCopyEpsilon is reward.copy_epsilon when the file leaves it out.
const DefaultCopyEpsilon = "0.01"

// Spec is a task file (DESIGN §11). Decimal fields are strings, parsed
// exactly by ParseDecimal.
type Spec struct {
	Name     string
	TaskType string
	Dataset  Dataset
	// Label is empty for image tasks (their labels are a file).
	Label Label
	// Ignore lists columns that are not features.
	Ignore []string
	// Split is empty for image tasks (they use the files' own train/test).
	Split    Split
	Metric   string
	Fairness *Fairness
	Reward   Reward
	// MaxLatencyMS is the answer deadline.
	MaxLatencyMS uint32
}

// Dataset names the task's files and how to read them.
type Dataset struct {
	Format string
	Files  []File
	// CSV is set for format csv only.
	CSV *CSVOptions
}

// File is one data file, identified by its SHA-256; URLs are mirrors.
type File struct {
	Role      string
	SHA256    string
	SizeBytes uint64
	URLs      []string
}

// CSVOptions says how a CSV file is read.
type CSVOptions struct {
	// Delimiter is one character.
	Delimiter string
	// Header says the first row names the columns; without one they are
	// named "1", "2", … by position.
	Header bool
}

// Label names the predicted column and the favourable class (the outcome a
// decision subject hopes for, needed by demographic parity and equalized
// odds).
type Label struct {
	Column   string
	Positive string
}

// Split fixes the train/validation split of a tabular task.
type Split struct {
	Seed               uint64
	ValidationFraction string
}

// Fairness says which column is protected, how bias is measured and how
// much it costs.
type Fairness struct {
	Protected  Protected
	BiasMetric string
	BiasWeight string
}

// Protected is the protected column, its groups and its counterfactual
// twins. For a nominal column every group is a list of values and
// Counterfactual maps each value to its twin's value; for a numeric column
// every group is a half-open range and Counterfactual maps a group name to
// the value its rows' twins get.
type Protected struct {
	Column         string
	Groups         map[string]Group
	Counterfactual map[string]string
}

// Group is a nominal group (Values) or a numeric range (Range), never both.
type Group struct {
	Values []string
	Range  *Range
}

// Range is the half-open interval [Min, Max); an empty bound is unbounded.
type Range struct {
	Min string
	Max string
}

// Reward turns scores into weights (DESIGN §12).
type Reward struct {
	Baseline    string
	Temperature string
	// CopyEpsilon is empty when the file leaves it out (DefaultCopyEpsilon).
	CopyEpsilon string
}

// IsImage reports whether the task reads IDX images.
func (s *Spec) IsImage() bool { return s.Dataset.Format == FormatIDX }

// File returns the file with the given role.
func (s *Spec) File(role string) (File, bool) {
	for _, f := range s.Dataset.Files {
		if f.Role == role {
			return f, true
		}
	}
	return File{}, false
}

// ImageRoles are the four files of an image task, in load order.
func ImageRoles() []string {
	return []string{RoleTrainImages, RoleTrainLabels, RoleTestImages, RoleTestLabels}
}
