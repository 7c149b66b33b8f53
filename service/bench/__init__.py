"""``python -m service bench``: load scenarios against a production-mode server, beside pgbench's ceiling.

- ``scenarios.py``  the registry: one ``Scenario`` per measured path (its k6 script in
                    ``tests/load/`` and the pgbench steps that run the same SQL files)
- ``dataset.py``    fills a fresh ``service_bench`` database (COPY) and mints bearer tokens
- ``procstat.py``   CPU counters of process trees from /proc
- ``runner.py``     starts PostgreSQL and the server, runs k6 and pgbench per scenario
- ``report.py``     the table, the JSON file and the SVG chart
"""
