"""Text: pure repairs on strings and lines.

Characters (``chars``), broken spacing and hyphens (``repair``, with the document's
``vocabulary``), page furniture, footnotes, paragraphs and sentences; ``clean`` is the
pipeline stage that applies them to a document's pages.
"""
