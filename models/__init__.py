"""The shipped default models (package data): models/<name>/ with safetensors weights, settings.json and a model card."""
