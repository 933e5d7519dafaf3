package reports

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// WriteJSON writes results.json: the run, indented, with its schema version
// (SchemaVersion unless the run already says otherwise).
func WriteJSON(w io.Writer, r Run) error {
	if r.Schema == 0 {
		r.Schema = SchemaVersion
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(r); err != nil {
		return fmt.Errorf("reports: write results.json: %w", err)
	}
	return nil
}

// ReadJSON reads a results.json, refusing one written by a newer
// idpconform (a schema above SchemaVersion) and a file with no schema,
// which is not a results.json at all.
func ReadJSON(rd io.Reader) (Run, error) {
	raw, err := io.ReadAll(rd)
	if err != nil {
		return Run{}, fmt.Errorf("reports: read results.json: %w", err)
	}
	// Look at the schema before anything else: a newer file may not decode
	// into this Run, and "upgrade idpconform" is a better error than a type
	// mismatch deep inside it.
	var head struct {
		Schema int `json:"schema"`
	}
	if err := json.Unmarshal(raw, &head); err != nil {
		return Run{}, fmt.Errorf("reports: read results.json: %w", err)
	}
	switch {
	case head.Schema > SchemaVersion:
		return Run{}, fmt.Errorf("reports: results.json has schema %d, but this idpconform reads schema %d at most: upgrade idpconform to read it", head.Schema, SchemaVersion)
	case head.Schema < 1:
		return Run{}, errors.New("reports: read results.json: no schema version; is this a results.json written by idpconform?")
	}
	var r Run
	if err := json.Unmarshal(raw, &r); err != nil {
		return Run{}, fmt.Errorf("reports: read results.json: %w", err)
	}
	if r.Schema == 1 {
		upgrade1(&r)
	}
	return r, nil
}

// upgrade1 reads a schema 1 run as schema 2: its failure kind "error" is
// could-not-check; schema 1 had no warnings.
func upgrade1(r *Run) {
	for i := range r.Scenarios {
		if f := r.Scenarios[i].Failure; f != nil && f.Kind == "error" {
			f.Kind = CouldNotCheck
		}
	}
	r.Schema = SchemaVersion
}
