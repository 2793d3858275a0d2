package config

import (
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/go-viper/mapstructure/v2"
	"github.com/spf13/pflag"
	"github.com/spf13/viper"
)

// EnvPrefix is the prefix of every environment variable kompeten reads.
const EnvPrefix = "KOMPETEN"

// DefaultFile is read from the working directory when no --config is given.
const DefaultFile = "kompeten.yaml"

// Load builds the effective configuration: defaults, then the YAML file, then KOMPETEN_*
// environment variables, then flags that were set explicitly.
func Load(fs *pflag.FlagSet) (*Config, error) {
	v := viper.New()
	for k, d := range defaultValues() {
		v.SetDefault(k, d)
	}
	v.SetEnvPrefix(EnvPrefix)
	v.SetEnvKeyReplacer(strings.NewReplacer(".", "_"))
	v.AutomaticEnv()

	file := os.Getenv(EnvPrefix + "_CONFIG")
	if fs != nil {
		if f := fs.Lookup("config"); f != nil && f.Changed {
			file = f.Value.String()
		}
	}
	switch {
	case file != "":
		v.SetConfigFile(file)
		if err := v.ReadInConfig(); err != nil {
			return nil, fmt.Errorf("read configuration file %s: %w", file, err)
		}
	default:
		if _, err := os.Stat(DefaultFile); err == nil {
			v.SetConfigFile(DefaultFile)
			if err := v.ReadInConfig(); err != nil {
				return nil, fmt.Errorf("read configuration file %s: %w", DefaultFile, err)
			}
		}
	}
	if fs != nil {
		for _, g := range globalFlags {
			if f := fs.Lookup(g.flag); f != nil && f.Changed {
				v.Set(g.key, f.Value.String())
			}
		}
	}

	var c Config
	err := v.Unmarshal(&c, viper.DecodeHook(mapstructure.ComposeDecodeHookFunc(
		mapstructure.StringToTimeDurationHookFunc(),
		mapstructure.StringToSliceHookFunc(","),
		stringToIntSliceHook,
	)))
	if err != nil {
		return nil, fmt.Errorf("configuration: %s", decodeMessage(err))
	}
	c.file = v.ConfigFileUsed()
	c.Partners.LSPOverrides = upperKeys(c.Partners.LSPOverrides)
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return &c, nil
}

// decodeMessage turns mapstructure's multi-line report into one line per key.
func decodeMessage(err error) string {
	msg := err.Error()
	msg = strings.TrimPrefix(msg, "decoding failed due to the following error(s):")
	var lines []string
	for _, l := range strings.Split(msg, "\n") {
		l = strings.TrimSpace(l)
		if l == "" {
			continue
		}
		lines = append(lines, strings.Trim(l, "'"))
	}
	sort.Strings(lines)
	return strings.Join(lines, "; ")
}

// File is the configuration file that was read, or "" when none was.
func (c *Config) File() string { return c.file }

// upperKeys gives LSP overrides their registry codes back: viper lowercases every key it reads,
// so `lsp_overrides: {LSP-BLK-SBY: ...}` arrived as "lsp-blk-sby" and never matched the code
// the journeys look it up by.
func upperKeys(m map[string]PartnerConfig) map[string]PartnerConfig {
	if len(m) == 0 {
		return m
	}
	out := make(map[string]PartnerConfig, len(m))
	for k, p := range m {
		out[strings.ToUpper(k)] = p
	}
	return out
}
