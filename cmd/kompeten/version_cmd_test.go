package main

import (
	"bytes"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/bpvp-sidoarjo/kompeten/internal/gomod"
)

// required reads the version go.mod requires of module path.
func required(t *testing.T, path string) string {
	t.Helper()
	v, err := gomod.Required("../../go.mod", path)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// The version comes from the build information: the module's version, the commit and its time
// from the VCS settings, and the Temporal modules from the dependencies (a replaced module by
// its replacement's version).
func TestReadVersionFromBuildInfo(t *testing.T) {
	info := &debug.BuildInfo{
		GoVersion: "go1.26.8",
		Main:      debug.Module{Path: "github.com/bpvp-sidoarjo/kompeten", Version: "v1.4.0"},
		Deps: []*debug.Module{
			{Path: "go.temporal.io/api", Version: "v1.63.5"},
			{Path: temporalSDKModule, Version: "v1.50.0"},
			{Path: temporalServerModule, Version: "v1.32.0", Replace: &debug.Module{Path: "../server", Version: "v1.32.1-patched"}},
		},
		Settings: []debug.BuildSetting{
			{Key: "vcs", Value: "git"},
			{Key: "vcs.revision", Value: "729625beb7452dd165eb0e06c4e77198aa0cef83"},
			{Key: "vcs.time", Value: "2026-11-29T09:33:59Z"},
			{Key: "vcs.modified", Value: "true"},
		},
	}
	v := readVersion(info, true)
	want := buildVersion{Version: "v1.4.0", Commit: "729625beb7452dd165eb0e06c4e77198aa0cef83", CommitTime: "2026-11-29T09:33:59Z",
		Modified: true, Go: "go1.26.8", Server: "v1.32.1-patched", SDK: "v1.50.0"}
	if v != want {
		t.Fatalf("readVersion = %+v, want %+v", v, want)
	}
	if got := moduleVersion(&debug.Module{Path: temporalSDKModule, Version: "v1.50.0", Replace: &debug.Module{Path: "../sdk-go"}}); got != "v1.50.0 replaced by ../sdk-go" {
		t.Errorf("a directory replacement: %q", got)
	}
	text := v.String()
	for _, s := range []string{"kompeten v1.4.0\n", "commit:           729625beb7452dd165eb0e06c4e77198aa0cef83 (2026-11-29T09:33:59Z, with local changes)\n",
		"temporal server:  v1.32.1-patched (go.temporal.io/server)\n", "temporal sdk:     v1.50.0 (go.temporal.io/sdk)\n"} {
		if !strings.Contains(text, s) {
			t.Errorf("version text lacks %q:\n%s", s, text)
		}
	}
}

// Built without VCS information (go run, a tarball, -buildvcs=false) the commit is "unknown",
// and so is everything when the binary carries no build information at all.
func TestReadVersionWithoutVCS(t *testing.T) {
	v := readVersion(&debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, true)
	if v.Version != "(devel)" || v.Commit != "unknown" || v.Server != "unknown" || v.SDK != "unknown" {
		t.Fatalf("without VCS settings or deps: %+v", v)
	}
	if !strings.Contains(v.String(), "commit:           unknown\n") {
		t.Fatalf("text:\n%s", v)
	}
	if v := readVersion(nil, false); v.Version != "unknown" || v.Commit != "unknown" {
		t.Fatalf("without build information: %+v", v)
	}
}

// `kompeten version` and `kompeten --version` print the same text, naming the Temporal server
// and SDK versions this binary was built with: the ones go.mod requires.
func TestVersionCommandAndFlag(t *testing.T) {
	server, sdk := required(t, temporalServerModule), required(t, temporalSDKModule)
	var outs []string
	for _, args := range [][]string{{"version"}, {"--version"}} {
		root := newRoot()
		var out bytes.Buffer
		root.SetOut(&out)
		root.SetArgs(args)
		if err := root.Execute(); err != nil {
			t.Fatalf("kompeten %s: %v", args[0], err)
		}
		outs = append(outs, out.String())
	}
	if outs[0] != outs[1] {
		t.Fatalf("version and --version differ:\n%s\n---\n%s", outs[0], outs[1])
	}
	for _, s := range []string{"kompeten ", "\ncommit:  ", "temporal server:  " + server + " (", "temporal sdk:     " + sdk + " ("} {
		if !strings.Contains(outs[0], s) {
			t.Errorf("kompeten version lacks %q:\n%s", s, outs[0])
		}
	}
}
