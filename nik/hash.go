package nik

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
)

// Hash returns a keyed pseudonym of a normalized NIK: the first 32 hex
// characters (128 bits) of HMAC-SHA256(key, nik).
//
// Use it wherever a NIK would otherwise appear in clear — Temporal workflow
// IDs, search attributes, logs, URLs — and as a lookup column. It must be
// keyed: NIKs have so little entropy (known area codes, birth dates, small
// serials) that a plain hash is reversed by enumeration. The key is a
// deployment secret; changing it changes every hash, so it cannot be rotated
// without re-hashing stored values. Always pass the output of Normalize, so
// that the same person always gets the same hash.
//
// Hash panics on an empty key: an unkeyed hash would leak NIKs, and that is a
// configuration defect to stop on, not a condition to handle.
func Hash(key []byte, nik string) string {
	if len(key) == 0 {
		panic("nik.Hash: empty key")
	}
	m := hmac.New(sha256.New, key)
	m.Write([]byte(nik)) // hash.Hash.Write never returns an error
	return hex.EncodeToString(m.Sum(nil))[:32]
}
