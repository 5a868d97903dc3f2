"""The archive export (Noark 5): a round's case documents as PDF/A with their `arkivstruktur.xml`, in a zip.

`sources` is the registry of where the documents come from (needs, allocation, and reporting's own parts add
theirs), `noark` writes the metadata, `package` puts it together. The Noark 5 schema is vendored in `schema/`.
"""
