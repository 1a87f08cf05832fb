"""The commands: plain functions with explicit keyword arguments that return an exit code.

``cli`` maps options to these calls and nothing else; nothing here knows about typer.
"""
