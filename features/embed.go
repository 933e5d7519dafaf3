// Package features embeds the Gherkin scenarios so the single idpconform
// binary runs anywhere. go:embed cannot reach "..", hence this file here.
package features

import "embed"

// FS holds every *.feature file, by area folder.
//
//go:embed */*.feature
var FS embed.FS
