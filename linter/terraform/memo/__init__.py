"""The evaluation memo: each root module's declarations, reused while its inputs hold."""
