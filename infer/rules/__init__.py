"""Rule segmentation: cue words, clause reading of the parse, the assertion filter and the rule segmenter."""
