"""Reading input files: raw grids, header rows, and one module per input kind."""
