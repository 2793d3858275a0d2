package integration

import (
	"context"
	"log/slog"
	"os"
	"strings"
	"testing"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/operatorservice/v1"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
	"google.golang.org/protobuf/types/known/durationpb"

	"github.com/bpvp-sidoarjo/kompeten/app"
	"github.com/bpvp-sidoarjo/kompeten/devserver"
	"github.com/bpvp-sidoarjo/kompeten/temporalclient"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// TestSetupFreshNamespace runs `kompeten setup`'s work against a namespace the embedded server
// does not have (standing in for a fresh cluster): the start-up check of serve and worker
// refuses first, setup creates the namespace with its retention and every search attribute,
// a second setup changes nothing, the check then passes and a journey's attributes are
// accepted; a namespace lacking attributes or holding one of the wrong type is named exactly.
func TestSetupFreshNamespace(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))
	srv, err := devserver.Start(ctx, devserver.Options{Namespace: "default", Logger: logger, LogLevel: slog.LevelError})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Stop)
	c := fastConfig(t)
	c.Temporal.Address = srv.HostPort()
	c.Temporal.Namespace = "kompeten-fresh"
	c.Temporal.Retention = 72 * time.Hour

	tc, err := temporalclient.Dial(ctx, c, logger)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(tc.Close)
	err = app.CheckNamespace(ctx, c, tc)
	if err == nil || !strings.Contains(err.Error(), "kompeten-fresh does not exist") || !strings.Contains(err.Error(), "kompeten setup") {
		t.Fatalf("check before setup: %v, want the namespace named missing and kompeten setup", err)
	}

	admin, err := temporalclient.DialAdmin(ctx, c, logger)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(admin.Close)
	spec := app.NamespaceSpec(c)
	changes, err := temporalclient.EnsureNamespace(ctx, admin, spec)
	if err != nil {
		t.Fatalf("first setup: %v (changes %q)", err, changes)
	}
	if len(changes) != 1+len(spec.SearchAttributes) || !strings.Contains(changes[0], "registered, retention 72h0m0s") {
		t.Fatalf("first setup changed %q, want the namespace and %d attributes", changes, len(spec.SearchAttributes))
	}
	again, err := temporalclient.EnsureNamespace(ctx, admin, spec)
	if err != nil || len(again) != 0 {
		t.Fatalf("second setup: changes %q, error %v; want nothing to change", again, err)
	}
	if err := app.CheckNamespace(ctx, c, tc); err != nil {
		t.Fatalf("check after setup: %v", err)
	}
	desc, err := admin.WorkflowService().DescribeNamespace(ctx, &workflowservice.DescribeNamespaceRequest{Namespace: spec.Name})
	if err != nil {
		t.Fatal(err)
	}
	if got := desc.GetConfig().GetWorkflowExecutionRetentionTtl().AsDuration(); got != 72*time.Hour {
		t.Fatalf("retention %s, want 72h", got)
	}

	// The attributes are usable: a journey's start attributes are accepted (no worker runs it).
	in := workflows.JourneyInput{CaseID: "setup-probe", CentreCode: "BLK-SBY", PackageCode: "PKG", LSPCode: "LSP"}
	run, err := tc.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID: "setup-probe", TaskQueue: "setup-probe-nobody", TypedSearchAttributes: workflows.StartSearchAttributes(in, time.Now()),
	}, "SetupProbe")
	if err != nil {
		t.Fatalf("start with kompeten's search attributes: %v", err)
	}
	if err := tc.TerminateWorkflow(ctx, run.GetID(), run.GetRunID(), "setup test"); err != nil {
		t.Fatal(err)
	}

	// A retention changed in the configuration is applied by the next setup.
	spec.Retention = 96 * time.Hour
	changed, err := temporalclient.EnsureNamespace(ctx, admin, spec)
	if err != nil || len(changed) != 1 || !strings.Contains(changed[0], "retention 96h0m0s (was 72h0m0s)") {
		t.Fatalf("setup with a new retention: %q, %v", changed, err)
	}

	// A namespace set up by hand, short of two attributes and with one of the wrong type.
	partial := "kompeten-partial"
	if _, err := admin.WorkflowService().RegisterNamespace(ctx, &workflowservice.RegisterNamespaceRequest{
		Namespace: partial, WorkflowExecutionRetentionPeriod: durationpb.New(72 * time.Hour),
	}); err != nil {
		t.Fatal(err)
	}
	some := map[string]enumspb.IndexedValueType{}
	for name, typ := range spec.SearchAttributes {
		switch name {
		case workflows.SAOutcome.GetName(), workflows.SAStageEntered.GetName():
		case workflows.SAStuck.GetName():
			some[name] = enumspb.INDEXED_VALUE_TYPE_KEYWORD
		default:
			some[name] = typ
		}
	}
	eventually(t, time.Minute, "attributes added to the partial namespace", func() (bool, string) {
		_, err := admin.OperatorService().AddSearchAttributes(ctx, &operatorservice.AddSearchAttributesRequest{Namespace: partial, SearchAttributes: some})
		return err == nil, errString(err)
	})
	pc := *c
	pc.Temporal.Namespace = partial
	err = app.CheckNamespace(ctx, &pc, tc)
	want := "search attributes missing: KompetenOutcome (Keyword), KompetenStageEntered (Datetime); search attribute KompetenStuck is Keyword, kompeten needs Bool"
	if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "kompeten setup") {
		t.Fatalf("check of the partial namespace: %v\nwant it to say %q and what to run", err, want)
	}
	if strings.Contains(err.Error(), workflows.SAStage.GetName()+" ") {
		t.Fatalf("check names an attribute that exists: %v", err)
	}
	// Setup adds what is missing but will not retype an attribute: it says so.
	_, err = temporalclient.EnsureNamespace(ctx, admin, app.NamespaceSpec(&pc))
	if err == nil || !strings.Contains(err.Error(), "KompetenStuck is Keyword, kompeten needs Bool") {
		t.Fatalf("setup over a mistyped attribute: %v, want it named", err)
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
