"""Notice understanding: documents into canonical notices (rules first, an LLM where configured)."""
