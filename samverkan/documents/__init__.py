"""Documents the portal renders for several apps: PDF (WeasyPrint, pdf.py) and Word (python-docx, word.py).

An app passes a template and its data; the set-up, the safety rules and the shared print style live here
once. Documents are written in Swedish whatever the language of the request.
"""
