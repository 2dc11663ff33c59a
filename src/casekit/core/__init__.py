"""Foundation: located errors, the project's paths, reading text and YAML, atomic writes,
caches."""
