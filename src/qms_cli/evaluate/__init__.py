"""Evaluating objectives: one function per indicator kind, then statuses, intervals and shortfalls."""
