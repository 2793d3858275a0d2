// Package auth is kompeten's identity: API tokens and their roles and scopes, the actor claim
// the API signs for every human step it sends to a journey (verified again by the workers), and
// the session login of the pages.
package auth
