"""Typesetting: pandoc, Typst, the Word reference document, the format table, and reading
the outputs back."""
