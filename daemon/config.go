package daemon

import (
	"errors"
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"github.com/spf13/viper"
)

// ConfigFlag names a daemon command's config file.
const ConfigFlag = "config"

// EnvPrefix starts the environment variable of every flag of a command with
// --config: --max-cost is ASSAY_MAX_COST.
const EnvPrefix = "ASSAY_"

// ErrConfigFile: the config file cannot be read or names no flag.
var ErrConfigFile = errors.New("config file")

// secretWords mark flags whose values the effective config masks.
var secretWords = []string{"passphrase", "password", "secret", "mnemonic", "token"}

// AddConfigFlag gives cmd --config FILE: a TOML (.toml) or YAML (.yaml,
// .yml) file whose keys are the command's flag names. SetupLogging applies
// it before the command runs (see ApplyConfig).
func AddConfigFlag(cmd *cobra.Command) {
	cmd.Flags().String(ConfigFlag, "", "config file (TOML or YAML) with flag names as keys; flags and ASSAY_<FLAG> variables override it")
}

// EnvName is the environment variable of a flag: ASSAY_ and the name in
// upper case with dashes as underscores.
func EnvName(flag string) string {
	return EnvPrefix + strings.ToUpper(strings.ReplaceAll(flag, "-", "_"))
}

// ApplyConfig fills every flag of cmd the command line left unset: from its
// ASSAY_<FLAG> environment variable if set, else from the --config file
// (itself also ASSAY_CONFIG), else the default stays. So a flag overrides the
// environment, which overrides the file, which overrides the default. A file
// key that is no flag of cmd, or a value the flag refuses, is an error
// naming the file and the key. Commands without --config are left alone.
func ApplyConfig(cmd *cobra.Command, getenv func(string) string) error {
	fs := cmd.Flags()
	cf := fs.Lookup(ConfigFlag)
	if cf == nil {
		return nil
	}
	if !cf.Changed {
		if v := getenv(EnvName(ConfigFlag)); v != "" {
			if err := fs.Set(ConfigFlag, v); err != nil {
				return err
			}
		}
	}
	file, err := readConfigFile(cf.Value.String())
	if err != nil {
		return err
	}
	for _, key := range slices.Sorted(maps.Keys(file)) {
		if fs.Lookup(key) == nil || key == ConfigFlag || key == "help" {
			return fmt.Errorf("%w %s: key %q is not a flag of %s (see %s --help)", ErrConfigFile, cf.Value, key, cmd.CommandPath(), cmd.CommandPath())
		}
	}
	var setErr error
	fs.VisitAll(func(f *pflag.Flag) {
		if setErr != nil || f.Changed || f.Name == ConfigFlag || f.Name == "help" {
			return
		}
		if v := getenv(EnvName(f.Name)); v != "" {
			if err := fs.Set(f.Name, v); err != nil {
				setErr = fmt.Errorf("%s=%q (for --%s): %w", EnvName(f.Name), v, f.Name, err)
			}
			return
		}
		if v, ok := file[f.Name]; ok {
			if err := fs.Set(f.Name, v); err != nil {
				setErr = fmt.Errorf("%w %s: %s = %q: %w", ErrConfigFile, cf.Value, f.Name, v, err)
			}
		}
	})
	return setErr
}

// readConfigFile reads path (none: no file) into flag name → value text.
func readConfigFile(path string) (map[string]string, error) {
	if path == "" {
		return nil, nil
	}
	v := viper.New()
	v.SetConfigFile(path)
	switch ext := strings.ToLower(filepath.Ext(path)); ext {
	case ".toml":
		v.SetConfigType("toml")
	case ".yaml", ".yml":
		v.SetConfigType("yaml")
	default:
		return nil, fmt.Errorf("%w %s: extension %q: want .toml, .yaml or .yml", ErrConfigFile, path, ext)
	}
	if err := v.ReadInConfig(); err != nil {
		return nil, fmt.Errorf("%w %s: %w", ErrConfigFile, path, err)
	}
	out := map[string]string{}
	for _, key := range v.AllKeys() {
		val := v.Get(key)
		if list, ok := val.([]any); ok {
			parts := make([]string, len(list))
			for i, p := range list {
				parts[i] = fmt.Sprint(p)
			}
			out[key] = strings.Join(parts, ",")
			continue
		}
		out[key] = fmt.Sprint(val)
	}
	return out, nil
}

// EffectiveConfig is every flag of cmd as name → value after ApplyConfig,
// secrets masked, for the start-up log line.
func EffectiveConfig(cmd *cobra.Command) map[string]string {
	out := map[string]string{}
	cmd.Flags().VisitAll(func(f *pflag.Flag) {
		if f.Name == "help" {
			return
		}
		val := f.Value.String()
		// a flag naming a file of secrets (keyring-passphrase-file) shows its path
		secret := !strings.HasSuffix(f.Name, "-file") && slices.ContainsFunc(secretWords, func(w string) bool { return strings.Contains(f.Name, w) })
		if val != "" && secret {
			val = "***"
		}
		out[f.Name] = val
	})
	return out
}
