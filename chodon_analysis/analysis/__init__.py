"""Stage 2: attainment, trends, progress toward targets and the derived tables, from the tidy table."""
