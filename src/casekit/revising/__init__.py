"""Revising: a manuscript compared with itself at a git revision, as tracked changes in
Word and as highlighted, line-numbered copies."""
