package integration

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/auth"
	"github.com/bpvp-sidoarjo/kompeten/starter"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// enrolOne creates a package needing manual approval and enrols one person; it returns the case
// waiting on the centre admin.
func enrolOne(t *testing.T, sys *system, code, centre string) store.Case {
	t.Helper()
	now := time.Now()
	if status := sys.call("POST", "/api/v1/packages", api.PackageRequest{
		Code: code, Centre: centre, Trade: "Las", Scheme: "SKM-LAS", LSP: "LSP-BLK-SBY",
		Start: now.Add(time.Hour).Format(time.RFC3339), End: now.Add(2 * time.Hour).Format(time.RFC3339), Hours: 240,
	}, nil); status != http.StatusCreated {
		t.Fatalf("create package %s: HTTP %d", code, status)
	}
	var enrolled api.EnrolResponse
	if status := sys.call("POST", "/api/v1/packages/"+code+"/enrolments", api.EnrolRequest{People: validPeople(t, now.Add(time.Hour), 1)}, &enrolled); status != http.StatusOK {
		t.Fatalf("enrol: HTTP %d", status)
	}
	id := enrolled.Results[0].CaseID
	var c store.Case
	eventually(t, 15*time.Second, "waiting on the centre admin", func() (bool, string) {
		c, _ = sys.store.GetCase(context.Background(), id)
		return c.WaitingOn == vocab.WaitingCentreAdmin, string(c.Stage) + "/" + string(c.WaitingOn)
	})
	return c
}

// An update sent straight to Temporal, around the API, is refused by the worker's check of the
// signed actor claim: unsigned, signed with another key, with a role raised after signing, or in
// the first claim format (which did not cover the argument).
// The case stays waiting; the same step through the service (signed) is accepted.
func TestUpdateAroundTheAPIIsRefused(t *testing.T) {
	sys := startSystem(t, fastConfig(t))
	c := enrolOne(t, sys, "IT-AUTH-1", "BLK-SBY")
	ctx := context.Background()

	forged := workflows.Actor{ID: "mallory", Role: vocab.RoleCoordinator}
	decision := workflows.EnrolmentDecision{Actor: forged, Approve: true}
	signedBy := func(key []byte, role vocab.Role) workflows.Actor {
		d := decision
		d.Actor.Role = role
		v, err := starter.SignActor(key, c.WorkflowID, workflows.UpdateDecideEnrolment, d, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		return v.(workflows.EnrolmentDecision).Actor
	}
	otherKey := signedBy([]byte("not-the-actor-key-0123456789abcdef012345"), forged.Role)
	viewer := signedBy([]byte(sys.cfg.Security.ActorKey), vocab.RoleViewer)
	legacy, err := auth.SignLegacy([]byte(sys.cfg.Security.ActorKey), auth.LegacyClaim{CaseID: c.CaseID, Update: workflows.UpdateDecideEnrolment, ActorID: forged.ID, Role: forged.Role, At: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	for name, actor := range map[string]workflows.Actor{
		"unsigned":      forged,
		"other key":     otherKey,
		"role raised":   {ID: forged.ID, Role: forged.Role, Signature: viewer.Signature},
		"garbage claim": {ID: forged.ID, Role: forged.Role, Signature: "v2.api.1.x.AAAA"},
		"old format":    {ID: forged.ID, Role: forged.Role, Signature: legacy},
	} {
		h, err := sys.tc.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{
			WorkflowID: c.WorkflowID, UpdateName: workflows.UpdateDecideEnrolment,
			Args:         []any{workflows.EnrolmentDecision{Actor: actor, Approve: true}},
			WaitForStage: client.WorkflowUpdateStageCompleted,
		})
		if err == nil {
			err = h.Get(ctx, nil)
		}
		if err == nil || !strings.Contains(err.Error(), "not signed by kompeten's API") {
			t.Fatalf("%s: want a refusal naming the unsigned claim, got %v", name, err)
		}
	}
	st, err := sys.svc.State(ctx, c.CaseID)
	if err != nil {
		t.Fatal(err)
	}
	if st.Stage != vocab.StageEnrolment || st.Enrolment.Decision != nil {
		t.Fatalf("forged updates changed the case: stage %s, decision %+v", st.Stage, st.Enrolment.Decision)
	}

	// The service signs; the same decision through it is accepted.
	res, err := sys.svc.Update(ctx, c.CaseID, workflows.UpdateDecideEnrolment, workflows.EnrolmentDecision{Actor: workflows.Actor{ID: "siti", Role: vocab.RoleCentreAdmin}, Approve: true})
	if err != nil {
		t.Fatalf("signed update: %v", err)
	}
	if res.CaseID != c.CaseID {
		t.Fatalf("signed update answered for %s", res.CaseID)
	}
	// The decision is in the case's state with who took it, and the API shows no signature a
	// reader could send again.
	var raw json.RawMessage
	if code := sys.call("GET", "/api/v1/cases/"+c.CaseID, nil, &raw); code != http.StatusOK {
		t.Fatalf("read the case: HTTP %d", code)
	}
	var compact bytes.Buffer
	if err := json.Compact(&compact, raw); err != nil {
		t.Fatal(err)
	}
	raw = compact.Bytes()
	if !strings.Contains(string(raw), `"id":"siti"`) || strings.Contains(string(raw), "signature") || strings.Contains(string(raw), "v2.api.") {
		t.Fatalf("GET /api/v1/cases/%s: want the decision's actor without a signature: %s", c.CaseID, raw)
	}
}

// An MoU signature sent straight to Temporal without the API's signed claim is refused by the
// worker, and the agreement stays a draft; the same signature through the service (which
// signs the claim) is taken.
func TestMoUUpdateAroundTheAPIIsRefused(t *testing.T) {
	sys := startSystem(t, fastConfig(t))
	ctx := context.Background()
	coordinator := workflows.Actor{ID: "coord-1", Role: vocab.RoleCoordinator}
	today := time.Now().UTC().Truncate(24 * time.Hour)
	number := "MOU/IT-AUTH/LSP-BLK-SBY/2026"
	if _, err := sys.svc.CreateAgreement(ctx, starter.NewAgreement{Number: number, PartnerCode: "LSP-BLK-SBY", Title: "forgery test",
		ValidFrom: today, ValidUntil: today.AddDate(2, 0, 0), Scope: workflows.Scope{Centres: []string{"BLK-SBY"}}, Actor: coordinator}); err != nil {
		t.Fatal(err)
	}
	sign := workflows.SignRequest{Actor: workflows.Actor{ID: "mallory", Role: vocab.RoleCoordinator}, SignedOn: today, Signatories: []string{"Mallory"}}
	h, err := sys.tc.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{
		WorkflowID: workflows.MoUWorkflowID(number), UpdateName: workflows.UpdateMoUSign,
		Args: []any{sign}, WaitForStage: client.WorkflowUpdateStageCompleted,
	})
	if err == nil {
		err = h.Get(ctx, nil)
	}
	if err == nil || !strings.Contains(err.Error(), "not signed by kompeten's API") {
		t.Fatalf("forged signature of %s: want a refusal naming the unsigned claim, got %v", number, err)
	}
	if a, err := sys.store.GetAgreement(ctx, number); err != nil || a.SignedOn != nil {
		t.Fatalf("after the forged signature: %+v, %v", a, err)
	}
	sign.Actor = coordinator
	if _, err := sys.svc.SignAgreement(ctx, number, sign); err != nil {
		t.Fatalf("signed signature: %v", err)
	}
	eventually(t, 10*time.Second, "agreement signed in the store", func() (bool, string) {
		a, err := sys.store.GetAgreement(ctx, number)
		return err == nil && a.SignedOn != nil, fmt.Sprintf("%+v %v", a, err)
	})
}
