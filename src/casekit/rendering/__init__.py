"""Rendering: templates and case data to one pandoc document, with numbering, counts and figures."""
