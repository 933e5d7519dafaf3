//go:build !unix

package entra

// peakRSS is not measured here: getrusage is Unix's.
func peakRSS() float64 { return 0 }
