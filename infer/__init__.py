"""Inference stages: segment, attribute, parties, stance; the pipeline that composes them; the batch job."""
