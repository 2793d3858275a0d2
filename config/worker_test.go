package config_test

import (
	"strings"
	"testing"

	"github.com/bpvp-sidoarjo/kompeten/config"
)

// Versioning is off by default (a worker then takes every task, as before); turned on, the
// deployment name and build ID must be ones the Temporal server accepts, and the error says
// so at start rather than at the first poll.
func TestWorkerVersioningKeys(t *testing.T) {
	t.Chdir(t.TempDir())
	c, err := config.Load(flags(t))
	if err != nil {
		t.Fatal(err)
	}
	if w := c.Worker; w.Versioning || w.DeploymentName != "kompeten" || w.BuildID != "" || !w.PromoteFirst {
		t.Errorf("defaults: versioning %v, deployment %q, build %q, promote_first %v; want off, kompeten, empty (the binary's), on",
			w.Versioning, w.DeploymentName, w.BuildID, w.PromoteFirst)
	}

	// A name the server refuses is harmless while versioning is off...
	t.Setenv("KOMPETEN_WORKER_DEPLOYMENT_NAME", "kompeten.jatim")
	t.Setenv("KOMPETEN_WORKER_BUILD_ID", "__v2")
	if _, err := config.Load(flags(t)); err != nil {
		t.Fatalf("versioning off: %v", err)
	}
	// ...and refused, naming both keys, when it is on.
	t.Setenv("KOMPETEN_WORKER_VERSIONING", "true")
	_, err = config.Load(flags(t))
	if err == nil {
		t.Fatal("a deployment name with '.' and a build ID with '__' accepted")
	}
	for _, key := range []string{"worker.deployment_name: must not contain", "worker.build_id: must not start with '__'"} {
		if !strings.Contains(err.Error(), key) {
			t.Errorf("error does not say %q:\n%v", key, err)
		}
	}
	t.Setenv("KOMPETEN_WORKER_DEPLOYMENT_NAME", "kompeten-jatim")
	t.Setenv("KOMPETEN_WORKER_BUILD_ID", "v2.0.1")
	if _, err := config.Load(flags(t)); err != nil {
		t.Fatalf("good names refused: %v", err)
	}
}
