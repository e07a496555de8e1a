"""The shipped default models (package data): models/<name>/ with safetensors weights and a model card."""
