//go:build race

package runner

// raceEnabled says the test binary was built with -race.
const raceEnabled = true
