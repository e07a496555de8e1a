"""Entities and parties: the gazetteer, named entities clustered per real-world party, and the parties stage."""
