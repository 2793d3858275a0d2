package contract

import (
	"reflect"

	"go.temporal.io/sdk/workflow"
)

// None stands for "no argument" or "no result" in an Activity's type.
type None struct{}

// Activity is one activity as a workflow calls it: the name the worker registers it under (its
// method's name in package activities) and, in its type, the argument it takes and the result
// it returns.
type Activity[In, Out any] struct{ name string }

// Name is the name the worker registers the activity under.
func (a Activity[In, Out]) Name() string { return a.name }

// Execute schedules the activity; the future's result decodes into an Out.
func (a Activity[In, Out]) Execute(ctx workflow.Context, in In) workflow.Future {
	return workflow.ExecuteActivity(ctx, a.name, args(in)...)
}

// ExecuteLocal runs the activity as a local activity, in the workflow's own worker.
func (a Activity[In, Out]) ExecuteLocal(ctx workflow.Context, in In) workflow.Future {
	return workflow.ExecuteLocalActivity(ctx, a.name, args(in)...)
}

// Types are the argument's and the result's types, nil for None: the tests hold the methods
// in package activities, and the payload encoding, to them.
func (a Activity[In, Out]) Types() (in, out reflect.Type) {
	return typeOf[In](), typeOf[Out]()
}

func typeOf[T any]() reflect.Type {
	t := reflect.TypeFor[T]()
	if t == reflect.TypeFor[None]() {
		return nil
	}
	return t
}

func args[In any](in In) []any {
	if _, none := any(in).(None); none {
		return nil
	}
	return []any{in}
}

// Described is an Activity of any type, as the tests see it.
type Described interface {
	Name() string
	Types() (in, out reflect.Type)
}
