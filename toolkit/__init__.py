"""thidua: scoring, consolidation and ranking for Vietnamese emulation blocs."""

__version__ = "0.1.0"
