"""Reading import files and mapping their columns: table (encodings, delimiters), mapping.

``table`` reads a CSV, JSONL or XLSX file into a header and raw records; ``mapping`` turns the
columns of what people have (Microsoft Forms, LimeSurvey, German Excel) into the long format
that ``assistant.importer`` validates. The ready mappings are the YAML files in ``mappings/``.
"""
