"""The bundled demo tenant (data files)."""
