"""Structure: where a report's sections are.

The outline (bookmarks), the printed contents page and the headings found in the body are each
read (``outline``, ``contents``, ``headings``), checked (``toc``), placed on pages (``pagemap``,
``locate``) and cut into a tree of sections (``sections``); ``address`` finds the section a
user means.
"""
