// Package console says how the run talks to the terminal: whether stdout
// is one (progress redraws a line and colours it) or a log (CI: one line
// per event, no escapes), and how wide it is.
package console

import (
	"io"
	"os"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/term"
)

// ForceEnv, set to 1 or 0, makes Terminal say yes or no whatever the
// output is: tests drive the terminal behaviour through it.
const ForceEnv = "IDPCONFORM_TERMINAL"

// fder is an *os.File, or a writer wrapping one that says which.
type fder interface{ Fd() uintptr }

// Terminal says whether w is an interactive terminal.
func Terminal(w io.Writer) bool {
	if v, ok := os.LookupEnv(ForceEnv); ok && v != "" {
		on, err := strconv.ParseBool(v)
		return err == nil && on
	}
	f, ok := w.(fder)
	return ok && term.IsTerminal(int(f.Fd()))
}

// Color says whether to colour what goes to w: a terminal, and NO_COLOR
// (https://no-color.org) unset or empty.
func Color(w io.Writer) bool {
	return Terminal(w) && os.Getenv("NO_COLOR") == ""
}

// Width is w's width in columns: $COLUMNS if set, the terminal's, else 0
// (not a terminal: no limit).
func Width(w io.Writer) int {
	if n, err := strconv.Atoi(os.Getenv("COLUMNS")); err == nil && n > 0 {
		return n
	}
	if f, ok := w.(fder); ok && Terminal(w) {
		if n, _, err := term.GetSize(int(f.Fd())); err == nil && n > 0 {
			return n
		}
	}
	return 0
}

// Colours for Paint.
const (
	Red   = "31"
	Green = "32"
)

// Paint is s in colour, if on.
func Paint(on bool, colour, s string) string {
	if !on {
		return s
	}
	return "\x1b[" + colour + "m" + s + "\x1b[0m"
}

// Plain is s on one line without control characters: a target's answer
// quoted on the console can neither break the layout nor send escapes.
func Plain(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}
