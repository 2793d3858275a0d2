package starter

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/bpvp-sidoarjo/kompeten/config"
	"github.com/bpvp-sidoarjo/kompeten/metrics"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// Service starts and drives journeys.
type Service struct {
	Temporal  client.Client
	Store     *store.Store
	Config    *config.Config
	TaskQueue string
	// HashKey keys the NIK hash used in workflow IDs and lookups.
	HashKey []byte
	// ActorKey signs the actor of every update and signal (security.actor_key); nil: loaded
	// on the first update (see actorKey).
	ActorKey []byte
	keyMu    sync.Mutex
	loc      *time.Location
}

// New builds a Service.
func New(c client.Client, st *store.Store, cfg *config.Config, hashKey []byte) (*Service, error) {
	loc, err := time.LoadLocation(cfg.Journey.Timezone)
	if err != nil {
		return nil, fmt.Errorf("journey.timezone: %w", err)
	}
	if len(hashKey) == 0 {
		return nil, errors.New("security.nik_hash_key: no key to hash NIKs with")
	}
	return &Service{Temporal: c, Store: st, Config: cfg, TaskQueue: cfg.Temporal.TaskQueue, HashKey: hashKey, loc: loc}, nil
}

// Location is the time zone package dates are read in.
func (s *Service) Location() *time.Location { return s.loc }

// ErrCaseNotFound is returned for an unknown case ID.
var ErrCaseNotFound = errors.New("case not found")

// caseRow reads a case's row from the read model; an unknown case is ErrCaseNotFound.
func (s *Service) caseRow(ctx context.Context, caseID string) (store.Case, error) {
	c, err := s.Store.GetCase(ctx, caseID)
	if errors.Is(err, store.ErrNotFound) {
		return c, fmt.Errorf("%w: %s", ErrCaseNotFound, caseID)
	}
	if err != nil {
		return c, fmt.Errorf("look up case %s: %w", caseID, err)
	}
	return c, nil
}

// workflowID finds a case's workflow ID from its short case ID through the read model, or by
// recomputing it when the caller knows the package and the NIK hash.
func (s *Service) workflowID(ctx context.Context, caseID string) (string, error) {
	c, err := s.caseRow(ctx, caseID)
	if err != nil {
		return "", err
	}
	return c.WorkflowID, nil
}

// Update sends a human step to a running journey and waits for the workflow's answer. A
// refusal by the workflow's validator comes back as a *RefusedError with the reason.
func (s *Service) Update(ctx context.Context, caseID, name string, arg any) (workflows.UpdateResult, error) {
	c, err := s.caseRow(ctx, caseID)
	if err != nil {
		return workflows.UpdateResult{}, err
	}
	return s.UpdateRead(ctx, c, name, arg)
}

// UpdateRead is Update for a case row its caller has just read (the API reads it to check the
// caller's scope): the same refusal of a closed case, from that row, without reading it again.
func (s *Service) UpdateRead(ctx context.Context, c store.Case, name string, arg any) (workflows.UpdateResult, error) {
	var res workflows.UpdateResult
	wid, err := openRow(c, name, arg)
	if err != nil {
		return res, err
	}
	start := time.Now()
	res, err = s.update(ctx, c.CaseID, wid, name, arg)
	metrics.Default.ObserveStep(name, start, err)
	return res, err
}

// update sends the signed update and waits for the journey's answer.
func (s *Service) update(ctx context.Context, caseID, wid, name string, arg any) (workflows.UpdateResult, error) {
	var res workflows.UpdateResult
	signed, err := s.signed(wid, name, arg)
	if err != nil {
		return res, err
	}
	h, err := s.Temporal.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{
		WorkflowID:   wid,
		UpdateName:   name,
		Args:         []any{signed},
		WaitForStage: client.WorkflowUpdateStageCompleted,
	})
	if err != nil {
		return res, s.stepFailed(ctx, caseID, name, arg, err)
	}
	if err := h.Get(ctx, &res); err != nil {
		return res, s.stepFailed(ctx, caseID, name, arg, err)
	}
	return res, nil
}

// Signal delivers a message from a system that cannot wait for an answer (a partner file).
func (s *Service) Signal(ctx context.Context, caseID, name string, arg any) error {
	wid, err := s.openCase(ctx, caseID, name, arg)
	if err != nil {
		return err
	}
	signed, err := s.signed(wid, name, arg)
	if err != nil {
		return err
	}
	if err := s.Temporal.SignalWorkflow(ctx, wid, "", name, signed); err != nil {
		return s.stepFailed(ctx, caseID, name, arg, err)
	}
	return nil
}

// State queries a journey for its full state, without the claims' signatures.
func (s *Service) State(ctx context.Context, caseID string) (workflows.CaseState, error) {
	var st workflows.CaseState
	wid, err := s.workflowID(ctx, caseID)
	if err != nil {
		return st, err
	}
	v, err := s.Temporal.QueryWorkflow(ctx, wid, "", workflows.QueryState)
	if err != nil {
		return st, classify(caseID, err)
	}
	if err := v.Get(&st); err != nil {
		return st, fmt.Errorf("decode state of %s: %w", caseID, err)
	}
	// Readers see who took each step, never the claim that vouched for it: a signature in an
	// answer could be sent again.
	return workflows.WithoutSignatures(st)
}

// RefusedError is a request the journey refused (wrong stage, wrong role, bad values).
type RefusedError struct {
	CaseID string
	Reason string
	// Code and Params word the refusal from the message catalogue, as the journey's validator
	// gave them (workflows.RefusalOf); Code is empty for a refusal that has none (a worker of
	// an older release).
	Code   string
	Params map[string]string
}

func (e *RefusedError) Error() string { return fmt.Sprintf("case %s: refused: %s", e.CaseID, e.Reason) }

// classify separates "the case refused this" from "the case does not exist" and outages.
func classify(caseID string, err error) error {
	var nf *serviceerror.NotFound
	if errors.As(err, &nf) {
		return fmt.Errorf("%w: %s (no running journey)", ErrCaseNotFound, caseID)
	}
	coded, _ := workflows.RefusalOf(err)
	var full *temporal.ApplicationError
	if errors.As(err, &full) && full.Type() == workflows.ErrTypePackageFull {
		return &FullError{CaseID: caseID, Reason: full.Message(), Code: coded.Code, Params: coded.Params}
	}
	var app interface{ Message() string }
	if errors.As(err, &app) {
		return &RefusedError{CaseID: caseID, Reason: app.Message(), Code: coded.Code, Params: coded.Params}
	}
	return fmt.Errorf("case %s: %w", caseID, err)
}

// FullError is an approval refused because the package has no seat left; Reason gives the
// count ("package SBY-LAS-1 is full: 16 of 16 seats taken"). The API answers it 409.
type FullError struct {
	CaseID string
	Reason string
	// Code and Params word the refusal from the message catalogue ("refusal.package-full").
	Code   string
	Params map[string]string
}

// Error words the refusal with the case.
func (e *FullError) Error() string { return fmt.Sprintf("case %s: refused: %s", e.CaseID, e.Reason) }
