package target

import (
	"strings"
	"unicode/utf8"
)

// bendUserName applies the faults that change a userName on its way in
// without a word: lower-casing, and folding full-width letters to ASCII
// (part of NFKC). The clean target stores the name exactly as sent.
func (s *Server) bendUserName(data map[string]any, name string) string {
	if s.has(UsernameLowercased) {
		name = strings.ToLower(name)
	}
	if s.has(UsernameNFKCFolded) {
		name = strings.Map(func(r rune) rune {
			if r >= 0xFF01 && r <= 0xFF5E { // FULLWIDTH ! … ~
				return r - 0xFEE0
			}
			return r
		}, name)
	}
	data["userName"] = name
	return name
}

// userNameLength is the length the policy limits: characters, or bytes
// under the fault username-length-in-bytes.
func (s *Server) userNameLength(name string) int {
	if s.has(UsernameLengthInBytes) {
		return len(name)
	}
	return utf8.RuneCountInString(name)
}

// confusables maps the Cyrillic and Greek letters that look like Latin
// ones to those (a small part of Unicode TR #39's confusables).
var confusables = strings.NewReplacer(
	"а", "a", "е", "e", "о", "o", "р", "p", "с", "c", "у", "y", "х", "x", "і", "i",
	"А", "A", "Е", "E", "О", "O", "Р", "P", "С", "C", "Т", "T", "Х", "X", "ο", "o", "α", "a",
)

// skeleton is what the fault username-filter-folds-confusables compares
// userName filters by, so a look-alike finds the real user.
func (s *Server) skeleton(def attr, v string) string {
	if def.Name == "userName" && s.has(UsernameFilterFoldsConfusables) {
		return confusables.Replace(v)
	}
	return v
}
