package integration

import (
	"bytes"
	"encoding/csv"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"gopkg.in/yaml.v3"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/apiclient"
	"github.com/bpvp-sidoarjo/kompeten/starter"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// endpointCheck calls the API and remembers which documented operations were exercised.
type endpointCheck struct {
	t    *testing.T
	sys  *system
	seen map[string]bool
}

// op sends one request for operation id and requires the status; out receives a 2xx answer.
func (e *endpointCheck) op(id string, want int, method, path string, body, out any) {
	e.t.Helper()
	e.seen[id] = true
	var eb api.ErrorBody
	dst := out
	if want >= 300 {
		dst = &eb
	}
	if got := e.sys.call(method, path, body, dst); got != want {
		e.t.Fatalf("%s (%s %s): HTTP %d, want %d %s", id, method, path, got, want, eb.Error)
	}
}

// raw sends a request and returns the status, content type and body without decoding.
func (e *endpointCheck) raw(id, method, path, ctype string, body []byte) (int, string, []byte) {
	e.t.Helper()
	e.seen[id] = true
	f, err := e.sys.client().Fetch(e.t.Context(), method, path, ctype, body)
	var ae *apiclient.Error
	switch {
	case errors.As(err, &ae):
		return ae.Status, "", []byte(ae.Message)
	case err != nil:
		e.t.Fatal(err)
	}
	return f.Status, f.ContentType, f.Data
}

// Every operation of api/openapi.yaml answers as documented on the real system (embedded
// Temporal, PostgreSQL, simulators): one case goes through every human step by the API, a
// second is withdrawn, the operations views count them, and the agreements are created, signed,
// amended, renewed and terminated. The test fails when an operation in the document is not
// exercised here.
func TestEveryEndpointOnTheRealSystem(t *testing.T) {
	cfg := fastConfig(t)
	// The LSP has a result only 3s after the assessment date: the assessor's result by the API
	// comes first, and the certificate (which needs the LSP's result) follows soon after.
	cfg.Simulators.LSP.ResultDelay = 3 * time.Second
	sys := startSystem(t, cfg)
	e := &endpointCheck{t: t, sys: sys, seen: map[string]bool{}}
	admin := workflows.Actor{ID: "siti", Role: vocab.RoleCentreAdmin}
	manager := workflows.Actor{ID: "budi", Role: vocab.RoleLSPManager}
	assessor := workflows.Actor{ID: "asr-7", Role: vocab.RoleAssessor}
	operator := workflows.Actor{ID: "rina", Role: vocab.RoleOperator}
	coordinator := workflows.Actor{ID: "kepala-bpvp", Role: vocab.RoleCoordinator}
	var ur workflows.UpdateResult

	var health api.Health
	e.op("health", 200, "GET", "/healthz", nil, &health)
	if code, ctype, doc := e.raw("openapi", "GET", "/api/openapi.yaml", "", nil); code != 200 || !strings.HasPrefix(ctype, "application/yaml") || !bytes.Equal(doc, api.OpenAPI) {
		t.Fatalf("openapi: HTTP %d %s", code, ctype)
	}
	var centres []store.Centre
	e.op("listCentres", 200, "GET", "/api/v1/centres", nil, &centres)
	var partners []store.Partner
	e.op("listPartners", 200, "GET", "/api/v1/partners", nil, &partners)
	if len(centres) != 19 || len(partners) != 6 {
		t.Fatalf("%d centres, %d partners", len(centres), len(partners))
	}
	var schemes []store.Scheme
	e.op("listSchemes", 200, "GET", "/api/v1/schemes", nil, &schemes)
	if i := slices.IndexFunc(schemes, func(s store.Scheme) bool { return s.Code == "SKM-LAS" }); i < 0 || len(schemes[i].Units) != 5 || !schemes[i].Sample {
		t.Fatalf("schemes %+v", schemes)
	}

	// A package whose enrolments wait for the centre admin.
	now := time.Now()
	var pkg store.Package
	e.op("createPackage", 201, "POST", "/api/v1/packages", api.PackageRequest{Code: "IT-API-1", Centre: "BLK-SBY", Trade: "Las",
		Scheme: "SKM-LAS", LSP: "LSP-BLK-SBY", Start: now.Add(5 * time.Second).Format(time.RFC3339),
		End: now.Add(9 * time.Second).Format(time.RFC3339), Hours: 240}, &pkg)
	var preview api.PackagePreview
	e.op("previewPackage", 200, "POST", "/api/v1/packages/preview", api.PackageRequest{Centre: "BLK-SBY", Trade: "Las",
		Scheme: "SKM-LAS", LSP: "LSP-BLK-SBY", Start: "2045-01-02", End: "2045-02-02"}, &preview)
	if len(preview.Warnings) != 2 {
		t.Fatalf("preview of a package in 2045: %v, want the BPJS and LSP agreement gaps", preview.Warnings)
	}
	e.op("previewPackage", 422, "POST", "/api/v1/packages/preview", api.PackageRequest{Centre: "BLK-SBY", Start: "someday", End: "+2h"}, nil)
	var pkgs []store.Package
	e.op("listPackages", 200, "GET", "/api/v1/packages?centre=BLK-SBY", nil, &pkgs)
	e.op("getPackage", 200, "GET", "/api/v1/packages/IT-API-1", nil, &pkg)
	e.op("getPackage", 404, "GET", "/api/v1/packages/NOPE", nil, nil)
	e.op("updatePackage", 200, "PATCH", "/api/v1/packages/IT-API-1", api.PackageUpdate{Capacity: intPtr(20)}, nil)
	e.op("updatePackage", 422, "PATCH", "/api/v1/packages/IT-API-1", api.PackageUpdate{Capacity: intPtr(0)}, nil)
	e.op("updatePackage", 404, "PATCH", "/api/v1/packages/NOPE", api.PackageUpdate{Capacity: intPtr(5)}, nil)
	e.op("createPackage", 422, "POST", "/api/v1/packages", api.PackageRequest{Code: "IT-API-X", Centre: "BLK-SBY", Trade: "Las",
		Scheme: "SKM-NO-UNITS", LSP: "LSP-BLK-SBY", Start: "+1h", End: "+2h"}, nil)
	if len(pkgs) != 1 || pkg.Code != "IT-API-1" {
		t.Fatalf("packages %+v", pkgs)
	}
	// The packages list downloads too: Excel's CSV (';' and a BOM) and a workbook.
	if code, ctype, data := e.raw("listPackages", "GET", string(apiclient.PackagesCSV("BLK-SBY"))+"&dialect=excel", "", nil); code != 200 ||
		!strings.HasPrefix(ctype, "text/csv") || !bytes.HasPrefix(data, []byte("\uFEFFcode;")) || !bytes.Contains(data, []byte("\nIT-API-1;BLK-SBY;")) {
		t.Fatalf("packages CSV: HTTP %d %s %.200q", code, ctype, data)
	}
	if code, ctype, _ := e.raw("listPackages", "GET", "/api/v1/packages?centre=BLK-SBY&format=xlsx", "", nil); code != 200 || !strings.Contains(ctype, "spreadsheetml") {
		t.Fatalf("packages workbook: HTTP %d %s", code, ctype)
	}
	people := validPeople(t, pkg.StartDate, 2)
	var enrolled api.EnrolResponse
	e.op("enrol", 200, "POST", "/api/v1/packages/IT-API-1/enrolments", api.EnrolRequest{People: people}, &enrolled)
	a, b := enrolled.Results[0].CaseID, enrolled.Results[1].CaseID
	sys.caseIn(a, vocab.StageEnrolment, 20*time.Second)
	// A cohort preview's question: the two enrolled answer their cases, a third person nothing.
	var already api.EnrolledResponse
	third := validPeople(t, pkg.StartDate, 3)[2].NIK
	e.op("enrolled", 200, "POST", "/api/v1/packages/IT-API-1/enrolled", api.EnrolledRequest{NIKs: []string{people[1].NIK, third, people[0].NIK}}, &already)
	if want := []api.EnrolledResult{{Enrolled: true, CaseID: b}, {}, {Enrolled: true, CaseID: a}}; !slices.Equal(already.Results, want) {
		t.Fatalf("enrolled: %+v, want %+v", already.Results, want)
	}
	e.op("enrolled", 422, "POST", "/api/v1/packages/IT-API-1/enrolled", api.EnrolledRequest{NIKs: []string{"3.51514E+15"}}, nil)
	e.op("enrolled", 404, "POST", "/api/v1/packages/NOPE/enrolled", api.EnrolledRequest{NIKs: []string{third}}, nil)

	var found []store.Case
	e.op("lookupCases", 200, "POST", "/api/v1/cases/lookup", api.LookupRequest{NIK: people[0].NIK}, &found)
	if len(found) != 1 || found[0].CaseID != a {
		t.Fatalf("lookup: %+v", found)
	}
	e.op("lookupCases", 422, "POST", "/api/v1/cases/lookup", api.LookupRequest{NIK: "3.51514E+15"}, nil)
	// The search by name and by NIK names the person, in the body both ways.
	var byName, byNIK api.CasePage
	e.op("searchCases", 200, "POST", "/api/v1/cases/search", api.SearchRequest{Name: people[0].Name, Package: "IT-API-1"}, &byName)
	named := false // (the two generated people may share a name)
	for _, c := range byName.Cases {
		named = named || (c.CaseID == a && c.Person != nil && c.Person.Name == people[0].Name)
	}
	if !named || byName.Total != len(byName.Cases) {
		t.Fatalf("search by name: %+v", byName)
	}
	e.op("searchCases", 200, "POST", "/api/v1/cases/search", api.SearchRequest{NIK: people[0].NIK}, &byNIK)
	if byNIK.Total != 1 || byNIK.Cases[0].CaseID != a { // (b may not be in the read model yet)
		t.Fatalf("search by NIK: %+v", byNIK)
	}
	e.op("searchCases", 422, "POST", "/api/v1/cases/search", api.SearchRequest{NIK: "12"}, nil)

	// Both wait in the inbox for the centre admin.
	eventually(t, 20*time.Second, "both enrolments in the inbox", func() (bool, string) {
		var in api.Inbox
		sys.call("GET", "/api/v1/inbox?role=centre-admin&centre=BLK-SBY", nil, &in)
		var ids []string
		for _, c := range in.Groups[0].Cases {
			ids = append(ids, c.CaseID)
		}
		return slices.Contains(ids, a) && slices.Contains(ids, b), strings.Join(ids, ",")
	})
	var in api.Inbox
	e.op("inbox", 200, "GET", "/api/v1/inbox", nil, &in)
	var list []store.Case
	e.op("listCases", 200, "GET", "/api/v1/cases?package=IT-API-1", nil, &list)
	if len(list) != 2 {
		t.Fatalf("cases: %d", len(list))
	}
	var view api.CaseView
	e.op("getCase", 200, "GET", "/api/v1/cases/"+a, nil, &view)
	e.op("getCase", 404, "GET", "/api/v1/cases/nosuchcase", nil, nil)
	if view.State == nil || view.State.Stage != vocab.StageEnrolment || len(view.Events) == 0 {
		t.Fatalf("case view %+v", view)
	}
	var wf starter.WorkflowInfo
	e.op("caseWorkflow", 200, "GET", "/api/v1/cases/"+a+"/workflow", nil, &wf)
	if wf.Status != "running" || wf.RunID == "" {
		t.Fatalf("workflow %+v", wf)
	}

	e.op("decideEnrolment", 422, "POST", "/api/v1/cases/"+a+"/enrolment", workflows.EnrolmentDecision{Actor: manager, Approve: true}, nil)
	for _, id := range []string{a, b} {
		e.op("decideEnrolment", 200, "POST", "/api/v1/cases/"+id+"/enrolment", workflows.EnrolmentDecision{Actor: admin, Approve: true}, &ur)
	}
	sys.caseIn(a, vocab.StageTraining, 20*time.Second)
	e.op("correctParticipant", 422, "POST", "/api/v1/cases/"+a+"/correction", workflows.Correction{Actor: admin}, nil)
	sys.eventSeen(a, "training-started", 20*time.Second)
	days := 1
	e.op("recordAttendance", 200, "POST", "/api/v1/cases/"+a+"/attendance", workflows.Attendance{Actor: admin, Attended: &days}, &ur)
	e.op("withdraw", 200, "POST", "/api/v1/cases/"+b+"/withdrawal", workflows.Withdrawal{Actor: admin, Reason: "moved away"}, &ur)
	// Bulk decisions answer per case: both were decided above, so each is refused in the
	// journey's words and the request as a whole is 200; more than the bound is refused whole.
	var many api.DecisionsResponse
	e.op("decideMany", 200, "POST", "/api/v1/decisions", api.DecisionsRequest{Kind: "enrolment", Action: "approve", CaseIDs: []string{a, b, "nosuchcase"}, Actor: admin}, &many)
	if many.Total != 3 || many.Done != 0 || many.Refused != 3 || many.Outcomes[2].Status != 404 {
		t.Fatalf("bulk decision on decided cases: %+v", many)
	}
	e.op("decideMany", 422, "POST", "/api/v1/decisions", api.DecisionsRequest{Kind: "enrolment", Action: "reject", CaseIDs: []string{a}, Actor: admin}, nil)
	// The day register (its way into the journeys: TestAttendanceRegisterThroughTheAPIIntoTheJourneys):
	// a day before the package's first is refused whatever stage the cases are in by now.
	e.op("recordAttendanceDay", 422, "PUT", "/api/v1/packages/IT-API-1/attendance/-3d", api.AttendanceRegisterRequest{Present: []string{a}, Actor: admin}, nil)
	var regDay starter.RegisterDayView
	e.op("attendanceDay", 200, "GET", "/api/v1/packages/IT-API-1/attendance/today", nil, &regDay)
	var reg starter.RegisterOverview
	e.op("attendanceOverview", 200, "GET", "/api/v1/packages/IT-API-1/attendance", nil, &reg)
	if regDay.Recorded || reg.Package != "IT-API-1" || reg.Recorded != 0 {
		t.Fatalf("register: day %+v, overview %+v", regDay, reg)
	}

	// The assessment result comes from the assessor through the API.
	sys.eventSeen(a, "assessment-scheduled", 30*time.Second)
	st, err := sys.svc.State(t.Context(), a)
	if err != nil {
		t.Fatal(err)
	}
	// K on every unit of the package's scheme (SKM-LAS), which the schedule lists.
	var units []workflows.UnitResult
	for _, u := range st.Assessment.Schedule.Units {
		units = append(units, workflows.UnitResult{Unit: u, Result: "K"})
	}
	e.op("recordAssessment", 200, "POST", "/api/v1/cases/"+a+"/assessment", workflows.AssessmentResult{Actor: assessor,
		AssessmentID: st.Assessment.Schedule.AssessmentID, AssessorID: "asr-7", Units: units}, &ur)
	sys.caseIn(a, vocab.StageCertification, 20*time.Second)
	// No number of this case belongs to anyone else: the journey has nothing to resolve.
	e.op("resolveNumberConflict", 422, "POST", "/api/v1/cases/"+a+"/number-conflict", workflows.NumberResolution{Actor: operator}, nil)
	// The LSP issues a certificate only once its own system has the result (409 before, which
	// the journey takes as a refusal): approve once it has.
	lspResult := sys.cfg.Partners.LSP.BaseURL + "/LSP-BLK-SBY/v1/assessments/" + st.Assessment.Schedule.AssessmentID + "/result"
	eventually(t, 20*time.Second, "the LSP to have the result", func() (bool, string) {
		resp, err := http.Get(lspResult)
		if err != nil {
			return false, err.Error()
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK, resp.Status
	})
	e.op("decideCertification", 200, "POST", "/api/v1/cases/"+a+"/certification", workflows.CertificationDecision{Actor: manager, Approve: true}, &ur)
	sys.caseIn(a, vocab.StagePlacement, 20*time.Second)
	// The ways out of an LSP's refusal are refused while the case waits on none (refusal_test.go
	// takes them on a refused case).
	e.op("retryRefused", 422, "POST", "/api/v1/cases/"+a+"/retry-refused", workflows.RefusalDecision{Actor: manager}, nil)
	e.op("orderReassessment", 422, "POST", "/api/v1/cases/"+a+"/order-reassessment", workflows.RefusalDecision{Actor: manager, Reason: "x"}, nil)
	e.op("closeUncertified", 422, "POST", "/api/v1/cases/"+a+"/close-uncertified", workflows.RefusalDecision{Actor: coordinator, Reason: "x"}, nil)
	e.op("recordFollowUp", 200, "POST", "/api/v1/cases/"+a+"/follow-up", workflows.FollowUpContact{Actor: admin, Contact: vocab.ContactNotReached, Note: "no answer"}, &ur)
	e.op("recordFollowUp", 422, "POST", "/api/v1/cases/"+a+"/follow-up", workflows.FollowUpContact{Actor: admin, Contact: "maybe"}, nil)
	// Its follow-up months are seconds long: it is on the follow-ups download, with the contact.
	if code, ctype, data := e.raw("listFollowUps", "GET", string(apiclient.FollowUpsCSV("BLK-SBY"))+"&dialect=excel", "", nil); code != 200 ||
		!strings.HasPrefix(ctype, "text/csv") || !bytes.HasPrefix(data, []byte("\uFEFFcase_id;")) ||
		!bytes.Contains(data, []byte("\n"+a+";")) || !bytes.Contains(data, []byte(";"+string(vocab.ContactNotReached)+";")) {
		t.Fatalf("follow-ups CSV: HTTP %d %s %.400q", code, ctype, data)
	}
	if code, ctype, _ := e.raw("listFollowUps", "GET", "/api/v1/followups?format=xlsx", "", nil); code != 200 || !strings.Contains(ctype, "spreadsheetml") {
		t.Fatalf("follow-ups workbook: HTTP %d %s", code, ctype)
	}
	e.op("listFollowUps", 400, "GET", "/api/v1/followups", nil, nil)
	// Staff confirm only a self-reported placement waiting for them (selfreport_browser_test.go
	// confirms one): this case has none, so the journey refuses, in Indonesian first.
	var refusal api.ErrorBody
	if code := sys.call("POST", "/api/v1/cases/"+a+"/placement/confirm", workflows.PlacementConfirmation{Actor: admin}, &refusal); code != 422 ||
		!strings.Contains(refusal.Error, "tidak menunggu konfirmasi penempatan") {
		t.Fatalf("confirmPlacement without a self-report: HTTP %d %q", code, refusal.Error)
	}
	e.op("confirmPlacement", 422, "POST", "/api/v1/cases/"+a+"/placement/confirm", workflows.PlacementConfirmation{Actor: admin}, nil)
	e.op("reportPlacement", 200, "POST", "/api/v1/cases/"+a+"/placement", workflows.PlacementReport{Actor: admin,
		Category: vocab.PlacementFormal, Employer: "PT Maju Jaya", Start: time.Now()}, &ur)
	closed := sys.caseIn(a, vocab.StageClosed, 20*time.Second)
	sys.caseIn(b, vocab.StageClosed, 20*time.Second)
	if closed.Outcome != vocab.OutcomePlacedFormal || !closed.Certified || closed.PlacementCategory != vocab.PlacementFormal {
		t.Fatalf("closed case %+v", closed)
	}

	// A certificate can be revoked once, with a reason; a case without one cannot.
	var revoked api.RevokeCertificateResponse
	e.op("revokeCertificate", 200, "POST", "/api/v1/cases/"+a+"/certificate/revoke", api.RevokeCertificateRequest{Reason: "issued on a forged logbook", Actor: manager}, &revoked)
	if revoked.CertificateNo != closed.CertificateNo || revoked.RevokedAt.IsZero() {
		t.Fatalf("revoked %+v, want certificate %s", revoked, closed.CertificateNo)
	}
	e.op("revokeCertificate", 409, "POST", "/api/v1/cases/"+a+"/certificate/revoke", api.RevokeCertificateRequest{Reason: "again", Actor: manager}, nil)
	e.op("revokeCertificate", 422, "POST", "/api/v1/cases/"+b+"/certificate/revoke", api.RevokeCertificateRequest{Reason: "none", Actor: manager}, nil)

	// Nothing of these is stuck: retry and escalation refuse, and the stuck list is empty.
	e.op("retryCase", 409, "POST", "/api/v1/cases/"+a+"/retry", api.RetryRequest{Actor: operator}, nil)
	e.op("escalateCase", 409, "POST", "/api/v1/cases/"+a+"/escalate", api.EscalateRequest{Actor: operator}, nil)
	var stuck api.StuckList
	e.op("listStuck", 200, "GET", "/api/v1/stuck?centre=BLK-SBY", nil, &stuck)
	if stuck.Total != 0 {
		t.Fatalf("stuck: %+v", stuck)
	}
	var reasons []api.StuckReason
	e.op("stuckReasons", 200, "GET", "/api/v1/stuck/reasons", nil, &reasons)

	var events []store.Event
	e.op("caseEvents", 200, "GET", "/api/v1/cases/"+a+"/events", nil, &events)
	if code, ctype, data := e.raw("caseEvents", "GET", string(apiclient.CaseEventsCSV(a)), "", nil); code != 200 || !strings.HasPrefix(ctype, "text/csv") {
		t.Fatalf("events CSV: HTTP %d %s", code, ctype)
	} else if rows, err := csv.NewReader(bytes.NewReader(data)).ReadAll(); err != nil || len(rows) != len(events)+1 {
		t.Fatalf("events CSV: %d rows for %d events (%v)", len(rows), len(events), err)
	}

	// The overview counts the two cases; the tracer study lists the placed graduate.
	var o api.Overview
	e.op("overview", 200, "GET", "/api/v1/overview", nil, &o)
	var sby api.CentreFunnel
	for _, c := range o.Centres {
		if c.CentreCode == "BLK-SBY" {
			sby = c
		}
	}
	if sby.Cases != 2 || sby.Enrolled != 2 || sby.Insured != 2 || sby.Trained != 1 || sby.Assessed != 1 || sby.Competent != 1 ||
		sby.Certified != 1 || sby.Placed != 1 || sby.Open != 0 {
		t.Fatalf("BLK-SBY funnel %+v", sby.Funnel)
	}
	var ts api.TracerStudy
	e.op("tracerStudy", 200, "GET", "/api/v1/reports/tracer-study", nil, &ts)
	if len(ts.Rows) != 1 || ts.Rows[0].Trade != "Las" || ts.Rows[0].Formal != 1 {
		t.Fatalf("tracer study %+v", ts.Rows)
	}
	// Both cases are closed: the doctor has no open case to compare, and finds no drift.
	var checkup starter.DoctorReport
	e.op("doctor", 200, "POST", "/api/v1/doctor", api.DoctorRequest{}, &checkup)
	if checkup.Checked != 0 || len(checkup.Drifts) != 0 {
		t.Fatalf("doctor %+v", checkup)
	}
	e.op("doctor", 400, "POST", "/api/v1/doctor", map[string]any{"repair": "yes"}, nil)
	code, _, x := e.raw("tracerStudy", "GET", string(apiclient.TracerStudyXLSX()), "", nil)
	if f, err := excelize.OpenReader(bytes.NewReader(x)); code != 200 || err != nil {
		t.Fatalf("tracer xlsx: HTTP %d %v", code, err)
	} else {
		f.Close()
	}

	// The BPJS batch exchange: nothing is waiting (the API adapter is in use), and importing the
	// empty export changes nothing.
	code, ctype, export := e.raw("exportBatch", "GET", "/api/v1/insurance/batch/export", "", nil)
	if code != 200 || !strings.Contains(ctype, "spreadsheetml") {
		t.Fatalf("export: HTTP %d %s", code, ctype)
	}
	if code, _, body := e.raw("importBatch", "POST", "/api/v1/insurance/batch/import?actor=liaison", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", export); code != 200 {
		t.Fatalf("import: HTTP %d %s", code, body)
	}
	e.op("importBatch", 400, "POST", "/api/v1/insurance/batch/import", nil, nil)
	var exports []store.BatchExport
	e.op("listBatchExports", 200, "GET", "/api/v1/insurance/batch/exports", nil, &exports)
	if len(exports) != 0 {
		t.Fatalf("an empty file was recorded as taken: %+v", exports)
	}

	// Agreements: a draft is signed, amended, renewed, and the successor terminated.
	const draft = "MOU/BPVP-SDA/LSP-BLK-SBY/IT-API"
	var ag store.Agreement
	e.op("createMoU", 201, "POST", "/api/v1/mous", api.MoURequest{Number: draft, Partner: "LSP-BLK-SBY", ValidFrom: "today",
		ValidUntil: "+365d", Schemes: []string{"SKM-LAS"}, Actor: coordinator}, &ag)
	e.op("createMoU", 422, "POST", "/api/v1/mous", api.MoURequest{Number: "X", ValidFrom: "today", ValidUntil: "+1d", Actor: admin}, nil)
	var res api.MoUActionResponse
	e.op("signMoU", 200, "POST", mouURL(draft, "sign"), api.MoUSignRequest{Actor: coordinator, SignedOn: "today",
		Signatories: []string{"Kepala BPVP Sidoarjo", "Ketua LSP BLK Surabaya"}}, &res)
	e.op("amendMoU", 200, "POST", mouURL(draft, "amend"), api.MoUAmendRequest{Actor: coordinator, Ref: "ADD/01", ValidUntil: "+300d"}, &res)
	const successor = "MOU/BPVP-SDA/LSP-BLK-SBY/IT-API-2"
	e.op("renewMoU", 200, "POST", mouURL(draft, "renew"), api.MoURenewRequest{Actor: coordinator, Successor: successor,
		SignedOn: "today", Signatories: []string{"Kepala BPVP Sidoarjo"}, ValidFrom: "+301d", ValidUntil: "+700d"}, &res)
	e.op("terminateMoU", 200, "POST", mouURL(successor, "terminate"), api.MoUTerminateRequest{Actor: coordinator, Reason: "replaced"}, &res)
	var detail starter.AgreementDetail
	e.op("getMoU", 200, "GET", mouURL(draft, ""), nil, &detail)
	e.op("getMoU", 404, "GET", mouURL("MOU/NONE", ""), nil, nil)
	var mous []starter.AgreementView
	e.op("listMoUs", 200, "GET", "/api/v1/mous?partner=LSP-BLK-SBY", nil, &mous)
	if detail.Number != draft || len(mous) < 2 {
		t.Fatalf("agreement %s, %d listed", detail.Number, len(mous))
	}
	var cov store.Agreement
	e.op("coverage", 200, "GET", "/api/v1/coverage?partner=BPJSTK-JATIM&centre=BLK-SBY", nil, &cov)
	e.op("coverage", 400, "GET", "/api/v1/coverage?partner=BPJSTK-JATIM", nil, nil)
	var certs []store.Agreement
	e.op("certifiers", 200, "GET", "/api/v1/coverage/certifiers?centre=BLK-SBY&scheme=SKM-LAS", nil, &certs)
	if len(certs) == 0 {
		t.Fatal("no certifier for SKM-LAS at BLK-SBY")
	}

	// Login accounts for the pages: created with a one-time link, listed, reset, disabled.
	var acct api.AccountResponse
	e.op("createAccount", 201, "POST", "/api/v1/accounts", api.AccountRequest{Username: "it.endpoints", Role: vocab.RoleCentreAdmin, Scopes: []string{"BLK-SBY"}}, &acct)
	if acct.Link == nil || !strings.HasPrefix(acct.Link.Path, "/password/") || acct.Account.HasPassword {
		t.Fatalf("account created: %+v", acct)
	}
	e.op("createAccount", 409, "POST", "/api/v1/accounts", api.AccountRequest{Username: "it.endpoints", Role: vocab.RoleCentreAdmin, Scopes: []string{"BLK-SBY"}}, nil)
	var accts []store.Account
	e.op("listAccounts", 200, "GET", "/api/v1/accounts", nil, &accts)
	if !slices.ContainsFunc(accts, func(x store.Account) bool { return x.Username == "it.endpoints" }) {
		t.Fatalf("accounts: %+v", accts)
	}
	aid := strconv.FormatInt(acct.Account.ID, 10)
	var reset api.AccountResponse
	e.op("resetAccount", 200, "POST", "/api/v1/accounts/"+aid+"/reset", nil, &reset)
	if reset.Link == nil || reset.Link.Path == acct.Link.Path {
		t.Fatalf("reset gives a new link: %+v", reset)
	}
	e.op("disableAccount", 200, "POST", "/api/v1/accounts/"+aid+"/disable", nil, nil)
	e.op("resetAccount", 409, "POST", "/api/v1/accounts/"+aid+"/reset", nil, nil)
	e.op("disableAccount", 404, "POST", "/api/v1/accounts/999999/disable", nil, nil)

	// Every documented operation was exercised above.
	var doc struct {
		Paths map[string]map[string]struct {
			OperationID string `yaml:"operationId"`
		} `yaml:"paths"`
	}
	if err := yaml.Unmarshal(api.OpenAPI, &doc); err != nil {
		t.Fatal(err)
	}
	for p, ops := range doc.Paths {
		for m, op := range ops {
			if !e.seen[op.OperationID] {
				t.Errorf("%s %s (%s) is documented but not exercised by this test", strings.ToUpper(m), p, op.OperationID)
			}
		}
	}
}
