package web

import (
	"fmt"
	"html/template"

	"github.com/bpvp-sidoarjo/kompeten/auth"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// pageActions maps each form a page offers onto the action it asks the API for: the template
// function may asks auth's policy about it, the same table the API decides with, so a page
// shows only the buttons of the actions the person's role may take. The names are the forms'
// (the decide form's kind, the refusal form's kind).
var pageActions = map[string]auth.Action{
	"retry":         auth.ActionRetry,
	"escalate":      auth.ActionEscalate,
	"enrolment":     auth.Action(workflows.UpdateDecideEnrolment),
	"certification": auth.Action(workflows.UpdateDecideCertification),
	"retry-refused": auth.Action(workflows.UpdateRetryRefused),
	"reassess":      auth.Action(workflows.UpdateOrderReassessment),
	"skip":          auth.Action(workflows.UpdateCloseUncertified),
	"assessment":    assessAction,
	"correction":    auth.Action(workflows.UpdateCorrectParticipant),
}

// PageActions lists the forms the pages offer with the action each asks for (tests walk it).
func PageActions() map[string]auth.Action {
	out := make(map[string]auth.Action, len(pageActions))
	for k, v := range pageActions {
		out[k] = v
	}
	return out
}

// authzFuncs are the template helpers of authorization.
func authzFuncs() template.FuncMap {
	return template.FuncMap{
		// may says whether the page's person may take the form's action. Without a login (the
		// pages run without authentication in handler tests) every form shows and the API
		// decides; a form name missing from pageActions fails the page, not silently.
		"may": func(p page, form string) (bool, error) {
			a, known := pageActions[form]
			if !known {
				a, known = weekActions[form] // web/packages.go
			}
			if !known {
				a, known = reviewActions[form] // web/review.go
			}
			if !known {
				return false, fmt.Errorf("may: no page action %q", form)
			}
			if p.Identity == nil {
				return true, nil
			}
			return p.Identity.May(a), nil
		},
		// mayManageAccounts says whether the page's person may manage login accounts (the
		// accounts page's menu entry); without a login the entry shows and the API decides.
		"mayManageAccounts": func(p page) bool {
			return p.Identity == nil || p.Identity.May(auth.ActionManageAccounts)
		},
	}
}
