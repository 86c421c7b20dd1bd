"""Reading PDFs: the only package that imports a PDF engine (pdfminer.six).

``engine`` opens a file (salvaging a damaged one), reads its catalogue (metadata,
outline, page labels) and lays out pages as ``model.Line`` objects; ``pool`` lays out
pages in worker processes.
"""
