"""Machine case-file review (案卷评查) over the `fazhi-case-file/1` exchange format."""
