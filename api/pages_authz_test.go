package api_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/auth"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
	"github.com/bpvp-sidoarjo/kompeten/web"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// unreachableTemporal stands in for Temporal: every call the API could make after its checks
// fails, so a request that passed authorization answers 500 "internal error", distinct from a
// refusal (403) and from a case outside the caller's scope (404).
type unreachableTemporal struct{ client.Client }

var errTemporalReached = errors.New("test: the request reached Temporal")

func (unreachableTemporal) ExecuteWorkflow(context.Context, client.StartWorkflowOptions, any, ...any) (client.WorkflowRun, error) {
	return nil, errTemporalReached
}
func (unreachableTemporal) UpdateWorkflow(context.Context, client.UpdateWorkflowOptions) (client.WorkflowUpdateHandle, error) {
	return nil, errTemporalReached
}
func (unreachableTemporal) DescribeWorkflowExecution(context.Context, string, string) (*workflowservice.DescribeWorkflowExecutionResponse, error) {
	return nil, errTemporalReached
}
func (unreachableTemporal) SignalWorkflow(context.Context, string, string, string, any) error {
	return errTemporalReached
}
func (unreachableTemporal) QueryWorkflow(context.Context, string, string, string, ...any) (converter.EncodedValue, error) {
	return nil, errTemporalReached
}

// pageAction is one form of the pages and the API request it stands for.
type pageAction struct {
	form    string // web.PageActions key
	path    string // the page's form action, after /cases/{id}/
	values  url.Values
	apiPath string // after /api/v1/cases/{id}/
	body    any
}

var pageActionsUnderTest = []pageAction{
	{"retry", "retry", url.Values{}, "retry", api.RetryRequest{}},
	{"escalate", "escalate", url.Values{"note": {"n"}}, "escalate", api.EscalateRequest{Note: "n"}},
	{"enrolment", "decide", url.Values{"kind": {"enrolment"}, "approve": {"yes"}}, "enrolment", workflows.EnrolmentDecision{Approve: true}},
	{"certification", "decide", url.Values{"kind": {"certification"}, "approve": {"yes"}}, "certification", workflows.CertificationDecision{Approve: true}},
	{"retry-refused", "refusal", url.Values{"kind": {"retry"}, "reason": {"r"}}, workflows.UpdateRetryRefused, workflows.RefusalDecision{Reason: "r"}},
	{"reassess", "refusal", url.Values{"kind": {"reassess"}, "reason": {"r"}}, workflows.UpdateOrderReassessment, workflows.RefusalDecision{Reason: "r", Units: []string{}}},
	{"skip", "refusal", url.Values{"kind": {"skip"}, "reason": {"r"}}, workflows.UpdateCloseUncertified, workflows.RefusalDecision{Reason: "r"}},
	{"assessment", "assessment", url.Values{"assessor": {"ASR-1"}, "unit": {"U1"}, "result.U1": {"K"}}, "assessment",
		workflows.AssessmentResult{AssessorID: "ASR-1", Units: []workflows.UnitResult{{Unit: "U1", Result: "K"}}}},
	{"correction", "correct", url.Values{"name": {"Siti Nurhaliza"}}, "correction", api.CorrectionRequest{Name: "Siti Nurhaliza"}},
}

// Issue 14 point 4: every page action, for every role, on a case inside and one outside a
// scoped role's reach, answers exactly what the API answers that role's token: the same
// refusal (403 with the role's reason, 404 for a case outside the scope) or the same pass to
// Temporal. And the API's answer is auth's policy: 403 unless the policy allows the role, 404
// unless the scope covers the case, else the request reaches Temporal.
func TestPageActionsAnswerAsTheAPI(t *testing.T) {
	s := newScopedServer(t)
	s.svc.Temporal = unreachableTemporal{}
	ctx := context.Background()
	ids := map[string]auth.Identity{
		"ani":  {Name: "ani", Role: vocab.RoleCentreAdmin, Scopes: []string{"BLK-SBY"}},
		"budi": {Name: "budi", Role: vocab.RoleLSPManager, Scopes: []string{"LSP-LOGAM"}},
		"cora": {Name: "cora", Role: vocab.RoleCoordinator},
		"vera": {Name: "vera", Role: vocab.RoleViewer},
		"opi":  {Name: "opi", Role: vocab.RoleOperator},
		"lia":  {Name: "lia", Role: vocab.RoleInsurerLiaison},
	}
	for _, who := range []string{"opi", "lia"} {
		token, hash, err := auth.NewToken()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.st.CreateToken(ctx, who, ids[who].Role, nil, hash); err != nil {
			t.Fatal(err)
		}
		s.token[who] = token
	}
	roles := map[vocab.Role]bool{}
	for _, id := range ids {
		roles[id.Role] = true
	}
	for _, r := range auth.TokenRoles {
		if !roles[r] {
			t.Fatalf("no identity of role %s in the matrix", r)
		}
	}
	// A correction checks its values against the record and the package before it asks the
	// journey whether it waits for one.
	if err := s.st.UpsertParticipant(ctx, store.Participant{NIKHash: s.svc.NIKHash(scopeNIK), NIK: scopeNIK, Name: "Siti", Sex: "P",
		BirthDate: time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	start := time.Now().AddDate(0, 1, 0)
	if err := s.st.CreatePackage(ctx, store.Package{Code: "P", CentreCode: "BLK-SBY", Trade: "Las", Scheme: "SKEMA-LAS-SMAW", LSPCode: "LSP-BLK-SBY",
		StartDate: start, EndDate: start.AddDate(0, 1, 0), Capacity: 16}); err != nil {
		t.Fatal(err)
	}
	if len(pageActionsUnderTest) != len(web.PageActions()) {
		t.Fatalf("the matrix walks %d page actions, the pages offer %d", len(pageActionsUnderTest), len(web.PageActions()))
	}
	site, err := web.New(s.api.Handler(), web.Options{})
	if err != nil {
		t.Fatal(err)
	}
	pages := site.Handler()
	cases := map[string][2]string{"sbyaaaaaaa": {"BLK-SBY", "LSP-BLK-SBY"}, "tbnaaaaaaa": {"BLK-TBN", "LSP-LOGAM"}}
	for who, id := range ids {
		for caseID, at := range cases {
			for _, pa := range pageActionsUnderTest {
				name := who + " " + pa.form + " " + caseID
				code, data := s.do(who, "POST", "/api/v1/cases/"+caseID+"/"+pa.apiPath, pa.body)
				msg := errorOf(data)
				action := web.PageActions()[pa.form]
				switch {
				case !auth.Allowed(id.Role, action):
					if code != http.StatusForbidden || !strings.Contains(msg, "role "+string(id.Role)+" may not") {
						t.Errorf("%s: API HTTP %d %q, want 403 (the policy refuses %s)", name, code, msg, id.Role)
					}
				case !id.MayActOn(at[0], at[1]):
					if code != http.StatusNotFound {
						t.Errorf("%s: API HTTP %d %q, want 404 (outside the scope)", name, code, msg)
					}
				default:
					if code != http.StatusInternalServerError {
						t.Errorf("%s: API HTTP %d %q, want it to reach Temporal", name, code, msg)
					}
				}

				form := pa.values
				form.Set("back", "/inbox")
				req := httptest.NewRequest("POST", "/cases/"+caseID+"/"+pa.path, strings.NewReader(form.Encode()))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				rec := httptest.NewRecorder()
				pages.ServeHTTP(rec, req.WithContext(api.WithIdentity(req.Context(), id)))
				flash := flashOf(rec)
				if rec.Code != http.StatusSeeOther || flash == "" {
					t.Errorf("%s: page HTTP %d, flash %q", name, rec.Code, flash)
					continue
				}
				// The page says what the API said, in the API's words for people (Indonesian,
				// the pages' default, as the API words it without an Accept-Language).
				if said := wordsOf(data); flash != "0"+said {
					t.Errorf("%s: the page said %q, the API %d %q", name, flash, code, said)
				}
			}
		}
	}
}

// errorOf is the error sentence of an API answer.
func errorOf(data []byte) string {
	var e api.ErrorBody
	_ = json.Unmarshal(data, &e)
	return e.Error
}

// wordsOf is an API answer's message for people, or its error sentence when it has none.
func wordsOf(data []byte) string {
	var e api.ErrorBody
	_ = json.Unmarshal(data, &e)
	if e.Message != "" {
		return e.Message
	}
	return e.Error
}

// flashOf is the page's one-time message: "1" or "0" (success or not) and its text.
func flashOf(rec *httptest.ResponseRecorder) string {
	for _, c := range rec.Result().Cookies() {
		if c.Name == "kompeten_flash" {
			v, err := url.QueryUnescape(c.Value)
			if err != nil {
				return c.Value
			}
			return v
		}
	}
	return ""
}

// Issue 14 point 7: the operator's token may not create packages, enrol people, or create,
// change or terminate agreements (403 naming the action and who may); a coordinator's same
// request passes the check (whatever the handler then answers).
func TestOperatorMayNotDecideAboutPeopleOrContracts(t *testing.T) {
	s := newScopedServer(t)
	s.svc.Temporal = unreachableTemporal{}
	token, hash, err := auth.NewToken()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.st.CreateToken(context.Background(), "opi", vocab.RoleOperator, nil, hash); err != nil {
		t.Fatal(err)
	}
	s.token["opi"] = token
	for _, req := range []struct{ path, action string }{
		{"/api/v1/packages", "create-package"},
		{"/api/v1/packages/P1/enrolments", "enrol"},
		{"/api/v1/packages/P1/enrolled", "enrol"},
		{"/api/v1/mous", "create-agreement"},
		{"/api/v1/mous/MOU-1/sign", "change-agreement"},
		{"/api/v1/mous/MOU-1/terminate", "terminate-agreement"},
	} {
		s.refused("opi", "POST", req.path, map[string]any{}, http.StatusForbidden, "role operator may not "+req.action+"; allowed:")
		if code, data := s.do("cora", "POST", req.path, map[string]any{}); code == http.StatusForbidden {
			t.Errorf("coordinator POST %s: 403 %s", req.path, data)
		}
	}
}
