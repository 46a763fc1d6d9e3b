"""Reading a proposal: the YAML and JSON readers with their limits, the proposal model, pydantic errors as
messages for people, and the flat decision facts that rules reason about.
"""
