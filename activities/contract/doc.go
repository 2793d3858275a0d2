// Package contract is what workflows and activities agree on: the name of every activity, the
// argument it takes and the result it returns, and the error types workflows tell apart.
//
// Workflows call activities only through the Activity values here, never through the methods
// in package activities, so the workflow code does not depend on what the activities depend on
// (the store, PostgreSQL). Every type that crosses the boundary is this package's own, with a
// JSON name on every field: a regular activity's argument travels through Temporal's data
// converter, and a field it cannot encode would arrive empty without an error. The activities
// map these types to the store's rows themselves. A field that holds the journey's vocabulary (a
// stage, an outcome, a stuck reason, a party waited on, a role, a placement category) has package
// vocab's type, as the store's row does; those types are strings, so they encode as before.
//
// Types here are part of running workflows' histories: rename a JSON field and a scheduled
// activity, or a replayed result, no longer decodes as it was written.
package contract
