"""The learned attribution tagger: its input encoding (shared with training), the model, decoding and role filling."""
