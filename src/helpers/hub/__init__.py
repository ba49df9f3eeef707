"""Running the course on a JupyterHub or Binder: the image's environment and the students' links."""
