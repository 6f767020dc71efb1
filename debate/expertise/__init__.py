"""The expertise phase: themes, needs, experts and declarations, contributions, questions, library, glossary."""
