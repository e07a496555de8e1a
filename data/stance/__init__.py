"""Our own annotated stance examples (package data; see README.md here)."""
