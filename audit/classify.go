package audit

import (
	"fmt"
	"net/http"
	"strings"
	"time"
)

// answer is what one attempt produced, before the retry decision.
type answer struct {
	status  int       // 0 when no response arrived
	outcome Outcome   // final outcome if the attempt is not retried
	kind    ErrorKind // set when outcome is OutcomeError
	message string
	group   group

	retryAfter    time.Duration
	hasRetryAfter bool
}

// classify turns one HTTP response and its body (already capped at
// MaxBodyBytes+1 bytes) into an answer, following the outcome table: 200 with
// a usable user_role is ok, 403 forbidden, 404 not_found; everything else is
// an error whose kind the retry policy and the reports use.
func classify(resp *http.Response, body []byte, now time.Time) answer {
	a := answer{status: resp.StatusCode, outcome: OutcomeError}
	if len(body) > MaxBodyBytes {
		a.kind = KindInvalidResponse
		a.message = fmt.Sprintf("HTTP %d with a body over the %d-byte limit", resp.StatusCode, MaxBodyBytes)
		return a
	}

	switch code := resp.StatusCode; {
	case code == http.StatusOK:
		g, err := decodeRole(body)
		if err != nil {
			a.kind = KindInvalidResponse
			a.message = "HTTP 200 without a usable group: " + err.Error()
			return a
		}
		a.outcome, a.group = OutcomeOK, g
	case code == http.StatusForbidden:
		a.outcome, a.message = OutcomeForbidden, apiMessage(body)
	case code == http.StatusNotFound:
		a.outcome, a.message = OutcomeNotFound, apiMessage(body)
	case code == http.StatusTooManyRequests:
		a.kind = KindRateLimited
		a.message = statusMessage(code, body)
		a.retryAfter, a.hasRetryAfter = parseRetryAfter(resp.Header.Get("Retry-After"), now)
	case code >= 500:
		a.kind = KindServerError
		a.message = statusMessage(code, body)
		a.retryAfter, a.hasRetryAfter = parseRetryAfter(resp.Header.Get("Retry-After"), now)
	case code >= 300 && code < 400:
		a.kind = KindUnexpectedStatus
		a.message = fmt.Sprintf("HTTP %d redirect", code)
		if location := resp.Header.Get("Location"); location != "" {
			a.message += " to " + clip(location, 200)
		}
		a.message += " not followed"
	default:
		a.kind = KindUnexpectedStatus
		a.message = statusMessage(code, body)
	}
	return a
}

// statusMessage describes an error status with the API's own message, if any.
func statusMessage(code int, body []byte) string {
	msg := fmt.Sprintf("HTTP %d %s", code, http.StatusText(code))
	if text := apiMessage(body); text != "" {
		msg += ": " + text
	}
	return strings.TrimSpace(msg)
}

// apply copies a final answer into res. Messages and group names pass
// through the redactor because they can echo what the server received.
func (a answer) apply(res *Result, redact redactor) {
	res.Outcome = a.outcome
	res.HTTPStatus = a.status
	res.Error = redact.clean(a.message)
	if a.outcome == OutcomeError {
		res.ErrorKind = a.kind
	}
	if a.outcome == OutcomeOK {
		res.GroupID, res.GroupName = a.group.ID, a.group.Name
		if name := a.group.Name; name != nil && redact.clean(*name) != *name {
			cleaned := redact.clean(*name)
			res.GroupName = &cleaned
		}
	}
}
