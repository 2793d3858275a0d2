package auth

import (
	"fmt"
	"reflect"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/vocab"
)

// Carried is the claim an argument carries and what it is about. An argument carries its claim
// in one of two places, found by name: the Signature of its Actor field (a struct with ID, Role
// and Signature: a person's step), or its Claim field (a string: a start, or a message kompeten
// sends itself, which has no person).
type Carried struct {
	// Signature is the claim as sent ("" when none).
	Signature string
	// ActorID and Role are the person's, for an Actor; empty otherwise.
	ActorID string
	Role    vocab.Role
	// Blank is a copy of the argument with the signature emptied: what the digest covers.
	Blank any
	// set writes a signature into a copy of the argument.
	set func(sig string) any
}

// ClaimIn finds the claim an argument carries; false when the argument has no place for one.
func ClaimIn(arg any) (Carried, bool) {
	v := reflect.ValueOf(arg)
	for v.Kind() == reflect.Pointer && !v.IsNil() {
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		return Carried{}, false
	}
	copyWith := func(set func(reflect.Value)) any {
		cp := reflect.New(v.Type()).Elem()
		cp.Set(v)
		set(cp)
		return cp.Interface()
	}
	if a := v.FieldByName("Actor"); a.IsValid() && a.Kind() == reflect.Struct {
		id, role, sig := a.FieldByName("ID"), a.FieldByName("Role"), a.FieldByName("Signature")
		if id.Kind() == reflect.String && role.Kind() == reflect.String && sig.Kind() == reflect.String {
			set := func(s string) any {
				return copyWith(func(cp reflect.Value) { cp.FieldByName("Actor").FieldByName("Signature").SetString(s) })
			}
			return Carried{Signature: sig.String(), ActorID: id.String(), Role: vocab.Role(role.String()), Blank: set(""), set: set}, true
		}
	}
	if c := v.FieldByName("Claim"); c.IsValid() && c.Kind() == reflect.String {
		set := func(s string) any { return copyWith(func(cp reflect.Value) { cp.FieldByName("Claim").SetString(s) }) }
		return Carried{Signature: c.String(), Blank: set(""), set: set}, true
	}
	return Carried{}, false
}

// claimOf is the claim c's argument makes for workflowID and name, without purpose, ID or time.
func (c Carried) claimOf(workflowID, name string) (Claim, error) {
	d, err := Digest(c.Blank)
	if err != nil {
		return Claim{}, err
	}
	return Claim{WorkflowID: workflowID, Name: name, ActorID: c.ActorID, Role: c.Role, Digest: d}, nil
}

// SignArg returns a copy of arg carrying a claim that purpose sends message name with this very
// argument to workflowID, issued at at with the given ID (NewClaimID, or one derived
// deterministically in workflow code).
func SignArg(key []byte, purpose, workflowID, name string, arg any, at time.Time, id string) (any, error) {
	c, ok := ClaimIn(arg)
	if !ok {
		return nil, fmt.Errorf("%s: argument %T has no place for a claim", name, arg)
	}
	cl, err := c.claimOf(workflowID, name)
	if err != nil {
		return nil, fmt.Errorf("sign %s: %w", name, err)
	}
	cl.Purpose, cl.ID, cl.At = purpose, id, at
	sig, err := Sign(key, cl)
	if err != nil {
		return nil, fmt.Errorf("sign %s: %w", name, err)
	}
	return c.set(sig), nil
}

// VerifyArg checks the claim arg carries for message name to workflowID and returns what it
// says; ErrBadClaim when there is none or it does not verify.
func VerifyArg(key []byte, workflowID, name string, arg any) (Issued, error) {
	c, ok := ClaimIn(arg)
	if !ok || c.Signature == "" {
		return Issued{}, ErrBadClaim
	}
	cl, err := c.claimOf(workflowID, name)
	if err != nil {
		return Issued{}, ErrBadClaim
	}
	return Verify(key, cl, c.Signature)
}
