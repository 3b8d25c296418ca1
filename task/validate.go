package task

import (
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Validate checks the spec's shape (DESIGN §11, "Validation at
// registration"): known enums, 64-hex hashes, fractions in (0, 1),
// temperature > 0, bias weight in [0, 1], at least one http/https/file URL
// per file, sizes > 0, and every size, count and string within the bounds
// of bounds.go. It needs no data; package dataset checks the spec against
// the files. The first problem found is returned, as a *FieldError.
func (s Spec) Validate() error {
	if err := checkName(s.Name); err != nil {
		return err
	}
	if err := oneOf("task_type", s.TaskType, TypeTabular, TypeImage); err != nil {
		return err
	}
	if err := s.validateDataset(); err != nil {
		return err
	}
	if s.IsImage() {
		if err := s.validateImageOnly(); err != nil {
			return err
		}
	} else if err := s.validateTabular(); err != nil {
		return err
	}
	if err := oneOf("metric", s.Metric, MetricAccuracy, MetricBalancedAccuracy, MetricMacroF1); err != nil {
		return err
	}
	if s.Fairness != nil {
		if err := s.validateFairness(); err != nil {
			return err
		}
	}
	if err := s.Reward.validate("reward"); err != nil {
		return err
	}
	if s.MaxLatencyMS < minLatencyMS || s.MaxLatencyMS > maxLatencyMS {
		return fieldErr("max_latency_ms", "%d is not in [%d, %d]", s.MaxLatencyMS, minLatencyMS, maxLatencyMS)
	}
	return nil
}

func checkName(name string) error {
	if name == "" {
		return fieldErr("name", "missing; want 1 to %d letters, digits, '.', '_' or '-'", maxNameBytes)
	}
	if len(name) > maxNameBytes {
		return fieldErr("name", "%s is %d bytes, at most %d allowed", quote(name), len(name), maxNameBytes)
	}
	for _, r := range name {
		if !(r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune("._-", r))) {
			return fieldErr("name", "%s has %q; allowed: ASCII letters, digits, '.', '_', '-'", quote(name), r)
		}
	}
	return nil
}

func oneOf(path, v string, allowed ...string) error {
	for _, a := range allowed {
		if v == a {
			return nil
		}
	}
	if v == "" {
		return fieldErr(path, "missing; allowed: %s", strings.Join(allowed, ", "))
	}
	return fieldErr(path, "unknown value %s; allowed: %s", quote(v), strings.Join(allowed, ", "))
}

// checkText checks a column name, nominal value or group name: 1 to
// maxColumnBytes bytes of UTF-8 without control characters.
func checkText(path, v string) error {
	switch {
	case v == "":
		return fieldErr(path, "empty; want 1 to %d bytes of text", maxColumnBytes)
	case len(v) > maxColumnBytes:
		return fieldErr(path, "%s is %d bytes, at most %d allowed", quote(v), len(v), maxColumnBytes)
	case !utf8.ValidString(v):
		return fieldErr(path, "%s is not valid UTF-8", quote(v))
	case strings.IndexFunc(v, unicode.IsControl) >= 0:
		return fieldErr(path, "%s contains a control character", quote(v))
	}
	return nil
}

func (s Spec) validateDataset() error {
	d := s.Dataset
	wantFormats := []string{FormatARFF, FormatCSV}
	if s.TaskType == TypeImage {
		wantFormats = []string{FormatIDX}
	}
	if err := oneOf("dataset.format", d.Format, wantFormats...); err != nil {
		if d.Format == FormatARFF || d.Format == FormatCSV || d.Format == FormatIDX {
			return fieldErr("dataset.format", "%s does not go with task_type %s; allowed: %s", quote(d.Format), s.TaskType, strings.Join(wantFormats, ", "))
		}
		return err
	}
	roles := []string{RoleData}
	if d.Format == FormatIDX {
		roles = ImageRoles()
	}
	if len(d.Files) != len(roles) {
		return fieldErr("dataset.files", "%d files; format %s takes %d, with roles %s", len(d.Files), d.Format, len(roles), strings.Join(roles, ", "))
	}
	seen := map[string]bool{}
	for i, f := range d.Files {
		p := index("dataset.files", i)
		if err := oneOf(join(p, "role"), f.Role, roles...); err != nil {
			return err
		}
		if seen[f.Role] {
			return fieldErr(join(p, "role"), "role %s appears twice", quote(f.Role))
		}
		seen[f.Role] = true
		if err := f.validate(p); err != nil {
			return err
		}
	}
	if d.CSV != nil {
		if d.Format != FormatCSV {
			return fieldErr("dataset.csv", "set for format %s; csv options go with format csv only", d.Format)
		}
		if err := checkDelimiter("dataset.csv.delimiter", d.CSV.Delimiter); err != nil {
			return err
		}
	}
	return nil
}

func (f File) validate(path string) error {
	if len(f.SHA256) != 64 || strings.Trim(f.SHA256, "0123456789abcdef") != "" {
		return fieldErr(join(path, "sha256"), "%s is not 64 lowercase hex digits", quote(f.SHA256))
	}
	if f.SizeBytes == 0 || f.SizeBytes > MaxFileBytes {
		return fieldErr(join(path, "size_bytes"), "%d is not in [1, %d]", f.SizeBytes, uint64(MaxFileBytes))
	}
	if len(f.URLs) == 0 || len(f.URLs) > maxURLs {
		return fieldErr(join(path, "urls"), "%d URLs; want 1 to %d mirrors (http, https or file)", len(f.URLs), maxURLs)
	}
	for j, u := range f.URLs {
		if err := checkURL(index(join(path, "urls"), j), u); err != nil {
			return err
		}
	}
	return nil
}

func checkURL(path, raw string) error {
	if len(raw) > maxURLBytes {
		return fieldErr(path, "%s is %d bytes, at most %d allowed", quote(raw), len(raw), maxURLBytes)
	}
	if !utf8.ValidString(raw) {
		return fieldErr(path, "%s is not valid UTF-8", quote(raw))
	}
	if strings.IndexFunc(raw, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0 {
		return fieldErr(path, "%s contains white space or a control character", quote(raw))
	}
	u, err := url.Parse(raw)
	if err != nil {
		return fieldErr(path, "%s is not a URL", quote(raw))
	}
	switch u.Scheme {
	case "http", "https":
		if u.Host == "" {
			return fieldErr(path, "%s has no host", quote(raw))
		}
	case "file":
		if (u.Host != "" && u.Host != "localhost") || !strings.HasPrefix(u.Path, "/") {
			return fieldErr(path, "%s: a file URL is file:///absolute/path", quote(raw))
		}
	default:
		return fieldErr(path, "%s: scheme %s not allowed; allowed: http, https, file", quote(raw), quote(u.Scheme))
	}
	if u.User != nil {
		return fieldErr(path, "%s carries credentials; a task is public", quote(raw))
	}
	return nil
}

// checkDelimiter accepts what encoding/csv accepts as a separator, as one
// character; empty means the default ",".
func checkDelimiter(path, d string) error {
	if d == "" {
		return nil
	}
	r, n := utf8.DecodeRuneInString(d)
	if n != len(d) || r == utf8.RuneError || r == '"' || r == '\r' || r == '\n' || unicode.IsControl(r) && r != '\t' {
		return fieldErr(path, "%s is not allowed; want one character other than a quote, a line break or a control character (tab is fine)", quote(d))
	}
	return nil
}

// validateImageOnly rejects the tabular sections in an image task: IDX has
// no columns, and its split is the files' own.
func (s Spec) validateImageOnly() error {
	switch {
	case s.Label != Label{}:
		return fieldErr("label", "set for an image task; its labels are the *_labels files, remove label")
	case len(s.Ignore) > 0:
		return fieldErr("ignore", "set for an image task; IDX files have no columns")
	case s.Split != Split{}:
		return fieldErr("split", "set for an image task; it uses the files' own train/test split, remove split")
	case s.Fairness != nil:
		return fieldErr("fairness", "set for an image task; IDX files have no protected column")
	}
	return nil
}

func (s Spec) validateTabular() error {
	if s.Label.Column == "" {
		return fieldErr("label.column", "missing; name the column to predict")
	}
	if err := checkText("label.column", s.Label.Column); err != nil {
		return err
	}
	if s.Label.Positive != "" {
		if err := checkText("label.positive", s.Label.Positive); err != nil {
			return err
		}
	}
	if len(s.Ignore) > maxIgnore {
		return fieldErr("ignore", "%d columns, at most %d allowed", len(s.Ignore), maxIgnore)
	}
	seen := map[string]bool{}
	for i, c := range s.Ignore {
		p := index("ignore", i)
		if err := checkText(p, c); err != nil {
			return err
		}
		if c == s.Label.Column {
			return fieldErr(p, "%s is the label column; a label cannot be ignored", quote(c))
		}
		if seen[c] {
			return fieldErr(p, "%s appears twice", quote(c))
		}
		seen[c] = true
	}
	if s.Split.ValidationFraction == "" {
		return fieldErr("split.validation_fraction", "missing; want a decimal in (0, 1), e.g. \"0.3\"")
	}
	if err := openUnit.check(s.Split.ValidationFraction); err != nil {
		return fieldErr("split.validation_fraction", "%v", err)
	}
	if s.Split.Seed > maxSeed {
		return fieldErr("split.seed", "%d is not in [0, %d]", s.Split.Seed, uint64(maxSeed))
	}
	return nil
}

func (r Reward) validate(path string) error {
	if err := oneOf(join(path, "baseline"), r.Baseline, BaselineMajority, BaselineChance); err != nil {
		return err
	}
	if r.Temperature == "" {
		return fieldErr(join(path, "temperature"), "missing; want a decimal %s, e.g. \"0.05\"", temperature.text)
	}
	if err := temperature.check(r.Temperature); err != nil {
		return fieldErr(join(path, "temperature"), "%v", err)
	}
	if r.CopyEpsilon != "" {
		if err := closedUnit.check(r.CopyEpsilon); err != nil {
			return fieldErr(join(path, "copy_epsilon"), "%v", err)
		}
	}
	return nil
}
