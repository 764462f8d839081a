"""Stage 3: what the report notebooks show: charts, tables and sentences in the reader's language."""
