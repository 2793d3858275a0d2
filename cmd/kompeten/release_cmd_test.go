package main

import (
	"strings"
	"testing"

	"github.com/bpvp-sidoarjo/kompeten/config"
)

// A build is named by its release version, else by its commit, marked when the checkout had
// local changes (that is not the commit's code); a binary with neither has no build ID.
func TestBuildIDFromTheBinary(t *testing.T) {
	commit := "729625beb7452dd165eb0e06c4e77198aa0cef83"
	for _, c := range []struct {
		v    buildVersion
		want string
	}{
		{buildVersion{Version: "v1.4.0", Commit: commit, Modified: true}, "v1.4.0"},
		{buildVersion{Version: "(devel)", Commit: commit}, "729625beb745"},
		{buildVersion{Version: "(devel)", Commit: commit, Modified: true}, "729625beb745-modified"},
		{buildVersion{Version: "unknown", Commit: "unknown"}, ""},
		{buildVersion{Version: "(devel)", Commit: "unknown"}, ""},
	} {
		if got := c.v.BuildID(); got != c.want {
			t.Errorf("%+v: build ID %q, want %q", c.v, got, c.want)
		}
	}
}

// A versioned worker takes the binary's build ID unless worker.build_id names one, and refuses
// to start, naming the key, when there is neither; an unversioned worker needs none.
func TestFillBuildID(t *testing.T) {
	none := buildVersion{Version: "(devel)", Commit: "unknown"}
	c := config.Default()
	if err := fillBuildID(&c, none); err != nil || c.Worker.BuildID != "" {
		t.Fatalf("versioning off: %q, %v", c.Worker.BuildID, err)
	}
	c.Worker.Versioning = true
	err := fillBuildID(&c, none)
	if err == nil || !strings.HasPrefix(err.Error(), "worker.build_id: required") {
		t.Fatalf("no build ID anywhere: %v", err)
	}
	c.Worker.BuildID = ""
	if err := fillBuildID(&c, buildVersion{Version: "v2.0.0"}); err != nil || c.Worker.BuildID != "v2.0.0" {
		t.Fatalf("from the binary: %q, %v", c.Worker.BuildID, err)
	}
	c.Worker.BuildID = "hotfix-7"
	if err := fillBuildID(&c, buildVersion{Version: "v2.0.0"}); err != nil || c.Worker.BuildID != "hotfix-7" {
		t.Fatalf("worker.build_id set: %q, %v", c.Worker.BuildID, err)
	}
}
