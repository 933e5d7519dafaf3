package reports

import (
	"encoding/json"
	"math"
	"time"
)

// MarshalJSON writes d as milliseconds, to the microsecond.
func (d Duration) MarshalJSON() ([]byte, error) {
	ms := float64(time.Duration(d)) / float64(time.Millisecond)
	return json.Marshal(math.Round(ms*1000) / 1000)
}

// UnmarshalJSON reads milliseconds.
func (d *Duration) UnmarshalJSON(b []byte) error {
	var ms float64
	if err := json.Unmarshal(b, &ms); err != nil {
		return err
	}
	*d = Duration(ms * float64(time.Millisecond))
	return nil
}

// Seconds is d in seconds, as JUnit wants it.
func (d Duration) Seconds() float64 { return time.Duration(d).Seconds() }
