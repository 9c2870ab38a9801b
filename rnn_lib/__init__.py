"""A vanilla character-level RNN in NumPy, after DD2424 Assignment 4."""
