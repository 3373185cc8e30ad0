"""The fix loop: apply the findings' fixes (``--fix``, ``--diff``) and write suppressions
(``--add-suppression``), as text edits at known positions, written atomically.

This stage reads findings (never creates one) and writes the linted files; the pipeline
re-lints after it, so what is reported afterwards is what the files now say.
"""
