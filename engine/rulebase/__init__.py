"""Rule sets as data: loading a region's folder, the condition language, the registry of regions and
versions, the source document, invariants, the catalogue, the proposal schema and new rule-set folders.
"""
