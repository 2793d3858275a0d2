// Package selfreport is the graduate's own channel (issue 18): signed, single-use, expiring
// follow-up links a graduate answers on a phone without a login (/lapor/<token>), whose answer
// enters the journey as a self-reported placement through the same signed update as a staff
// report; and the public certificate check for employers (/verifikasi/<number>).
//
// A link's token is an opaque random ID and its HMAC-SHA256 signature under the self-report key:
// it carries no personal data, and the table of issued links (selfreport_links) says which case
// and follow-up month it is for, until when it works and whether it was used.
package selfreport
