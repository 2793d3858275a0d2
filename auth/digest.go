package auth

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"
)

// Digest is the SHA-256 of the canonical JSON of v: its JSON encoding read back as plain
// values (numbers kept exactly as written) and written again, objects with their keys sorted.
// The signer and the worker get the same digest for the same argument whatever Go type each
// holds it in (a struct on one side, a map on the other) and however its fields are ordered.
func Digest(v any) ([]byte, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("digest: encode %T: %w", v, err)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var plain any
	if err := dec.Decode(&plain); err != nil {
		return nil, fmt.Errorf("digest: read back %T: %w", v, err)
	}
	canon, err := json.Marshal(plain)
	if err != nil {
		return nil, fmt.Errorf("digest: canonical %T: %w", v, err)
	}
	sum := sha256.Sum256(canon)
	return sum[:], nil
}
