"""Renderers: turn an :class:`engine.advice.Advice` into text for people or machines."""
