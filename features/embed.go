// Package features embeds the Gherkin scenarios so the single idpconform
// binary runs anywhere. go:embed cannot reach "..", hence this file here.
package features

import (
	"embed"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing/fstest"
)

// FS holds every *.feature file, by area folder.
//
//go:embed */*.feature
var FS embed.FS

// With returns the embedded features and, beside them, the *.feature files
// under each of dirs (a vendor's own regression scenarios), each mounted as
// a folder named after the directory (a second "regressions" becomes
// "regressions-2"). Scenario ids read features/<folder>/<file>:<line>.
func With(dirs ...string) (fs.FS, error) {
	if len(dirs) == 0 {
		return FS, nil
	}
	all := fstest.MapFS{}
	add := func(fsys fs.FS, mount string) (int, error) {
		n := 0
		err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(p, ".feature") {
				return err
			}
			b, err := fs.ReadFile(fsys, p)
			if err == nil {
				all[path.Join(mount, p)] = &fstest.MapFile{Data: b, Mode: 0o444}
				n++
			}
			return err
		})
		return n, err
	}
	if _, err := add(FS, "."); err != nil {
		return nil, err
	}
	for _, dir := range dirs {
		mount := filepath.Base(filepath.Clean(dir))
		for i := 2; taken(all, mount); i++ {
			mount = fmt.Sprintf("%s-%d", filepath.Base(filepath.Clean(dir)), i)
		}
		n, err := add(os.DirFS(dir), mount)
		if err != nil {
			return nil, fmt.Errorf("features %s: %w", dir, err)
		}
		if n == 0 {
			return nil, fmt.Errorf("features %s: no *.feature file", dir)
		}
	}
	return all, nil
}

func taken(all fstest.MapFS, dir string) bool {
	for p := range all {
		if strings.HasPrefix(p, dir+"/") {
			return true
		}
	}
	return false
}
