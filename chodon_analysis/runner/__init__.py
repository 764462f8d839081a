"""Stage 4: the yearly run: stamps, notebooks and their parameters, kernels, HTML export, index page, atomic files."""
