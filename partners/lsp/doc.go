// Package lsp is the HTTP API adapter for a certification body (Lembaga Sertifikasi Profesi). It
// implements partners.Certifier.
//
// Protocol (JSON over HTTPS, version 1). Every request carries
//
//	Authorization: Bearer <api key>   (when a key is configured)
//	Idempotency-Key: <key>            (on every POST; one key per case and action)
//	Content-Type: application/json
//
// The candidate is identified by the case reference, never by NIK; the name travels only in bodies.
//
//	POST {base}/v1/assessments
//	  body   AssessmentRequest (units: only for a re-assessment of BK units)
//	  201    partners.Schedule (assessment_id, date, tuk, assessor); 200 for a replayed key
//	GET  {base}/v1/assessments/{id}/result
//	  200    partners.AssessmentResult, units with "K" or "BK"
//	  202    PendingBody: no result yet
//	  404    no result yet, unless the code is "assessment_not_found" (a *partners.DataError)
//	POST {base}/v1/certificates
//	  body   IssueRequest
//	  201    partners.Certificate (number, issue_date, expiry_date); 200 for a replayed key
//
// Timestamps are RFC 3339. Errors carry ErrorBody {"code","message"}: 400, 409 and 422 with such a
// body are refusals of the data (*partners.DataError, do not retry); 408, 429, 5xx (503
// {"code":"outage"} during maintenance), other statuses, network errors and timeouts are ordinary,
// retryable errors that name the status and a short redacted excerpt of the body.
package lsp
