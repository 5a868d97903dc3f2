"""Open data: what the Statsforvalter granted, per office and year, without personal data.

`queries.py` reads the rows (a bounded number of queries whatever the data size), `api.py` serves them
as JSON with an OpenAPI schema (django-ninja), `csv.py` writes them as CSV. The public page
(views/opendata.py) reads the same rows. Account numbers, people's names, e-mails and phones are never
read: the rows are built from the decisions' public columns only.
"""
