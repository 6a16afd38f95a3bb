"""qms: quality-objective scorecards for Decision 784/QĐ-UBND from dossier-tracking exports."""

__version__ = "0.1.0"
