package workflows_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/bpvp-sidoarjo/kompeten/codec"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// testKeyFile holds the test-only payload keys; the integration tests encrypt with them.
var testKeyFile = filepath.Join("testdata", "payload-test.keys")

// testActorKeyFile holds the test-only actor key the integration tests sign claims with.
var testActorKeyFile = filepath.Join("testdata", "actor-test.key")

func testActorKey(t *testing.T) []byte {
	t.Helper()
	b, err := os.ReadFile(testActorKeyFile)
	if err != nil {
		t.Fatal(err)
	}
	return []byte(strings.TrimSpace(string(b)))
}

func testKeyring(t *testing.T) *codec.Keyring {
	t.Helper()
	keys, err := codec.ReadKeyFile(testKeyFile)
	if err != nil {
		t.Fatal(err)
	}
	ring, err := codec.NewKeyring(keys)
	if err != nil {
		t.Fatal(err)
	}
	return ring
}

func testDataConverter(t *testing.T) converter.DataConverter {
	t.Helper()
	return codec.DataConverter(testKeyring(t))
}

// encryptedHistory was recorded with payload encryption on, sealed with test-2026a, which the
// key file now lists after the newer primary test-2026b: a journey started before a key
// rotation must replay (and so keep running) after it.
const encryptedHistory = "rev0-journey-placed-formal-encrypted.json"

func TestReplayEncryptedHistoryAfterRotation(t *testing.T) {
	path := filepath.Join("testdata", "histories", encryptedHistory)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// The file really is sealed: payloads carry the codec's encoding and the old key's id, and
	// the default converter cannot read them.
	if !strings.Contains(string(b), "YmluYXJ5L2VuY3J5cHRlZA==") || !strings.Contains(string(b), "dGVzdC0yMDI2YQ==") {
		t.Fatalf("%s holds no payload sealed with test-2026a", path)
	}
	ring := testKeyring(t)
	if ring.Primary() != "test-2026b" {
		t.Fatalf("primary key %s, want test-2026b (the history must be sealed with an older key)", ring.Primary())
	}
	plain := worker.NewWorkflowReplayer()
	plain.RegisterWorkflowWithOptions(workflows.Journey, workflow.RegisterOptions{Name: workflows.JourneyWorkflowName})
	if err := plain.ReplayWorkflowHistoryFromJSONFile(nil, path); err == nil {
		t.Fatal("the encrypted history replayed without the codec: it is not encrypted")
	}
	dc := codec.DataConverter(ring)
	r, err := worker.NewWorkflowReplayerWithOptions(worker.WorkflowReplayerOptions{DataConverter: dc, FailureConverter: codec.FailureConverter(dc)})
	if err != nil {
		t.Fatal(err)
	}
	r.RegisterWorkflowWithOptions(workflows.Journey, workflow.RegisterOptions{Name: workflows.JourneyWorkflowName})
	if err := r.ReplayWorkflowHistoryFromJSONFile(nil, path); err != nil {
		t.Fatalf("replay %s with the rotated keyring: %v", path, err)
	}
}
