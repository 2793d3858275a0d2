package release_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/sdk/client"
	sdklog "go.temporal.io/sdk/log"
	sdkworker "go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/bpvp-sidoarjo/kompeten/devserver"
	"github.com/bpvp-sidoarjo/kompeten/release"
	"github.com/bpvp-sidoarjo/kompeten/worker"
)

// quiet keeps the SDK's logs to errors, and the replay below logs the non-determinism it is
// meant to find as one.
var quiet = sdklog.NewStructuredLogger(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})))

const (
	deploymentName = "kompeten-test"
	taskQueue      = "versioning-test"
)

// Two releases run side by side on the embedded server, as during a rolling release: journeys
// (AutoUpgrade) started on v1 move to v2 when it is promoted and finish there on their v1 path,
// thanks to GetVersion; new journeys start on v2 and take its new path; a pinned short workflow
// started on v1 finishes on v1 while v2 is current; no workflow task fails (no
// non-determinism), the v1 journey's history replays on v2's code (and would not without the
// guard), and v1 shows drained once its pinned workflow closed.
func TestTwoReleasesSideBySide(t *testing.T) {
	if testing.Short() {
		t.Skip("starts an embedded Temporal server")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	began := time.Now()
	lap := func(what string) { t.Logf("%6.1fs %s", time.Since(began).Seconds(), what) }
	srv, err := devserver.Start(ctx, devserver.Options{
		Logger: slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError})),
		// A drained version is seen within seconds rather than the default minutes.
		DynamicConfig: map[string]any{
			"matching.wv.VersionDrainageStatusRefreshInterval":       time.Second,
			"matching.wv.VersionDrainageStatusVisibilityGracePeriod": time.Second,
		},
		LogLevel: slog.LevelError,
	})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Stop()
	c, err := client.DialContext(ctx, client.Options{HostPort: srv.HostPort(), Namespace: srv.Namespace(), Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	lap("server up")

	// Before versioning: an unversioned worker (worker.versioning off) runs a journey's first step.
	w0 := startWorker(t, c, "", longV1, shortV1)
	unversioned := start(ctx, t, c, longFlow, "long-unversioned")
	waitFor(ctx, t, "the unversioned journey's step A", func() bool { return ranStepA(history(ctx, t, c, unversioned)) })

	// Release v1 turns versioning on: its worker starts and, as the first version of the
	// deployment, becomes current; the unversioned worker stops and its journey waits for v1's.
	w1 := startWorker(t, c, "v1", longV1, shortV1)
	promoted, err := release.PromoteFirst(ctx, c, deploymentName, "v1", time.Minute)
	if err != nil || !promoted {
		t.Fatalf("PromoteFirst(v1) = %v, %v; want the first version promoted", promoted, err)
	}
	w0.Stop()
	lap("v1 current")
	oldLong := start(ctx, t, c, longFlow, "long-old")
	oldShort := start(ctx, t, c, shortFlow, "short-old")
	// The old journey has run step A on v1 before the release.
	waitFor(ctx, t, "the v1 journey's step A", func() bool { return ranStepA(history(ctx, t, c, oldLong)) })
	waitFor(ctx, t, "the v1 short workflow's first task", func() bool { return len(completedBy(history(ctx, t, c, oldShort))) > 0 })

	// Release v2 starts beside v1; a second PromoteFirst changes nothing; Promote makes it current.
	w2 := startWorker(t, c, "v2", longV2, shortV2)
	defer w2.Stop()
	if promoted, err := release.PromoteFirst(ctx, c, deploymentName, "v2", time.Minute); err != nil || promoted {
		t.Fatalf("PromoteFirst(v2) with v1 current = %v, %v; want nothing done", promoted, err)
	}
	// Until promoted, v2's worker takes no new work although it polls: this one starts on v1.
	midShort := start(ctx, t, c, shortFlow, "short-mid")
	waitFor(ctx, t, "the short workflow started before the promotion", func() bool { return len(completedBy(history(ctx, t, c, midShort))) > 0 })
	if err := release.Promote(ctx, c, deploymentName, "v2", time.Minute); err != nil {
		t.Fatal(err)
	}
	if err := release.Promote(ctx, c, deploymentName, "v2", time.Minute); err != nil {
		t.Fatalf("promoting the current version again: %v", err)
	}
	lap("v2 current")
	newLong := start(ctx, t, c, longFlow, "long-new")
	newShort := start(ctx, t, c, shortFlow, "short-new")

	for _, id := range []string{unversioned, oldLong, oldShort, midShort, newLong, newShort} {
		if err := c.SignalWorkflow(ctx, id, "", goSignal, nil); err != nil {
			t.Fatalf("signal %s: %v", id, err)
		}
	}
	want := map[string]string{unversioned: "v2:a", oldLong: "v2:a", oldShort: "v1", midShort: "v1", newLong: "v2:b", newShort: "v2"}
	for id, w := range want {
		var got string
		if err := c.GetWorkflow(ctx, id, "").Get(ctx, &got); err != nil {
			t.Fatalf("%s: %v", id, err)
		}
		if got != w {
			t.Errorf("%s returned %q, want %q", id, got, w)
		}
	}
	lap("all six closed")

	// Which release ran each workflow task, and that none failed.
	wantBuilds := map[string][]string{unversioned: {"", "v2"}, oldLong: {"v1", "v2"}, oldShort: {"v1"}, midShort: {"v1"}, newLong: {"v2"}, newShort: {"v2"}}
	for id, w := range wantBuilds {
		h := history(ctx, t, c, id)
		for _, e := range h {
			if e.GetEventType() == enumspb.EVENT_TYPE_WORKFLOW_TASK_FAILED {
				t.Errorf("%s: workflow task failed: %v", id, e.GetWorkflowTaskFailedEventAttributes())
			}
		}
		if got := completedBy(h); !slices.Equal(got, w) {
			t.Errorf("%s: workflow tasks completed by builds %v, want %v", id, got, w)
		}
	}
	for id, w := range map[string]enumspb.VersioningBehavior{oldLong: enumspb.VERSIONING_BEHAVIOR_AUTO_UPGRADE, oldShort: enumspb.VERSIONING_BEHAVIOR_PINNED} {
		d, err := c.DescribeWorkflowExecution(ctx, id, "")
		if err != nil {
			t.Fatal(err)
		}
		if got := d.GetWorkflowExecutionInfo().GetVersioningInfo().GetBehavior(); got != w {
			t.Errorf("%s: versioning behaviour %v, want %v", id, got, w)
		}
	}

	// Replay guards the change: the journey v1 began replays on v2's code, not on the same
	// change made without GetVersion.
	oldHistory := &historypb.History{Events: history(ctx, t, c, oldLong)}
	if err := replay(longV2, oldHistory); err != nil {
		t.Errorf("the v1 journey's history does not replay on v2's code: %v", err)
	}
	if err := replay(longV2Unguarded, oldHistory); err == nil || !strings.Contains(err.Error(), "nondeterministic") {
		t.Errorf("replaying on the unguarded change: %v, want a non-determinism error", err)
	}

	// v1 ran its last pinned workflow: it drains, and its worker may stop.
	waitFor(ctx, t, "v1 drained", func() bool {
		s, err := release.Describe(ctx, c, deploymentName)
		if err != nil {
			t.Fatal(err)
		}
		v, _ := s.Version("v1")
		return s.Current == "v2" && v.Drainage == "drained"
	})
	lap("v1 drained")
	w1.Stop()
	s, err := release.Describe(ctx, c, deploymentName)
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	if err := s.Print(&out, time.UTC); err != nil {
		t.Fatal(err)
	}
	t.Log("\n" + out.String())
	if !strings.Contains(out.String(), "v2") || !strings.Contains(out.String(), "current") || !strings.Contains(out.String(), "drained") {
		t.Errorf("status does not show v2 current and v1 drained:\n%s", out.String())
	}
}

// ranStepA says whether the journey has completed its first activity.
func ranStepA(h []*historypb.HistoryEvent) bool {
	return slices.ContainsFunc(h, func(e *historypb.HistoryEvent) bool {
		return e.GetEventType() == enumspb.EVENT_TYPE_ACTIVITY_TASK_COMPLETED
	})
}

// startWorker runs one release: the test workflows registered under the production worker's
// deployment options; an empty build is a worker without versioning.
func startWorker(t *testing.T, c client.Client, build string, long, short func(workflow.Context) (string, error)) sdkworker.Worker {
	t.Helper()
	var o worker.Options
	if build != "" {
		o.Deployment = &worker.Deployment{Name: deploymentName, BuildID: build}
	}
	w := sdkworker.New(c, taskQueue, o.SDK())
	w.RegisterWorkflowWithOptions(long, workflow.RegisterOptions{Name: longFlow, VersioningBehavior: workflow.VersioningBehaviorAutoUpgrade})
	w.RegisterWorkflowWithOptions(short, workflow.RegisterOptions{Name: shortFlow, VersioningBehavior: workflow.VersioningBehaviorPinned})
	w.RegisterActivity(stepA)
	w.RegisterActivity(stepB)
	if err := w.Start(); err != nil {
		t.Fatal(err)
	}
	return w
}

func start(ctx context.Context, t *testing.T, c client.Client, flow, id string) string {
	t.Helper()
	if _, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: id, TaskQueue: taskQueue}, flow); err != nil {
		t.Fatalf("start %s: %v", id, err)
	}
	return id
}

func history(ctx context.Context, t *testing.T, c client.Client, id string) []*historypb.HistoryEvent {
	t.Helper()
	var out []*historypb.HistoryEvent
	it := c.GetWorkflowHistory(ctx, id, "", false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	for it.HasNext() {
		e, err := it.Next()
		if err != nil {
			t.Fatalf("history of %s: %v", id, err)
		}
		out = append(out, e)
	}
	return out
}

// completedBy lists the builds that completed the workflow's tasks, in order, each run once.
func completedBy(h []*historypb.HistoryEvent) []string {
	var out []string
	for _, e := range h {
		if a := e.GetWorkflowTaskCompletedEventAttributes(); a != nil {
			b := a.GetDeploymentVersion().GetBuildId()
			if len(out) == 0 || out[len(out)-1] != b {
				out = append(out, b)
			}
		}
	}
	return out
}

func replay(fn func(workflow.Context) (string, error), h *historypb.History) error {
	r := sdkworker.NewWorkflowReplayer()
	r.RegisterWorkflowWithOptions(fn, workflow.RegisterOptions{Name: longFlow})
	return r.ReplayWorkflowHistory(quiet, h)
}

// waitFor polls cond until it holds or the test's context ends.
func waitFor(ctx context.Context, t *testing.T, what string, cond func() bool) {
	t.Helper()
	for !cond() {
		select {
		case <-ctx.Done():
			t.Fatalf("waiting for %s: %v", what, errors.Join(ctx.Err(), fmt.Errorf("gave up")))
		case <-time.After(200 * time.Millisecond):
		}
	}
}
