// Package simulator holds stand-ins for the partner systems kompeten talks to: BPJS
// Ketenagakerjaan (NewBPJS), a certification body (NewLSP), and the providers of the messages to
// trainees, the WhatsApp Business Cloud API (NewWhatsApp) and an SMS gateway (NewSMS), each with
// an outbox and posting signed statuses and replies to kompeten's webhooks. Each is an http.Handler that speaks
// exactly the protocol of its adapter (partners/bpjs, partners/lsp), so `kompeten dev`,
// `kompeten simulate` and tests (through httptest) exercise the real client code.
//
// The simulators misbehave on purpose, in ways that can be tuned and reproduced:
//   - Latency before every answer; transient 503s at ErrorRate, half of them after the work was
//     done (a lost answer), which is what makes idempotency matter;
//   - data errors (422) at DataErrorRate, decided by a hash of the idempotency key and the
//     identifying fields, so the same bad record keeps failing and a corrected one can pass;
//   - outage windows, configured or started at run time, answering 503 {"code":"outage"}.
//
// Idempotency is real: the same Idempotency-Key returns the stored answer and never creates a
// second registration, assessment or certificate. Only successes are stored.
//
// Control endpoints (no API key, never subject to outages or injected errors):
//
//	POST   /sim/outage  {"duration":"10m"}  start an outage now
//	DELETE /sim/outage                      end every outage active now
//	GET    /sim/config                      current settings
//	POST   /sim/config  {"latency":"200ms","error_rate":0.1,"data_error_rate":0.05,
//	                     "result_delay":"48h","schedule_lead":"72h","bk_rate":0.1}  (LSP keys only for the LSP)
//	GET    /sim/stats                       call and creation counts, also per idempotency key
//	POST   /sim/refusals {"candidate_ref":"<case id>","message":"..."}  (LSP) refuse that
//	                                        candidate's certificates (422 record_refused)
//	DELETE /sim/refusals/{candidate_ref}    (LSP) stop refusing: the record is fixed
//	POST   /sim/population {"nik":"...","name":"...","birth_date":"2004-07-19"}  (BPJS) the
//	                                        population register's record of that NIK: a
//	                                        registration that disagrees is refused as bad data
//	POST   /sim/mistake {"number":"..."}    hand this number to the next new registration or
//	                                        certificate, whoever it is for (HandOutNext)
//
// The LSP simulator assesses the units of competence it is given per scheme (kompeten gives it
// the registry's) and refuses a scheme it has none for.
//
// The same numbers are available in process (Stats, RegistrationCount, Registrations, ...), so tests
// can assert "exactly once". Call counts are this process's; everything else survives a restart
// when the simulator is persistent.
//
// NewBPJS and NewLSP keep their state in memory (unit tests). OpenBPJS and OpenLSP keep it in
// PostgreSQL as well (the sim_ tables, see persistence), as `kompeten dev` and the integration
// tests run them: a simulator started again on the same database continues where it was —
// registrations, memberships, numbering, scheduled assessments with their results, certificates,
// an outage started at run time — so no number is handed out twice and no assessment in flight
// is forgotten. Settings changed at run time (POST /sim/config) are not kept: the configuration
// decides them at each start; nor are the test controls (refusals, mistakes). The simulators hold the NIKs and names they are sent, as the
// partners would, in memory and in their own tables, and log nothing.
package simulator
