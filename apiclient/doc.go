// Package apiclient is the one client of kompeten's JSON API (api.Handler, described in
// api/openapi.yaml). The command line, the pages, the benchmark and the integration tests all
// call the API through it: one typed method per documented operation (ListCases, GetCase,
// DecideEnrolment, ExportBatch, ...), the request and answer types the api package declares,
// bearer tokens, and one error type for every answer other than 2xx (Error: the HTTP status, a
// machine-readable Code and the server's words).
//
// Over the network: New(base, WithToken(token)). In the same process as the API, without a
// socket: InProcess(handler); the request's context reaches the handler unchanged, so an
// identity the pages' login put there (api.WithIdentity) authenticates the call.
//
// A test (openapi_test.go) checks every method's method, path and query parameters against
// the OpenAPI document, and that every documented operation has a method.
package apiclient
