"""The access matrix's tables: the people, their world, and who may use each page (tests/test_access_matrix.py)."""
