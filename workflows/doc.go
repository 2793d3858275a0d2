// Package workflows holds the participant journey: one durable Temporal workflow per trainee per
// training package, from enrolment to a closed outcome, with the human steps as Updates (and, for
// systems that cannot wait for an answer, Signals), deadlines that mark a case stuck, and a read
// model in PostgreSQL kept in step through activities.
//
// Nothing personal travels through workflow history: inputs carry the case ID and a keyed hash
// of the NIK; activities read names and NIKs from the participants table when a partner needs them.
package workflows
