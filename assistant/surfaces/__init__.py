"""Delivery surfaces: the Gradio chat (and, later, the HTTP API)."""
