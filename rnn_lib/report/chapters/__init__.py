"""One module per chapter, named after its notebook: the sentences and tables that depend on its results."""
