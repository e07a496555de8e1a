"""Stance: the model input (shared with training), the classifier, targets per statement and the speaker x party matrix."""
