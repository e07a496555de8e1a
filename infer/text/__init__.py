"""Text stage: preparing raw input without moving offsets, the spaCy parse, quotation marks, sentence and paragraph units."""
