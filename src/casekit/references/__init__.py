"""References: the BibTeX store, citations in the text, CSL styles."""
