"""Batch jobs: reading input records, the streaming job engine with its sinks, workers, Ray and the manifest."""
