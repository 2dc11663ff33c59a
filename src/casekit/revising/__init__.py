"""Revising a manuscript: the manuscript compared with itself at a git revision (tracked
changes in Word, highlighted and line-numbered copies), the response to reviewers, and a
co-author's returned Word file read back to the sources."""
