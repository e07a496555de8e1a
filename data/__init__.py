"""Dataset readers (PolNeAR, DSA, NewsMTSC, BASIL, ...) and our own sample articles with gold."""
