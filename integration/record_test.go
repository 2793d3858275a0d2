package integration

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	historypb "go.temporal.io/api/history/v1"
	"google.golang.org/protobuf/encoding/protojson"

	"github.com/bpvp-sidoarjo/kompeten/store"
)

// recordEnv, when set, makes the integration tests write the histories of chosen cases into
// workflows/testdata/histories, where the replay test reads them. Run it after a deliberate,
// versioned workflow change:  KOMPETEN_RECORD_HISTORIES=1 go test ./integration/
const recordEnv = "KOMPETEN_RECORD_HISTORIES"

func recordHistories(t *testing.T, sys *system, cases map[string]string) {
	t.Helper()
	if os.Getenv(recordEnv) == "" {
		return
	}
	dir := filepath.Join("..", "workflows", "testdata", "histories")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, caseID := range cases {
		c, err := sys.store.GetCase(context.Background(), caseID)
		if err != nil {
			t.Fatal(err)
		}
		writeHistory(t, sys, c, filepath.Join(dir, name+".json"))
	}
}

func writeHistory(t *testing.T, sys *system, c store.Case, path string) {
	t.Helper()
	it := sys.tc.GetWorkflowHistory(context.Background(), c.WorkflowID, "", false, 0)
	h := &historypb.History{}
	for it.HasNext() {
		ev, err := it.Next()
		if err != nil {
			t.Fatal(err)
		}
		h.Events = append(h.Events, ev)
	}
	b, err := protojson.MarshalOptions{Multiline: true, Indent: "  "}.Marshal(h)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("recorded %d events of case %s in %s", len(h.Events), c.CaseID, path)
}
