"""Deployment support: an nginx example (nginx.conf) and `cluster`, which
starts the documented scale-out deployment on one machine for tests and bench."""
