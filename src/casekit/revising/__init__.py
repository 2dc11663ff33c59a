"""Revising a manuscript: the changes since a revision, and the response to reviewers."""
