"""Measuring the reader and the checker on documents nobody here wrote (issue 11): ``../shared/real-docs/``."""
