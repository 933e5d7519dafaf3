package sp

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"regexp"

	"github.com/beevik/etree"
	xrv "github.com/mattermost/xml-roundtrip-validator"
)

var (
	doctypeRe = regexp.MustCompile(`(?is)<!DOCTYPE(?:[^\[>]*\[.*?\]\s*>|[^>]*>)`)
	systemRe  = regexp.MustCompile(`(?i)SYSTEM\s+["']([^"']+)["']`)
)

// parseXML parses a SAML message. Any DOCTYPE is refused (catalogue
// PD-04/PD-06: no DTD processing at all), and the bytes must survive Go's
// encoding/xml round trip (PD-03, CVE-2020-29509..29511).
func (s *SP) parseXML(ctx context.Context, raw []byte) (*etree.Document, error) {
	if loc := doctypeRe.FindIndex(raw); loc != nil || bytes.Contains(bytes.ToUpper(raw), []byte("<!DOCTYPE")) {
		if !s.has(ProcessesDTD) {
			return nil, fmt.Errorf("sp: saml: DOCTYPE not allowed")
		}
		// The fault: behave like a DTD-processing parser and fetch every
		// external entity, then parse the rest.
		s.fetchEntities(ctx, raw)
		raw = doctypeRe.ReplaceAll(raw, nil)
	}
	if err := xrv.Validate(bytes.NewReader(raw)); err != nil {
		return nil, fmt.Errorf("sp: saml: xml round-trip: %w", err)
	}
	doc := etree.NewDocument()
	if err := doc.ReadFromBytes(raw); err != nil {
		return nil, fmt.Errorf("sp: saml: parse xml: %w", err)
	}
	return doc, nil
}

// fetchEntities GETs each SYSTEM identifier of the DOCTYPE, through the
// loopback-only client: the side effect PD-06 detects.
func (s *SP) fetchEntities(ctx context.Context, raw []byte) {
	dt := doctypeRe.Find(raw)
	for _, m := range systemRe.FindAllSubmatch(dt, -1) {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, string(m[1]), nil)
		if err != nil {
			continue
		}
		if resp, err := s.opts.HTTPClient.Do(req); err == nil {
			_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
			_ = resp.Body.Close()
		}
	}
}
