"""Part VII: Senior/Distinguished Engineer Preparation."""
