"""Reading features: pure functions over a structured ``Document``.

``search`` finds text with its section and page; ``summary`` quotes the sentences that
say most, from the ``units`` of body text; ``abstract`` finds the authors' own summary;
``keywords`` lists key terms.
"""
