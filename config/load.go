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

// flagKeys maps command-line flags onto configuration keys.
var flagKeys = map[string]string{
	"data-dir":         "data_dir",
	"http-addr":        "http.addr",
	"temporal-address": "temporal.address",
	"namespace":        "temporal.namespace",
	"task-queue":       "temporal.task_queue",
	"database-url":     "database.url",
	"ui-addr":          "dev.ui_addr",
	"log-level":        "log.level",
	"log-format":       "log.format",
}

// RegisterFlags adds the global configuration flags to a command's persistent flag set.
func RegisterFlags(fs *pflag.FlagSet) {
	fs.String("config", "", "configuration file (default ./"+DefaultFile+" when it exists; env KOMPETEN_CONFIG)")
	fs.String("data-dir", "", "data directory for the embedded server, keys and private PostgreSQL (env KOMPETEN_DATA_DIR; default .kompeten)")
	fs.String("http-addr", "", "HTTP API and pages listen address (env KOMPETEN_HTTP_ADDR; default 127.0.0.1:8080)")
	fs.String("temporal-address", "", "Temporal frontend host:port (env KOMPETEN_TEMPORAL_ADDRESS; default 127.0.0.1:7233)")
	fs.String("namespace", "", "Temporal namespace (env KOMPETEN_TEMPORAL_NAMESPACE; default \"default\")")
	fs.String("task-queue", "", "Temporal task queue (env KOMPETEN_TEMPORAL_TASK_QUEUE; default kompeten)")
	fs.String("database-url", "", "PostgreSQL URL (env KOMPETEN_DATABASE_URL; empty in dev: localhost or a private cluster)")
	fs.String("ui-addr", "", "Temporal Web UI listen address in dev (env KOMPETEN_DEV_UI_ADDR; default 127.0.0.1:8233)")
	fs.String("log-level", "", "log level: debug, info, warn, error (env KOMPETEN_LOG_LEVEL)")
	fs.String("log-format", "", "log format: text or json (env KOMPETEN_LOG_FORMAT)")
}

// Load builds the effective configuration: defaults, then the YAML file, then KOMPETEN_*
// environment variables, then flags that were set explicitly.
func Load(fs *pflag.FlagSet) (*Config, error) {
	v := viper.New()
	for k, d := range defaults {
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
		for flag, key := range flagKeys {
			if f := fs.Lookup(flag); f != nil && f.Changed {
				v.Set(key, f.Value.String())
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
