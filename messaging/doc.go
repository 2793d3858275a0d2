// Package messaging sends the trainee their own messages at the milestones of the journey
// (issue 18): enrolment confirmed, BPJS coverage active, assessment scheduled, certificate issued,
// each placement follow-up and its reminder.
//
// The texts are Indonesian templates in templates/*.tmpl, embedded, so a coordinator can read
// (and propose changes to) exactly what trainees receive. Each file starts with a comment naming
// its parameters in order: WhatsApp template messages carry them as the body parameters of the
// template registered with Meta under "kompeten_<file name>"; the SMS gateway gets the rendered
// text.
//
// Two adapters implement Sender: the WhatsApp Business Cloud API (WhatsApp) and a plain HTTP SMS
// gateway (SMS). Webhooks receives what the providers post back: delivery statuses, and a
// trainee's reply "STOP" or "BERHENTI", which ends their messages. Every request a provider posts
// is signed (X-Hub-Signature-256 for WhatsApp, X-Signature for the SMS gateway) and refused
// without a valid signature.
//
// Phone numbers and names are personal data: they are read from the store by the sending
// activity, go to the provider and nowhere else. Nothing in this package logs them or puts them
// in an error message.
package messaging
