package main

import (
	"fmt"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"
)

// version names a release build: go build -ldflags "-X main.version=v1.2.0" ./cmd/kompeten.
// Without it the module version Go stamped into the binary is shown ("(devel)" for a build of
// a checkout that carries no version).
var version = ""

// Modules whose versions `kompeten version` reports: a Temporal bug report needs both.
const (
	temporalServerModule = "go.temporal.io/server"
	temporalSDKModule    = "go.temporal.io/sdk"
)

// buildVersion is what `kompeten version` prints: enough to say which code is running.
type buildVersion struct {
	Version    string
	Commit     string // the VCS revision the binary was built from, or "unknown"
	CommitTime string // the revision's time, when known
	Modified   bool   // built from a checkout with local changes
	Go         string
	Server     string // go.temporal.io/server's version, or "unknown"
	SDK        string // go.temporal.io/sdk's version, or "unknown"
}

// readVersion takes the versions from the build information Go embeds in every binary (the
// main module, its VCS settings when built from a checkout, and the dependencies).
func readVersion(info *debug.BuildInfo, ok bool) buildVersion {
	v := buildVersion{Version: version, Commit: "unknown", Server: "unknown", SDK: "unknown"}
	if !ok || info == nil {
		if v.Version == "" {
			v.Version = "unknown"
		}
		return v
	}
	if v.Version == "" {
		v.Version = info.Main.Version
	}
	if v.Version == "" {
		v.Version = "(devel)"
	}
	v.Go = info.GoVersion
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			v.Commit = s.Value
		case "vcs.time":
			v.CommitTime = s.Value
		case "vcs.modified":
			v.Modified = s.Value == "true"
		}
	}
	for _, d := range info.Deps {
		switch d.Path {
		case temporalServerModule:
			v.Server = moduleVersion(d)
		case temporalSDKModule:
			v.SDK = moduleVersion(d)
		}
	}
	return v
}

// moduleVersion is the version of the code that was built in: a replacement's own version,
// or the required one and where it was replaced from when the replacement is a directory.
func moduleVersion(d *debug.Module) string {
	switch r := d.Replace; {
	case r == nil:
		return d.Version
	case r.Version != "":
		return r.Version
	default:
		return d.Version + " replaced by " + r.Path
	}
}

// String is the text of `kompeten version` and `kompeten --version`.
func (v buildVersion) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "kompeten %s\n", v.Version)
	commit := v.Commit
	var notes []string
	if v.CommitTime != "" {
		notes = append(notes, v.CommitTime)
	}
	if v.Modified {
		notes = append(notes, "with local changes")
	}
	if len(notes) > 0 {
		commit += " (" + strings.Join(notes, ", ") + ")"
	}
	fmt.Fprintf(&b, "commit:           %s\n", commit)
	if v.Go != "" {
		fmt.Fprintf(&b, "go:               %s\n", v.Go)
	}
	fmt.Fprintf(&b, "temporal server:  %s (%s)\n", v.Server, temporalServerModule)
	fmt.Fprintf(&b, "temporal sdk:     %s (%s)\n", v.SDK, temporalSDKModule)
	return b.String()
}

// currentVersion is this binary's version.
func currentVersion() buildVersion {
	return readVersion(debug.ReadBuildInfo())
}

func newVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version, the commit and the Temporal server and SDK versions built in",
		Long: `Prints kompeten's version, the commit it was built from ("unknown" when it was not built
from a git checkout, as with go run), the Go version, and the versions of the Temporal server
(the embedded one of kompeten dev) and SDK it was built with. kompeten --version prints the same.`,
		Example: "  kompeten version\n  kompeten --version",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, err := fmt.Fprint(cmd.OutOrStdout(), currentVersion())
			return err
		},
	}
}

// BuildID names this binary's release for worker deployment versioning when worker.build_id
// is not set: the release version when there is one, else the commit (with "-modified" for a
// checkout with local changes, which is not that commit's code); "" when the binary carries
// neither (go run, a test binary).
func (v buildVersion) BuildID() string {
	switch v.Version {
	case "", "unknown", "(devel)":
	default:
		return v.Version
	}
	if v.Commit == "unknown" || v.Commit == "" {
		return ""
	}
	id := v.Commit
	if len(id) > 12 {
		id = id[:12]
	}
	if v.Modified {
		id += "-modified"
	}
	return id
}
