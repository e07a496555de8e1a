"""Training: one skeleton (run.py) and the tasks that fill it (the stance model, the attribution tagger)."""
