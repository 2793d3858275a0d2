package apiclient

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// operation is one operation of api/openapi.yaml: its operationId, method and path template.
// The drift test (openapi_test.go) checks each against the document.
type operation struct {
	ID     string
	Method string
	Path   string
}

// The operations, in the document's order.
var (
	opHealth              = operation{"health", http.MethodGet, "/healthz"}
	opOpenAPI             = operation{"openapi", http.MethodGet, "/api/openapi.yaml"}
	opListCentres         = operation{"listCentres", http.MethodGet, "/api/v1/centres"}
	opListPartners        = operation{"listPartners", http.MethodGet, "/api/v1/partners"}
	opListSchemes         = operation{"listSchemes", http.MethodGet, "/api/v1/schemes"}
	opListPackages        = operation{"listPackages", http.MethodGet, "/api/v1/packages"}
	opListFollowUps       = operation{"listFollowUps", http.MethodGet, "/api/v1/followups"}
	opCreatePackage       = operation{"createPackage", http.MethodPost, "/api/v1/packages"}
	opPreviewPackage      = operation{"previewPackage", http.MethodPost, "/api/v1/packages/preview"}
	opGetPackage          = operation{"getPackage", http.MethodGet, "/api/v1/packages/{code}"}
	opUpdatePackage       = operation{"updatePackage", http.MethodPatch, "/api/v1/packages/{code}"}
	opEnrol               = operation{"enrol", http.MethodPost, "/api/v1/packages/{code}/enrolments"}
	opEnrolled            = operation{"enrolled", http.MethodPost, "/api/v1/packages/{code}/enrolled"}
	opAttendanceOverview  = operation{"attendanceOverview", http.MethodGet, "/api/v1/packages/{code}/attendance"}
	opAttendanceDay       = operation{"attendanceDay", http.MethodGet, "/api/v1/packages/{code}/attendance/{date}"}
	opRecordAttendanceDay = operation{"recordAttendanceDay", http.MethodPut, "/api/v1/packages/{code}/attendance/{date}"}
	opListCases           = operation{"listCases", http.MethodGet, "/api/v1/cases"}
	opLookupCases         = operation{"lookupCases", http.MethodPost, "/api/v1/cases/lookup"}
	opSearchCases         = operation{"searchCases", http.MethodPost, "/api/v1/cases/search"}
	opGetCase             = operation{"getCase", http.MethodGet, "/api/v1/cases/{id}"}
	opCaseEvents          = operation{"caseEvents", http.MethodGet, "/api/v1/cases/{id}/events"}
	opCaseWorkflow        = operation{"caseWorkflow", http.MethodGet, "/api/v1/cases/{id}/workflow"}
	opDecideEnrolment     = operation{"decideEnrolment", http.MethodPost, "/api/v1/cases/{id}/enrolment"}
	opCorrectParticipant  = operation{"correctParticipant", http.MethodPost, "/api/v1/cases/{id}/correction"}
	opRecordAttendance    = operation{"recordAttendance", http.MethodPost, "/api/v1/cases/{id}/attendance"}
	opWithdraw            = operation{"withdraw", http.MethodPost, "/api/v1/cases/{id}/withdrawal"}
	opRecordAssessment    = operation{"recordAssessment", http.MethodPost, "/api/v1/cases/{id}/assessment"}
	opDecideCertification = operation{"decideCertification", http.MethodPost, "/api/v1/cases/{id}/certification"}
	opReportPlacement     = operation{"reportPlacement", http.MethodPost, "/api/v1/cases/{id}/placement"}
	opRecordFollowUp      = operation{"recordFollowUp", http.MethodPost, "/api/v1/cases/{id}/follow-up"}
	opConfirmPlacement    = operation{"confirmPlacement", http.MethodPost, "/api/v1/cases/{id}/placement/confirm"}
	opRetryRefused        = operation{"retryRefused", http.MethodPost, "/api/v1/cases/{id}/retry-refused"}
	opOrderReassessment   = operation{"orderReassessment", http.MethodPost, "/api/v1/cases/{id}/order-reassessment"}
	opCloseUncertified    = operation{"closeUncertified", http.MethodPost, "/api/v1/cases/{id}/close-uncertified"}
	opResolveConflict     = operation{"resolveNumberConflict", http.MethodPost, "/api/v1/cases/{id}/number-conflict"}
	opRetryCase           = operation{"retryCase", http.MethodPost, "/api/v1/cases/{id}/retry"}
	opEscalateCase        = operation{"escalateCase", http.MethodPost, "/api/v1/cases/{id}/escalate"}
	opRevokeCertificate   = operation{"revokeCertificate", http.MethodPost, "/api/v1/cases/{id}/certificate/revoke"}
	opListStuck           = operation{"listStuck", http.MethodGet, "/api/v1/stuck"}
	opStuckReasons        = operation{"stuckReasons", http.MethodGet, "/api/v1/stuck/reasons"}
	opOverview            = operation{"overview", http.MethodGet, "/api/v1/overview"}
	opInbox               = operation{"inbox", http.MethodGet, "/api/v1/inbox"}
	opTracerStudy         = operation{"tracerStudy", http.MethodGet, "/api/v1/reports/tracer-study"}
	opDoctor              = operation{"doctor", http.MethodPost, "/api/v1/doctor"}
	opExportBatch         = operation{"exportBatch", http.MethodGet, "/api/v1/insurance/batch/export"}
	opImportBatch         = operation{"importBatch", http.MethodPost, "/api/v1/insurance/batch/import"}
	opListBatchExports    = operation{"listBatchExports", http.MethodGet, "/api/v1/insurance/batch/exports"}
	opListMoUs            = operation{"listMoUs", http.MethodGet, "/api/v1/mous"}
	opCreateMoU           = operation{"createMoU", http.MethodPost, "/api/v1/mous"}
	opGetMoU              = operation{"getMoU", http.MethodGet, "/api/v1/mous/{number}"}
	opSignMoU             = operation{"signMoU", http.MethodPost, "/api/v1/mous/{number}/sign"}
	opAmendMoU            = operation{"amendMoU", http.MethodPost, "/api/v1/mous/{number}/amend"}
	opRenewMoU            = operation{"renewMoU", http.MethodPost, "/api/v1/mous/{number}/renew"}
	opTerminateMoU        = operation{"terminateMoU", http.MethodPost, "/api/v1/mous/{number}/terminate"}
	opCoverage            = operation{"coverage", http.MethodGet, "/api/v1/coverage"}
	opCertifiers          = operation{"certifiers", http.MethodGet, "/api/v1/coverage/certifiers"}
	opListAccounts        = operation{"listAccounts", http.MethodGet, "/api/v1/accounts"}
	opCreateAccount       = operation{"createAccount", http.MethodPost, "/api/v1/accounts"}
	opDisableAccount      = operation{"disableAccount", http.MethodPost, "/api/v1/accounts/{id}/disable"}
	opResetAccount        = operation{"resetAccount", http.MethodPost, "/api/v1/accounts/{id}/reset"}
	opDecideMany          = operation{"decideMany", http.MethodPost, "/api/v1/decisions"}
)

// operations lists every operation above, for the drift test.
var operations = []operation{
	opHealth, opOpenAPI, opListCentres, opListPartners, opListSchemes, opListPackages, opListFollowUps, opCreatePackage, opPreviewPackage, opGetPackage, opUpdatePackage, opEnrol, opEnrolled,
	opAttendanceOverview, opAttendanceDay, opRecordAttendanceDay,
	opListCases, opLookupCases, opSearchCases, opGetCase, opCaseEvents, opCaseWorkflow, opDecideEnrolment, opCorrectParticipant,
	opRecordAttendance, opWithdraw, opRecordAssessment, opDecideCertification, opReportPlacement, opRecordFollowUp, opConfirmPlacement,
	opRetryRefused, opOrderReassessment, opCloseUncertified, opResolveConflict, opRetryCase,
	opEscalateCase, opRevokeCertificate, opListStuck, opStuckReasons, opOverview, opInbox, opTracerStudy, opDoctor, opExportBatch, opImportBatch,
	opListBatchExports, opDecideMany,
	opListMoUs, opCreateMoU, opGetMoU, opSignMoU, opAmendMoU, opRenewMoU, opTerminateMoU, opCoverage, opCertifiers,
	opListAccounts, opCreateAccount, opDisableAccount, opResetAccount,
}

// url is the operation's path with params in its {placeholders}, in order, each escaped as one
// path segment (an agreement number's slashes become %2F), and q as its query.
func (o operation) url(params []string, q url.Values) string {
	var b strings.Builder
	rest := o.Path
	for _, p := range params {
		open := strings.IndexByte(rest, '{')
		end := strings.IndexByte(rest, '}')
		if open < 0 || end < open {
			panic("apiclient: more parameters than placeholders in " + o.Path)
		}
		b.WriteString(rest[:open])
		b.WriteString(url.PathEscape(p))
		rest = rest[end+1:]
	}
	if strings.IndexByte(rest, '{') >= 0 {
		panic("apiclient: a placeholder without a parameter in " + o.Path)
	}
	b.WriteString(rest)
	if len(q) > 0 {
		b.WriteString("?" + q.Encode())
	}
	return b.String()
}

// query collects the query parameters that are set: empty strings, zero numbers and false are
// left out, so the server's defaults apply.
type query url.Values

func (q query) str(name, v string) query {
	if v != "" {
		url.Values(q).Set(name, v)
	}
	return q
}

func (q query) num(name string, v int) query {
	if v != 0 {
		url.Values(q).Set(name, strconv.Itoa(v))
	}
	return q
}

func (q query) flag(name string, v bool) query {
	if v {
		url.Values(q).Set(name, "true")
	}
	return q
}
