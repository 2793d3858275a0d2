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
// (worker.ActorCheck). The caller has already decided who the actor is (the API: from the
// authenticated token); the signature only vouches for that decision.
func (s *Service) signed(caseID, name string, arg any) (any, error) {
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
	key, err := s.actorKey()
	if err != nil {
		return nil, err
	}
	sig, err := auth.Sign(key, auth.Claim{CaseID: caseID, Update: name, ActorID: a.ID, Role: a.Role, At: time.Now()})
	if err != nil {
		return nil, err
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
		k, err := auth.LoadActorKey(s.Config, true)
		if err != nil {
			return nil, err
		}
		s.ActorKey = k
	}
	return s.ActorKey, nil
}
