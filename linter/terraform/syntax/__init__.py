"""HCL and JSON syntax with positions: the parser, its syntax tree, and rendering it back."""
