package main

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"

	"github.com/bpvp-sidoarjo/kompeten/config"
	"github.com/bpvp-sidoarjo/kompeten/devserver"
	"github.com/bpvp-sidoarjo/kompeten/internal/testdb"
	"github.com/bpvp-sidoarjo/kompeten/temporalclient"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
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

// startWorkerCmd runs `kompeten worker` until the test ends, with the environment as it is now.
func startWorkerCmd(t *testing.T) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	root := newRoot()
	var out bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&out)
	root.SetArgs([]string{"worker"})
	go func() { done <- root.ExecuteContext(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("kompeten worker: %v", err)
		}
	})
}

// statusUntil runs `kompeten release status` until its output has every line part, or fails.
func statusUntil(t *testing.T, parts ...string) string {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for {
		code, out, stderr := runOut(t, "release", "status")
		ok := code == 0
		for _, p := range parts {
			ok = ok && regexp.MustCompile(p).MatchString(out)
		}
		if ok {
			return out
		}
		if time.Now().After(deadline) {
			t.Fatalf("release status: exit %d, want %q\n%s%s", code, parts, out, stderr)
		}
		time.Sleep(300 * time.Millisecond)
	}
}

// The release of README's Production section with the real commands: the first versioned
// worker makes its build current by itself; the next build's worker starts beside it and takes
// nothing until `kompeten release promote`; the production registration runs an escalation
// pinned on the build that took it.
func TestReleaseCommandsMoveTheWorkToTheNewBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("starts an embedded Temporal server")
	}
	t.Chdir(t.TempDir())
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))
	srv, err := devserver.Start(context.Background(), devserver.Options{Namespace: "default", Logger: logger, LogLevel: slog.LevelError})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Stop)
	url, st := testdb.NewMigrated(t)
	st.Close()
	env := productionEnv(t)
	env["database.url"] = "KOMPETEN_DATABASE_URL=" + url
	env["temporal.address"] = "KOMPETEN_TEMPORAL_ADDRESS=" + srv.HostPort()
	env["temporal.namespace"] = "KOMPETEN_TEMPORAL_NAMESPACE=kompeten-prod"
	env["worker.versioning"] = "KOMPETEN_WORKER_VERSIONING=true"
	env["worker.build_id"] = "KOMPETEN_WORKER_BUILD_ID=r1"
	env["log.level"] = "KOMPETEN_LOG_LEVEL=error"
	c := loadWith(t, env, "")
	if code, out, stderr := runOut(t, "setup"); code != 0 {
		t.Fatalf("setup: exit %d\n%s%s", code, out, stderr)
	}
	if code, out, _ := runOut(t, "release", "status"); code != 0 || !strings.Contains(out, "no versioned worker has polled yet") {
		t.Fatalf("status before any worker: exit %d, %q", code, out)
	}

	startWorkerCmd(t)
	statusUntil(t, `r1 .* current`)
	t.Setenv("KOMPETEN_WORKER_BUILD_ID", "r2")
	startWorkerCmd(t)
	statusUntil(t, `r1 .* current`, `r2 .* old`)
	code, out, stderr := runOut(t, "release", "promote", "r2")
	if code != 0 || !strings.Contains(out, "build r2 is current in worker deployment kompeten") {
		t.Fatalf("promote r2: exit %d\n%s%s", code, out, stderr)
	}
	statusUntil(t, `r2 .* current`, `r1 .* old`)

	c.Worker.BuildID = "r2"
	tc, err := temporalclient.Dial(context.Background(), c, logger)
	if err != nil {
		t.Fatal(err)
	}
	defer tc.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	run, err := tc.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: "escalation/versioning-test", TaskQueue: c.Temporal.TaskQueue},
		workflows.EscalationWorkflowName, workflows.EscalationInput{CaseID: "test", At: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	if err := run.Get(ctx, nil); err != nil {
		t.Fatalf("escalation: %v", err)
	}
	d, err := tc.DescribeWorkflowExecution(ctx, run.GetID(), "")
	if err != nil {
		t.Fatal(err)
	}
	vi := d.GetWorkflowExecutionInfo().GetVersioningInfo()
	if vi.GetBehavior() != enumspb.VERSIONING_BEHAVIOR_PINNED || vi.GetDeploymentVersion().GetBuildId() != "r2" {
		t.Errorf("escalation ran %v on build %q, want pinned on r2", vi.GetBehavior(), vi.GetDeploymentVersion().GetBuildId())
	}
}
