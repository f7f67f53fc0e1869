"""Storage: SQLAlchemy 2 tables and the repository, the only code that speaks SQL."""
