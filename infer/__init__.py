"""Inference: one subpackage per stage (text, rules, tagger, speakers, entities, stance), the segmenter,
the pipeline that composes them (``pipeline.py``), and the batch jobs (``jobs/``)."""
