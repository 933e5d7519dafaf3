package scim

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/oauth2"
)

// maxWords bounds a transport error's message in a report.
const maxWords = 160

// transportWords is err's message without what the target sent: the
// request's URL (a report shows it beside the error) goes, and so does
// everything from the first quote on, where net/http quotes the bytes of a
// malformed answer; a malformed header line is cut after its name.
func transportWords(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	s, _, _ := strings.Cut(err.Error(), `"`)
	if i := strings.Index(s, "malformed MIME header"); i >= 0 {
		s = s[:i] + "malformed MIME header"
	}
	return printable(strings.TrimRight(strings.TrimSpace(s), ":"))
}

// tokenRefusal says why a token endpoint refused, without its body: the
// status and the RFC 6749 §5.2 error code, if it is a plain word.
func tokenRefusal(re *oauth2.RetrieveError) string {
	s := "no answer"
	if re.Response != nil {
		s = strconv.Itoa(re.Response.StatusCode) + " " + http.StatusText(re.Response.StatusCode)
	}
	if code := re.ErrorCode; code != "" && len(code) <= 40 && strings.IndexFunc(code, func(c rune) bool { return c != '_' && !unicode.IsLower(c) }) < 0 {
		s += " (" + code + ")"
	}
	return printable(s)
}

// printable keeps printable ASCII and bounds the length.
func printable(s string) string {
	s = strings.Map(func(c rune) rune {
		if c > unicode.MaxASCII || !unicode.IsPrint(c) {
			return -1
		}
		return c
	}, s)
	if len(s) > maxWords {
		s = s[:maxWords] + "..."
	}
	return s
}
