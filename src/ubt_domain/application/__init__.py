"""Application forms: applicants, ИИН, names, the form's fields and sectors, its error protocol.

In: readings of the application form (:mod:`omrkit.types`) and directories of codes.
Out: accepted applications or typed form errors (UNT-FORM-*, D-9, D-13).
"""
