// Package reports renders one run's results in every format idpconform
// writes. Every renderer is a pure function over Run, so a report can be
// re-rendered from results.json alone.
package reports

import "time"

// SchemaVersion is the version of the results.json schema; bump it on a
// breaking change.
// Schema 2 added the warning verdict (status "warning", kind "warning"),
// renamed failure kind "error" to "could-not-check", and added a failure's
// clause and seeAlso; ReadJSON upgrades schema 1 files.
const SchemaVersion = 2

// Status is the outcome of a scenario or step.
type Status string

// Statuses, worst first. A scenario that did not pass has one of three
// verdicts: Failed (a violation), Warned (a warning) or Errored (could not
// check).
const (
	Errored   Status = "error"  // could not check: a precondition failed, no answer, a harness error
	Failed    Status = "failed" // a violation: the target broke a MUST of what the scenario checks
	Undefined Status = "undefined"
	Warned    Status = "warning" // a warning: a SHOULD, or a risk with a named IdP; does not fail the run
	Skipped   Status = "skipped" // the target does not claim the feature
	Passed    Status = "passed"
)

// Run is everything one `idpconform run` produced.
type Run struct {
	Schema     int        `json:"schema"`
	Tool       string     `json:"tool"`
	Version    string     `json:"version"`
	Target     Target     `json:"target"`
	Tags       string     `json:"tags,omitempty"`
	StartedAt  time.Time  `json:"startedAt"`
	FinishedAt time.Time  `json:"finishedAt"`
	Scenarios  []Scenario `json:"scenarios"`
	Cleanup    Cleanup    `json:"cleanup"`
	// Features are the optional SCIM features, as the run judged the
	// target's support for them (internal/optional's table).
	Features []Feature `json:"features,omitempty"`
	// View is whose expectations the verdicts follow: "" for RFC
	// conformance, or an IdP (entra, okta) whose view makes the warnings
	// about that IdP's behaviour violations.
	View string `json:"view,omitempty"`
	// Stopped is why no scenario could run: a target that cannot be used
	// at all (unreachable, credentials refused, not SCIM), an SSO set-up
	// that failed, a run that could not start. Every report leads with it.
	Stopped string `json:"stopped,omitempty"`
	// Notes are run-level findings that belong to no scenario, such as a
	// profile that contradicts the target's ServiceProviderConfig.
	Notes []string `json:"notes,omitempty"`
}

// Target says what was tested.
type Target struct {
	Name      string   `json:"name"`
	SCIMURL   string   `json:"scimUrl"`
	Reference bool     `json:"reference"`           // the built-in reference target
	Faults    []string `json:"faults,omitempty"`    // faults switched on in the reference target
	Liberties []string `json:"liberties,omitempty"` // liberties taken by the reference target
}

// Feature is one optional SCIM feature and whether the target supports it.
type Feature struct {
	Key       string `json:"key"`   // the profile key: filter, changePassword
	Label     string `json:"label"` // as steps name it: filtering, changing passwords
	Supported bool   `json:"supported"`
	Where     string `json:"where"` // who said so: the profile, or the discovery document
}

// Scenario is the outcome of one Gherkin scenario.
type Scenario struct {
	ID        string     `json:"id"`      // features/users/create.feature:12
	Name      string     `json:"name"`    // the scenario's title
	Feature   string     `json:"feature"` // the feature's title
	Area      string     `json:"area"`    // the feature's folder: users, filters, okta, ...
	URI       string     `json:"uri"`     // users/create.feature
	Line      int        `json:"line"`
	Tags      []string   `json:"tags"`    // every tag, without '@'
	Clauses   []Clause   `json:"clauses"` // what the scenario stands for, from its tags
	Status    Status     `json:"status"`
	Duration  Duration   `json:"durationMs"`
	Steps     []Step     `json:"steps"`
	Failure   *Failure   `json:"failure,omitempty"`
	Exchanges []Exchange `json:"exchanges,omitempty"` // kept for failed and errored scenarios
}

// Clause is a spec section or documented IdP behaviour a scenario cites.
// It is copied into the run so that a report renders from results.json alone.
type Clause struct {
	ID          string `json:"id"`    // rfc7644-3.3, okta-lookup
	Title       string `json:"title"` // "RFC 7644 §3.3 Creating Resources"
	URL         string `json:"url,omitempty"`
	Requirement string `json:"requirement,omitempty"` // the MUST, paraphrased
	Impact      string `json:"impact,omitempty"`      // the consequence for the customer, one sentence
}

// Step is one Gherkin step and its outcome.
type Step struct {
	Text   string `json:"text"`
	Status Status `json:"status"`
}

// FailureKind is the verdict on a scenario that did not pass.
type FailureKind string

// Failure kinds. In JUnit a violation is a <failure>, could-not-check an
// <error>, a warning a passing test with the warning in <system-out>.
const (
	Violation     FailureKind = "violation"
	Warning       FailureKind = "warning"
	CouldNotCheck FailureKind = "could-not-check"
)

// Failure says why a scenario did not pass.
type Failure struct {
	Kind     FailureKind `json:"kind"`
	Step     string      `json:"step"`
	Message  string      `json:"message"`
	Expected []string    `json:"expected,omitempty"`
	Actual   string      `json:"actual,omitempty"`
	// Clause is what the failure is filed under when the step that failed
	// checks a clause other than the scenario's first one.
	Clause *Clause `json:"clause,omitempty"`
	// SeeAlso, for could-not-check, names the scenarios that check the
	// precondition that failed (features/users/create.feature:6).
	SeeAlso []string `json:"seeAlso,omitempty"`
	// IdP names the IdP whose behaviour a warning stands for (Entra's
	// string booleans refused): in that IdP's view it is a violation.
	IdP string `json:"idp,omitempty"`
}

// Exchange is one HTTP request and its response, secrets already redacted.
type Exchange struct {
	Method          string              `json:"method"`
	URL             string              `json:"url"`
	RequestHeaders  map[string][]string `json:"requestHeaders,omitempty"`
	RequestBody     string              `json:"requestBody,omitempty"`
	Status          int                 `json:"status,omitempty"`
	ResponseHeaders map[string][]string `json:"responseHeaders,omitempty"`
	ResponseBody    string              `json:"responseBody,omitempty"`
	Duration        Duration            `json:"durationMs"`
	Err             string              `json:"error,omitempty"` // transport error: refused, timeout
}

// Cleanup says what the run removed from the target and what may remain.
// Deleted counts only removals read back as gone (RFC 7644 §3.6); each
// leftover names the resource's type, id (when known), name and why.
type Cleanup struct {
	Deleted   int      `json:"deleted"`
	Leftovers []string `json:"leftovers,omitempty"` // `Users/42 "idpc-…-ada": DELETE answered 500 Internal Server Error`
}

// Duration is a time.Duration written as milliseconds in JSON.
type Duration time.Duration
