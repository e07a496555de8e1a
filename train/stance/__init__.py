"""Stance training: the config schema, the data sets, metrics, the training task and its model card."""
