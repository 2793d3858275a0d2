package api

import (
	_ "embed"
	"net/http"
)

// OpenAPI is the OpenAPI 3 description of every endpoint, served at /api/openapi.yaml. A test
// checks that each route of Handler is in it and each path in it is routed; apiclient's tests
// check that the client has a method for each operation and sends nothing it does not list.
//
//go:embed openapi.yaml
var OpenAPI []byte

func (s *Server) openAPI(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/yaml; charset=utf-8")
	_, _ = w.Write(OpenAPI)
}
