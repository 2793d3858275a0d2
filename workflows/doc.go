// Package workflows holds the participant journey: one durable Temporal workflow per trainee per
// training package, from enrolment to a closed outcome, with the human steps as Updates (and, for
// systems that cannot wait for an answer, Signals), deadlines that mark a case stuck, and a read
// model in PostgreSQL kept in step through activities.
//
// It also holds the agreements' workflow (an MoU or a PKS from draft to its end, continuing as
// new over the years) and the operations workflows (the daily digest and an escalation).
//
// Nothing personal travels through workflow history: inputs carry the case ID and a keyed hash
// of the NIK; activities read names and NIKs from the participants table when a partner needs them.
//
// Workflows call activities only through package activities/contract (names, argument and
// result types), so this package depends neither on the store nor on PostgreSQL.
package workflows
