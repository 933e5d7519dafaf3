package steps

import "slices"

// Left lists what the run could not remove so far, for a run that must
// quit before its cleanup ends.
func (c *Cleanup) Left() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.Leftovers)
}
