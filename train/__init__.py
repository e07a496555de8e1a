"""Training of the stance model (issue #3) and the attribution tagger (issue #4)."""
