"""claimstance: quote and claim attribution and speaker-to-party stance for news articles."""

__version__ = "0.1.0"
