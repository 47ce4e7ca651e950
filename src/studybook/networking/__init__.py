"""Part VI: Networking Fundamentals."""
