"""Built-in checks. Each module holds one check; they register through entry points."""
