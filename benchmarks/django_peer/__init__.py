"""The Django 5.2 peer of ``benchmarks/http.py``: a minimal project serving one JSON view."""
