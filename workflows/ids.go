package workflows

import (
	"crypto/sha256"
	"encoding/base32"
	"strings"
)

// WorkflowIDFor is the journey's workflow ID: the package and the keyed NIK hash, so starting
// the same person twice in one package is refused by Temporal itself, and no NIK is exposed.
func WorkflowIDFor(packageCode, nikHash string) string {
	return "journey/" + packageCode + "/" + nikHash
}

// CaseIDFor is the short, copyable case ID people use (10 characters, about 50 bits).
func CaseIDFor(packageCode, nikHash string) string {
	sum := sha256.Sum256([]byte(packageCode + "\x00" + nikHash))
	enc := base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(sum[:])
	return strings.ToLower(enc[:10])
}

func workflowIDOf(in JourneyInput) string { return WorkflowIDFor(in.PackageCode, in.NIKHash) }
