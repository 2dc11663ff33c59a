"""Revising a manuscript: the changes since a revision, the response to reviewers, and
the Word files co-authors return, read back to the templates and data that wrote them."""
