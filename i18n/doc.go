// Package i18n is kompeten's one message catalogue: everything a person reads on the pages and
// in the daily digest (stuck reasons, timeline events, refusals, page errors and the labels of
// the journey's vocabulary) in Indonesian, the default, and English.
//
// The words live in two embedded YAML files, messages/id.yaml and messages/en.yaml, one
// "code: text" line per message, so a coordinator can read and correct them without reading
// Go. A text names its parameters in braces: "{partner}" is the parameter as given,
// "{stage|stage}" looks the value up as the message "stage.<value>" (a code worded in the
// reader's language), "{at|time}" is an RFC 3339 instant shown in the reader's time zone and
// "{on|day}" a date. The journey stores codes and parameters; the pages word them here.
//
// The package is deterministic (no clock, no map order reaches the output), so workflow code may
// word a text with it too (the digest does).
package i18n
