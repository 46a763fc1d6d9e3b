"""Renderers: turn an :class:`engine.advising.advice.Advice` into text for people or machines."""
