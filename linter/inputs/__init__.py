"""Finding the files to lint and reading the YAML declarations among them."""
