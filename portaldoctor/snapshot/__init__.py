"""The tenant snapshot: model, loaders and source locations."""
