"""The policy as data: the coverage matrix and the model catalogue, and what follows from them."""
