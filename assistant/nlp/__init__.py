"""Text stages: validation, spaCy preprocessing, PII masking and embedding."""
