package starter

import (
	"fmt"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/auth"
)

// signed returns a copy of arg (an update or signal argument with an Actor, or a workflow input
// with a Claim) carrying kompeten's claim that its API sends message name with exactly this
// argument to the workflow workflowID now, signed with the service's actor key and checked by
// the workers (worker.Trust). The caller has already decided who the actor is (the API: from
// the authenticated token); the claim only vouches for that decision.
func (s *Service) signed(workflowID, name string, arg any) (any, error) {
	key, err := s.actorKey()
	if err != nil {
		return nil, err
	}
	return SignActor(key, workflowID, name, arg, time.Now())
}

// SignActor returns a copy of arg carrying the API's claim "this message name, with this
// argument, to workflowID, issued at at", with a fresh claim ID, signed with key. It is what
// Service signs with, exported so that tests of the verifying side sign exactly as the API does.
func SignActor(key []byte, workflowID, name string, arg any, at time.Time) (any, error) {
	id, err := auth.NewClaimID()
	if err != nil {
		return nil, err
	}
	out, err := auth.SignArg(key, auth.PurposeAPI, workflowID, name, arg, at, id)
	if err != nil {
		return nil, fmt.Errorf("sign %s for %s: %w", name, workflowID, err)
	}
	return out, nil
}

// actorKey is ActorKey, loaded on first use: security.actor_key, else the data directory's key,
// generated when missing (the API and the workers sharing a data directory then sign and verify
// with the same one; `serve` and `worker` require it to be set before they start).
func (s *Service) actorKey() ([]byte, error) {
	s.keyMu.Lock()
	defer s.keyMu.Unlock()
	if s.ActorKey == nil {
		k, err := auth.LoadActorKey(s.Config.Security.ActorKey, s.Config.DataDir, true)
		if err != nil {
			return nil, err
		}
		s.ActorKey = k
	}
	return s.ActorKey, nil
}
