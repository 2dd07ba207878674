"""The company's bill of materials: import, store, MPN matching and where-used."""
