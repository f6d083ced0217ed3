"""The Django 5.2 peer of ``benchmarks/http_serving.py``: a minimal project, one JSON view."""
