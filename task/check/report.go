package check

import (
	"fmt"
	"io"
	"strings"
)

// Write prints the report for a person: the task, its files, the rows,
// classes and groups with their counts, and the majority baseline.
func (r *Report) Write(w io.Writer) {
	fmt.Fprintf(w, "task %s (%s)\ntask hash %s\n", r.Name, r.TaskType, r.TaskHash)
	for _, f := range r.Files {
		from := "already in the cache"
		if f.From != "" {
			from = "fetched from " + f.From
		}
		fmt.Fprintf(w, "file %s: sha256 %s, %d bytes, %s (%s)\n", f.Role, f.SHA256, f.Bytes, from, f.Path)
	}
	fmt.Fprintf(w, "rows: %d (train %d, validation %d), %d features\n", r.Rows, r.Train, r.Validation, r.Features)
	fmt.Fprintf(w, "classes of %s: %s\n", r.Label, counts(r.Classes))
	if r.Protected != "" {
		fmt.Fprintf(w, "protected %s, groups: %s\n", r.Protected, counts(r.Groups))
	} else {
		fmt.Fprintln(w, "protected: none (no fairness section)")
	}
	fmt.Fprintf(w, "majority baseline: %q on %.1f%% of the validation rows\n", r.Majority, 100*r.MajorityRate)
}

func counts(cs []Count) string {
	parts := make([]string, len(cs))
	for i, c := range cs {
		parts[i] = fmt.Sprintf("%s %d", c.Name, c.Rows)
	}
	return strings.Join(parts, ", ")
}
