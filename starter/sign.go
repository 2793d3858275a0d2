package starter

import (
	"fmt"
	"reflect"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/auth"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

var actorType = reflect.TypeFor[workflows.Actor]()

// signed returns a copy of arg (an update or signal argument with an Actor field) whose actor
// carries the claim signed with the service's actor key, which the workers verify
// (worker.ActorCheck). subject is what the claim is about: a journey's short case ID, or an
// agreement's workflow ID (workflows.MoUWorkflowID), which no case ID can equal. The caller has
// already decided who the actor is (the API: from the authenticated token); the signature only
// vouches for that decision.
func (s *Service) signed(subject, name string, arg any) (any, error) {
	key, err := s.actorKey()
	if err != nil {
		return nil, err
	}
	return SignActor(key, subject, name, arg, time.Now())
}

// SignActor returns a copy of arg whose Actor field carries the claim "this actor sent update
// (or signal) name to subject at at", signed with key. It is what Service signs with, exported
// so that tests of the verifying side (worker.ActorCheck) sign exactly as the API does.
func SignActor(key []byte, subject, name string, arg any, at time.Time) (any, error) {
	v := reflect.ValueOf(arg)
	if v.Kind() == reflect.Pointer {
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		return nil, fmt.Errorf("%s: argument %T has no actor", name, arg)
	}
	cp := reflect.New(v.Type()).Elem()
	cp.Set(v)
	f := cp.FieldByName("Actor")
	if !f.IsValid() || f.Type() != actorType {
		return nil, fmt.Errorf("%s: argument %T has no actor", name, arg)
	}
	a := f.Interface().(workflows.Actor)
	sig, err := auth.Sign(key, auth.Claim{CaseID: subject, Update: name, ActorID: a.ID, Role: a.Role, At: at})
	if err != nil {
		return nil, fmt.Errorf("sign the actor of %s: %w", name, err)
	}
	a.Signature = sig
	f.Set(reflect.ValueOf(a))
	return cp.Interface(), nil
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
