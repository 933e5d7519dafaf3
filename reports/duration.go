package reports

import (
	"encoding/json"
	"fmt"
	"math"
	"time"
)

// MarshalJSON writes d as milliseconds, rounded to the microsecond: people
// and dashboards read milliseconds, and nanoseconds are noise.
func (d Duration) MarshalJSON() ([]byte, error) {
	ms := math.Round(d.Milliseconds()*1000) / 1000
	if ms == 0 {
		ms = 0 // not -0 (a negative fraction of a microsecond), which reads back as 0
	}
	return json.Marshal(ms)
}

// UnmarshalJSON reads milliseconds, fractional or whole.
func (d *Duration) UnmarshalJSON(b []byte) error {
	var ms float64
	if err := json.Unmarshal(b, &ms); err != nil {
		return fmt.Errorf("reports: duration %s is not a number of milliseconds", b)
	}
	// Round rather than truncate: 1.001 ms is 1000999.9999… ns in float64,
	// and truncating would lose a nanosecond on every round trip.
	*d = Duration(math.Round(ms * float64(time.Millisecond)))
	return nil
}

// Milliseconds is d in milliseconds, with the fraction.
func (d Duration) Milliseconds() float64 {
	return float64(d) / float64(time.Millisecond)
}

// Seconds is d in seconds, as JUnit wants it.
func (d Duration) Seconds() float64 { return time.Duration(d).Seconds() }

// String reads like a time.Duration: "12.5ms".
func (d Duration) String() string { return time.Duration(d).String() }
