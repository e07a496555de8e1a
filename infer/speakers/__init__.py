"""Speakers: a statement's source mention -> canonical speaker -> party."""
