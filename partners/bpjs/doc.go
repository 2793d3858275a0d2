// Package bpjs is the HTTP API adapter for BPJS Ketenagakerjaan (JKK + JKM coverage). It implements
// partners.Insurer.
//
// Protocol (JSON over HTTPS, version 1). Every request carries
//
//	Authorization: Bearer <api key>   (when a key is configured)
//	Idempotency-Key: <key>            (on every POST; one key per case and action)
//	Content-Type: application/json
//
// Personal data (NIK, name, phone, birth date) travels only in request bodies, never in URLs.
//
//	POST {base}/v1/registrations
//	  body   RegisterRequest (programs ["JKK","JKM"])
//	  201    RegisterResponse, a new registration
//	  200    RegisterResponse, the stored answer for an Idempotency-Key seen before
//	POST {base}/v1/registrations/{kpj}/end
//	  body   EndRequest {"end_date": ...}
//	  200    EndResponse (a replayed key returns the stored answer)
//
// Timestamps are RFC 3339. Errors carry ErrorBody {"code","message"}:
//
//	400, 409, 422  the data is refused; the client returns a *partners.DataError (do not retry,
//	               correct the record first)
//	401, 403       the API key is wrong: an ordinary error, so retries continue until the
//	               configuration is fixed and the case shows the reason meanwhile
//	408, 429, 5xx  transient (503 {"code":"outage"} during maintenance): ordinary errors that say the
//	               status and a short, redacted body excerpt, e.g. "bpjs: register: HTTP 503: service
//	               unavailable"; network errors and timeouts are ordinary errors too
//
// A retried request with the same Idempotency-Key never registers a person twice.
package bpjs
