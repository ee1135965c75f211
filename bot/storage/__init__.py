"""Persistence: SQLAlchemy models, repositories (never commit), the unit of work, migrations."""
