"""Legacy configuration package (``configure.configure.SymConfig``)."""
