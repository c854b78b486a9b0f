"""Mapping rounds: the partners themselves confirm, correct and rate the collaborations on record."""
