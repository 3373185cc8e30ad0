"""A run's settings: the effective configuration and the configuration files it is read from."""
