package temporalclient

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	namespacepb "go.temporal.io/api/namespace/v1"
	"go.temporal.io/api/operatorservice/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
	"google.golang.org/protobuf/types/known/durationpb"
)

// NamespaceSpec is what kompeten needs of its Temporal namespace: the namespace itself, how
// long closed workflows are kept, and every custom search attribute with its type.
type NamespaceSpec struct {
	Name             string
	Retention        time.Duration
	SearchAttributes map[string]enumspb.IndexedValueType
}

// SetupHint is what an operator runs to fix what CheckNamespace reports.
const SetupHint = "run `kompeten setup` with the same configuration (temporal.address, temporal.namespace)"

// settleTimeout bounds the wait for a frontend to see a namespace or attributes just added.
const settleTimeout = 60 * time.Second

// EnsureNamespace makes the cluster hold spec: it registers the namespace when missing, sets
// its retention when different and adds the missing search attributes, through the workflow
// and operator services. Safe to run again: what is already right is left alone. It returns
// one line per change made (none when the cluster already held spec), and fails when an
// attribute exists with another type (that cannot be changed in place).
func EnsureNamespace(ctx context.Context, c client.Client, spec NamespaceSpec) ([]string, error) {
	var changes []string
	ws := c.WorkflowService()
	desc, err := ws.DescribeNamespace(ctx, &workflowservice.DescribeNamespaceRequest{Namespace: spec.Name})
	var notFound *serviceerror.NamespaceNotFound
	switch {
	case errors.As(err, &notFound):
		_, err := ws.RegisterNamespace(ctx, &workflowservice.RegisterNamespaceRequest{
			Namespace:                        spec.Name,
			Description:                      "kompeten: vocational-training journeys",
			WorkflowExecutionRetentionPeriod: durationpb.New(spec.Retention),
		})
		var exists *serviceerror.NamespaceAlreadyExists
		if err != nil && !errors.As(err, &exists) {
			return nil, fmt.Errorf("register namespace %s: %w", spec.Name, err)
		}
		if err == nil {
			changes = append(changes, fmt.Sprintf("namespace %s registered, retention %s", spec.Name, spec.Retention))
		}
	case err != nil:
		return nil, fmt.Errorf("describe namespace %s: %w", spec.Name, err)
	default:
		if cur := desc.GetConfig().GetWorkflowExecutionRetentionTtl().AsDuration(); cur != spec.Retention {
			if _, err := ws.UpdateNamespace(ctx, &workflowservice.UpdateNamespaceRequest{
				Namespace: spec.Name,
				Config:    &namespacepb.NamespaceConfig{WorkflowExecutionRetentionTtl: durationpb.New(spec.Retention)},
			}); err != nil {
				return nil, fmt.Errorf("update namespace %s retention to %s: %w", spec.Name, spec.Retention, err)
			}
			changes = append(changes, fmt.Sprintf("namespace %s retention %s (was %s)", spec.Name, spec.Retention, cur))
		}
	}

	// A namespace just registered reaches the operator service's cache a moment later.
	existing, err := listAttributes(ctx, c, spec.Name, len(changes) > 0)
	if err != nil {
		return changes, err
	}
	missing, wrong := compareAttributes(spec.SearchAttributes, existing)
	if len(wrong) > 0 {
		return changes, fmt.Errorf("namespace %s: %s; such an attribute cannot be changed in place: remove it (temporal operator search-attribute remove) and run kompeten setup again", spec.Name, strings.Join(wrong, ", "))
	}
	if len(missing) == 0 {
		return changes, nil
	}
	add := map[string]enumspb.IndexedValueType{}
	for _, name := range missing {
		add[name] = spec.SearchAttributes[name]
	}
	if _, err := c.OperatorService().AddSearchAttributes(ctx, &operatorservice.AddSearchAttributesRequest{
		Namespace: spec.Name, SearchAttributes: add,
	}); err != nil {
		return changes, fmt.Errorf("add search attributes %s to namespace %s: %w", strings.Join(missing, ", "), spec.Name, err)
	}
	for _, name := range missing {
		changes = append(changes, fmt.Sprintf("search attribute %s (%s) added", name, typeName(add[name])))
	}
	return changes, waitUsable(ctx, c, spec.Name, missing[0])
}

// CheckNamespace reports what of spec the cluster lacks: a missing namespace, or each missing
// or mistyped search attribute by name and type, with what to run. Nil when all is there.
// Retention is not checked: it is the operator's to change.
func CheckNamespace(ctx context.Context, c client.Client, spec NamespaceSpec) error {
	_, err := c.WorkflowService().DescribeNamespace(ctx, &workflowservice.DescribeNamespaceRequest{Namespace: spec.Name})
	var notFound *serviceerror.NamespaceNotFound
	if errors.As(err, &notFound) {
		return fmt.Errorf("temporal namespace %s does not exist: %s", spec.Name, SetupHint)
	}
	if err != nil {
		return fmt.Errorf("describe temporal namespace %s: %w", spec.Name, err)
	}
	existing, err := listAttributes(ctx, c, spec.Name, false)
	if err != nil {
		return err
	}
	missing, wrong := compareAttributes(spec.SearchAttributes, existing)
	var problems []string
	if len(missing) > 0 {
		named := make([]string, len(missing))
		for i, name := range missing {
			named[i] = fmt.Sprintf("%s (%s)", name, typeName(spec.SearchAttributes[name]))
		}
		problems = append(problems, "search attributes missing: "+strings.Join(named, ", "))
	}
	problems = append(problems, wrong...)
	if len(problems) == 0 {
		return nil
	}
	return fmt.Errorf("temporal namespace %s: %s: %s", spec.Name, strings.Join(problems, "; "), SetupHint)
}

// listAttributes returns the namespace's custom search attributes; with retry it waits for a
// namespace just registered to be known to the operator service.
func listAttributes(ctx context.Context, c client.Client, namespace string, retry bool) (map[string]enumspb.IndexedValueType, error) {
	deadline := time.Now().Add(settleTimeout)
	for {
		resp, err := c.OperatorService().ListSearchAttributes(ctx, &operatorservice.ListSearchAttributesRequest{Namespace: namespace})
		if err == nil {
			return resp.GetCustomAttributes(), nil
		}
		var notFound *serviceerror.NamespaceNotFound
		if !retry || !errors.As(err, &notFound) || time.Now().After(deadline) {
			return nil, fmt.Errorf("list search attributes of namespace %s: %w", namespace, err)
		}
		if err := pause(ctx, 250*time.Millisecond); err != nil {
			return nil, err
		}
	}
}

// waitUsable waits until the frontend accepts a query on an attribute just added: until its
// namespace cache refreshes, starting a workflow with the attribute fails.
func waitUsable(ctx context.Context, c client.Client, namespace, attr string) error {
	deadline := time.Now().Add(settleTimeout)
	for {
		_, err := c.WorkflowService().CountWorkflowExecutions(ctx, &workflowservice.CountWorkflowExecutionsRequest{
			Namespace: namespace, Query: attr + " IS NULL",
		})
		if err == nil {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("search attributes added to namespace %s but not usable after %s: %w", namespace, settleTimeout, err)
		}
		if err := pause(ctx, 250*time.Millisecond); err != nil {
			return err
		}
	}
}

// compareAttributes lists, sorted, the wanted attributes that are missing, and a sentence for
// each that exists with another type.
func compareAttributes(want, have map[string]enumspb.IndexedValueType) (missing, wrong []string) {
	for name, typ := range want {
		got, ok := have[name]
		switch {
		case !ok:
			missing = append(missing, name)
		case got != typ:
			wrong = append(wrong, fmt.Sprintf("search attribute %s is %s, kompeten needs %s", name, typeName(got), typeName(typ)))
		}
	}
	slices.Sort(missing)
	slices.Sort(wrong)
	return missing, wrong
}

// typeName is the attribute type as the Temporal CLI spells it (Keyword, Bool, Datetime).
func typeName(t enumspb.IndexedValueType) string {
	return t.String()
}

func pause(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
