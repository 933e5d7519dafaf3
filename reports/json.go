package reports

import (
	"encoding/json"
	"fmt"
	"io"
)

// WriteJSON writes results.json: the run, indented, with its schema version.
func WriteJSON(w io.Writer, r Run) error {
	if r.Schema == 0 {
		r.Schema = SchemaVersion
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// ReadJSON reads a results.json, refusing one from a newer idpconform.
func ReadJSON(rd io.Reader) (Run, error) {
	var r Run
	if err := json.NewDecoder(rd).Decode(&r); err != nil {
		return r, fmt.Errorf("reports: read results.json: %w", err)
	}
	if r.Schema > SchemaVersion {
		return r, fmt.Errorf("reports: results.json has schema %d; this idpconform reads up to %d, upgrade it", r.Schema, SchemaVersion)
	}
	return r, nil
}
