"""Programmes: yearly expert cohorts, showcase schools and the collaboration board."""
