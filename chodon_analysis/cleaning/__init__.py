"""Stage 1 of the pipeline: read workbooks, repair text, find the layout, parse values, classify, validate, write."""
