// Package codec encrypts every Temporal payload kompeten writes (workflow inputs and results,
// activity arguments and results, update, signal and query payloads, memos, failure messages)
// with AES-256-GCM, so the Temporal server stores only ciphertext. Each encrypted payload names
// the key that sealed it, so keys can be rotated: the primary key encrypts, every configured
// key decrypts. Payloads without the codec's encoding (histories written before encryption) are
// passed through unchanged.
//
// The package also serves the remote codec protocol of the Temporal Web UI and CLI
// (POST .../encode and .../decode with {"payloads": [...]}), behind a bearer token.
package codec
