"""Attribution-tagger training: the config schema, the training task and its model card."""
