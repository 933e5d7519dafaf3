package runner

import (
	"slices"
	"strings"

	"github.com/idpconform/idpconform/internal/catalog"
	"github.com/idpconform/idpconform/internal/spec"
	"github.com/idpconform/idpconform/reports"
)

// SSOOnlyTags select what a profile without a scim section can run: the
// SSO scenarios not tagged @scim (those provision, deactivate or read
// users over SCIM).
const SSOOnlyTags = "@sso && ~@scim"

// narrow adds SSOOnlyTags to a tag expression. godog splits on "&&" before
// ",", so appending "&& …" ands it with the whole expression.
func narrow(tags string) string {
	if strings.TrimSpace(tags) == "" {
		return SSOOnlyTags
	}
	return tags + " && " + SSOOnlyTags
}

// noSCIMReason says why a scenario with tags does not run without SCIM.
func noSCIMReason(tags []string) string {
	if slices.Contains(tags, "sso") {
		return "the profile has no scim: section; this scenario provisions over SCIM"
	}
	return "the profile has no scim: section; this scenario tests the SCIM endpoint"
}

// skipWithoutSCIM records, as skipped with the reason, the scenarios the
// caller's tags select that a run without SCIM leaves out, so the report
// shows them rather than hiding them.
func (c *collector) skipWithoutSCIM(tags string) {
	for _, s := range c.all {
		if !catalog.MatchTags(tags, s.Tags) || catalog.MatchTags(narrow(tags), s.Tags) {
			continue
		}
		rep := &reports.Scenario{ID: s.ID(), Name: s.Name, Feature: s.Feature, Area: s.Area, URI: s.URI, Line: s.Line,
			Tags: slices.Clone(s.Tags), Status: reports.Skipped}
		for _, cl := range spec.Clauses(rep.Tags) {
			rep.Clauses = append(rep.Clauses, cl.Report())
		}
		rep.Steps = []reports.Step{{Text: "skipped: " + noSCIMReason(s.Tags), Status: reports.Skipped}}
		c.mu.Lock()
		c.scenarios = append(c.scenarios, rep)
		c.mu.Unlock()
	}
}
