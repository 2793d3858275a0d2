package config

import (
	"fmt"

	"github.com/spf13/pflag"
)

// globalFlags are the keys that also have a command-line flag. The help names each flag's
// environment variable and default, both derived from the key, so they cannot go stale.
var globalFlags = []struct {
	flag, key, usage string
	// about stands in place of "default <value>" where the default needs words.
	about string
	// quote shows the default quoted: `default "default"` would read as a typo unquoted.
	quote bool
	// silent leaves the default out of the help.
	silent bool
}{
	{flag: "lang", key: "language", usage: "language of the command line's messages: id or en"},
	{flag: "data-dir", key: "data_dir", usage: "data directory for the embedded server, keys and private PostgreSQL"},
	{flag: "http-addr", key: "http.addr", usage: "HTTP API and pages listen address"},
	{flag: "temporal-address", key: "temporal.address", usage: "Temporal frontend host:port"},
	{flag: "namespace", key: "temporal.namespace", usage: "Temporal namespace", quote: true},
	{flag: "task-queue", key: "temporal.task_queue", usage: "Temporal task queue"},
	{flag: "database-url", key: "database.url", usage: "PostgreSQL URL", about: "empty in dev: localhost or a private cluster"},
	{flag: "ui-addr", key: "dev.ui_addr", usage: "Temporal Web UI listen address in dev"},
	{flag: "log-level", key: "log.level", usage: "log level: debug, info, warn, error", silent: true},
	{flag: "log-format", key: "log.format", usage: "log format: text or json", silent: true},
}

// RegisterFlags adds the global configuration flags to a command's persistent flag set.
func RegisterFlags(fs *pflag.FlagSet) {
	fs.String("config", "", "configuration file (default ./"+DefaultFile+" when it exists; env "+EnvPrefix+"_CONFIG)")
	defaults := defaultValues()
	for _, g := range globalFlags {
		help := g.usage + " (env " + EnvVar(g.key)
		switch {
		case g.silent:
		case g.about != "":
			help += "; " + g.about
		case g.quote:
			help += fmt.Sprintf("; default %q", defaults[g.key])
		default:
			help += fmt.Sprintf("; default %v", defaults[g.key])
		}
		fs.String(g.flag, "", help+")")
	}
}
