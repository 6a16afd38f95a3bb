"""Rendering results: it knows results and nothing of how they were counted."""
