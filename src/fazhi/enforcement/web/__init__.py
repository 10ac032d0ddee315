"""The enforcement package's console pages."""
