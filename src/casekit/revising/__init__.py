"""Revising a manuscript: the manuscript compared with itself at a git revision (tracked
changes in Word, highlighted and line-numbered copies), and the response to reviewers."""
